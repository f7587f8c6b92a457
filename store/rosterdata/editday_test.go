package rosterdata_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// An edit applies from the PC's today unless the database has seen a
// later day: this device's own roster edits stamped more than a day
// later by the hybrid logical clock, or a rule's version reaching today.
// Then the PC's clock looks wrong (a flat battery set it to 1999): the
// edit applies from the later day, so it cuts no history, and
// ClockBehind says so. Before, the roster cut the past at the PC's date:
// an edit "from 1999" kept no past at all and rewrote every turn since.
func TestEditDayDoesNotTrustAClockBehind(t *testing.T) {
	ctx := context.Background()
	// The database was kept with the clock right: the tests' today.
	right := clocktest.Today(t)
	wall := right
	s := newTestStoreAt(t, store.RolePost, func() time.Time { return wall })
	today := schedule.FromTime(right)
	r, ms := nightPatrol(t, s, today-30)
	for _, c := range []struct {
		name   string
		pc     time.Time
		day    schedule.Date
		behind bool
	}{
		{"the clock right", right, today, false},
		{"a day later", right.AddDate(0, 0, 1), today + 1, false},
		{"hours behind: within the clock's tolerance", right.Add(-20 * time.Hour), today - 1, false},
		{"years behind", clock.In(time.Date(1999, 6, 1, 9, 0, 0, 0, clock.Zone)), today, true},
		{"a week behind", right.AddDate(0, 0, -7), today, true},
	} {
		d, err := rosterdata.EditDayOf(ctx, s, c.pc)
		if err != nil {
			t.Fatal(err)
		}
		if d.Day != c.day || d.ClockBehind() != c.behind || d.PC != schedule.FromTime(c.pc) {
			t.Errorf("%s: %+v (behind %v), want day %s, behind %v", c.name, d, d.ClockBehind(), c.day, c.behind)
		}
	}

	// The PC's clock falls back to 1999; the officer puts 丙 on instead
	// of 乙. The store's own clock, fed by the PC's, falls back too.
	stood := func() map[schedule.Date]string {
		return standingFrom(t, s, r.ID, today-30, today+5)
	}
	was := stood()
	wall = clock.In(time.Date(1999, 6, 1, 9, 0, 0, 0, clock.Zone))
	d, err := rosterdata.EditDayOf(ctx, s, wall)
	if err != nil {
		t.Fatal(err)
	}
	r.People = []string{ms[0].ID, ms[2].ID}
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, r); err != nil {
		t.Fatal(err)
	}
	now := stood()
	for day := today - 30; day < today; day++ {
		if now[day] != was[day] {
			t.Errorf("%s: %s stands after the edit, %s stood before", day, now[day], was[day])
		}
	}
	if now[today]+now[today+1] != "丙甲" && now[today]+now[today+1] != "甲丙" {
		t.Errorf("from today: %s, %s; want 丙 on", now[today], now[today+1])
	}
	// Another edit, the clock still behind: still from today on, and
	// still said (the edit itself stamped 1999 is not what was seen).
	if d, err := rosterdata.EditDayOf(ctx, s, wall); err != nil || d.Day != today || !d.ClockBehind() {
		t.Errorf("after an edit made with the clock behind: %+v, %v; want %s, behind", d, err, today)
	}
}

// standingFrom is who stood on rule's slots of from..to, by day (names
// joined).
func standingFrom(t *testing.T, s *store.Store, rule string, from, to schedule.Date) map[schedule.Date]string {
	t.Helper()
	out := map[schedule.Date]string{}
	for _, sl := range expandRoster(t, s, from, to).Slots {
		if sl.RuleID == rule {
			for _, n := range sl.People {
				out[sl.Date] += n
			}
		}
	}
	return out
}

