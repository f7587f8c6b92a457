package rosterdata_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

func TestHolidayRecords(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, store.RoleStation)

	// With nothing stored the roster uses the shipped calendar.
	cal, err := rosterdata.HolidayCalendar(ctx, station)
	if err != nil {
		t.Fatal(err)
	}
	defs, _ := schedule.DefaultHolidays()
	if len(cal) != len(defs) {
		t.Fatalf("empty store: %d holidays, want the %d defaults", len(cal), len(defs))
	}

	for _, tc := range []struct {
		name string
		h    store.Holiday
	}{
		{"no name", store.Holiday{Kind: "public", DateFrom: "2027-01-01", DateTo: "2027-01-01"}},
		{"bad kind", store.Holiday{Name: "元旦", Kind: "party", DateFrom: "2027-01-01", DateTo: "2027-01-01"}},
		{"no dates", store.Holiday{Name: "元旦", Kind: "public"}},
		{"backwards", store.Holiday{Name: "元旦", Kind: "public", DateFrom: "2027-01-03", DateTo: "2027-01-01"}},
		{"half a year", store.Holiday{Name: "长假", Kind: "school", DateFrom: "2027-01-01", DateTo: "2027-07-01"}},
	} {
		h := tc.h
		var fe *store.FieldError
		if err := station.Save(ctx, &h); !errors.As(err, &fe) {
			t.Errorf("%s: saved (%v)", tc.name, err)
		}
	}

	// The station publishes its 2027 calendar: it replaces the computed
	// 2027 national days, and leaves the school defaults.
	pub := []store.Holiday{
		{Name: "元旦", Kind: schedule.HolidayPublic, DateFrom: "2027-01-01", DateTo: "2027-01-03", Confirmed: true, Source: "国务院办公厅通知", CheckedOn: "2026-11-20"},
		{Name: "春节", Kind: schedule.HolidayPublic, DateFrom: "2027-02-05", DateTo: "2027-02-11", Confirmed: true, Source: "国务院办公厅通知", CheckedOn: "2026-11-20"},
	}
	for i := range pub {
		if err := station.Save(ctx, &pub[i]); err != nil {
			t.Fatal(err)
		}
	}
	cal, err = rosterdata.HolidayCalendar(ctx, station)
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
	post := newTestStore(t, store.RolePost)
	if _, err := post.Apply(ctx, allChanges(t, station)); err != nil {
		t.Fatal(err)
	}
	in, err := rosterdata.ScheduleInput(ctx, post)
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
	s := newTestStore(t, store.RolePost)
	team := store.Team{Name: "警务室"}
	if err := s.Save(ctx, &team); err != nil {
		t.Fatal(err)
	}
	r := store.ShiftRule{TeamID: team.ID, Name: "护学岗", Kind: "school_gate", Spec: `{"kind":"weekly","weekdays":[1,5]}`, Windows: "07:00-08:00", Holidays: "sometimes"}
	var fe *store.FieldError
	if err := s.Save(ctx, &r); !errors.As(err, &fe) || fe.Field != "holidays" {
		t.Fatalf("bad policy saved: %v", err)
	}
	r.Holidays = schedule.HolidaysKeep
	if err := s.Save(ctx, &r); err != nil {
		t.Fatal(err)
	}
	in, err := rosterdata.ScheduleInput(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Rules) != 1 || in.Rules[0].Holidays != schedule.HolidaysKeep {
		t.Fatalf("rule policy not carried: %+v", in.Rules)
	}
}

