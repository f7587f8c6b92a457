package tally

import (
	"fmt"
	"testing"

	"cunjing/store/schedule"
)

func TestCompliance(t *testing.T) {
	in := post(t)
	s := expandT(t, in, schedule.DateOf(2026, 11, 30), schedule.DateOf(2026, 12, 13)) // two ISO weeks: W49, W50
	var planned []schedule.Slot
	for _, x := range s.Slots {
		if x.Kind != schedule.KindDuty {
			planned = append(planned, x)
		}
	}
	school := slotsOf(s, "r-school")
	records := []PatrolRecord{
		// From planned slots: the school gate morning of 12-04, logged 10 minutes late.
		{ID: "a", TeamID: "t2", RuleID: "r-school", Date: school[0].Date, Start: 7*60 + 10, End: 8 * 60},
		// …and its afternoon.
		{ID: "b", TeamID: "t2", RuleID: "r-school", Date: school[1].Date, Start: 16*60 + 30, End: 17*60 + 30},
		// A second record for the same morning answers nothing new: ad hoc.
		{ID: "c", TeamID: "t2", RuleID: "r-school", Date: school[0].Date, Start: 7 * 60, End: 8 * 60},
		// Ad hoc, overlapping the daily patrol of 12-01: counts as that patrol.
		{ID: "d", TeamID: "t1", Date: schedule.DateOf(2026, 12, 1), Start: 20 * 60, End: 22 * 60},
		// Ad hoc at noon: no slot then.
		{ID: "e", TeamID: "t1", Date: schedule.DateOf(2026, 12, 8), Start: 12 * 60, End: 13 * 60},
		// A rule that is not planned that day (a rule's slot cancelled): ad hoc.
		{ID: "f", TeamID: "t1", RuleID: "r-market", Date: schedule.DateOf(2026, 12, 4), Start: 8 * 60, End: 9 * 60},
	}
	rows, err := Compliance(planned, records, in.Teams, ByWeek)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ComplianceRow{}
	for _, r := range rows {
		got[r.TeamID+" "+r.Period] = r
	}
	w49t2 := got["t2 2026-W49"]
	if w49t2.Planned != 4 || w49t2.Done != 2 || w49t2.Missed != 2 || w49t2.AdHoc != 1 || w49t2.Rate != 0.5 || w49t2.Team != "警务室" {
		t.Errorf("t2 W49 = %+v", w49t2)
	}
	if w49t2.From != schedule.DateOf(2026, 11, 30) || w49t2.To != schedule.DateOf(2026, 12, 6) {
		t.Errorf("W49 bounds %s..%s", w49t2.From, w49t2.To)
	}
	w49t1 := got["t1 2026-W49"]
	markets := 0
	for _, x := range slotsOf(s, "r-market") {
		if x.Date <= schedule.DateOf(2026, 12, 6) {
			markets++
		}
	}
	if w49t1.Planned != 7+markets || w49t1.Done != 1 || w49t1.AdHoc != 1 {
		t.Errorf("t1 W49 = %+v (markets %d)", w49t1, markets)
	}
	if r := got["t1 2026-W50"]; r.AdHoc != 1 || r.Done != 0 {
		t.Errorf("t1 W50 = %+v", r)
	}
	// By month: 11-30 falls in November.
	rows, err = Compliance(planned, records, in.Teams, ByMonth)
	if err != nil {
		t.Fatal(err)
	}
	months := map[string]bool{}
	total := 0
	for _, r := range rows {
		months[r.Period] = true
		total += r.Planned
	}
	if !months["2026-11"] || !months["2026-12"] || total != len(planned) {
		t.Errorf("months %v, planned %d of %d", months, total, len(planned))
	}
	if _, err := Compliance(planned, records, nil, "year"); err == nil {
		t.Error("bad period: want an error")
	}
	if _, err := Compliance(planned, []PatrolRecord{{ID: "x"}}, nil, ByWeek); err == nil {
		t.Error("record without date: want an error")
	}
}

func TestISOWeeks(t *testing.T) {
	for d := schedule.DateOf(2020, 1, 1); d <= schedule.DateOf(2030, 12, 31); d++ {
		label, from, to := periodOf(d, ByWeek)
		y, w := d.Time(nil).ISOWeek()
		if want := fmtWeek(y, w); label != want || d < from || d > to || from.Weekday() != 1 {
			t.Fatalf("%s: %s %s..%s, want %s", d, label, from, to, want)
		}
	}
}

func fmtWeek(y, w int) string { return fmt.Sprintf("%04d-W%02d", y, w) }
