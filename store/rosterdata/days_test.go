package rosterdata_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
	"cunjing/store/schedule/tally"
)

// A rule's days and hours edited (每周一、五 to 每周一、三、五, 07:00-08:00
// to 07:30-08:30) apply from today on: the weeks before keep the days and
// hours they had, so 完成情况 and the month report count the same planned
// turns for them. Before, the edit rewrote the past.
func TestEditingDaysAndHoursKeepsThePast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 9) // a Wednesday
	monFri := `{"kind":"weekly","weekdays":[1,5]}`
	mwf := `{"kind":"weekly","weekdays":[1,3,5]}`
	type edit struct {
		spec, windows string
		people        bool // take 乙 off the rule
		day           schedule.Date
	}
	for _, c := range []struct {
		name       string
		validFrom  string
		edits      []edit
		past, week string // the slots of 11-30..12-06, and of today's week
		versions   int
	}{
		{"days", "2026-11-01", []edit{{spec: mwf, day: today}},
			"30 07:00 4 07:00", "7 07:00 9 07:00 11 07:00", 1},
		{"hours", "2026-11-01", []edit{{windows: "07:30-08:30", day: today}},
			"30 07:00 4 07:00", "7 07:00 11 07:30", 1},
		{"who stands, then the days the same day", "2026-11-01", []edit{{people: true, day: today}, {spec: mwf, day: today}},
			"30 07:00 4 07:00", "7 07:00 9 07:00 11 07:00", 1},
		{"days twice the same day: the first edit kept the past", "2026-11-01", []edit{{spec: mwf, day: today}, {spec: `{"kind":"daily"}`, day: today}},
			"30 07:00 4 07:00", "7 07:00 9 07:00 10 07:00 11 07:00 12 07:00 13 07:00", 1},
		{"days last week, hours today", "2026-11-01", []edit{{spec: mwf, day: today - 7}, {windows: "07:30-08:30", day: today}},
			"30 07:00 2 07:00 4 07:00", "7 07:00 9 07:30 11 07:30", 2},
		{"the words alone: no version", "2026-11-01", []edit{{spec: `{"kind":"weekly","weekdays":[5,1],"text":"每周一、五"}`, day: today}},
			"30 07:00 4 07:00", "7 07:00 11 07:00", 0},
		{"a rule that begins today has no past", "2026-12-09", []edit{{spec: mwf, day: today}},
			"", "9 07:00 11 07:00", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警")
			a, b := ms[0], ms[1]
			r := &store.ShiftRule{TeamID: team.ID, Name: "护学岗", Kind: schedule.KindSchoolGate, Spec: monFri, Windows: "07:00-08:00",
				People: []string{a.ID, b.ID}, ValidFrom: c.validFrom, Holidays: "keep"}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			plannedBefore := planned(t, s, schedule.DateOf(2026, 11, 30), today-1)
			for _, e := range c.edits {
				if e.spec != "" {
					r.Spec = e.spec
				}
				if e.windows != "" {
					r.Windows = e.windows
				}
				if e.people {
					r.People = r.People[:1]
				}
				if err := rosterdata.SaveKeepingPast(ctx, s, e.day, r); err != nil {
					t.Fatal(err)
				}
				rs, err := s.ShiftRules(ctx)
				if err != nil {
					t.Fatal(err)
				}
				*r = rs[0]
			}
			if got := slotsOf(t, s, schedule.DateOf(2026, 11, 30), schedule.DateOf(2026, 12, 6)); got != c.past {
				t.Errorf("the week before: %s, want %s", got, c.past)
			}
			if got := slotsOf(t, s, today-2, today+4); got != c.week {
				t.Errorf("today's week: %s, want %s", got, c.week)
			}
			if got := planned(t, s, schedule.DateOf(2026, 11, 30), today-1); got != plannedBefore && len(c.edits) == 1 {
				t.Errorf("完成情况 plans %d turns before today, %d before the edit", got, plannedBefore)
			}
			rule, err := rosterdata.ScheduleRule(*r)
			if err != nil || len(rule.Versions) != c.versions {
				t.Errorf("%d versions (%v), want %d: %s", len(rule.Versions), err, c.versions, r.Versions)
			}
		})
	}
}

