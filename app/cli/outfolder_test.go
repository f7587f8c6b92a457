package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

// An output path that is a folder is refused before anything is made,
// saying so, with the usage exit code, and nothing is left in the folder
// or beside it: the commands made the whole file and then said "write
// out.xlsx: rename ./.cunjing-3504496668.part out.xlsx: file exists".
func TestCLIOutputIsAFolder(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		out  string
		args []string
	}{
		{"export households", "台账 out.xlsx", []string{"export", "households", "--db", db}},
		{"map export .geojson", "地图.geojson", []string{"map", "export", "--db", db, "--village", "张庄村", "--local"}},
		{"map export .gpkg", "地图.gpkg", []string{"map", "export", "--db", db, "--village", "张庄村"}},
		{"print roster", "排班.pdf", []string{"print", "roster", "--db", db, "--month", "2026-12"}},
	} {
		out := filepath.Join(dir, c.out)
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		_, stderr, rc := clitest.Run(t, append(c.args, "--out", out)...)
		if rc != 2 || !strings.Contains(stderr, "is a folder") || strings.Contains(stderr, ".part") {
			t.Errorf("%s --out FOLDER: exit %d, %q; want exit 2, is a folder", c.name, rc, stderr)
		}
	}
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if !e.IsDir() {
			t.Errorf("%s left behind", e.Name())
		}
		if in, _ := os.ReadDir(filepath.Join(dir, e.Name())); len(in) > 0 {
			t.Errorf("%s written into %s", in[0].Name(), e.Name())
		}
	}
}