// A post's own entries apply beside its station's, except one with the
// same year, kind and name as the station's, which gives way; a post
// cannot change or delete the station's entries, nor confirm them.
func TestHolidayStationAndPost(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, store.RoleStation)
	post := newTestStore(t, store.RolePost)
	// Before the station publishes: the post's county calendar and a
	// village school's harvest break.
	own := []store.Holiday{
		{Name: "寒假", Kind: schedule.HolidaySchool, DateFrom: "2027-01-20", DateTo: "2027-02-25"},
		{Name: "农忙假", Kind: schedule.HolidaySchool, DateFrom: "2027-06-01", DateTo: "2027-06-07", Source: "北庄小学"},
	}
	for i := range own {
		if err := rosterdata.SaveHoliday(ctx, post, &own[i], "2026-11-20"); err != nil {
			t.Fatal(err)
		}
	}
	winter := store.Holiday{Name: "寒假", Kind: schedule.HolidaySchool, DateFrom: "2027-01-16", DateTo: "2027-02-21", Confirmed: true, Source: "县教育局校历"}
	if err := rosterdata.SaveHoliday(ctx, station, &winter, "2026-11-24"); err != nil {
		t.Fatal(err)
	}
	if winter.CheckedOn != "2026-11-24" {
		t.Errorf("confirmed without a check date: %+v", winter)
	}
	if _, err := post.Apply(ctx, allChanges(t, station)); err != nil {
		t.Fatal(err)
	}
	es, err := rosterdata.HolidayEntries(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]rosterdata.HolidayEntry{}
	for _, e := range es {
		if y, _, _ := e.Dates.From.YMD(); y == 2027 && e.Kind == schedule.HolidaySchool {
			got[e.Name+" "+e.Dates.From.String()] = e
		}
	}
	for _, tc := range []struct {
		key      string
		from     string
		shadowed bool
		editable bool
	}{
		{"寒假 2027-01-16", rosterdata.HolidayFromStation, false, false},
		{"寒假 2027-01-20", rosterdata.HolidayFromPost, true, true},
		{"农忙假 2027-06-01", rosterdata.HolidayFromPost, false, true},
	} {
		e, ok := got[tc.key]
		if !ok {
			t.Errorf("%s missing from the post's calendar: %v", tc.key, got)
			continue
		}
		if e.From != tc.from || e.Shadowed != tc.shadowed || rosterdata.Editable(post, e) != tc.editable {
			t.Errorf("%s: from %s shadowed %v editable %v, want %s %v %v", tc.key, e.From, e.Shadowed, rosterdata.Editable(post, e), tc.from, tc.shadowed, tc.editable)
		}
	}
	if len(got) != 3 {
		t.Errorf("2027 school holidays at the post: %v (the shipped 暑假 should be gone: the year's school holidays are stored)", got)
	}
	in, err := rosterdata.ScheduleInput(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	school := func(d schedule.Date) bool {
		return slices.ContainsFunc(schedule.HolidaysOn(in.Holidays, d), func(h schedule.Holiday) bool { return h.Kind == schedule.HolidaySchool })
	}
	for _, tc := range []struct {
		day  schedule.Date
		want bool
	}{
		{schedule.DateOf(2027, 1, 16), true},  // the station's 寒假
		{schedule.DateOf(2027, 2, 24), false}, // only in the post's own 寒假, which gave way
		{schedule.DateOf(2027, 6, 3), true},   // the village school's own
	} {
		if school(tc.day) != tc.want {
			t.Errorf("%s school holiday at the post: %v, want %v", tc.day, !tc.want, tc.want)
		}
	}

	// The station's entry is not the post's to change, delete or confirm.
	theirs := got["寒假 2027-01-16"].Record
	edit := *theirs
	edit.DateTo = "2027-03-01"
	if err := rosterdata.SaveHoliday(ctx, post, &edit, "2026-11-25"); !errors.Is(err, store.ErrNotOwner) {
		t.Errorf("post edited the station's 寒假: %v", err)
	}
	if _, err := rosterdata.DeleteHoliday(ctx, post, theirs.ID); !errors.Is(err, store.ErrNotOwner) {
		t.Errorf("post deleted the station's 寒假: %v", err)
	}
	n, err := rosterdata.ConfirmHolidays(ctx, post, 2027, schedule.HolidaySchool, "2026-11-25")
	if err != nil || n != 1 {
		t.Errorf("post confirmed %d of its 2027 school entries (%v), want its 农忙假 only", n, err)
	}
	// Deleting its own entry.
	if _, err := rosterdata.DeleteHoliday(ctx, post, got["农忙假 2027-06-01"].ID); err != nil {
		t.Fatal(err)
	}
	if in, _ := rosterdata.ScheduleInput(ctx, post); len(schedule.HolidaysOn(in.Holidays, schedule.DateOf(2027, 6, 3))) != 0 {
		t.Error("deleted 农忙假 still in the calendar")
	}
}