// slotsOf lists the post's slots of from..to as "day hh:mm".
func slotsOf(t *testing.T, s *store.Store, from, to schedule.Date) string {
	t.Helper()
	in, err := rosterdata.ScheduleInputOf(context.Background(), s, s.DeviceID())
	if err != nil {
		t.Fatal(err)
	}
	sch, err := schedule.Expand(in, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range sch.Slots {
		_, _, d := x.Date.YMD()
		out = append(out, fmt.Sprintf("%d %s", d, x.Start))
	}
	return strings.Join(out, " ")
}

// planned is what 完成情况 counts as planned over from..to.
func planned(t *testing.T, s *store.Store, from, to schedule.Date) int {
	t.Helper()
	f, err := rosterdata.PatrolFigures(context.Background(), s, s.DeviceID(), from, to, tally.EndOf(to), tally.ByWeek)
	if err != nil || len(f.Problems) > 0 {
		t.Fatalf("figures: %v %v", err, f.Problems)
	}
	return f.Planned
}

// A member's leave edited (cleared, cut short, moved) keeps its days
// before today: who stood then, and a rotation's queue since, stay as
// they were; from today on the edit holds. Before, clearing 甲's leave put
// 甲 on the past turns they had been passed over for.
func TestEditingLeaveKeepsThePast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	was := []string{"2026-11-28..2026-12-10"}
	for _, c := range []struct {
		name        string
		leave, want []string
	}{
		{"cleared", nil, []string{"2026-11-28..2026-12-04"}},
		// The same days as one range to 12-04, kept as two meeting at
		// the end typed (keepPastLeave: for ConfirmToday).
		{"cut short, in the past", []string{"2026-11-28..2026-11-30"}, []string{"2026-11-28..2026-11-30", "2026-12-01..2026-12-04"}},
		{"cut short, from today", []string{"2026-11-28..2026-12-06"}, []string{"2026-11-28..2026-12-06"}},
		{"moved later", []string{"2026-12-08..2026-12-09"}, []string{"2026-11-28..2026-12-04", "2026-12-08..2026-12-09"}},
		{"a past day added", []string{"2026-11-21", "2026-11-28..2026-12-10"}, was},
		{"unchanged", was, was},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team := &store.Team{Name: "一队"}
			if err := s.Save(ctx, team); err != nil {
				t.Fatal(err)
			}
			a := &store.Member{TeamID: team.ID, Name: "甲", Role: "民警", Leave: was}
			b := &store.Member{TeamID: team.ID, Name: "乙", Role: "辅警"}
			d := &store.Member{TeamID: team.ID, Name: "丙", Role: "村警"}
			if err := s.Save(ctx, a, b, d); err != nil {
				t.Fatal(err)
			}
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				People: []string{a.ID, b.ID, d.ID}, Rotate: 1, ValidFrom: "2026-11-01"}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			before := standing(t, s, r.ID, today)
			a.Leave = c.leave
			if err := rosterdata.SaveKeepingPast(ctx, s, today, a); err != nil {
				t.Fatal(err)
			}
			ms, err := s.Members(ctx, team.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.ID == a.ID && !slices.Equal(m.Leave, c.want) {
					t.Errorf("leave stored %q, want %q", m.Leave, c.want)
				}
			}
			after := standing(t, s, r.ID, today)
			for day := schedule.DateOf(2026, 11, 20); day < today; day++ {
				if after[day] != before[day] {
					t.Errorf("%s: %s stands after the edit, %s stood before", day, after[day], before[day])
				}
			}
		})
	}
}

// What a rule does on holidays, edited, applies from today on too: a
// patrol that kept 国庆节 and is set to skip public holidays on 10-05
// still planned 10-01..10-04.
func TestEditingHolidayPolicyKeepsThePast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 10, 5)
	for _, c := range []struct {
		name, was, now string
		past, week     string // the slots of 10-01..10-04, and of 10-05..10-09
	}{
		{"keep, then skip public holidays", schedule.HolidaysKeep, schedule.SkipPublic, "1 2 3 4", "8 9"},
		{"skip, then keep", schedule.SkipPublic, schedule.HolidaysKeep, "", "5 6 7 8 9"},
		{"the kind's default written out: no change", "", schedule.DefaultHolidayPolicy(schedule.KindPatrol), "1 2 3 4", "5 6 7 8 9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, ms := saveTeam(t, s, "一队", "甲/民警")
			a := ms[0]
			r := &store.ShiftRule{TeamID: team.ID, Name: "日巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "09:00-10:00",
				People: []string{a.ID}, ValidFrom: "2026-09-01", Holidays: c.was}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			r.Holidays = c.now
			if err := rosterdata.SaveKeepingPast(ctx, s, today, r); err != nil {
				t.Fatal(err)
			}
			days := func(from, to schedule.Date) string {
				got := slotsOf(t, s, from, to)
				return strings.ReplaceAll(got, " 09:00", "")
			}
			if got := days(today-4, today-1); got != c.past {
				t.Errorf("10-01..10-04: %q, want %q", got, c.past)
			}
			if got := days(today, today+4); got != c.week {
				t.Errorf("10-05..10-09: %q, want %q", got, c.week)
			}
		})
	}
}

