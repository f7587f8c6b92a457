package schedule

import (
	"cmp"
	"errors"
	"fmt"
	"testing"
)

// A roster that does not expand says what is wrong as a Problem: its code
// (the app's words for it), whose it is and what the words take, beside
// the English the command line prints. Before, only the English.
func TestProblems(t *testing.T) {
	d0 := DateOf(2026, 11, 2)
	base := func() Input {
		return Input{Teams: []Team{{ID: "t", Name: "一队"}},
			Members: []Member{{ID: "a", TeamID: "t", Name: "甲"}, {ID: "b", TeamID: "t", Name: "乙"}},
			Rules: []Rule{{ID: "r", Name: "夜巡", TeamID: "t", Kind: KindPatrol, Spec: Spec{Kind: Daily},
				Windows: []Window{{Start: 19 * 60, End: 21 * 60}}, People: []string{"a", "b"}, Rotate: 1, ValidFrom: d0}}}
	}
	rule := func(f func(r *Rule)) func(in *Input) { return func(in *Input) { f(&in.Rules[0]) } }
	for _, c := range []struct {
		code, in, name string
		args           string
		edit           func(in *Input)
		from, to       Date
	}{
		{ProblemShort, InRule, "夜巡", "[3 2]", rule(func(r *Rule) { r.Rotate = 3 }), 0, 0},
		{ProblemNobody, InRule, "夜巡", "[]", func(in *Input) { in.Members, in.Rules[0].People = nil, nil }, 0, 0},
		{ProblemStart, InRule, "夜巡", "[]", rule(func(r *Rule) { r.ValidFrom = 0 }), 0, 0},
		{ProblemMinPeople, InRule, "夜巡", "[2 1]", rule(func(r *Rule) { r.MinPeople = 2 }), 0, 0},
		{ProblemDates, InRule, "夜巡", "[2026-11-01 2026-11-02]", rule(func(r *Rule) { r.ValidTo = d0 - 1 }), 0, 0},
		{ProblemMember, InRule, "夜巡", "[]", rule(func(r *Rule) { r.People = []string{"a", "x"} }), 0, 0},
		{ProblemTwice, InRule, "夜巡", "[甲]", rule(func(r *Rule) { r.People = []string{"a", "a"} }), 0, 0},
		{ProblemTeam, InRule, "夜巡", "[]", rule(func(r *Rule) { r.TeamID = "gone" }), 0, 0},
		{ProblemHours, InRule, "夜巡", "[]", rule(func(r *Rule) { r.Windows = nil }), 0, 0},
		{ProblemDays, InRule, "夜巡", "[]", rule(func(r *Rule) { r.Spec = Spec{Kind: Weekly} }), 0, 0},
		{ProblemKind, InRule, "夜巡", "[]", rule(func(r *Rule) { r.Kind = "夜班" }), 0, 0},
		{ProblemHolidays, InRule, "夜巡", "[]", rule(func(r *Rule) { r.Holidays = "keep,public" }), 0, 0},
		{ProblemVersion, InRule, "夜巡", "[]", rule(func(r *Rule) { r.Versions = []Version{{Until: d0}} }), 0, 0},
		{ProblemTeam, InMember, "乙", "[]", func(in *Input) { in.Members[1].TeamID = "gone" }, 0, 0},
		{ProblemLeave, InMember, "甲", "[2026-11-05 2026-11-03]", func(in *Input) {
			in.Members[0].Leave = []DateRange{{From: d0 + 3, To: d0 + 1}}
		}, 0, 0},
		{ProblemGoneRule, InException, "换班", "[]", func(in *Input) { in.Exceptions = Swap("s", "gone", "a", d0, "b", d0+1)[:1] }, 0, 0},
		{ProblemGonePerson, InException, "换班", "[]", func(in *Input) { in.Exceptions = Swap("s", "r", "a", d0, "x", d0+1)[:1] }, 0, 0},
		{ProblemSelf, InException, "换班", "[甲]", func(in *Input) { in.Exceptions = Swap("s", "r", "a", d0, "a", d0+1)[:1] }, 0, 0},
		{ProblemExcDays, InException, "停", "[]", func(in *Input) { in.Exceptions = []Exception{{ID: "x", Name: "停", Action: Cancel}} }, 0, 0},
		{ProblemAddNoRules, InException, "加", "[]", func(in *Input) {
			in.Exceptions = []Exception{{ID: "x", Name: "加", Action: Add, Dates: &DateRange{From: d0, To: d0}}}
		}, 0, 0},
		{ProblemRecord, "", "", "[]", func(in *Input) { in.Members[1].ID = "a" }, 0, 0},
		{ProblemRange, "", "", "[]", func(*Input) {}, d0, d0 + MaxRangeDays},
		{ProblemHolidayEntry, "", "", "[]", func(in *Input) {
			in.Holidays = []Holiday{{Name: "坏", Kind: "party", Dates: DateRange{From: d0, To: d0}}}
		}, 0, 0},
	} {
		t.Run(c.code+" "+c.in, func(t *testing.T) {
			in := base()
			c.edit(&in)
			from, to := cmp.Or(c.from, d0), cmp.Or(c.to, d0+6)
			_, err := Expand(in, from, to)
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("%v: want a Problem", err)
			}
			if p.Code != c.code || p.In != c.in || p.Name != c.name || fmt.Sprint(p.Args) != c.args {
				t.Errorf("%+v, want %s in %s %q with %s", p, c.code, c.in, c.name, c.args)
			}
			if p.Error() == "" || err.Error() == "" {
				t.Error("no English")
			}
		})
	}
	codes := map[string]bool{}
	for _, c := range ProblemCodes {
		codes[c] = true
	}
	if len(codes) != len(ProblemCodes) || len(codes) < 20 {
		t.Errorf("ProblemCodes %v", ProblemCodes)
	}
}
