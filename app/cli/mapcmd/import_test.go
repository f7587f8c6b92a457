package mapcmd_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/app/cli/mapcmd"
)

func TestMain(m *testing.M) { clitest.Main(m) }

// counts is `info --json` of the database db: houses and villages.
func counts(t *testing.T, db string) (houses, villages int) {
	t.Helper()
	var info struct{ Houses, Villages int }
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "info", "--db", db, "--json")), &info); err != nil {
		t.Fatal(err)
	}
	return info.Houses, info.Villages
}

// importMap runs `map import --json` and returns how many houses the
// file brought.
func importMap(t *testing.T, db, village, file string) int {
	t.Helper()
	var res struct{ Houses int }
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "map", "import", "--db", db, "--village", village, "--json", file)), &res); err != nil {
		t.Fatal(err)
	}
	return res.Houses
}

// A map import that another program's write overtakes (a second import
// into the same village between this one reading the map and saving it)
// keeps both: it saved the map it had merged, whole, and so deleted the
// other import's houses without a word; and two imports into a new
// village made two villages of that name. The import now sees that the
// change log moved, reads and merges again.
func TestCLIMapImportOvertaken(t *testing.T) {
	db := clitest.DemoDB(t)
	other := clitest.Demo(t, "--seed", "8", "--today", "2026-11-24")
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.geojson"), filepath.Join(dir, "b.geojson"), filepath.Join(dir, "c.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--local", "--out", a)
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "李家屯", "--local", "--out", b)
	clitest.MustRun(t, "map", "export", "--db", other, "--village", "李家屯", "--local", "--out", c)

	for _, tc := range []struct {
		name     string
		existing bool // the village has a map before the imports
	}{
		{"into a village with a map", true},
		{"into a new village", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			village := "新村 " + tc.name
			if tc.existing {
				importMap(t, db, village, a)
			}
			h0, v0 := counts(t, db)
			nb, fired := 0, false
			mapcmd.SetBeforeSave(func() { // once, and not again inside the import it runs
				if !fired {
					fired = true
					nb = importMap(t, db, village, b)
				}
			})
			defer mapcmd.SetBeforeSave(nil)
			nc := importMap(t, db, village, c)
			mapcmd.SetBeforeSave(nil)
			h1, v1 := counts(t, db)
			if nb == 0 || nc == 0 {
				t.Fatalf("the imports brought %d and %d houses", nb, nc)
			}
			if h1 != h0+nb+nc {
				t.Errorf("%d houses after imports of %d and %d houses into %d, want %d", h1, nb, nc, h0, h0+nb+nc)
			}
			newVillages := 0
			if !tc.existing {
				newVillages = 1
			}
			if v1 != v0+newVillages {
				t.Errorf("%d villages, want %d", v1, v0+newVillages)
			}
		})
	}
}