// A rule's kind, team and start date edited apply from today on, as its
// days and hours do: the past keeps the kind and team its turns had, and
// who stood on them. A start moved later keeps the turns already planned
// (and the patrols that answered them); one moved earlier adds the days
// before and moves no turn after them. Before, each edit rewrote the
// past: last month's turns became market days of 二队, or went.
func TestEditingKindTeamAndStartKeepsThePast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 9)
	// One post for every case (a store takes a tenth of a second to
	// make): each edits a rule of its own.
	s := newTestStore(t, store.RolePost)
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警")
	other, _ := saveTeam(t, s, "二队", "丙/辅警")
	figures := func() string {
		f, err := rosterdata.PatrolFigures(ctx, s, s.DeviceID(), schedule.DateOf(2026, 11, 1), today-1, tally.EndOf(today-1), tally.ByWeek)
		if err != nil || len(f.Problems) > 0 {
			t.Fatalf("figures: %v %v", err, f.Problems)
		}
		out := fmt.Sprintf("planned %d done %d ad hoc %d", f.Planned, f.Done, f.AdHoc)
		for _, row := range f.Rows {
			out += fmt.Sprintf(", %s %s %d", row.Period, row.Team, row.Planned)
		}
		return out
	}
	for _, c := range []struct {
		name string
		edit func(r *store.ShiftRule)
		// past and week: the slots of 11-30..12-06 and of 12-07..12-13
		// as "day kind team people"; early: those of 10-27..10-31.
		past, week, early string
	}{
		{"kind", func(r *store.ShiftRule) { r.Kind = schedule.KindDuty },
			"30 patrol 一队 甲 2 patrol 一队 乙 4 patrol 一队 甲", "7 patrol 一队 乙 9 duty 一队 甲 11 duty 一队 乙", ""},
		{"team", func(r *store.ShiftRule) { r.TeamID = other.ID },
			"30 patrol 一队 甲 2 patrol 一队 乙 4 patrol 一队 甲", "7 patrol 一队 乙 9 patrol 二队 甲 11 patrol 二队 乙", ""},
		{"start later", func(r *store.ShiftRule) { r.ValidFrom = "2026-12-11" },
			"30 patrol 一队 甲 2 patrol 一队 乙 4 patrol 一队 甲", "7 patrol 一队 乙 11 patrol 一队 甲", ""},
		{"start earlier", func(r *store.ShiftRule) { r.ValidFrom = "2026-10-30" },
			"30 patrol 一队 甲 2 patrol 一队 乙 4 patrol 一队 甲", "7 patrol 一队 乙 9 patrol 一队 甲 11 patrol 一队 乙", "30 patrol 一队 甲"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡" + c.name, Kind: schedule.KindPatrol, Spec: `{"kind":"weekly","weekdays":[1,3,5]}`, Windows: "20:00-22:00",
				People: []string{ms[0].ID, ms[1].ID}, Rotate: 1, ValidFrom: "2026-11-02", Holidays: "keep"}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			// 甲 patrolled 12-04 as planned (乙's turn, were the turns
			// counted from 10-30).
			if err := s.Save(ctx, &store.Patrol{TeamID: team.ID, RuleID: r.ID, Date: "2026-12-04", Start: "20:00", End: "22:00", People: []string{ms[0].ID}}); err != nil {
				t.Fatal(err)
			}
			was := figures()
			c.edit(r)
			if err := rosterdata.SaveKeepingPast(ctx, s, today, r); err != nil {
				t.Fatal(err)
			}
			if got := turnsOf(t, s, r.ID, schedule.DateOf(2026, 11, 30), schedule.DateOf(2026, 12, 6)); got != c.past {
				t.Errorf("the week before: %s, want %s", got, c.past)
			}
			if got := turnsOf(t, s, r.ID, today-2, today+4); got != c.week {
				t.Errorf("today's week: %s, want %s", got, c.week)
			}
			if got := turnsOf(t, s, r.ID, schedule.DateOf(2026, 10, 27), schedule.DateOf(2026, 10, 31)); got != c.early {
				t.Errorf("before the start: %s, want %s", got, c.early)
			}
			if now := figures(); now != was {
				t.Errorf("完成情况 of November: %s, was %s", now, was)
			}
		})
	}
}

