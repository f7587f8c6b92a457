package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"cunjing/app/cli/boardcmd"
	"cunjing/app/cli/clitest"
)

func TestCLICostsLocalFigure(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	var rows []boardcmd.CostRow
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "costs", "list", "--db", db, "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	var comp boardcmd.CostRow
	for _, r := range rows {
		if r.Problem != "" {
			t.Errorf("demo item without a source: %+v", r)
		}
		if r.Local {
			t.Errorf("the demo ships a local figure: %+v", r)
		}
		if strings.HasPrefix(r.Text, "赔偿对方") && r.Tier == "public_order" {
			comp = r
		}
	}
	if comp.ID == "" || comp.Amount != "" {
		t.Fatalf("the compensation line %+v: want one, with no figure until the station sets it", comp)
	}
	if _, _, code := clitest.Run(t, "costs", "set", "--db", db, "--id", comp.ID, "--min", "7000", "--max", "10000", "--local"); code != 2 {
		t.Errorf("a local figure without --source: exit %d, want 2", code)
	}
	// Go's flags read NaN and Inf as numbers: no amount to print (NaN
	// failed on a NOT NULL constraint, Inf printed 100–+Inf元).
	for _, bad := range [][]string{{"--min", "NaN"}, {"--min", "100", "--max", "Inf"}, {"--min", "+Inf"}} {
		if _, stderr, code := clitest.Run(t, append([]string{"costs", "set", "--db", db, "--id", comp.ID}, bad...)...); code != 2 || strings.Contains(stderr, "constraint") {
			t.Errorf("costs set %v: exit %d, want 2 (usage)\n%s", bad, code, stderr)
		}
	}
	out := clitest.MustRun(t, "costs", "set", "--db", db, "--id", comp.ID, "--min", "7000", "--max", "10000", "--local",
		"--source", "城关派出所2024–2025年调解的打架案件", "--today", "2026-11-24")
	if !strings.Contains(out, "7000–10000元 (待核实)") {
		t.Errorf("set: %s", out)
	}
	rows = nil
	json.Unmarshal([]byte(clitest.MustRun(t, "costs", "list", "--db", db, "--json")), &rows)
	for _, r := range rows {
		if r.ID == comp.ID && (!r.Local || r.Confirmed || r.Amount != "7000–10000元" || !strings.Contains(r.Source, "城关派出所")) {
			t.Errorf("after set: %+v", r)
		}
	}
	// Without --json, a line per item, the local unconfirmed figure marked.
	text := clitest.MustRun(t, "costs", "list", "--db", db)
	if want := comp.ID + "  " + comp.Text + " 7000–10000元 待核实 【本地】\n"; !strings.Contains(text, want) || strings.Count(text, "\n") != len(rows) {
		t.Errorf("costs list: want %d lines holding %q, got\n%s", len(rows), want, text)
	}
}
