package tally

import (
	"testing"

	"cunjing/store/schedule"
)

// The tests' own small post, built from schedule's exported API: a mixed
// patrol team, village heads of security on 24-hour duty, police and
// village police at the school gate.

func win(t testing.TB, s string) []schedule.Window {
	t.Helper()
	w, err := schedule.ParseWindows(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func spec(t testing.TB, s string) schedule.Spec {
	t.Helper()
	sp, err := schedule.ParseSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func post(t testing.TB) schedule.Input {
	return schedule.Input{
		Teams: []schedule.Team{{ID: "t1", Name: "东村巡逻队"}, {ID: "t2", Name: "警务室"}},
		Members: []schedule.Member{
			{ID: "m1", TeamID: "t1", Name: "王村警"},
			{ID: "m2", TeamID: "t1", Name: "李网格"},
			{ID: "p1", TeamID: "t2", Name: "赵民警"},
			{ID: "h1", TeamID: "t2", Name: "甲主任"},
			{ID: "h2", TeamID: "t2", Name: "乙主任"},
			{ID: "h3", TeamID: "t2", Name: "丙主任"},
		},
		Rules: []schedule.Rule{
			{ID: "r-daily", Name: "每日巡逻", TeamID: "t1", Kind: schedule.KindPatrol, Spec: spec(t, "每天"), Windows: win(t, "19:00-21:00"), MinPeople: 2},
			{ID: "r-market", Name: "逢集必巡", TeamID: "t1", Kind: schedule.KindMarket, Spec: spec(t, "农历逢二、五、十"), Windows: win(t, "08:00-11:00")},
			{ID: "r-school", Name: "护学岗", TeamID: "t2", Kind: schedule.KindSchoolGate, Spec: spec(t, "每周一、五"),
				Windows: win(t, "07:00-08:00、16:30-17:30"), People: []string{"p1", "m1"}, MinPeople: 2},
			{ID: "r-duty", Name: "24小时值班", TeamID: "t2", Kind: schedule.KindDuty, Spec: spec(t, "每天"), Windows: win(t, "08:00-08:00"),
				People: []string{"h1", "h2", "h3"}, Rotate: 1, ValidFrom: schedule.DateOf(2026, 1, 1)},
		},
	}
}

func expandT(t testing.TB, in schedule.Input, from, to schedule.Date) *schedule.Schedule {
	t.Helper()
	s, err := schedule.Expand(in, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func slotsOf(s *schedule.Schedule, ruleID string) []schedule.Slot {
	var out []schedule.Slot
	for _, x := range s.Slots {
		if x.RuleID == ruleID {
			out = append(out, x)
		}
	}
	return out
}
