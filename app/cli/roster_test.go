package cli_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
	"cunjing/store"
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

// cunjing roster over a year the holiday calendar does not hold (the app
// ships 2026 and 2027) plans the demo's 护学岗 on 元旦 2028 (Monday
// 2028-01-03, 元旦's day off) as on an ordinary Monday, and says so on
// stderr, with or without --json; within the calendar's years it says
// nothing.
func TestCLIRosterSaysWhenAYearHasNoHolidays(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	out, errs, code := clitest.Run(t, "roster", "--db", db, "--from", "2028-01-03", "--to", "2028-01-03", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var slots []struct{ Kind string }
	if err := json.Unmarshal([]byte(out), &slots); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	gate := 0
	for _, s := range slots {
		if s.Kind == "school_gate" {
			gate++
		}
	}
	if gate == 0 {
		t.Fatalf("bad case: no 护学岗 on Monday 2028-01-03: %s", out)
	}
	if !strings.Contains(errs, "holiday calendar has no") || !strings.Contains(errs, "for 2028") || !strings.Contains(errs, "护学岗") {
		t.Errorf("stderr does not say 2028 has no holidays: %q", errs)
	}
	if _, errs, _ := clitest.Run(t, "roster", "--db", db, "--from", "2027-01-01", "--to", "2027-01-31"); strings.Contains(errs, "holiday calendar has no") {
		t.Errorf("2027 is in the calendar, but: %q", errs)
	}
}

// A post's own 农忙假 for 2028 does not hide that 2028's school calendar
// is missing, and with its 寒假 entered the warning names the 暑假.
func TestCLIRosterSaysWhichSchoolBreakIsMissing(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	for _, c := range []struct {
		name, from, to string
		want           string
	}{
		{"农忙假", "2028-05-29", "2028-06-04", "no school holidays for 2028"},
		{"寒假", "2028-01-22", "2028-02-20", "no school holidays (暑假) for 2028"},
	} {
		clitest.MustRun(t, "holidays", "add", "--db", db, "--name", c.name, "--kind", "school", "--from", c.from, "--to", c.to, "--today", "2027-12-01")
		_, errs, code := clitest.Run(t, "roster", "--db", db, "--from", "2028-03-06", "--to", "2028-03-06")
		if code != 0 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "护学岗") {
			t.Errorf("with %s stored: exit %d, stderr %q, want %q", c.name, code, errs, c.want)
		}
	}
}

// A station whose posts have no roster has nothing planned, and cunjing
// station says so: not "完成 0 / 计划 0（100%）".
func TestCLIStationWithNothingPlanned(t *testing.T) {
	t.Parallel()
	st := filepath.Join(t.TempDir(), "station.db")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	out := clitest.MustRun(t, "station", "--db", st)
	if !strings.Contains(out, "巡逻：没有排班的巡逻，临时巡逻 0 次") || strings.Contains(out, "100%") {
		t.Errorf("cunjing station with nothing planned: %s", out)
	}
}

// cunjing station on a server whose clock reads 23:30 UTC on 28 February
// counts 1 March, the Beijing day it is there (07:30), both
// without --today and with it (the time of day kept is Beijing's: a
// station on a UTC server lagged a day between 00:00 and 08:00).
func TestCLIStationCountsBeijingDays(t *testing.T) {
	t.Parallel()
	st := filepath.Join(t.TempDir(), "station.db")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	opt := store.Options{Now: func() time.Time { return time.Date(2027, 2, 28, 23, 30, 0, 0, time.UTC) }}
	for _, c := range []struct {
		args     []string
		from, to string
	}{
		{nil, "2027-03-01", "2027-03-01"},
		{[]string{"--today", "2026-11-30"}, "2026-11-01", "2026-11-30"},
	} {
		out, errs, code := clitest.RunWith(t, opt, append([]string{"station", "--db", st, "--json"}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		var v struct {
			Plan struct{ From, To string } `json:"total_patrol_plan"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out)
		}
		if v.Plan.From != c.from || v.Plan.To != c.to {
			t.Errorf("%v: counted %s..%s, want %s..%s", c.args, v.Plan.From, v.Plan.To, c.from, c.to)
		}
	}
}