// turnsOf lists rule's slots of from..to as "day kind team people".
func turnsOf(t *testing.T, s *store.Store, rule string, from, to schedule.Date) string {
	t.Helper()
	in, err := rosterdata.ScheduleInputOf(context.Background(), s, s.DeviceID())
	if err != nil {
		t.Fatal(err)
	}
	sch, err := schedule.Expand(in, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range sch.Slots {
		if x.RuleID == rule {
			_, _, d := x.Date.YMD()
			out = append(out, fmt.Sprintf("%d %s %s %s", d, x.Kind, x.Team, strings.Join(x.People, "、")))
		}
	}
	return strings.Join(out, " ")
}

// A start typed a year too early (2025 for 2026) and put right the same
// day leaves the roster as one edit to the start put right would: the
// second edit of a day changes what the first did, as it does for people
// and days. Before, the first edit added a year of turns before the
// rule's first day (extendStart) and the second could not take them
// back: a year of patrols planned and never done, in the calendar and in
// 完成情况, for good.
func TestStartTypoPutRightTheSameDay(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 9)
	s := newTestStore(t, store.RolePost)
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警", "丙/辅警")
	for _, put := range []string{"2026-11-02", "2026-10-30", "2024-11-02"} {
		t.Run(put, func(t *testing.T) {
			// typo is edited twice, once typed wrong; once only once.
			var typo, once *store.ShiftRule
			for _, r := range []**store.ShiftRule{&typo, &once} {
				*r = &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
					People: []string{ms[0].ID, ms[1].ID, ms[2].ID}, Rotate: 1, ValidFrom: "2026-11-02", Holidays: "keep"}
				if err := s.Save(ctx, *r); err != nil {
					t.Fatal(err)
				}
			}
			for _, from := range []string{"2025-11-02", put} {
				typo.ValidFrom = from
				if err := rosterdata.SaveKeepingPast(ctx, s, today, typo); err != nil {
					t.Fatal(err)
				}
			}
			once.ValidFrom = put
			if err := rosterdata.SaveKeepingPast(ctx, s, today, once); err != nil {
				t.Fatal(err)
			}
			for _, span := range [][2]schedule.Date{{schedule.DateOf(2025, 10, 1), schedule.DateOf(2025, 11, 5)}, {schedule.DateOf(2026, 10, 1), today + 3}} {
				got, want := turnsOf(t, s, typo.ID, span[0], span[1]), turnsOf(t, s, once.ID, span[0], span[1])
				if got != want {
					t.Errorf("%s..%s, the typo put right: %s\nwant (one edit): %s", span[0], span[1], got, want)
				}
			}
		})
	}
}

// A patrol planned with no start date (everyone on it every day) made to
// take turns from today: the turns need a start and the officer gives
// today. The days before keep everyone, as planned then, and the roster
// goes on expanding. Before, the version keeping "no start" made the
// rule's turns count from no day: the whole roster failed (轮班要有开始日期,
// though the rule had one), the calendar, the duty tables and 完成情况
// with it.
func TestRuleWithoutStartMadeToTakeTurns(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 9)
	s := newTestStore(t, store.RolePost)
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警")
	r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
		People: []string{ms[0].ID, ms[1].ID}, Holidays: "keep"}
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.Rotate, r.ValidFrom = 1, today.String()
	if err := rosterdata.SaveKeepingPast(ctx, s, today, r); err != nil {
		t.Fatal(err)
	}
	if got, want := turnsOf(t, s, r.ID, today-2, today+1), "7 patrol 一队 甲、乙 8 patrol 一队 甲、乙 9 patrol 一队 甲 10 patrol 一队 乙"; got != want {
		t.Errorf("around the edit: %s, want %s", got, want)
	}
}

