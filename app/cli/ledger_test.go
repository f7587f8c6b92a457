package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestCLILedger(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()

	// Export masked, then import it back: nothing changes.
	xlsx := filepath.Join(dir, "台账.xlsx")
	if out := clitest.MustRun(t, "export", "households", "--db", db, "--out", xlsx); !strings.Contains(out, "households") {
		t.Fatalf("export said %q", out)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "import", "households", "--db", db, xlsx, "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rows", "added", "updated", "skipped"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("import --json lacks %q", k)
		}
	}
	if rep["added"].(float64) != 0 || rep["updated"].(float64) != 0 || len(rep["skipped"].([]any)) != 0 || rep["rows"].(float64) < 800 {
		t.Errorf("re-importing the export: %v", rep)
	}

	// A new GBK ledger: --dry-run reports and saves nothing; the real
	// run adds; the skipped row is named.
	csv, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("户主姓名,门牌号,姓名,与户主关系,身份证号\n新来户,900,新来户,户主,11010519491231002X\n新来户,900,孙悟空,子,11010519491231002Y\n"))
	file := filepath.Join(dir, "new.csv")
	if err := os.WriteFile(file, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	before := clitest.MustRun(t, "info", "--db", db, "--json")
	dry := clitest.MustRun(t, "import", "households", "--db", db, file, "--village", "张庄村", "--dry-run", "--json")
	if clitest.MustRun(t, "info", "--db", db, "--json") != before {
		t.Fatal("--dry-run changed the database")
	}
	real := clitest.MustRun(t, "import", "households", "--db", db, file, "--village", "张庄村", "--json")
	var d, r struct {
		Rows    int `json:"rows"`
		Added   int `json:"added"`
		Skipped []struct {
			Row    int    `json:"row"`
			Reason string `json:"reason"`
		} `json:"skipped"`
		Committed bool `json:"committed"`
	}
	if err := json.Unmarshal([]byte(dry), &d); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(real), &r); err != nil {
		t.Fatal(err)
	}
	if d.Committed || !r.Committed || d.Added != 1 || r.Added != 1 || r.Rows != 2 || len(r.Skipped) != 1 || r.Skipped[0].Row != 3 || !strings.Contains(r.Skipped[0].Reason, "check character") {
		t.Fatalf("dry %+v, real %+v", d, r)
	}

	// The per-house sheet of the new household.
	pdf := filepath.Join(dir, "900.pdf")
	clitest.MustRun(t, "print", "sheet", "--db", db, "--village", "张庄村", "--house", "900", "--out", pdf)
	data, err := os.ReadFile(pdf)
	if err != nil || !strings.HasPrefix(string(data), "%PDF") {
		t.Fatalf("sheet PDF: %v", err)
	}

	// Bad input: a file refused as a whole, a missing village, usage.
	bad := filepath.Join(dir, "old.xls")
	if err := os.WriteFile(bad, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := clitest.Run(t, "import", "households", "--db", db, bad); code != 1 || !strings.Contains(errs, ".xlsx") {
		t.Errorf("an .xls: exit %d, %q", code, errs)
	}
	if _, errs, code := clitest.Run(t, "import", "households", "--db", db, file); code != 2 || !strings.Contains(errs, "--village") {
		t.Errorf("no village with two villages: exit %d, %q", code, errs)
	}
	if _, _, code := clitest.Run(t, "export", "households", "--db", db); code != 2 {
		t.Errorf("export without --out: exit %d", code)
	}
	if _, _, code := clitest.Run(t, "print", "sheet", "--db", db, "--village", "张庄村", "--house", "no-such", "--out", pdf); code != 1 {
		t.Errorf("an unknown house: exit %d", code)
	}
}