// A roster set up once and not edited for weeks, while the patrols it
// plans are logged every day: the PC's clock battery goes flat (1999)
// and the officer edits the rule. The database has seen yesterday (the
// patrol logged then, stamped by the hybrid logical clock), not only the
// roster's last edit weeks ago: the edit applies from no earlier than
// yesterday. Before, it applied from the day of the last roster edit and
// rewrote every turn since (the 40 days 甲 and 乙 had stood).
func TestClockBehindAfterWeeksOfLoggingOnly(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	wall := right.AddDate(0, 0, -40)
	s := newTestStoreAt(t, store.RolePost, func() time.Time { return wall })
	r, ms := nightPatrol(t, s, today-40)
	was := standingFrom(t, s, r.ID, today-40, today-1)
	// Every evening the patrol is logged, the clock right.
	for d := today - 40; d < today; d++ {
		wall = right.AddDate(0, 0, int(d-today)).Add(12*time.Hour + 30*time.Minute) // 22:30
		p := &store.Patrol{TeamID: r.TeamID, RuleID: r.ID, Date: d.String(), Start: "20:00", End: "22:00", People: []string{ms[0].ID}}
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	wall = clock.In(time.Date(1999, 6, 1, 9, 0, 0, 0, clock.Zone))
	d, err := rosterdata.EditDayOf(ctx, s, wall)
	if err != nil {
		t.Fatal(err)
	}
	if d.Day < today-1 || !d.ClockBehind() {
		t.Errorf("edit day %s (behind %v), want from %s at the earliest, behind", d.Day, d.ClockBehind(), today-1)
	}
	r.People = []string{ms[0].ID, ms[2].ID}
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, r); err != nil {
		t.Fatal(err)
	}
	now := standingFrom(t, s, r.ID, today-40, today-1)
	var changed int
	for day := today - 40; day < today-1; day++ {
		if now[day] != was[day] {
			changed++
		}
	}
	if changed > 0 {
		t.Errorf("%d of the 39 days before yesterday rewritten by an edit made with the clock in 1999", changed)
	}
}

