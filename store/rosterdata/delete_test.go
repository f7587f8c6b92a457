package rosterdata_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// A member who left is deleted and the roster goes on: the rules that
// listed them go on without them from today, the days before keep them
// (on their turns and on a swap they made), and a rule that would be left
// with nobody, or short of its rotation, refuses the deletion and names
// itself. A team rules draw on is refused likewise. Before, the deletion
// went through and every rule listing the member failed the whole roster
// ("unknown member"): the calendar, the duty tables and the emergency
// card's on-duty with it.
func TestDeleteMemberKeepsTheRosterWorking(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	s := newTestStore(t, store.RolePost)
	team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警", "丙/村警")
	a, b, c := ms[0], ms[1], ms[2]
	rule := func(name string, people []string, rotate int64) *store.ShiftRule {
		return &store.ShiftRule{TeamID: team.ID, Name: name, Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
			People: people, Rotate: rotate, ValidFrom: "2026-11-20"}
	}
	night := rule("夜巡", []string{a.ID, b.ID}, 1)
	alone := rule("甲的早班", []string{a.ID}, 0)
	pair := rule("两人一班", []string{a.ID, c.ID}, 2)
	if err := s.Save(ctx, night, alone, pair); err != nil {
		t.Fatal(err)
	}
	// 甲 and 乙 swapped turns on 11-30 and 12-01 (a past swap names 甲).
	// 丙, on no rule of theirs, stood 乙's turns of 11-21..11-29 in.
	stoodIn := schedule.Exception{Name: "丙替乙", Action: schedule.Replace, Dates: &schedule.DateRange{From: schedule.DateOf(2026, 11, 21), To: schedule.DateOf(2026, 11, 29)},
		Rules: []string{night.ID}, Person: b.ID, Substitute: c.ID}
	for _, x := range append(schedule.Swap("swap", night.ID, a.ID, schedule.DateOf(2026, 11, 30), b.ID, schedule.DateOf(2026, 12, 1)), stoodIn) {
		spec, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Save(ctx, &store.ShiftException{Name: x.Name, Spec: string(spec)}); err != nil {
			t.Fatal(err)
		}
	}
	before := standing(t, s, night.ID, today)

	var ne *rosterdata.NeededError
	err := rosterdata.DeleteMember(ctx, s, today, a.ID)
	if !errors.As(err, &ne) || ne.Member != "甲" || !slices.Equal(ne.Rules, []string{"两人一班", "甲的早班"}) {
		t.Fatalf("deleting the last person of a rule: %v, want a NeededError naming 两人一班 and 甲的早班", err)
	}
	if ms, _ := s.Members(ctx, ""); len(ms) != 3 {
		t.Fatalf("a refused deletion deleted: %d members", len(ms))
	}
	if err := rosterdata.DeleteTeam(ctx, s, today, team.ID); !errors.As(err, &ne) || ne.Team != "一队" || len(ne.Rules) != 3 {
		t.Fatalf("deleting a team rules draw on: %v", err)
	}

	for _, r := range []*store.ShiftRule{alone, pair} {
		if err := rosterdata.DeleteKeepingPast(ctx, s, today, &store.ShiftRule{}, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := rosterdata.DeleteMember(ctx, s, today, a.ID); err != nil {
		t.Fatalf("deleting 甲 once no rule needs them alone: %v", err)
	}
	// 丙 leaves too (the rule 两人一班 is gone: they are on no rule).
	if err := rosterdata.DeleteMember(ctx, s, today, c.ID); err != nil {
		t.Fatalf("deleting 丙: %v", err)
	}
	after := standing(t, s, night.ID, today)
	for d := schedule.DateOf(2026, 11, 20); d <= today+6; d++ {
		switch {
		case d < today && after[d] != before[d]:
			t.Errorf("%s: %s stands after the deletion, %s stood before", d, after[d], before[d])
		case d >= today && after[d] != "乙":
			t.Errorf("%s: %q stands, want 乙 alone from today", d, after[d])
		}
	}
	if before[schedule.DateOf(2026, 12, 1)] != "甲" || before[schedule.DateOf(2026, 11, 21)] != "丙" {
		t.Errorf("the swap and the stand-in: 12-01 was %s's, 11-21 %s's before", before[schedule.DateOf(2026, 12, 1)], before[schedule.DateOf(2026, 11, 21)])
	}
}

// standing is who stands on rule ruleID each day from 2026-11-20 to a
// week after today, by the post's ScheduleInput (names joined).
func standing(t *testing.T, s *store.Store, ruleID string, today schedule.Date) map[schedule.Date]string {
	t.Helper()
	return standingFrom(t, s, ruleID, schedule.DateOf(2026, 11, 20), today+6)
}

// Deleting a rule that has run ends it yesterday, so the days it planned
// stay (a 护学岗 rule deleted at the end of a term took the term's planned
// turns out of 完成情况 and the month report); one that has not begun, or
// has ended, goes.
func TestDeleteRuleKeepsItsPast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name     string
		from, to string
		ended    bool   // kept, ending yesterday
		validTo  string // after, when kept
		later    string // the start moved to, on 12-01, before
	}{
		{"running since November", "2026-11-01", "", true, "2026-12-04", ""},
		{"running with an end next month", "2026-11-01", "2027-01-15", true, "2026-12-04", ""},
		{"no start date", "", "", true, "2026-12-04", ""},
		{"begins today", "2026-12-05", "", false, "", ""},
		{"begins next week", "2026-12-12", "", false, "", ""},
		{"ended last week", "2026-11-01", "2026-11-28", false, "", ""},
		{"its start moved to next month on 12-01", "2026-11-01", "", true, "2026-11-30", "2027-01-04"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, ms := saveTeam(t, s, "一队", "甲/民警")
			a := ms[0]
			r := &store.ShiftRule{TeamID: team.ID, Name: "护学岗", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "07:00-08:00",
				People: []string{a.ID}, ValidFrom: c.from, ValidTo: c.to}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			if c.later != "" {
				r.ValidFrom = c.later
				if err := rosterdata.SaveKeepingPast(ctx, s, schedule.DateOf(2026, 12, 1), r); err != nil {
					t.Fatal(err)
				}
			}
			before := standing(t, s, r.ID, today)
			ended, err := rosterdata.DeleteRule(ctx, s, today, r.ID)
			if err != nil || ended != c.ended {
				t.Fatalf("DeleteRule: ended %v, %v; want ended %v", ended, err, c.ended)
			}
			rs, err := s.ShiftRules(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !c.ended {
				if len(rs) != 0 {
					t.Fatalf("the rule is still there: %+v", rs)
				}
				return
			}
			if len(rs) != 1 || rs[0].ValidTo != c.validTo || !rosterdata.RuleEnded(rs[0], today) {
				t.Fatalf("rules after: %+v, want one ending %s", rs, c.validTo)
			}
			after := standing(t, s, r.ID, today)
			for d := schedule.DateOf(2026, 11, 20); d <= today+6; d++ {
				want := before[d]
				if d >= today {
					want = ""
				}
				if after[d] != want {
					t.Errorf("%s: %q stands, want %q", d, after[d], want)
				}
			}
		})
	}
}

