package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
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

func TestCLIHolidays(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	list := func(year string) []rostercmd.HolidayRow {
		t.Helper()
		var rows []rostercmd.HolidayRow
		if err := json.Unmarshal([]byte(clitest.MustRun(t, "holidays", "list", "--db", db, "--year", year, "--json")), &rows); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := list("2026")
	if len(rows) == 0 || rows[0].Name != "元旦" || rows[0].Confirmed || rows[0].Stored || !strings.Contains(rows[0].Source, "国办发明电〔2025〕7号") {
		t.Fatalf("2026 starts with %+v, want the shipped 元旦, 待核实", rows[0])
	}
	if out := clitest.MustRun(t, "holidays", "confirm", "--db", db, "--year", "2026", "--kind", "public", "--today", "2026-11-24"); !strings.Contains(out, "13 holidays of 2026 confirmed") {
		t.Errorf("confirm: %s", out)
	}
	for _, r := range list("2026") {
		if want := r.Kind != "school"; r.Confirmed != want || r.Stored != want {
			t.Errorf("after confirming public 2026: %+v", r)
		}
	}
	clitest.MustRun(t, "holidays", "add", "--db", db, "--name", "寒假", "--kind", "school", "--from", "2027-01-23", "--to", "2027-02-21", "--source", "县教育局校历", "--confirmed", "--today", "2026-11-24")
	var stored rostercmd.HolidayRow
	for _, r := range list("2027") {
		if r.Kind == "school" && r.Name == "暑假" {
			t.Errorf("the default 2027 暑假 stayed beside the stored school calendar: %+v", r)
		}
		if r.Name == "寒假" {
			stored = r
		}
	}
	if !stored.Stored || stored.From != "2027-01-23" {
		t.Fatalf("stored 寒假: %+v", stored)
	}
	clitest.MustRun(t, "holidays", "delete", "--db", db, "--id", stored.ID)
	if rows := list("2027"); !strings.Contains(rows[1].Name+rows[1].From, "寒假2027-01-16") {
		t.Errorf("after delete the default 寒假 is back: %+v", rows[1])
	}
	for _, bad := range [][]string{
		{"holidays"},
		{"holidays", "add", "--db", db, "--name", "x", "--kind", "party", "--from", "2026-01-01"},
		{"holidays", "confirm", "--db", db},
		{"holidays", "delete", "--db", db, "--id", "default/2026-01-01/public"},
	} {
		if _, _, code := clitest.Run(t, bad...); code != 2 {
			t.Errorf("cunjing %v: exit %d, want 2", bad, code)
		}
	}
}

// TestCLIHolidaysDatedByWhatIsKnownOfTheClock: holidays add --confirmed and
// holidays confirm date the check (checked_on) as the roster knows today
// (rosterdata.TodayState.CheckDay), say which date and why, and refuse
// while the computer's clock is known off and no --today was given: a
// post whose clock the station measured 5 days slow (the station's date
// offered as --today's example), and a post whose date is before what its
// file has seen (confirm-today offered). Once the station's date is taken
// (confirm-today --station-date), the check is dated by it. Red before:
// dated by the computer's date, without a word.
func TestCLIHolidaysDatedByWhatIsKnownOfTheClock(t *testing.T) {
	t.Parallel()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	at := func(tm time.Time) store.Options { return store.Options{Now: clock.Fixed(tm)} }
	now := at(right)
	dir := t.TempDir()
	post, behind, st := filepath.Join(dir, "post.db"), filepath.Join(dir, "behind.db"), filepath.Join(dir, "station.db")
	for db, opt := range map[string]store.Options{post: now, behind: at(right.AddDate(0, 0, 5))} {
		if _, errs, code := clitest.RunWith(t, opt, "init", "--db", db, "--role", "post", "--name", "张庄村警务室"); code != 0 {
			t.Fatalf("init: %s", errs)
		}
	}
	if _, errs, code := clitest.RunWith(t, now, "init", "--db", st, "--role", "station", "--name", "城关派出所"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	y, _, _ := today.YMD()
	year := strconv.Itoa(y + 1)
	add := func(db, name string, flags ...string) []string {
		return append([]string{"holidays", "add", "--db", db, "--name", name, "--kind", "school", "--from", year + "-03-02", "--confirmed"}, flags...)
	}
	checked := func(db, name string) string {
		t.Helper()
		out, errs, code := clitest.RunWith(t, now, "holidays", "list", "--db", db, "--year", year, "--json")
		var rows []rostercmd.HolidayRow
		if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil {
			t.Fatalf("holidays list: exit %d %v %s", code, err, errs)
		}
		for _, r := range rows {
			if r.Name == name {
				return r.CheckedOn
			}
		}
		t.Fatalf("no %s in %s's list", name, db)
		return ""
	}
	type run struct {
		args []string
		code int
		says []string // on stdout (code 0) or stderr
		name string   // the entry whose checked_on is checked ("" none)
		on   string
	}
	check := func(step string, tc run) {
		t.Helper()
		out, errs, code := clitest.RunWith(t, now, tc.args...)
		said := out
		if code != 0 {
			said = errs
		}
		for _, w := range tc.says {
			if code != tc.code || !strings.Contains(said, w) {
				t.Errorf("%s: cunjing %s: exit %d, said %q %q; want exit %d saying %q", step, strings.Join(tc.args, " "), code, out, errs, tc.code, w)
			}
		}
		if tc.name != "" {
			if got := checked(tc.args[3], tc.name); got != tc.on {
				t.Errorf("%s: %s checked on %q, want %q", step, tc.name, got, tc.on)
			}
		}
	}
	day := today.String()
	check("clock right", run{add(post, "农忙假"), 0, []string{"核实日期：" + day + "（电脑的日期）"}, "农忙假", day})

	// The station measured this PC's clock five days slow an hour ago.
	measuredSlow(t, post, st, right.Add(-time.Hour), 5)
	stationDay := (today + 5).String()
	for _, tc := range []run{
		{add(post, "麦收假"), 1, []string{"慢了5天", "今天应是 " + stationDay, "--today " + stationDay}, "", ""},
		{[]string{"holidays", "confirm", "--db", post, "--year", year}, 1, []string{"慢了5天", "--today " + stationDay}, "", ""},
		{add(post, "秋收假", "--today", stationDay), 0, []string{"核实日期：" + stationDay + "（写明的日期）"}, "秋收假", stationDay},
		{[]string{"holidays", "add", "--db", post, "--name", "庙会", "--from", year + "-04-01"}, 0, []string{"saved"}, "庙会", ""}, // not confirmed: no date
	} {
		check("measured slow", tc)
	}
	clitest.MustRun(t, "roster", "confirm-today", "--db", post, "--station-date")
	check("the station's date taken", run{add(post, "麦收假"), 0, []string{"核实日期：" + stationDay + "（派出所的日期", "慢了5天"}, "麦收假", stationDay})

	check("behind what the file saw", run{[]string{"holidays", "confirm", "--db", behind, "--year", year}, 1,
		[]string{"早于这里已经记下的日期", "cunjing roster confirm-today --db " + behind}, "", ""})
}

// measuredSlow pairs db with the station st and has the station measure
// db's clock days slow at the PC's time at.
func measuredSlow(t *testing.T, db, st string, at time.Time, days int) {
	t.Helper()
	clitest.MustRun(t, "pair", "--db", db, clitest.Code(t, st))
	var id struct {
		DeviceID string `json:"device_id"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", st, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db, store.Options{Now: clock.Fixed(at)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SyncBook().SetPeerClock(context.Background(), id.DeviceID, (time.Duration(days) * 24 * time.Hour).Milliseconds(), "hello"); err != nil {
		t.Fatal(err)
	}
}
