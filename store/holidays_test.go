package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"cunjing/store/schedule"
)

func TestHolidayRecords(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, RoleStation, nil)

	// With nothing stored the roster uses the shipped calendar.
	cal, err := station.HolidayCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defs, _ := schedule.DefaultHolidays()
	if len(cal) != len(defs) {
		t.Fatalf("empty store: %d holidays, want the %d defaults", len(cal), len(defs))
	}

	for _, tc := range []struct {
		name string
		h    Holiday
	}{
		{"no name", Holiday{Kind: "public", DateFrom: "2027-01-01", DateTo: "2027-01-01"}},
		{"bad kind", Holiday{Name: "元旦", Kind: "party", DateFrom: "2027-01-01", DateTo: "2027-01-01"}},
		{"no dates", Holiday{Name: "元旦", Kind: "public"}},
		{"backwards", Holiday{Name: "元旦", Kind: "public", DateFrom: "2027-01-03", DateTo: "2027-01-01"}},
		{"half a year", Holiday{Name: "长假", Kind: "school", DateFrom: "2027-01-01", DateTo: "2027-07-01"}},
	} {
		h := tc.h
		var fe *FieldError
		if err := station.Save(ctx, &h); !errors.As(err, &fe) {
			t.Errorf("%s: saved (%v)", tc.name, err)
		}
	}

	// The station publishes its 2027 calendar: it replaces the computed
	// 2027 national days, and leaves the school defaults.
	pub := []Holiday{
		{Name: "元旦", Kind: schedule.HolidayPublic, DateFrom: "2027-01-01", DateTo: "2027-01-03", Confirmed: true, Source: "国务院办公厅通知", CheckedOn: "2026-11-20"},
		{Name: "春节", Kind: schedule.HolidayPublic, DateFrom: "2027-02-05", DateTo: "2027-02-11", Confirmed: true, Source: "国务院办公厅通知", CheckedOn: "2026-11-20"},
	}
	for i := range pub {
		if err := station.Save(ctx, &pub[i]); err != nil {
			t.Fatal(err)
		}
	}
	cal, err = station.HolidayCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var y2027 []string
	for _, h := range cal {
		if y, _, _ := h.Dates.From.YMD(); y == 2027 && h.Kind == schedule.HolidayPublic {
			y2027 = append(y2027, h.Name+" "+h.Dates.String())
		}
	}
	if want := []string{"元旦 2027-01-01..2027-01-03", "春节 2027-02-05..2027-02-11"}; !slices.Equal(y2027, want) {
		t.Errorf("2027 public holidays %v, want the station's %v", y2027, want)
	}

	// A post receives the station's calendar and its roster honours it.
	post := newTestStore(t, RolePost, nil)
	if _, err := post.Apply(ctx, allChanges(t, station)); err != nil {
		t.Fatal(err)
	}
	in, err := post.ScheduleInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(in.Holidays, func(h schedule.Holiday) bool {
		return h.Name == "春节" && h.Dates.To == schedule.DateOf(2027, 2, 11) && h.Confirmed
	}) {
		t.Errorf("the post's roster lacks the station's 春节 2027: %v", in.Holidays)
	}
}

func TestShiftRuleHolidayPolicy(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	team := Team{Name: "警务室"}
	if err := s.Save(ctx, &team); err != nil {
		t.Fatal(err)
	}
	r := ShiftRule{TeamID: team.ID, Name: "护学岗", Kind: "school_gate", Spec: `{"kind":"weekly","weekdays":[1,5]}`, Windows: "07:00-08:00", Holidays: "sometimes"}
	var fe *FieldError
	if err := s.Save(ctx, &r); !errors.As(err, &fe) || fe.Field != "holidays" {
		t.Fatalf("bad policy saved: %v", err)
	}
	r.Holidays = schedule.HolidaysKeep
	if err := s.Save(ctx, &r); err != nil {
		t.Fatal(err)
	}
	in, err := s.ScheduleInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Rules) != 1 || in.Rules[0].Holidays != schedule.HolidaysKeep {
		t.Fatalf("rule policy not carried: %+v", in.Rules)
	}
}