// A rule that ended before today does not stop a member who stood on it
// from being deleted (it plans no day from today), and keeps them on its
// days afterwards.
func TestDeleteMemberOfARuleThatEnded(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	s := newTestStore(t, store.RolePost)
	team, ms := saveTeam(t, s, "一队", "甲/民警")
	a := ms[0]
	autumn := &store.ShiftRule{TeamID: team.ID, Name: "秋季护学岗", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "07:00-08:00",
		People: []string{a.ID}, ValidFrom: "2026-11-20", ValidTo: "2026-11-30"}
	if err := s.Save(ctx, autumn); err != nil {
		t.Fatal(err)
	}
	before := standing(t, s, autumn.ID, today)
	if err := rosterdata.DeleteMember(ctx, s, today, a.ID); err != nil {
		t.Fatalf("deleting 甲, on a rule that ended: %v", err)
	}
	after := standing(t, s, autumn.ID, today)
	if len(before) != 11 || !maps.Equal(after, before) {
		t.Errorf("the ended rule's days: %v after, %v before", after, before)
	}
}

// A member moved to another team leaves the team-wide rotations of their
// old team as a member who left does: one that could no longer fill a
// turn refuses the move, naming itself (the calendar, the duty tables and
// the emergency card's on-duty said 排班没能展开 from then on), and a rule
// left short that way before (a move merged from another copy) can be
// mended the next day: its version keeps no turn bigger than its crew.
// Red before: the move went through (roster failed), and the mended rule
// failed for ever (version: rotate 2 for 1 people).
func TestMovingAMemberKeepsTheRosterWorking(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name    string
		members int   // in the rule's team
		rotate  int64 // people a turn of the team-wide rule
		direct  bool  // moved without the check (merged), mended the next day
		refused bool
	}{
		{"a turn of two, two in the team", 2, 2, false, true},
		{"a turn of two, three in the team", 3, 2, false, false},
		{"a turn of one, one left", 2, 1, false, false},
		{"moved by a merge, mended next day", 2, 2, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, other := &store.Team{Name: "一队"}, &store.Team{Name: "二队"}
			if err := s.Save(ctx, team, other); err != nil {
				t.Fatal(err)
			}
			var ms []*store.Member
			for _, n := range []string{"甲", "乙", "丙"}[:c.members] {
				m := &store.Member{TeamID: team.ID, Name: n, Role: "辅警"}
				if err := s.Save(ctx, m); err != nil {
					t.Fatal(err)
				}
				ms = append(ms, m)
			}
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				Rotate: c.rotate, ValidFrom: "2026-11-20"}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			moved := *ms[len(ms)-1]
			moved.TeamID = other.ID
			var err error
			if c.direct {
				err = s.Save(ctx, &moved)
			} else {
				err = rosterdata.SaveKeepingPast(ctx, s, today, &moved)
			}
			var ne *rosterdata.NeededError
			if c.refused {
				if !errors.As(err, &ne) || ne.Member != moved.Name || !ne.Move || !slices.Equal(ne.Rules, []string{"夜巡"}) {
					t.Fatalf("moving %s: %v (%+v), want refused by 夜巡", moved.Name, err, ne)
				}
				if ms, err := s.Members(ctx, team.ID); err != nil || len(ms) != c.members {
					t.Errorf("%d members left in the team (%v)", len(ms), err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			day := today
			if c.direct {
				// The next day the officer mends the rule: one a turn.
				day = today + 1
				r.Rotate = 1
				if err := rosterdata.SaveKeepingPast(ctx, s, day, r); err != nil {
					t.Fatal(err)
				}
			}
			in, err := rosterdata.ScheduleInput(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := schedule.Expand(in, day, day+10); err != nil {
				t.Errorf("the roster does not expand: %v", err)
			}
		})
	}
}

// A member who stood only on rules that have ended (a 护学岗 rule
// deleted at the end of term ends yesterday: DeleteRule) can be deleted:
// those rules plan no day from today, so nothing needs them; their days
// keep the member under their name. Red before: the deletion was refused
// (还不能删除, naming the ended rule), and the officer could only go on
// by deleting the ended rule's whole term from the figures.
func TestDeletingSomeoneOnlyAnEndedRuleHad(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name   string
		list   bool // the rule lists 钱 alone (else draws on the team)
		rotate int64
	}{
		{"listed alone", true, 0},
		{"listed alone, taking turns", true, 1},
		{"a team of two, two a turn", false, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, ms := saveTeam(t, s, "护学队", "钱村警/村警", "李辅警/辅警")
			qian := ms[0] // 李辅警 is the second of the team
			r := &store.ShiftRule{TeamID: team.ID, Name: "秋季护学岗", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "07:00-08:00",
				Rotate: c.rotate, ValidFrom: "2026-09-01"}
			if c.list {
				r.People = []string{qian.ID}
			}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			// The term ended: the rule was deleted (ends the day before).
			if ended, err := rosterdata.DeleteRule(ctx, s, today-5, r.ID); err != nil || !ended {
				t.Fatalf("ending the rule: %v %v", ended, err)
			}
			stood := func() []string {
				t.Helper()
				sch := expandRoster(t, s, schedule.DateOf(2026, 9, 1), today+10)
				var out []string
				for _, sl := range sch.Slots {
					out = append(out, sl.Date.String()+":"+strings.Join(sl.People, "、"))
				}
				return out
			}
			was := stood()
			if err := rosterdata.DeleteMember(ctx, s, today, qian.ID); err != nil {
				t.Fatalf("deleting 钱村警: %v", err)
			}
			if got := stood(); !slices.Equal(got, was) {
				t.Errorf("the ended rule's days after the deletion:\n%v\nwere\n%v", got, was)
			}
		})
	}
}