// The start of a rule that has run cleared (从哪天开始 left empty, as a
// plain rule may have it) applies from today as any start moved: the
// days before the rule's first day stay without turns. Before, "no
// start" was a start moved earlier than any day, and the days before
// were added back to no day at all: a patrol planned on every day of
// every past month in the calendar and 完成情况, and a rotation made
// plain that way broke the whole roster (its kept turns counted from no
// day).
func TestStartClearedAddsNoPast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 9)
	s := newTestStore(t, store.RolePost)
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警")
	for _, rotate := range []int64{0, 1} {
		r := &store.ShiftRule{TeamID: team.ID, Name: fmt.Sprint("夜巡", rotate), Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
			People: []string{ms[0].ID, ms[1].ID}, Rotate: rotate, ValidFrom: "2026-11-02", Holidays: "keep"}
		if err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
		was := turnsOf(t, s, r.ID, schedule.DateOf(2026, 11, 2), today-1)
		r.Rotate, r.ValidFrom = 0, ""
		if err := rosterdata.SaveKeepingPast(ctx, s, today, r); err != nil {
			t.Fatal(err)
		}
		if got := turnsOf(t, s, r.ID, schedule.DateOf(2025, 1, 1), schedule.DateOf(2026, 11, 1)); got != "" {
			t.Errorf("rotate %d: before the rule's first day: %.80s…", rotate, got)
		}
		if got := turnsOf(t, s, r.ID, schedule.DateOf(2026, 11, 2), today-1); got != was {
			t.Errorf("rotate %d: from the first day: %s\nwas %s", rotate, got, was)
		}
		if got, want := turnsOf(t, s, r.ID, today, today), "9 patrol 一队 甲、乙"; got != want {
			t.Errorf("rotate %d: today %s, want %s", rotate, got, want)
		}
	}
}

// A member's regular days off (固定休息) set today apply from today: the
// past turns stay as they were and from today the member is passed over
// on those weekdays; set again the same day they replace today's change,
// and a change before today is kept.
func TestDaysOffKeepThePast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5) // a Saturday
	for _, c := range []struct {
		name string
		was  []string
		set  []string // what the form gives: the days in force from today
		want []string
	}{
		{"first set", nil, []string{"2026-12-05:6"}, []string{"2026-12-05:6"}},
		{"changed", []string{"2026-11-01:3"}, []string{"2026-12-05:6"}, []string{"2026-11-01:3", "2026-12-05:6"}},
		{"cleared", []string{"2026-11-01:6"}, []string{"2026-12-05:"}, []string{"2026-11-01:6", "2026-12-05:"}},
		{"the form's stale list", []string{"2026-11-01:3"}, []string{"2026-10-01:6"}, []string{"2026-11-01:3", "2026-12-05:6"}},
		{"unchanged", []string{"2026-11-01:6"}, []string{"2026-11-01:6"}, []string{"2026-11-01:6"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team := &store.Team{Name: "一队"}
			if err := s.Save(ctx, team); err != nil {
				t.Fatal(err)
			}
			a := &store.Member{TeamID: team.ID, Name: "甲", Role: "民警", Off: c.was}
			b := &store.Member{TeamID: team.ID, Name: "乙", Role: "辅警"}
			if err := s.Save(ctx, a, b); err != nil {
				t.Fatal(err)
			}
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				People: []string{a.ID, b.ID}, ValidFrom: "2026-11-01"}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			before := standing(t, s, r.ID, today)
			a.Off = c.set
			if err := rosterdata.SaveKeepingPast(ctx, s, today, a); err != nil {
				t.Fatal(err)
			}
			var got store.Member
			if err := s.Get(ctx, &got, a.ID); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Off, c.want) {
				t.Errorf("days off stored %q, want %q", got.Off, c.want)
			}
			after := standing(t, s, r.ID, today+14)
			for day := schedule.DateOf(2026, 11, 20); day < today; day++ {
				if after[day] != before[day] {
					t.Errorf("%s: %s stands after the edit, %s stood before", day, after[day], before[day])
				}
			}
			in, err := rosterdata.ScheduleMember(got)
			if err != nil {
				t.Fatal(err)
			}
			for day := today; day < today+14; day++ {
				off := slices.Contains(almanac.OffOn(in.Off, day), day.Weekday())
				if strings.Contains(after[day], "甲") == off {
					t.Errorf("%s (%s): 甲 stands %q with days off %q", day, day.Weekday(), after[day], got.Off)
				}
			}
		})
	}
}
