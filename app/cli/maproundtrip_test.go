package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
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