// A member who leaves stands on no day from today on, a swap or a
// stand-in arranged before they left included: those days go back to
// whom the rule puts on them, and the days before today keep the swap.
// Red before: the deleted member stood on the swapped and stood-in days
// after they left (the schedule knew them by their last name).
func TestLeaverStandsOnNoDayAfter(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name string
		excs func(night string, a, b, c string) []schedule.Exception
	}{
		{"swapped a turn next week", func(night, a, b, c string) []schedule.Exception {
			return schedule.Swap("swap", night, a, today+2, c, today+3)
		}},
		{"stands in for a week from before today", func(night, a, b, c string) []schedule.Exception {
			return []schedule.Exception{{Name: "丙替乙", Action: schedule.Replace, Dates: &schedule.DateRange{From: today - 3, To: today + 6},
				Rules: []string{night}, Person: b, Substitute: c}}
		}},
		{"stands in from next week", func(night, a, b, c string) []schedule.Exception {
			return []schedule.Exception{{Name: "丙替乙", Action: schedule.Replace, Dates: &schedule.DateRange{From: today + 2, To: today + 4},
				Rules: []string{night}, Person: b, Substitute: c}}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// run sets the roster up, with the swap or stand-in or without,
			// and deletes 丙 today: who stands before and after.
			run := func(arrange bool) (arranged, after map[schedule.Date]string) {
				s := newTestStore(t, store.RolePost)
				team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警", "丙/村警")
				a, b, cc := ms[0], ms[1], ms[2]
				night := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
					People: []string{a.ID, b.ID, cc.ID}, Rotate: 1, ValidFrom: "2026-11-20"}
				if err := s.Save(ctx, night); err != nil {
					t.Fatal(err)
				}
				if arrange {
					for _, x := range c.excs(night.ID, a.ID, b.ID, cc.ID) {
						spec, err := json.Marshal(x)
						if err != nil {
							t.Fatal(err)
						}
						if err := s.Save(ctx, &store.ShiftException{Name: x.Name, Spec: string(spec)}); err != nil {
							t.Fatal(err)
						}
					}
				}
				arranged = standing(t, s, night.ID, today)
				if err := rosterdata.DeleteMember(ctx, s, today, cc.ID); err != nil {
					t.Fatal(err)
				}
				return arranged, standing(t, s, night.ID, today)
			}
			_, plain := run(false)
			arranged, after := run(true)
			for d := schedule.DateOf(2026, 11, 20); d <= today+6; d++ {
				switch {
				case d < today && after[d] != arranged[d]:
					t.Errorf("%s (before today): %s stands, %s stood", d, after[d], arranged[d])
				case d >= today && after[d] != plain[d]:
					t.Errorf("%s: %s stands after 丙 left, the rule puts %s on it", d, after[d], plain[d])
				}
			}
		})
	}
}

