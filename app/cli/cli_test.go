package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/store"
)

func TestMain(m *testing.M) { clitest.Main(m) }

func TestCLIContracts(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)

	var info map[string]any
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "info", "--db", db, "--json")), &info); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"houses", "households", "residents", "teams", "members", "shift_rules", "patrols", "venues", "cost_items", "schema_version", "device_id"} {
		if _, ok := info[k]; !ok {
			t.Errorf("info --json lacks %q", k)
		}
	}
	if info["houses"].(float64) < 300 || info["residents"].(float64) < 800 || info["teams"].(float64) != 3 || info["shift_rules"].(float64) != 4 {
		t.Errorf("demo is not the ordinary demo post: %v", info)
	}
	// Every resident belongs to a household that exists.
	rows := clitest.MustRun(t, "dump", "--db", db)
	households := map[string]bool{}
	for _, l := range strings.Split(rows, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 5 && f[0] == "households" {
			households[f[1]] = true
		}
	}
	residents, linked := map[string]bool{}, 0
	for _, l := range strings.Split(rows, "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 || f[0] != "residents" {
			continue
		}
		residents[f[1]] = true
		if f[2] == "household_id" {
			linked++
			if id := strings.Trim(f[3], `"`); !households[id] {
				t.Fatalf("resident %s points to missing household %q", f[1], id)
			}
		}
	}
	if linked != len(residents) || linked == 0 {
		t.Fatalf("%d of %d residents have a household", linked, len(residents))
	}

	// Dump is deterministic for one database.
	if a, b := clitest.MustRun(t, "dump", "--db", db), clitest.MustRun(t, "dump", "--db", db); a != b || len(a) == 0 {
		t.Fatal("dump is not deterministic")
	}
	owner := info["device_id"].(string)
	if got := clitest.MustRun(t, "dump", "--db", db, "--owner", "NOBODY"); strings.Contains(got, owner) {
		t.Fatal("--owner does not filter")
	}

	var hits []map[string]any
	json.Unmarshal([]byte(clitest.MustRun(t, "locate", "--db", db, "--village", "张庄村", "203", "--json")), &hits)
	if len(hits) == 0 || hits[0]["number"] != "203" {
		t.Fatalf("locate 203: %v", hits)
	}
	for _, k := range []string{"number", "name", "x", "y"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("locate --json lacks %q", k)
		}
	}

	var route map[string]any
	json.Unmarshal([]byte(clitest.MustRun(t, "route", "--db", db, "--village", "张庄村", "--to", "203", "--json")), &route)
	for _, k := range []string{"reachable", "length_m", "stop", "hose_m", "water", "steps", "lanes"} {
		if _, ok := route[k]; !ok {
			t.Errorf("route --json lacks %q", k)
		}
	}
	if l, _ := route["lanes"].([]any); len(l) == 0 || l[0].(map[string]any)["width_m"] == nil {
		t.Errorf("route --json lanes: %v", route["lanes"])
	}
	// A vehicle wider than every lane cannot drive in, but the answer
	// still says where it stops, the hose from there and the water.
	route = nil
	json.Unmarshal([]byte(clitest.MustRun(t, "route", "--db", db, "--village", "张庄村", "--to", "203", "--width", "15", "--json")), &route)
	if route["reachable"] != false || route["stop"] == nil || route["hose_m"] == 0.0 {
		t.Errorf("15 m engine to house 203: %v", route)
	}
	if w, _ := route["water"].([]any); len(w) == 0 {
		t.Errorf("unreachable route names no water: %v", route)
	}
	if text := clitest.MustRun(t, "route", "--db", db, "--village", "张庄村", "--to", "203", "--width", "15"); !strings.Contains(text, "到203号的水带距离") || strings.Count(text, "开不进") != 1 {
		t.Errorf("unreachable sentence: %s", text)
	}

	var slots []map[string]any
	json.Unmarshal([]byte(clitest.MustRun(t, "roster", "--db", db, "--from", "2026-12-01", "--to", "2026-12-31", "--json")), &slots)
	kinds := map[string]int{}
	for _, s := range slots {
		for _, k := range []string{"date", "start", "end", "kind", "rule", "team", "people"} {
			if _, ok := s[k]; !ok {
				t.Fatalf("roster slot lacks %q: %v", k, s)
			}
		}
		kinds[s["kind"].(string)]++
	}
	// 31 daily patrols, 31 duty days, two posts on each of the 8 Mondays and
	// Fridays of December 2026, market days.
	if kinds["patrol"] != 31 || kinds["duty"] != 31 || kinds["school_gate"] != 16 || kinds["market"] < 8 {
		t.Errorf("December roster: %v", kinds)
	}

	pdf := filepath.Join(t.TempDir(), "roster.pdf")
	clitest.MustRun(t, "print", "roster", "--db", db, "--month", "2026-12", "--out", pdf)
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("roster PDF: %v", err)
	}
}

// A house number an older version stored with its 号 ('203号') is found
// by 203 and listed as 203 by cunjing locate --json, as the screens,
// plates and the map show it (numbering.Plain); it printed "203号".
func TestCLILocateNumberStoredWithHao(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := clitest.DemoDB(t)
	s, err := store.Open(ctx, db, store.Options{SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.VillageByName(ctx, "张庄村")
	if err != nil {
		t.Fatal(err)
	}
	houses, err := s.Houses(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(houses, func(h store.House) bool { return h.Number == "203" })
	if k < 0 {
		t.Fatal("no house 203 in the demo")
	}
	h := houses[k]
	h.Number = "203号"
	if err := s.Save(ctx, &h); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var hits []map[string]any
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "locate", "--db", db, "--village", "张庄村", "203", "--json")), &hits); err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0]["number"] != "203" {
		t.Fatalf("locate 203 with 203号 stored: %v", hits)
	}
}
