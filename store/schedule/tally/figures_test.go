package tally

import (
	"testing"
	"time"

	"cunjing/store/schedule"
)

func TestTally(t *testing.T) {
	in := post(t) // daily 19–21 and markets (t1), school gate Mon/Fri 07–08 and 16:30–17:30, duty (t2)
	night := schedule.Rule{ID: "r-night", Name: "夜巡", TeamID: "t1", Kind: schedule.KindPatrol, Spec: spec(t, "每周六"), Windows: win(t, "22:00-02:00")}
	withNight := in
	withNight.Rules = append(append([]schedule.Rule(nil), in.Rules...), night)
	broken := in
	broken.Rules = append(append([]schedule.Rule(nil), in.Rules...), schedule.Rule{ID: "r-bad", Name: "坏", TeamID: "t1", Kind: schedule.KindPatrol})
	fri := schedule.DateOf(2026, 12, 4) // a Friday
	sat := schedule.DateOf(2026, 12, 5)
	cases := []struct {
		name                          string
		in                            schedule.Input
		recs                          []PatrolRecord
		from, to, today               schedule.Date
		planned, done, adHoc, problem int
		kind                          string
		kindPlanned, kindDone         int
	}{
		{"school gate logged against its 07:00 slot", in,
			[]PatrolRecord{{ID: "a", TeamID: "t2", RuleID: "r-school", Date: fri, Start: 7 * 60, End: 8 * 60}},
			fri, fri, fri, 3, 1, 0, 0, schedule.KindSchoolGate, 2, 1},
		{"never past today", in, nil, fri, fri + 10, fri, 3, 0, 0, 0, schedule.KindPatrol, 1, 0},
		{"no today: the whole range", in, nil, fri, fri + 1, 0, 4, 0, 0, 0, schedule.KindPatrol, 2, 0},
		{"a range before its start is empty", in,
			[]PatrolRecord{{ID: "a", TeamID: "t1", Date: fri, Start: 20 * 60, End: 21 * 60}},
			fri, fri - 1, 0, 0, 0, 0, 0, schedule.KindPatrol, 0, 0},
		{"records outside the range do not count", in,
			[]PatrolRecord{{ID: "a", TeamID: "t1", Date: fri + 1, Start: 20 * 60, End: 21 * 60}},
			fri, fri, 0, 3, 0, 0, 0, schedule.KindPatrol, 1, 0},
		{"an ad hoc patrol after midnight answers the night patrol", withNight,
			[]PatrolRecord{{ID: "a", TeamID: "t1", Date: sat + 1, Start: 60, End: 90}},
			sat, sat + 1, 0, 3, 1, 0, 0, schedule.KindPatrol, 3, 1}, // two evenings and the night
		{"duty is not counted: a patrol logged against it is ad hoc", in,
			[]PatrolRecord{{ID: "a", TeamID: "t2", RuleID: "r-duty", Date: sat, Start: 9 * 60, End: 10 * 60}},
			sat, sat, 0, 1, 0, 1, 0, schedule.KindPatrol, 1, 0},
		{"a roster that does not expand: a problem, every patrol ad hoc", broken,
			[]PatrolRecord{{ID: "a", TeamID: "t1", RuleID: "r-daily", Date: sat, Start: 19 * 60, End: 21 * 60}},
			sat, sat, 0, 0, 0, 1, 1, schedule.KindPatrol, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Tally(c.in, c.recs, c.from, c.to, EndOf(c.today), ByMonth)
			if err != nil {
				t.Fatal(err)
			}
			k := f.ByKind[c.kind]
			if f.Planned != c.planned || f.Done != c.done || f.AdHoc != c.adHoc || len(f.Problems) != c.problem ||
				k.Planned != c.kindPlanned || k.Done != c.kindDone {
				t.Errorf("got %+v", f)
			}
			if f.Missed != f.Planned-f.Done || f.Rate != Rate(f.Done, f.Planned) || k.Missed != k.Planned-k.Done {
				t.Errorf("missed or rate do not follow: %+v", f)
			}
			sum := 0
			for _, r := range f.Rows {
				sum += r.Planned
			}
			if sum != f.Planned {
				t.Errorf("rows plan %d, total %d", sum, f.Planned)
			}
		})
	}
	if _, err := Tally(in, nil, fri, fri, Due{}, "year"); err == nil {
		t.Error("bad period: want an error")
	}
	if _, err := Tally(in, []PatrolRecord{{ID: "x"}}, fri, fri, Due{}, ByWeek); err == nil {
		t.Error("a record without a date: want an error")
	}
}