// Deleting a team deletes its members as DeleteMember does: a rule of
// another team that lists one of them goes on without them from today
// and keeps them on the days before, and one that would be left with
// nobody refuses the deletion, naming itself. Red before: the members
// went with no rule touched, so a rule listing only them failed the whole
// roster (everyone listed was deleted) and one listing them with others
// lost their past turns.
func TestDeleteTeamKeepsOtherTeamsRules(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name    string
		both    bool // the rule lists 甲 of its own team and 乙 of the team deleted
		refused bool
	}{
		{"a rule lists one of the team with its own", true, false},
		{"a rule lists only one of the team", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			own, gone := &store.Team{Name: "警务室"}, &store.Team{Name: "巡逻队"}
			if err := s.Save(ctx, own, gone); err != nil {
				t.Fatal(err)
			}
			a := &store.Member{TeamID: own.ID, Name: "甲", Role: "民警"}
			b := &store.Member{TeamID: gone.ID, Name: "乙", Role: "辅警"}
			if err := s.Save(ctx, a, b); err != nil {
				t.Fatal(err)
			}
			people := []string{b.ID}
			if c.both {
				people = []string{a.ID, b.ID}
			}
			night := &store.ShiftRule{TeamID: own.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				People: people, Rotate: 1, ValidFrom: "2026-11-20"}
			if err := s.Save(ctx, night); err != nil {
				t.Fatal(err)
			}
			before := standing(t, s, night.ID, today)
			err := rosterdata.DeleteTeam(ctx, s, today, gone.ID)
			if c.refused {
				var ne *rosterdata.NeededError
				if !errors.As(err, &ne) || ne.Team != "巡逻队" || !slices.Equal(ne.Rules, []string{"夜巡"}) {
					t.Fatalf("deleting 巡逻队: %v, want refused naming 夜巡", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			after := standing(t, s, night.ID, today)
			for d := schedule.DateOf(2026, 11, 20); d <= today+6; d++ {
				switch {
				case d < today && after[d] != before[d]:
					t.Errorf("%s (before today): %s stands, %s stood", d, after[d], before[d])
				case d >= today && c.both && after[d] != "甲":
					t.Errorf("%s: %s stands, want 甲 alone", d, after[d])
				}
			}
		})
	}
}

// Deleting a rule that goes (not begun, or ended before today) takes it
// out of the swaps and stand-ins that name it: one for that rule alone
// goes with it, one for others too stays for them. Red before: the
// exception named a rule that was gone and the whole roster failed
// (排班没能展开: unknown rule), every other rule's days with it.
func TestDeleteRuleTakesItOutOfExceptions(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name     string
		from, to string
		both     bool // the stand-in is for the other rule too
	}{
		{"begins next week, its swap", "2026-12-12", "", false},
		{"ended last week, its stand-in", "2026-11-01", "2026-11-28", false},
		{"begins next week, a stand-in for both rules", "2026-12-12", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, ms := saveTeam(t, s, "一队", "甲/民警", "乙/辅警")
			a, b := ms[0], ms[1]
			gate := &store.ShiftRule{TeamID: team.ID, Name: "护学岗", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "07:00-08:00",
				People: []string{a.ID}, ValidFrom: c.from, ValidTo: c.to}
			night := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				People: []string{a.ID}, ValidFrom: "2026-11-01"}
			if err := s.Save(ctx, gate, night); err != nil {
				t.Fatal(err)
			}
			rules := []string{gate.ID}
			if c.both {
				rules = append(rules, night.ID)
			}
			x := schedule.Exception{Name: "乙替甲", Action: schedule.Replace, Dates: &schedule.DateRange{From: schedule.DateOf(2026, 11, 20), To: today + 10},
				Rules: rules, Person: a.ID, Substitute: b.ID}
			spec, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Save(ctx, &store.ShiftException{Name: x.Name, Spec: string(spec)}); err != nil {
				t.Fatal(err)
			}
			before := standing(t, s, night.ID, today)
			if ended, err := rosterdata.DeleteRule(ctx, s, today, gate.ID); err != nil || ended {
				t.Fatalf("DeleteRule: ended %v, %v", ended, err)
			}
			if after := standing(t, s, night.ID, today); !maps.Equal(after, before) {
				t.Errorf("夜巡 after deleting 护学岗:\n%v\nwas\n%v", after, before)
			}
		})
	}
}