// TestEditDaySeesEveryEditOfTheFile: a post that has only kept its
// households since the clock was right (no roster edit, no patrol) has
// still seen those days: the file's clock (store.FileClock), which every
// edit moves, says so, and an edit of the roster with the clock fallen to
// 1999 applies from the day of the last household saved, also after
// writes made with the clock behind. Before, only the roster's own
// records and the last patrols counted: it applied from 1999 (no rule,
// so no version reached today either).
func TestEditDaySeesEveryEditOfTheFile(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	wall := right
	s := newTestStoreAt(t, store.RolePost, func() time.Time { return wall })
	v := &store.Village{Name: "东河村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.Household{VillageID: v.ID, OwnerName: "王建国"}); err != nil {
		t.Fatal(err)
	}
	wall = clock.In(time.Date(1999, 6, 1, 9, 0, 0, 0, clock.Zone))
	for i, write := range []string{"", "a household saved with the clock behind", "another"} {
		if write != "" {
			if err := s.Save(ctx, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("李%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		d, err := rosterdata.EditDayOf(ctx, s, wall)
		if err != nil {
			t.Fatal(err)
		}
		if d.Day != schedule.FromTime(right) || !d.ClockBehind() {
			t.Fatalf("after %q: edit day %+v, want %s and the clock said to be behind", write, d, schedule.FromTime(right))
		}
	}
}

// BenchmarkEditDayOf: the day an edit applies from, on a post's roster of
// 50 teams of 6 with a rule each (400 records): 巡逻排班
// asks it at every refresh and save.
func BenchmarkEditDayOf(b *testing.B) {
	ctx := context.Background()
	right := clocktest.Today(b)
	s := newTestStoreAt(b, store.RolePost, clock.Fixed(right))
	today := schedule.FromTime(right)
	for i := range 50 {
		team, ms := saveTeam(b, s, fmt.Sprintf("%d队", i+1), "甲/民警", "乙/辅警", "丙/村警", "丁/村警", "戊/志愿者", "己/志愿者")
		r := &store.ShiftRule{TeamID: team.ID, Name: fmt.Sprintf("夜巡%d", i+1), Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`,
			Windows: "20:00-22:00", People: []string{ms[0].ID, ms[1].ID}, Rotate: 1, ValidFrom: (today - 30).String()}
		if err := s.Save(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := rosterdata.EditDayOf(ctx, s, right); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConfirmTodayAfterTheClockRanAhead: the PC's year typed wrong (a
// year ahead) for a few days, the roster edited then (乙 left, 丙 on),
// and the clock set right: the database has seen next year, so every
// edit applied from next year and the officer was told their right date
// was wrong, with nothing to do about it. The officer confirms the PC's
// date: edits apply from today again, the crew last saved stands from
// today, and the days before keep who stood.
func TestConfirmTodayAfterTheClockRanAhead(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	wall := right
	s := newTestStoreAt(t, store.RolePost, func() time.Time { return wall })
	today := schedule.FromTime(right)
	r, ms := nightPatrol(t, s, today-30)
	was := standingFrom(t, s, r.ID, today-30, today+5)
	wall = right.AddDate(1, 0, -5)
	d, err := rosterdata.EditDayOf(ctx, s, wall)
	if err != nil {
		t.Fatal(err)
	}
	r.People = []string{ms[0].ID, ms[2].ID}
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, r); err != nil {
		t.Fatal(err)
	}
	wall = right
	if d, err = rosterdata.EditDayOf(ctx, s, right); err != nil || !d.ClockBehind() || d.Day != schedule.FromTime(right.AddDate(1, 0, -5)) {
		t.Fatalf("the clock set right: %+v %v, want the year ahead seen", d, err)
	}
	seen, err := rosterdata.ConfirmToday(ctx, s, right, "zhang", store.UserOfficer, nil)
	if err != nil {
		t.Fatal(err)
	}
	if seen != d.Day {
		t.Errorf("ConfirmToday says the mark stood at %s, want %s", seen, d.Day)
	}
	if d, err = rosterdata.EditDayOf(ctx, s, right); err != nil || d.ClockBehind() || d.Day != today {
		t.Errorf("confirmed: %+v %v, want today %s", d, err, today)
	}
	now := standingFrom(t, s, r.ID, today-30, today+5)
	for day := today - 30; day < today; day++ {
		if now[day] != was[day] {
			t.Errorf("%s: %s stands after confirming, %s stood before", day, now[day], was[day])
		}
	}
	for day := today; day <= today+5; day++ {
		if now[day] == "乙" {
			t.Errorf("%s: 乙, who was taken off, still stands", day)
		}
	}
	if log, err := s.AuditLog(ctx, "", 10); err != nil || len(log) != 1 || log[0].Action != store.AuditClock || log[0].User != "zhang" {
		t.Errorf("audit log %+v %v, want zhang's confirmation", log, err)
	}
}

// nightPatrol saves 一队 (甲, 乙, 丙) and its 夜巡, 甲 and 乙 taking turns
// one a night from the day from: what the edit-day tests edit.
func nightPatrol(t *testing.T, s *store.Store, from schedule.Date) (*store.ShiftRule, []*store.Member) {
	t.Helper()
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警", "丙/村警")
	r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
		People: []string{ms[0].ID, ms[1].ID}, Rotate: 1, ValidFrom: from.String()}
	if err := s.Save(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r, ms
}

// expandRoster is s's roster (ScheduleInput) planned over from..to.
func expandRoster(t *testing.T, s *store.Store, from, to schedule.Date) *schedule.Schedule {
	t.Helper()
	in, err := rosterdata.ScheduleInput(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := schedule.Expand(in, from, to)
	if err != nil {
		t.Fatalf("the roster does not expand: %v", err)
	}
	return sch
}

// TestConfirmTodayMovesAStartFromTheWrongToday: rules created while the
// PC's clock ran a year ahead. One made to start "today" (the day it was
// created, by the wrong clock) kept that start after the officer confirmed
// the real date, so it planned nothing for a year; it now starts on the
// confirmed today. One whose start was typed for another day keeps it,
// and one made before the clock ran ahead keeps its own. Versions kept
// by an edit made while the clock ran ahead of a rule that has not begun
// stood on no day and go (the warning stayed: the day after them was
// still the year ahead).
func TestConfirmTodayMovesAStartFromTheWrongToday(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	s, wall, team, ms := teamOnAMovableClock(t, right)
	rule := func(name string, from schedule.Date) *store.ShiftRule {
		r := &store.ShiftRule{TeamID: team.ID, Name: name, Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
			People: []string{ms[0].ID, ms[1].ID}, Rotate: 1}
		if from != 0 {
			r.ValidFrom = from.String()
		} else {
			r.Rotate = 0 // a rotation needs a start
		}
		return r
	}
	before := rule("早有的夜巡", today+10) // made with the clock right, to start in ten days
	if err := rosterdata.SaveKeepingPast(ctx, s, today, before); err != nil {
		t.Fatal(err)
	}
	ahead := right.AddDate(1, 0, 0)
	wrong := schedule.FromTime(ahead)
	*wall = ahead
	d, err := rosterdata.EditDayOf(ctx, s, ahead)
	if err != nil {
		t.Fatal(err)
	}
	fromToday := rule("夜巡", wrong)  // "from today", by the wrong clock
	typed := rule("春节巡逻", wrong+40) // a start typed for a day to come
	plain := rule("白天巡逻", 0)        // no start: every day
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, fromToday, typed, plain); err != nil {
		t.Fatal(err)
	}
	// Edited two days later, still ahead: 乙 off 夜巡.
	*wall = ahead.AddDate(0, 0, 2)
	if d, err = rosterdata.EditDayOf(ctx, s, *wall); err != nil {
		t.Fatal(err)
	}
	fromToday.People = []string{ms[0].ID, ms[2].ID}
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, fromToday); err != nil {
		t.Fatal(err)
	}
	*wall = right
	if _, err := rosterdata.ConfirmToday(ctx, s, right, "zhang", store.UserOfficer, nil); err != nil {
		t.Fatal(err)
	}
	if d, err := rosterdata.EditDayOf(ctx, s, right); err != nil || d.ClockBehind() {
		t.Errorf("confirmed: %+v %v, want today %s and no warning", d, err, today)
	}
	for _, tc := range []struct {
		r        *store.ShiftRule
		from     schedule.Date
		versions bool
	}{
		{fromToday, today, false},
		{typed, wrong + 40, false},
		{plain, 0, false},
		{before, today + 10, false},
	} {
		var got store.ShiftRule
		if err := s.Get(ctx, &got, tc.r.ID); err != nil {
			t.Fatal(err)
		}
		want := ""
		if tc.from != 0 {
			want = tc.from.String()
		}
		if got.ValidFrom != want || (got.Versions != "" && got.Versions != "[]") != tc.versions {
			t.Errorf("%s: starts %q with versions %q, want %q and versions %v", got.Name, got.ValidFrom, got.Versions, want, tc.versions)
		}
	}
	turns := standingFrom(t, s, fromToday.ID, today, today+3)
	for day := today; day <= today+3; day++ {
		if turns[day] == "" || strings.Contains(turns[day], "乙") {
			t.Errorf("%s: 夜巡 stands %q, want 甲 or 丙 from the confirmed today", day, turns[day])
		}
	}
}

// TestConfirmTodayEndsRulesDeletedOnTheWrongToday: the PC's clock a month
// ahead, the officer deleted rules "from today"; the clock set right and
// the date confirmed, the days up to that wrong "today" never passed, yet
// a deleted rule that had run went on planning them (its end stayed the
// wrong yesterday: turns nobody was to stand, counted as missed), and one
// not begun by the real today planned days from its start. Now the first
// ends yesterday and the second goes; an end typed while the clock ran
// ahead, and a rule deleted with the clock right, stay. Red before: 白天巡逻
// planned 乙 up to the wrong yesterday, 春节巡逻 from its start.
func TestConfirmTodayEndsRulesDeletedOnTheWrongToday(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	s, wall, team, ms := teamOnAMovableClock(t, right)
	rule := func(name string, from, to schedule.Date) *store.ShiftRule {
		r := &store.ShiftRule{TeamID: team.ID, Name: name, Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "09:00-10:00",
			People: []string{ms[1].ID}, ValidFrom: from.String()}
		if to != 0 {
			r.ValidTo = to.String()
		}
		if err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	running := rule("白天巡逻", today-30, 0)
	later := rule("春节巡逻", today+10, 0)
	typed := rule("护学岗", today-30, 0)
	before := rule("旧夜巡", today-30, 0)
	if _, err := rosterdata.DeleteRule(ctx, s, today-5, before.ID); err != nil { // deleted with the clock right
		t.Fatal(err)
	}
	ahead := right.AddDate(0, 1, 0)
	*wall = ahead
	d, err := rosterdata.EditDayOf(ctx, s, ahead)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*store.ShiftRule{running, later} {
		if _, err := rosterdata.DeleteRule(ctx, s, d.Day, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	typed.ValidTo = (today + 60).String() // the term's end, typed while the clock ran ahead
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, typed); err != nil {
		t.Fatal(err)
	}
	*wall = right
	if _, err := rosterdata.ConfirmToday(ctx, s, right, "zhang", store.UserOfficer, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r       *store.ShiftRule
		deleted bool
		to      schedule.Date
	}{
		{running, false, today - 1},
		{later, true, 0},
		{typed, false, today + 60},
		{before, false, today - 6},
	} {
		var got store.ShiftRule
		if err := s.Get(ctx, &got, tc.r.ID); err != nil {
			t.Fatal(err)
		}
		want := ""
		if tc.to != 0 {
			want = tc.to.String()
		}
		if got.Deleted != tc.deleted || !tc.deleted && got.ValidTo != want {
			t.Errorf("%s after confirming: deleted %v, ends %q; want deleted %v, ends %q", got.Name, got.Deleted, got.ValidTo, tc.deleted, want)
		}
	}
	for _, r := range []*store.ShiftRule{running, later} {
		if turns := standingFrom(t, s, r.ID, today, today+31); len(turns) > 0 {
			t.Errorf("%s, deleted, still plans %d days from the confirmed today", r.Name, len(turns))
		}
	}
	if turns := standingFrom(t, s, running.ID, today-30, today-1); len(turns) != 30 {
		t.Errorf("白天巡逻 planned %d of its 30 days before today, want them kept", len(turns))
	}
}

// teamOnAMovableClock is a post whose PC's clock the test moves (*wall,
// right at first) with 一队 (甲, 乙, 丙): the ConfirmToday tests' set-up.
func teamOnAMovableClock(t *testing.T, right time.Time) (*store.Store, *time.Time, *store.Team, []*store.Member) {
	t.Helper()
	wall := right
	s := newTestStoreAt(t, store.RolePost, func() time.Time { return wall })
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警", "丙/村警")
	return s, &wall, team, ms
}

// TestConfirmTodayMovesLeaveAndDaysOffFromTheWrongToday: the PC's clock a
// month ahead, the officer cleared 乙's leave "from today" and moved 丙's
// regular day off from Saturday to Wednesday; the clock set right and the
// date confirmed, the days up to that wrong "today" never passed, yet 乙
// stayed on leave and 丙 kept Saturdays on them (the edits stood only from
// the wrong today). Now both apply from the confirmed today, the days
// before keeping what held then; 甲's leave, typed with the clock right,
// stays. Red before: 乙 on leave to the wrong yesterday, 丙's change on the
// wrong today.
func TestConfirmTodayMovesLeaveAndDaysOffFromTheWrongToday(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	s, wall, _, ms := teamOnAMovableClock(t, right)
	jia, yi, bing := ms[0], ms[1], ms[2]
	jia.Leave = []string{schedule.DateRange{From: today + 2, To: today + 4}.String()}
	yi.Leave = []string{schedule.DateRange{From: today - 3, To: today + 60}.String()}
	bing.Off = []string{(today - 30).String() + ":6"}
	if err := s.Save(ctx, jia, yi, bing); err != nil { // as typed when they began
		t.Fatal(err)
	}
	ahead := right.AddDate(0, 1, 0)
	wrong := schedule.FromTime(ahead)
	*wall = ahead
	d, err := rosterdata.EditDayOf(ctx, s, ahead)
	if err != nil {
		t.Fatal(err)
	}
	yi.Leave = nil                                                           // back early: leave cleared
	bing.Off = []string{(today - 30).String() + ":6", wrong.String() + ":3"} // Wednesdays from "today"
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, yi, bing); err != nil {
		t.Fatal(err)
	}
	*wall = right
	if _, err := rosterdata.ConfirmToday(ctx, s, right, "zhang", store.UserOfficer, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		m          *store.Member
		leave, off []string
	}{
		{jia, []string{schedule.DateRange{From: today + 2, To: today + 4}.String()}, nil},
		{yi, []string{schedule.DateRange{From: today - 3, To: today - 1}.String()}, nil},
		{bing, nil, []string{(today - 30).String() + ":6", today.String() + ":3"}},
	} {
		var got store.Member
		if err := s.Get(ctx, &got, tc.m.ID); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Leave, tc.leave) || !slices.Equal(got.Off, tc.off) {
			t.Errorf("%s after confirming: leave %q, days off %q; want leave %q, days off %q", got.Name, got.Leave, got.Off, tc.leave, tc.off)
		}
	}
	in, err := rosterdata.ScheduleInput(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range in.Members {
		for day := today - 3; day < wrong; day++ {
			off := !m.Available(day)
			want := m.Name == "乙" && day < today || m.Name == "丙" && (day < today && day.Weekday() == time.Saturday || day >= today && day.Weekday() == time.Wednesday) ||
				m.Name == "甲" && day >= today+2 && day <= today+4
			if off != want {
				t.Errorf("%s on %s: away %v, want %v", m.Name, day, off, want)
			}
		}
	}
}

// TestConfirmTodayHeedsWhatThePeersMeasured: the PC's clock fell a month
// behind (a battery, a date typed wrong) ten days after the roster's last
// edit, and the officer, asked which day is today, takes the PC's date:
// the store alone cannot tell it from a clock set right after running
// ahead, and confirmed, every edit would rewrite the month since. The
// station measured this PC's clock a month behind at the last sync: the
// confirmation is refused, saying the station's date, and nothing is
// written; taking the station's date instead (ConfirmStationDate), edits
// apply from it — not from the last edit's day. A measurement that is
// old, or that the latest one contradicts, or none (never synced), leaves
// the officer's word standing. Red before: the PC's date was confirmed
// whatever the station had measured.
func TestConfirmTodayHeedsWhatThePeersMeasured(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	behind := right.AddDate(0, 0, -30)
	month := right.Sub(behind)
	station := func(offset time.Duration, at time.Time) rosterdata.PeerClock {
		return rosterdata.PeerClockOf("城关派出所", store.RoleStation, offset.Milliseconds(), at.UTC().Format(time.RFC3339))
	}
	for _, tc := range []struct {
		name    string
		peers   []rosterdata.PeerClock
		refused bool
	}{
		{"measured a month behind yesterday", []rosterdata.PeerClock{station(month, behind.AddDate(0, 0, -1))}, true},
		{"by another post, an hour ago", []rosterdata.PeerClock{{Name: "西岭警务室", Role: store.RolePost, Offset: month, At: behind.Add(-time.Hour)}}, true},
		{"never synced", []rosterdata.PeerClock{station(0, time.Time{})}, false},
		{"measured two months ago", []rosterdata.PeerClock{station(month, behind.AddDate(0, -2, 0))}, false},
		{"the latest measurement agrees", []rosterdata.PeerClock{station(month, behind.AddDate(0, 0, -3)),
			{Name: "西岭警务室", Role: store.RolePost, At: behind.AddDate(0, 0, -1)}}, false},
		{"within a day", []rosterdata.PeerClock{station(20*time.Hour, behind.AddDate(0, 0, -1))}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, wall, _, _ := teamOnAMovableClock(t, right.AddDate(0, 0, -10))
			*wall = behind
			seen, err := s.HighWater(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = rosterdata.ConfirmToday(ctx, s, behind, "zhang", store.UserOfficer, tc.peers)
			var se *rosterdata.StationDateError
			if refused := errors.As(err, &se); refused != tc.refused || !refused && err != nil {
				t.Fatalf("ConfirmToday: %v; want refused %v", err, tc.refused)
			}
			log, err := s.AuditLog(ctx, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.refused {
				if len(log) != 1 {
					t.Errorf("confirmed: %d audit entries, want 1", len(log))
				}
				return
			}
			if got := schedule.FromTime(se.Today()); got != today || !strings.Contains(se.Error(), "今天应是"+today.String()) {
				t.Errorf("refused saying %q (today %s), want the station's date %s", se.Error(), got, today)
			}
			if h, err := s.HighWater(ctx); err != nil || h != seen || len(log) != 0 {
				t.Errorf("refused, yet the mark moved %s → %s (%v) or %d audit entries written", seen, h, err, len(log))
			}
			// The station's date taken instead: edits apply from it.
			day, err := rosterdata.ConfirmStationDate(ctx, s, behind, "zhang", store.UserOfficer, tc.peers)
			if err != nil || day != today {
				t.Fatalf("ConfirmStationDate: %s %v, want %s", day, err, today)
			}
			if d, err := rosterdata.EditDayOf(ctx, s, behind); err != nil || d.Day != today {
				t.Errorf("after taking the station's date: edits from %+v (%v), want %s", d, err, today)
			}
		})
	}
}

// TestConfirmTodayKeepsALeaveEndTypedWhileTheClockRanAhead: the PC's
// clock five days ahead (the real today D, the wrong one D+5), the
// officer shortened 乙's leave D-10…D+20 to end on a day they typed;
// SaveKeepingPast kept the days before the wrong today as they were (to
// D+4). Confirming D, the days from D never passed: the leave ends on the
// day typed, a date being a date — D+2 stays D+2 —, and a day typed before
// D keeps the real past as it was shown (on leave to D-1). Cleared, it
// ends yesterday (TestConfirmTodayMovesLeaveAndDaysOffFromTheWrongToday).
// Red before: a leave shortened to a day between D and the wrong today
// ended yesterday, the days typed lost; and one shortened to the wrong
// yesterday (D+4) could not be told from a cleared one and ended D-1.
func TestConfirmTodayKeepsALeaveEndTypedWhileTheClockRanAhead(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	d := schedule.FromTime(right)
	for _, tc := range []struct {
		name  string
		typed []string // 乙's leave as typed with the clock 5 days ahead
		last  schedule.Date
	}{
		{"to D+2, between the real and the wrong today", []string{schedule.DateRange{From: d - 10, To: d + 2}.String()}, d + 2},
		{"to D+3, the day before the wrong yesterday", []string{schedule.DateRange{From: d - 10, To: d + 3}.String()}, d + 3},
		{"to the real today", []string{schedule.DateRange{From: d - 10, To: d}.String()}, d},
		{"to the real yesterday", []string{schedule.DateRange{From: d - 10, To: d - 1}.String()}, d - 1},
		{"to a day of the real past: the past stays as shown", []string{schedule.DateRange{From: d - 10, To: d - 3}.String()}, d - 1},
		{"cleared", nil, d - 1},
		{"to a day after the wrong today", []string{schedule.DateRange{From: d - 10, To: d + 8}.String()}, d + 8},
		// The day typed is the wrong yesterday, the very day the cut of a
		// cleared leave ends on: the record says which it was.
		{"to the wrong yesterday", []string{schedule.DateRange{From: d - 10, To: d + 4}.String()}, d + 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, wall, _, ms := teamOnAMovableClock(t, right)
			yi := ms[1]
			yi.Leave = []string{schedule.DateRange{From: d - 10, To: d + 20}.String()}
			if err := s.Save(ctx, yi); err != nil { // typed with the clock right
				t.Fatal(err)
			}
			*wall = right.AddDate(0, 0, 5)
			day, err := rosterdata.EditDayOf(ctx, s, *wall)
			if err != nil {
				t.Fatal(err)
			}
			yi.Leave = tc.typed
			if err := rosterdata.SaveKeepingPast(ctx, s, day.Day, yi); err != nil {
				t.Fatal(err)
			}
			*wall = right
			if _, err := rosterdata.ConfirmToday(ctx, s, right, "zhang", store.UserOfficer, nil); err != nil {
				t.Fatal(err)
			}
			var got store.Member
			if err := s.Get(ctx, &got, yi.ID); err != nil {
				t.Fatal(err)
			}
			rs, err := schedule.ParseLeave(got.Leave)
			if err != nil {
				t.Fatal(err)
			}
			for day := d - 11; day <= d+21; day++ {
				away := slices.ContainsFunc(rs, func(r schedule.DateRange) bool { return r.Contains(day) })
				if want := day >= d-10 && day <= tc.last; away != want {
					t.Errorf("leave %q after confirming: 乙 away on %s %v, want on leave %s…%s", got.Leave, day, away, d-10, tc.last)
					break
				}
			}
		})
	}
}

// TestAMeasurementStaleOnceTheClockWasSet: the PC's clock ran five days
// ahead (edits moved the file's mark there), then was set three days
// behind, and a sync measured it so (the station's clock 3 days ahead of
// this PC's); then the officer set the computer's date right. The mark
// still ahead, 巡逻排班 asks which day is today, and the officer says the
// PC's: the measurement, from before the clock was set, said today was
// the PC's date plus three days — a day that has not come — and refused,
// offering only that wrong date until the next sync. A measurement of a
// clock behind is stale once the PC's clock reads past the peer's time
// when it measured (the clock was set forward since, or that many days
// passed without a sync); one of a clock ahead once the PC's reads more
// than a day before its own then (set back since). Red before: refused,
// offering D+3.
func TestAMeasurementStaleOnceTheClockWasSet(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	today := schedule.FromTime(right)
	behind := right.AddDate(0, 0, -3)
	s, wall, _, _ := teamOnAMovableClock(t, right.AddDate(0, 0, 5))
	measured := []rosterdata.PeerClock{{Name: "城关派出所", Role: store.RoleStation, Offset: right.Sub(behind), At: behind}}
	*wall = right
	if d, err := rosterdata.EditDayOf(ctx, s, right); err != nil || !d.ClockBehind() {
		t.Fatalf("bad case: the mark is not ahead of the PC's date: %+v %v", d, err)
	}
	if day, err := rosterdata.ConfirmToday(ctx, s, right.Add(time.Minute), "zhang", store.UserOfficer, measured); err != nil {
		t.Fatalf("the PC's date, set right after the measurement, refused: %v", err)
	} else if d, err := rosterdata.EditDayOf(ctx, s, right); err != nil || d.Day != today || day != today+5 {
		t.Errorf("confirmed: edits from %s (%v), mark was %s; want from %s, was %s", d.Day, err, day, today, today+5)
	}

	h := time.Hour
	for _, tc := range []struct {
		name    string
		offset  time.Duration // the peer's clock minus this PC's
		since   time.Duration // now minus when it measured, by this PC's clock
		outside bool
	}{
		{"3 days behind, an hour ago", 72 * h, h, true},
		{"3 days behind, 2 days ago", 72 * h, 48 * h, true},
		{"3 days behind, the clock set right since", 72 * h, 72*h + 5*time.Minute, false},
		{"3 days behind, 4 days ago", 72 * h, 96 * h, false},
		{"30 days behind, 10 days ago", 720 * h, 240 * h, true},
		{"3 days ahead, an hour ago", -72 * h, h, true},
		{"3 days ahead, a week ago", -72 * h, 7 * 24 * h, true},
		{"3 days ahead, the clock set right since", -72 * h, -72*h + 5*time.Minute, false},
		{"3 days ahead, 15 days ago", -72 * h, 15 * 24 * h, false},
	} {
		_, outside := rosterdata.OutsideClock([]rosterdata.PeerClock{{Name: "城关派出所", Role: store.RoleStation, Offset: tc.offset, At: right.Add(-tc.since)}}, right)
		if outside != tc.outside {
			t.Errorf("%s: outside %v, want %v", tc.name, outside, tc.outside)
		}
	}
}
