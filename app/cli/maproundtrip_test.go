package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/admincmd"
	"cunjing/app/cli/clitest"
)

func TestCLIMapRoundTripAndBackup(t *testing.T) {
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	gj := filepath.Join(dir, "v.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", gj, "--local")
	fresh := filepath.Join(dir, "fresh.db")
	clitest.MustRun(t, "demo", "--db", fresh, "--houses", "20")
	var rep map[string]any
	json.Unmarshal([]byte(clitest.MustRun(t, "map", "import", "--db", fresh, "--village", "张庄村副本", gj, "--json")), &rep)
	if rep["houses"].(float64) < 300 || len(rep["skipped"].([]any)) != 0 {
		t.Fatalf("import report: %v", rep)
	}
	again := filepath.Join(dir, "again.geojson")
	clitest.MustRun(t, "map", "export", "--db", fresh, "--village", "张庄村副本", "--out", again, "--local")
	var a, b struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	ra, _ := os.ReadFile(gj)
	rb, _ := os.ReadFile(again)
	json.Unmarshal(ra, &a)
	json.Unmarshal(rb, &b)
	if len(a.Features) != len(b.Features) {
		t.Fatalf("round trip: %d features, then %d", len(a.Features), len(b.Features))
	}

	// Bad input leaves the saved map as it was.
	before := clitest.MustRun(t, "dump", "--db", fresh)
	bad := filepath.Join(dir, "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0]]]},"properties":{"kind":"house","number":"1"}}`), 0o644)
	if _, _, code := clitest.Run(t, "map", "import", "--db", fresh, "--village", "张庄村副本", bad); code == 0 {
		t.Fatal("truncated GeoJSON accepted")
	}
	if clitest.MustRun(t, "dump", "--db", fresh) != before {
		t.Fatal("a failed import changed the database")
	}

	// Backup and restore through the CLI.
	t.Setenv(admincmd.BackupPassEnv, "map round trip")
	usb := filepath.Join(dir, "usb")
	var bk map[string]any
	json.Unmarshal([]byte(clitest.MustRun(t, "backup", "--db", db, "--to", usb, "--json")), &bk)
	want := clitest.MustRun(t, "dump", "--db", db)
	clitest.MustRun(t, "map", "import", "--db", db, "--village", "又一村", gj)
	clitest.MustRun(t, "restore", "--db", db, bk["path"].(string))
	if clitest.MustRun(t, "dump", "--db", db) != want {
		t.Fatal("restore did not bring the backup back")
	}
}

// TestCLIVillageNeedNotBeNamedWhenThereIsOne: `locate` and `route` on a
// post with one village need no --village; with none, or more than one,
// the error says so and names those there are (it used to say only that
// --village is required).
func TestCLIVillageNeedNotBeNamedWhenThereIsOne(t *testing.T) {
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	gj := filepath.Join(dir, "v.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", gj, "--local")
	one := filepath.Join(dir, "one.db")
	clitest.MustRun(t, "init", "--db", one, "--name", "张庄村警务室")
	_, errs, code := clitest.Run(t, "locate", "--db", one, "203")
	if code != 1 || !strings.Contains(errs, "no village yet") {
		t.Errorf("locate with no village: exit %d, %q", code, errs)
	}
	clitest.MustRun(t, "map", "import", "--db", one, "--village", "张庄村", gj)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"locate", "--db", one, "203", "--json"}, `"number": "203"`},
		{[]string{"route", "--db", one, "--to", "203", "--json"}, `"stop_name": "203号门前"`},
	} {
		if out := clitest.MustRun(t, c.args...); !strings.Contains(out, c.want) {
			t.Errorf("cunjing %v: %s", c.args, out)
		}
	}
	_, errs, code = clitest.Run(t, "locate", "--db", db, "203")
	if code != 2 || !strings.Contains(errs, "villages here: 张庄村, 李家屯") {
		t.Errorf("locate on two villages without --village: exit %d, %q", code, errs)
	}
}
