package sync

import (
	"context"
	"testing"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// A holiday the station confirms is one of its published records: it
// reaches the post in the station's broadcast, shows there as the
// station's (rosterdata.HolidayFromStation), and changes the post's roster
// expansion — the school gate is not kept on a day the station's 寒假
// covers, which the shipped default did not.
func TestStationHolidayReachesPostRoster(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "北庄村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)

	team := &store.Team{Name: "护学队"}
	if err := post.Store().Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	gate := &store.ShiftRule{TeamID: team.ID, Name: "护学岗", Kind: schedule.KindSchoolGate,
		Spec: `{"kind":"weekly","weekdays":[1,2,3,4,5]}`, Windows: "07:20-08:00"}
	if err := post.Store().Save(ctx, gate); err != nil {
		t.Fatal(err)
	}
	// 2027-01-11 is a Monday; the shipped 2027 寒假 starts on 01-16.
	day := schedule.DateOf(2027, 1, 11)
	slotsOn := func() int {
		t.Helper()
		in, err := rosterdata.ScheduleInput(ctx, post.Store())
		if err != nil {
			t.Fatal(err)
		}
		sch, err := schedule.Expand(in, day, day)
		if err != nil {
			t.Fatal(err)
		}
		return len(sch.Slots)
	}
	if n := slotsOn(); n != 1 {
		t.Fatalf("before the station's calendar: %d 护学岗 on %s, want 1", n, day)
	}

	winter := &store.Holiday{Name: "寒假", Kind: schedule.HolidaySchool, DateFrom: "2027-01-09", DateTo: "2027-02-21",
		Confirmed: true, Source: "县教育局2026—2027学年校历"}
	if err := rosterdata.SaveHoliday(ctx, station.Store(), winter, "2026-11-24"); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	move(t, station, post, StationFolder(station.Self()))
	move(t, station, post, PostFolder(post.Self()))

	es, err := rosterdata.HolidayEntries(ctx, post.Store())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range es {
		if e.Record != nil && e.Record.ID == winter.ID {
			found = true
			if e.From != rosterdata.HolidayFromStation || !e.Confirmed || rosterdata.Editable(post.Store(), e) {
				t.Errorf("the station's 寒假 at the post: from %s, confirmed %v, editable %v", e.From, e.Confirmed, rosterdata.Editable(post.Store(), e))
			}
		}
	}
	if !found {
		t.Fatal("the station's 寒假 did not reach the post")
	}
	if n := slotsOn(); n != 0 {
		t.Errorf("after the station's 寒假 from 01-09: %d 护学岗 on %s, want none", n, day)
	}
}