// A member who leaves keeps, on the days before, the leave they had: the
// turns the rotation passed them over for stay as they were. Red before:
// the deleted member was known by their name alone, so on their past
// leave days they stood, and every turn after moved.
func TestLeaverKeepsTheirPastLeave(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name string
		list bool
	}{{"listed", true}, {"team-wide", false}} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team := &store.Team{Name: "一队"}
			if err := s.Save(ctx, team); err != nil {
				t.Fatal(err)
			}
			var ids []string
			var ms []*store.Member
			for _, n := range []string{"丙", "乙", "甲"} {
				m := &store.Member{TeamID: team.ID, Name: n, Role: "辅警"}
				if n == "丙" {
					m.Leave = []string{"2026-11-24..2026-11-27"}
				}
				if err := s.Save(ctx, m); err != nil {
					t.Fatal(err)
				}
				ids, ms = append(ids, m.ID), append(ms, m)
			}
			night := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				Rotate: 1, ValidFrom: "2026-11-20"}
			if c.list {
				night.People = ids
			}
			if err := s.Save(ctx, night); err != nil {
				t.Fatal(err)
			}
			before := standing(t, s, night.ID, today)
			if err := rosterdata.DeleteMember(ctx, s, today, ms[0].ID); err != nil {
				t.Fatal(err)
			}
			after := standing(t, s, night.ID, today)
			for d := schedule.DateOf(2026, 11, 20); d < today; d++ {
				if after[d] != before[d] {
					t.Errorf("%s: %s stands after 丙 left, %s stood", d, after[d], before[d])
				}
			}
		})
	}
}
