package cli_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

// print roster --week prints the Monday-to-Sunday week holding the date;
// --month and --week exclude each other.
func TestCLIPrintRosterWeek(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	pdf := filepath.Join(t.TempDir(), "week.pdf")
	clitest.MustRun(t, "print", "roster", "--db", db, "--week", "2026-12-09", "--out", pdf) // a Wednesday
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		for _, want := range []string{"2026年12月7日–13日", "12月7日", "12月13日"} {
			if !strings.Contains(text, want) {
				t.Errorf("week table lacks %q", want)
			}
		}
		for _, not := range []string{"12月6日", "12月14日"} {
			if strings.Contains(text, not) {
				t.Errorf("week table has %q, outside the week", not)
			}
		}
	}
	// Sunday belongs to the week before it, Monday starts one.
	for day, want := range map[string]string{"2026-12-13": "2026年12月7日–13日", "2026-12-14": "2026年12月14日–20日"} {
		p := filepath.Join(t.TempDir(), "w.pdf")
		clitest.MustRun(t, "print", "roster", "--db", db, "--week", day, "--out", p)
		if _, err := exec.LookPath("pdftotext"); err != nil {
			continue
		}
		out, _ := exec.Command("pdftotext", "-layout", p, "-").Output()
		if !strings.Contains(string(out), want) {
			t.Errorf("--week %s: the table is not for %s", day, want)
		}
	}
	out := filepath.Join(t.TempDir(), "x.pdf")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--month", "2026-12", "--week", "2026-12-09"}, "either --month"},
		{nil, "either --month"},
		{[]string{"--week", "2026-12-32"}, "--week"},
		{[]string{"--week", "12/09"}, "--week"},
	} {
		args := append([]string{"print", "roster", "--db", db, "--out", out}, c.args...)
		_, errs, code := clitest.Run(t, args...)
		if code != 2 || !strings.Contains(errs, c.msg) {
			t.Errorf("cunjing %v: exit %d %q, want usage error with %q", args, code, errs, c.msg)
		}
	}
}
