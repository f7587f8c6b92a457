package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/app/cli/rostercmd"
)

func TestCLIHolidays(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	list := func(year string) []rostercmd.HolidayRow {
		t.Helper()
		var rows []rostercmd.HolidayRow
		if err := json.Unmarshal([]byte(clitest.MustRun(t, "holidays", "list", "--db", db, "--year", year, "--json")), &rows); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := list("2026")
	if len(rows) == 0 || rows[0].Name != "元旦" || rows[0].Confirmed || rows[0].Stored || !strings.Contains(rows[0].Source, "国办发明电〔2025〕7号") {
		t.Fatalf("2026 starts with %+v, want the shipped 元旦, 待核实", rows[0])
	}
	if out := clitest.MustRun(t, "holidays", "confirm", "--db", db, "--year", "2026", "--kind", "public", "--today", "2026-11-24"); !strings.Contains(out, "13 holidays of 2026 confirmed") {
		t.Errorf("confirm: %s", out)
	}
	for _, r := range list("2026") {
		if want := r.Kind != "school"; r.Confirmed != want || r.Stored != want {
			t.Errorf("after confirming public 2026: %+v", r)
		}
	}
	clitest.MustRun(t, "holidays", "add", "--db", db, "--name", "寒假", "--kind", "school", "--from", "2027-01-23", "--to", "2027-02-21", "--source", "县教育局校历", "--confirmed", "--today", "2026-11-24")
	var stored rostercmd.HolidayRow
	for _, r := range list("2027") {
		if r.Kind == "school" && r.Name == "暑假" {
			t.Errorf("the default 2027 暑假 stayed beside the stored school calendar: %+v", r)
		}
		if r.Name == "寒假" {
			stored = r
		}
	}
	if !stored.Stored || stored.From != "2027-01-23" {
		t.Fatalf("stored 寒假: %+v", stored)
	}
	clitest.MustRun(t, "holidays", "delete", "--db", db, "--id", stored.ID)
	if rows := list("2027"); !strings.Contains(rows[1].Name+rows[1].From, "寒假2027-01-16") {
		t.Errorf("after delete the default 寒假 is back: %+v", rows[1])
	}
	for _, bad := range [][]string{
		{"holidays"},
		{"holidays", "add", "--db", db, "--name", "x", "--kind", "party", "--from", "2026-01-01"},
		{"holidays", "confirm", "--db", db},
		{"holidays", "delete", "--db", db, "--id", "default/2026-01-01/public"},
	} {
		if _, _, code := clitest.Run(t, bad...); code != 2 {
			t.Errorf("cunjing %v: exit %d, want 2", bad, code)
		}
	}
}
