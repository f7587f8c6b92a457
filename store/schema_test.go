package store

import (
	"context"
	"cunjing/store/internal/table"
	"cunjing/store/record"
	"fmt"
	"strings"
	"testing"
)

// TestSchemaMatchesRecords keeps the shipped migrations and the record
// structs in step: every struct field has its column with the right type
// and default, and no synced table has a column the structs do not know.
func TestSchemaMatchesRecords(t *testing.T) {
	s := newTestStore(t, RolePost, nil)
	for _, name := range record.SyncedTables {
		ti := table.Tables[name]
		rows, err := s.db.QueryContext(context.Background(), "SELECT name, type, dflt_value FROM pragma_table_info(?)", name)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for rows.Next() {
			var n, typ string
			var def *string
			rows.Scan(&n, &typ, &def)
			d := ""
			if def != nil {
				d = *def
			}
			got[n] = typ + " " + d
		}
		rows.Close()
		if len(got) == 0 {
			t.Errorf("table %s missing", name)
			continue
		}
		for _, c := range ti.Cols {
			want := map[table.Kind]string{table.KindText: "TEXT ''", table.KindInt: "INTEGER 0", table.KindBool: "INTEGER 0", table.KindReal: "REAL 0", table.KindList: "TEXT '[]'"}[c.Kind]
			if c.Name == "id" {
				want = "TEXT "
			}
			if got[c.Name] != want {
				t.Errorf("%s.%s: schema has %q, struct wants %q", name, c.Name, got[c.Name], want)
			}
			delete(got, c.Name)
		}
		delete(got, "hlc")
		if len(got) > 0 {
			t.Errorf("%s: columns not in the struct: %s", name, strings.TrimSpace(fmt.Sprint(got)))
		}
	}
}