// Today's turns count once they have ended, or when a patrol answered
// them early: at nine in the morning the evening patrol is not missed
// (the post's 完成情况 showed it as 漏巡 all day, and the station counted it
// against the post).
func TestTurnsToComeAreNotMissed(t *testing.T) {
	in := post(t) // daily 19–21 (t1), school gate Mon/Fri 07–08 and 16:30–17:30 (t2)
	night := schedule.Rule{ID: "r-night", Name: "夜巡", TeamID: "t1", Kind: schedule.KindPatrol, Spec: spec(t, "每周六"), Windows: win(t, "22:00-02:00")}
	withNight := in
	withNight.Rules = append(append([]schedule.Rule(nil), in.Rules...), night)
	fri := schedule.DateOf(2026, 12, 4) // a Friday
	sat := fri + 1
	at := func(h, m int) schedule.Clock { return schedule.Clock(h*60 + m) }
	early := []PatrolRecord{{ID: "a", TeamID: "t1", RuleID: "r-daily", Date: fri, Start: at(9, 0), End: at(9, 40)}}
	for _, c := range []struct {
		name          string
		in            schedule.Input
		recs          []PatrolRecord
		from, to      schedule.Date
		due           Due
		planned, done int
		missedSchool  int
	}{
		{"at 10:00: the morning gate only", in, nil, fri, fri, Due{fri, at(10, 0)}, 1, 0, 1},
		{"at 10:00, the evening patrol done early", in, early, fri, fri, Due{fri, at(10, 0)}, 2, 1, 1},
		{"at 17:30: both gates, not the evening", in, nil, fri, fri, Due{fri, at(17, 30)}, 2, 0, 2},
		{"at 23:00: all three", in, nil, fri, fri, Due{fri, at(23, 0)}, 3, 0, 2},
		// Thursday: the evening patrol and a market day; Friday: the 07:00 gate.
		{"yesterday whole, today so far", in, nil, fri - 1, fri, Due{fri, at(10, 0)}, 3, 0, 1},
		{"a night patrol into tomorrow is not due tonight", withNight, nil, sat, sat, Due{sat, at(23, 0)}, 1, 0, 0},
		{"the end of the day", withNight, nil, sat, sat, EndOf(sat), 1, 0, 0},
		{"no limit", withNight, nil, sat, sat, Due{}, 2, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Tally(c.in, c.recs, c.from, c.to, c.due, ByMonth)
			if err != nil {
				t.Fatal(err)
			}
			if f.Planned != c.planned || f.Done != c.done || f.ByKind[schedule.KindSchoolGate].Missed != c.missedSchool {
				t.Errorf("planned %d done %d, 护学岗 missed %d; want %d, %d, %d", f.Planned, f.Done,
					f.ByKind[schedule.KindSchoolGate].Missed, c.planned, c.done, c.missedSchool)
			}
		})
	}
	// 01:30 UTC is 09:30 in Beijing, whatever the machine's zone.
	if d := DueAt(time.Date(2026, 12, 4, 1, 30, 0, 0, time.UTC)); d != (Due{fri, at(9, 30)}) {
		t.Errorf("DueAt: %+v", d)
	}
}

func TestFiguresAdd(t *testing.T) {
	a := Figures{From: 10, To: 20, Count: Count{Planned: 4, Done: 3, AdHoc: 1}, ByKind: map[string]KindFigures{schedule.KindPatrol: {Planned: 4, Done: 3}}}
	b := Figures{From: 5, To: 15, Count: Count{Planned: 2, Done: 0, AdHoc: 2}, ByKind: map[string]KindFigures{schedule.KindMarket: {Planned: 2}}}
	var sum Figures
	sum.Add(a)
	sum.Add(b)
	if sum.From != 5 || sum.To != 20 || sum.Planned != 6 || sum.Done != 3 || sum.Missed != 3 || sum.AdHoc != 3 || sum.Rate != 0.5 {
		t.Errorf("sum %+v", sum)
	}
	if k := sum.ByKind[schedule.KindMarket]; k.Planned != 2 || k.Missed != 2 || k.Rate != 0 {
		t.Errorf("market %+v", k)
	}
	if k := sum.ByKind[schedule.KindPatrol]; k.Rate != 0.75 {
		t.Errorf("patrol %+v", k)
	}
}