var devSeq atomic.Int64

// newTestStore is a new database of the role, closed when the test ends.
func newTestStore(t testing.TB, role string) *store.Store {
	t.Helper()
	return newTestStoreAt(t, role, nil)
}

// newTestStoreAt is newTestStore with the PC's clock now (nil: the
// system's).
func newTestStoreAt(t testing.TB, role string, now func() time.Time) *store.Store {
	t.Helper()
	dev := fmt.Sprintf("DEV%04d-AAAAAAA", devSeq.Add(1))
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "t.db"),
		store.Identity{DeviceID: dev, Role: role, Name: "测试" + dev}, store.Options{Now: now})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// saveTeam saves a team named name and its members, each "name/role",
// in s: the set-up most roster tests begin with.
func saveTeam(t testing.TB, s *store.Store, name string, members ...string) (*store.Team, []*store.Member) {
	t.Helper()
	ctx := context.Background()
	team := &store.Team{Name: name}
	if err := s.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	ms := make([]*store.Member, len(members))
	recs := make([]store.Record, len(members))
	for i, nr := range members {
		n, r, ok := strings.Cut(nr, "/")
		if !ok {
			t.Fatalf("member %q: want name/role", nr)
		}
		ms[i] = &store.Member{TeamID: team.ID, Name: n, Role: r}
		recs[i] = ms[i]
	}
	if len(recs) > 0 {
		if err := s.Save(ctx, recs...); err != nil {
			t.Fatal(err)
		}
	}
	return team, ms
}

// allChanges is every change s holds.
func allChanges(t testing.TB, s *store.Store) []store.Change {
	t.Helper()
	ch, _, err := s.ChangesAfter(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// A post's entry of a name the app does not ship (a village school's
// 农忙假) is an addition: it left the post with no 寒假 and no 暑假 at all
// (its 护学岗 planned through the summer), because any stored entry of a
// year's school holidays dropped all that year's defaults. The post's
// county 寒假 (a shipped name) is its school calendar and replaces the
// shipped guesses of the year, as the station's calendar does.
func TestPostHolidayKeepsTheOtherDefaults(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, store.RolePost)
	harvest := store.Holiday{Name: "农忙假", Kind: schedule.HolidaySchool, DateFrom: "2027-06-01", DateTo: "2027-06-03", Source: "北庄小学"}
	if err := rosterdata.SaveHoliday(ctx, post, &harvest, "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	school := func(d schedule.Date) bool {
		t.Helper()
		in, err := rosterdata.ScheduleInput(ctx, post)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(schedule.HolidaysOn(in.Holidays, d), func(h schedule.Holiday) bool { return h.Kind == schedule.HolidaySchool })
	}
	for _, tc := range []struct {
		day  schedule.Date
		want bool
		what string
	}{
		{schedule.DateOf(2027, 6, 2), true, "the 农忙假"},
		{schedule.DateOf(2027, 8, 2), true, "the shipped 暑假"},
		{schedule.DateOf(2027, 1, 17), true, "the shipped 寒假"},
	} {
		if got := school(tc.day); got != tc.want {
			t.Errorf("%s (%s): school holiday %v, want %v", tc.day, tc.what, got, tc.want)
		}
	}
	// The county's 寒假 entered at the post is the year's school calendar.
	winter := store.Holiday{Name: "寒假", Kind: schedule.HolidaySchool, DateFrom: "2027-01-20", DateTo: "2027-02-25", Source: "县教育局校历"}
	if err := rosterdata.SaveHoliday(ctx, post, &winter, "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if school(schedule.DateOf(2027, 8, 2)) || school(schedule.DateOf(2027, 1, 17)) || !school(schedule.DateOf(2027, 2, 24)) || !school(schedule.DateOf(2027, 6, 2)) {
		t.Error("with the post's 2027 寒假: want it and the 农忙假, not the shipped 寒假 and 暑假")
	}
}
