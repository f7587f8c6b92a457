package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
	"cunjing/app/cli/rostercmd"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/schedule"
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
	if !strings.Contains(out, "巡逻：没有排班的巡逻\n") || strings.Contains(out, "100%") || strings.Contains(out, "临时巡逻 0 次") {
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

// A station holds its posts' rosters side by side. `cunjing roster` and
// `print roster` on its database mixed every post's teams into one, and
// the duty table was titled with the station's name (城关派出所值班表).
// Now they take --post (a name or the device ID's first 7 characters)
// and show that post's roster as the post itself does; without it, or
// naming no post here, they say in Chinese which posts there are (exit
// 2); on a post's database --post may only name the post itself.
func TestCLIRosterAtTheStation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	post := clitest.DemoDB(t)
	stn, west := filepath.Join(dir, "station.db"), filepath.Join(dir, "west.db")
	clitest.MustRun(t, "init", "--db", stn, "--role", "station", "--name", "城关派出所")
	clitest.MustRun(t, "init", "--db", west, "--role", "post", "--name", "西岭警务室")
	clitest.Pair(t, post, stn)
	clitest.Pair(t, west, stn)
	stick := filepath.Join(dir, "stick")
	if err := os.Mkdir(stick, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{post, west, stn} {
		clitest.MustRun(t, "exchange", "--db", db, "--dir", stick)
	}
	var id struct {
		DeviceID string `json:"device_id"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", post, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	short, _, _ := strings.Cut(id.DeviceID, "-")
	days := []string{"--from", "2026-12-01", "--to", "2026-12-07"}
	own := clitest.MustRun(t, append([]string{"roster", "--db", post, "--json"}, days...)...)
	if !strings.Contains(own, "第一巡逻队") {
		t.Fatalf("the demo post's own roster: %s", own)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string // in stdout when exit 0, else stderr
	}{
		{"by name", []string{"--db", stn, "--post", "张庄村警务室", "--json"}, 0, nil},
		{"by device ID", []string{"--db", stn, "--post", short, "--json"}, 0, nil},
		{"without --post", []string{"--db", stn}, 2, []string{"这是派出所的数据库", "--post", "张庄村警务室  --post " + short, "西岭警务室"}},
		{"a post not here", []string{"--db", stn, "--post", "东庄警务室"}, 2, []string{"这里没有警务室「东庄警务室」", "张庄村警务室", "西岭警务室"}},
		{"a post with no roster", []string{"--db", stn, "--post", "西岭警务室", "--json"}, 0, []string{"[]"}},
		{"at a post, itself", []string{"--db", post, "--post", "张庄村警务室", "--json"}, 0, nil},
		{"at a post, another", []string{"--db", post, "--post", "西岭警务室"}, 2, []string{"这是警务室的数据库，只有本警务室的排班"}},
	} {
		out, errs, code := clitest.Run(t, append(append([]string{"roster"}, c.args...), days...)...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", c.name, code, c.code, errs)
			continue
		}
		got := out
		if code != 0 {
			got = errs
		}
		if c.code == 0 && c.want == nil && out != own {
			t.Errorf("%s: not the post's own roster:\n%s\nwant\n%s", c.name, out, own)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.name, got, w)
			}
		}
	}

	// The duty table: the post's, titled and signed with its name.
	pdf := filepath.Join(dir, "duty.pdf")
	_, errs, code := clitest.Run(t, "print", "roster", "--db", stn, "--month", "2026-12", "--out", pdf)
	if code != 2 || !strings.Contains(errs, "请用 --post") {
		t.Errorf("print roster at the station without --post: exit %d %s", code, errs)
	}
	clitest.MustRun(t, "print", "roster", "--db", stn, "--post", "张庄村警务室", "--month", "2026-12", "--out", pdf)
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(text), "张庄村警务室值班表") || strings.Contains(string(text), "城关派出所") || !strings.Contains(string(text), "第一巡逻队") {
			t.Errorf("the station's print of the post's duty table:\n%s", text)
		}
	}
}

// cunjing roster confirm-today is 巡逻排班's question which day is today on
// the command line. A post whose file was last written with the PC's
// clock five days ahead, the clock now set right: `roster` and `print
// roster` say on stderr that edits apply from the later day and what to
// run (and go on); confirm-today takes the PC's date, after which they say
// nothing and a second confirm has nothing to do. When the station
// measured this PC's clock five days slow (and the file had seen a later
// day still, the clock having run ahead before), confirm-today refuses
// (exit 1) saying the station's date and --station-date, which takes it;
// then the warning only says to set the computer's date. --station-date with no
// measurement, and a station's database, are refused. Red before: the
// commands said nothing, and confirm-today was no command.
func TestCLIRosterConfirmToday(t *testing.T) {
	t.Parallel()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	at := func(tm time.Time) store.Options { return store.Options{Now: clock.Fixed(tm)} }
	ahead := at(right.AddDate(0, 0, 5))
	now := at(right)
	dir := t.TempDir()
	post, measured, st := filepath.Join(dir, "post.db"), filepath.Join(dir, "measured.db"), filepath.Join(dir, "station.db")
	// The measured post's clock ran 8 days ahead before it fell 5 behind.
	for db, opt := range map[string]store.Options{post: ahead, measured: at(right.AddDate(0, 0, 8))} {
		if _, errs, code := clitest.RunWith(t, opt, "init", "--db", db, "--role", "post", "--name", "张庄村警务室"); code != 0 {
			t.Fatalf("init: %s", errs)
		}
	}
	if _, errs, code := clitest.RunWith(t, ahead, "init", "--db", st, "--role", "station", "--name", "城关派出所"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	day := today.String()
	xlsx := filepath.Join(dir, "week.xlsx")
	warned := func(db, want, not string) {
		t.Helper()
		for _, args := range [][]string{{"roster", "--db", db, "--from", day, "--to", day}, {"print", "roster", "--db", db, "--week", day, "--out", xlsx}} {
			_, errs, code := clitest.RunWith(t, now, args...)
			if code != 0 || want == "" && errs != "" || want != "" && !strings.Contains(errs, want) || not != "" && strings.Contains(errs, not) {
				t.Errorf("cunjing %s: exit %d, stderr %q; want %q, not %q", strings.Join(args, " "), code, errs, want, not)
			}
		}
	}
	confirm := func(db string, flags ...string) (rostercmd.TodayResult, string, int) {
		t.Helper()
		out, errs, code := clitest.RunWith(t, now, append([]string{"roster", "confirm-today", "--db", db, "--json"}, flags...)...)
		var res rostercmd.TodayResult
		if code == 0 {
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("--json: %v\n%s", err, out)
			}
		}
		return res, errs, code
	}

	warned(post, "cunjing roster confirm-today --db "+post, "")
	if res, errs, code := confirm(post); code != 0 || !res.Confirmed || res.Today != day || res.By != "pc" || !strings.Contains(res.Message, "已确认今天是"+day) {
		t.Fatalf("confirm-today: exit %d %s %+v, want %s confirmed", code, errs, res, day)
	}
	warned(post, "", "")
	if res, _, code := confirm(post); code != 0 || res.Confirmed || !strings.Contains(res.Message, "不用确认") {
		t.Errorf("confirm-today again: exit %d %+v, want nothing to confirm", code, res)
	}
	if _, errs, code := confirm(post, "--station-date"); code != 1 || !strings.Contains(errs, "没有配对的电脑") {
		t.Errorf("--station-date, nothing measured: exit %d %q", code, errs)
	}

	// The station measured this PC's clock five days slow an hour ago.
	measuredSlow(t, measured, st, right.Add(-time.Hour), 5)
	stationDay := (today + 5).String()
	warned(measured, "--station-date", "")
	if _, errs, code := confirm(measured); code != 1 || !strings.Contains(errs, "慢了5天") || !strings.Contains(errs, "今天应是 "+stationDay) ||
		!strings.Contains(errs, "cunjing roster confirm-today --db "+measured+" --station-date") {
		t.Errorf("confirm-today, measured: exit %d %q, want refused naming %s and --station-date", code, errs, stationDay)
	}
	if res, errs, code := confirm(measured, "--station-date"); code != 0 || !res.Confirmed || res.Today != stationDay || res.By != "station" {
		t.Fatalf("--station-date: exit %d %s %+v, want %s", code, errs, res, stationDay)
	}
	warned(measured, "早于这里已经记下的日期", "--station-date")

	if _, errs, code := confirm(st); code != 2 || !strings.Contains(errs, "派出所的数据库") {
		t.Errorf("confirm-today at a station: exit %d %q, want a usage error", code, errs)
	}
}

// TestCLIPrintRosterDefaultsToThisMonth: `print roster` with neither
// --month nor --week prints this month as the roster knows today, and
// says which (it used to refuse); on a PC whose date is before what the
// file has seen, the later month.
func TestCLIPrintRosterDefaultsToThisMonth(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 12, 7, 10, 0, 0, 0, clock.Zone)
	for _, c := range []struct {
		name  string
		pc    time.Time
		month string
	}{
		{"the PC's date", day, "2026-12"},
		{"a PC set back a year", day.AddDate(-1, 0, 0), "2026-12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "post.db")
			if _, errs, code := clitest.RunWith(t, store.Options{Now: clock.Fixed(day)}, "init", "--db", db, "--role", "post", "--name", "张庄村警务室"); code != 0 {
				t.Fatalf("init: %s", errs)
			}
			pdf := filepath.Join(t.TempDir(), "r.pdf")
			_, errs, code := clitest.RunWith(t, store.Options{Now: clock.Fixed(c.pc)}, "print", "roster", "--db", db, "--out", pdf)
			if code != 0 || !strings.Contains(errs, "printing "+c.month) {
				t.Fatalf("exit %d, stderr %q; want %s printed", code, errs, c.month)
			}
			if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
				t.Fatalf("no PDF: %v", err)
			}
		})
	}
}
