// Package dump writes the canonical dump of a database: every synced
// record's set fields with the clock of their last change, then the
// conflicts, sorted, so replicas that have seen the same changes dump
// byte-identically (the merge property test and `cunjing dump` diff
// them). It sits below store over its database handle (a table.Queryer) and the
// table registry; Store.Dump hands it out.
package dump

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"reflect"

	"cunjing/store/internal/table"
	"cunjing/store/record"
)

// Write writes the canonical dump of every synced record and conflict: one
// line per set field, "table<TAB>id<TAB>field<TAB>value<TAB>hlc", sorted by
// table, id and field, then one line per conflict. Replicas that have seen
// the same changes produce byte-identical dumps, so `diff` compares them.
// A non-empty owner limits the dump to records that device owns.
func Write(ctx context.Context, db table.Queryer, w io.Writer, owner string) error {
	bw := bufio.NewWriter(w)
	for _, name := range record.SyncedTables {
		if err := dumpTable(ctx, db, bw, table.Tables[name], owner); err != nil {
			return fmt.Errorf("dump %s: %w", name, err)
		}
	}
	q := "SELECT tbl, rec, field, value, hlc FROM conflicts ORDER BY tbl, rec, field, hlc"
	args := []any{}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("dump conflicts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, r, f, v, h string
		if err := rows.Scan(&t, &r, &f, &v, &h); err != nil {
			return err
		}
		if owner != "" {
			var o string
			if err := db.QueryRowContext(ctx, "SELECT owner FROM "+t+" WHERE id = ?", r).Scan(&o); err != nil || o != owner {
				continue
			}
		}
		fmt.Fprintf(bw, "conflict\t%s\t%s\t%s\t%s\t%s\n", t, r, f, v, h)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return bw.Flush()
}

func dumpTable(ctx context.Context, db table.Queryer, w *bufio.Writer, ti *table.Info, owner string) error {
	// Field clocks first (ordered like the rows), merged with a row scan.
	crows, err := db.QueryContext(ctx, "SELECT rec, field, max(hlc) FROM changes WHERE tbl = ? GROUP BY rec, field ORDER BY rec, field", ti.Name)
	if err != nil {
		return err
	}
	clocks := map[string]map[string]string{}
	for crows.Next() {
		var r, f, h string
		if err := crows.Scan(&r, &f, &h); err != nil {
			crows.Close()
			return err
		}
		if clocks[r] == nil {
			clocks[r] = map[string]string{}
		}
		clocks[r][f] = h
	}
	crows.Close()
	if err := crows.Err(); err != nil {
		return err
	}
	q := "SELECT " + ti.ColList + " FROM " + ti.Name
	var args []any
	if owner != "" {
		q += " WHERE owner = ?"
		args = append(args, owner)
	}
	q += " ORDER BY id"
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	rec := reflect.New(ti.Typ)
	lists := make([]string, ti.ListCount())
	sorted := sortedCols(ti)
	for rows.Next() {
		rec.Elem().Set(reflect.Zero(ti.Typ))
		if err := rows.Scan(table.ScanTargets(ti, rec.Elem(), lists)...); err != nil {
			return err
		}
		if err := table.FinishScan(ti, rec.Elem(), lists); err != nil {
			return err
		}
		id := rec.Elem().FieldByIndex(ti.ByName["id"].Index).String()
		fc := clocks[id]
		for _, c := range sorted {
			h, ok := fc[c.Name]
			if !ok {
				continue // never written: the default, the same everywhere
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", ti.Name, id, c.Name, table.Encode(c, rec.Elem().FieldByIndex(c.Index)), h)
		}
	}
	return rows.Err()
}

func sortedCols(ti *table.Info) []*table.Column {
	out := make([]*table.Column, 0, len(ti.Cols))
	for i := range ti.Cols {
		if ti.Cols[i].Name != "id" {
			out = append(out, &ti.Cols[i])
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
