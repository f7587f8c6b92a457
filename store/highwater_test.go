package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store/clock/clocktest"
	"cunjing/store/schedule/almanac"
)

// TestConfirmClockSetsTheMarkBack: a PC whose clock ran a year ahead
// (edits stamped then) and was set right keeps a high-water mark a year
// ahead, and writes alone never bring it back; the officer's ConfirmClock
// sets it to the PC's time, records who did it in the audit log, and
// later writes keep it there.
func TestConfirmClockSetsTheMarkBack(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	ahead := right.AddDate(1, 0, -5)
	wall := ahead
	s := postWithAVillage(t, &wall)
	wall = right
	if err := s.Save(ctx, &Village{Name: "西关村"}); err != nil {
		t.Fatal(err)
	}
	if h, err := s.HighWater(ctx); err != nil || h.Wall < ahead.UnixMilli() {
		t.Fatalf("before: high water %s (%v), want the year ahead", time.UnixMilli(h.Wall), err)
	}
	was, now, err := s.ConfirmClock(ctx, "zhang", UserOfficer, wall)
	if err != nil {
		t.Fatal(err)
	}
	if was.Wall < ahead.UnixMilli() || now.Wall > right.Add(MaxAhead).UnixMilli() || now.Wall < right.UnixMilli() {
		t.Errorf("ConfirmClock: %s → %s, want the year ahead → %s", time.UnixMilli(was.Wall), time.UnixMilli(now.Wall), right)
	}
	check := func(when string) {
		t.Helper()
		h, err := s.HighWater(ctx)
		if err != nil || h.Wall > right.Add(MaxAhead).UnixMilli() {
			t.Errorf("%s: high water %s (%v), want %s", when, time.UnixMilli(h.Wall), err, right)
		}
	}
	check("confirmed")
	if err := s.Save(ctx, &Village{Name: "南关村"}); err != nil {
		t.Fatal(err)
	}
	check("a write after")
	log, err := s.AuditLog(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != AuditClock || log[0].User != "zhang" || log[0].Role != UserOfficer ||
		log[0].Detail != ahead.Format("2006-01-02")+" → "+right.Format("2006-01-02") {
		t.Errorf("audit log %+v, want one entry of zhang setting %s back to %s", log, ahead.Format("2006-01-02"), right.Format("2006-01-02"))
	}
	// Nothing to confirm: nothing written.
	if was, now, err := s.ConfirmClock(ctx, "zhang", UserOfficer, wall); err != nil || was != now {
		t.Errorf("a second ConfirmClock: %s → %s (%v), want nothing done", was, now, err)
	}
	if log, _ := s.AuditLog(ctx, "", 10); len(log) != 1 {
		t.Errorf("a second ConfirmClock wrote %d audit entries", len(log)-1)
	}
}

// TestConfirmClockRefusesADateThatCannotBe: a PC whose clock battery went
// flat reads 1999, and the roster's warning offered to confirm it: the
// mark set back there, every later edit would rewrite the rosters since.
// A date before the build (almanac.NewestNotice) or before what every
// other device whose changes are held here had reached is refused, with
// nothing written; a date after both is confirmed as before.
func TestConfirmClockRefusesADateThatCannotBe(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	built := almanac.NewestNotice.Time(almanac.Zone)
	for _, tc := range []struct {
		name    string
		pc      time.Time
		peer    bool // the station's changes, made on right, are held here
		refused bool
		byPeers bool
	}{
		{"flat battery, no peer", time.Date(1999, 6, 1, 9, 0, 0, 0, almanac.Zone), false, true, false},
		{"flat battery, a peer", time.Date(1999, 6, 1, 9, 0, 0, 0, almanac.Zone), true, true, true},
		{"a month before the build", built.AddDate(0, -1, 0), false, true, false},
		{"after the build, before the station's news", right.AddDate(0, 0, -30), true, true, true},
		{"after the build, no peer", right.AddDate(0, 0, -30), false, false, false},
		{"the day the station's news was made", right, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wall := right.AddDate(1, 0, 0) // the clock ran a year ahead
			s := postWithAVillage(t, &wall)
			if tc.peer {
				stn, err := Create(ctx, filepath.Join(testDir(t), "station.db"), Identity{DeviceID: "STN-BBBBBBB", Role: RoleStation, Name: "城关派出所"},
					Options{Now: func() time.Time { return right }})
				if err != nil {
					t.Fatal(err)
				}
				defer stn.Close()
				if err := stn.Save(ctx, &Village{Name: "西关村"}); err != nil {
					t.Fatal(err)
				}
				cs, _, err := stn.ChangesSince(ctx, stn.DeviceID(), 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Apply(ctx, cs); err != nil {
					t.Fatal(err)
				}
			}
			wall = tc.pc
			before, err := s.HighWater(ctx)
			if err != nil {
				t.Fatal(err)
			}
			was, now, err := s.ConfirmClock(ctx, "zhang", UserOfficer, wall)
			var ie *almanac.DateImpossibleError
			if refused := errors.As(err, &ie); refused != tc.refused || !refused && err != nil {
				t.Fatalf("ConfirmClock on %s: %s → %s, %v; want refused %v", tc.pc.Format("2006-01-02"), was, now, err, tc.refused)
			}
			log, lerr := s.AuditLog(ctx, "", 10)
			if lerr != nil {
				t.Fatal(lerr)
			}
			after, herr := s.HighWater(ctx)
			if herr != nil {
				t.Fatal(herr)
			}
			if !tc.refused {
				if len(log) != 1 || after.Wall > tc.pc.Add(MaxAhead).UnixMilli() {
					t.Errorf("confirmed: %d audit entries, mark %s", len(log), time.UnixMilli(after.Wall))
				}
				return
			}
			if !errors.Is(err, almanac.ErrDateImpossible) || ie.ByPeers != tc.byPeers {
				t.Errorf("refused as %+v (%v), want by peers %v", ie, err, tc.byPeers)
			}
			if len(log) != 0 || after != before {
				t.Errorf("refused, yet %d audit entries and the mark %s → %s", len(log), before, after)
			}
			if peers, err := s.PeersNewest(ctx); err != nil || almanac.CheckToday(tc.pc, peers, MaxAhead) == nil {
				t.Errorf("PeersNewest %s (%v): CheckToday lets %s pass", peers, err, tc.pc)
			}
		})
	}
}

// postWithAVillage is a post's database whose PC clock reads *wall (the
// test moves it), with one village saved.
func postWithAVillage(t *testing.T, wall *time.Time) *Store {
	t.Helper()
	s, err := Create(context.Background(), filepath.Join(testDir(t), "post.db"), Identity{DeviceID: "POST-AAAAAAA", Role: RolePost, Name: "东关"},
		Options{Now: func() time.Time { return *wall }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Save(context.Background(), &Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConfirmClockOnToTheStationsDate: the PC's clock fell a month behind
// after the last edit (ten days ago), and the station measured it so: the
// officer takes the station's date as today (rosterdata's
// ConfirmStationDate). The mark goes on to that date, so edits apply from
// it and not from the last edit's day (ten days rewritten), while the
// file's clock stays where it was (merging never takes a date from
// outside); the audit log says it, and a write after keeps the mark.
func TestConfirmClockOnToTheStationsDate(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	wall := right.AddDate(0, 0, -10)
	s := postWithAVillage(t, &wall)
	clockBefore := s.Clock().Last()
	wall = right.AddDate(0, 0, -30)
	was, now, err := s.ConfirmClock(ctx, "zhang", UserOfficer, right)
	if err != nil {
		t.Fatal(err)
	}
	if was.Wall != clockBefore.Wall || now.Wall != right.UnixMilli() {
		t.Errorf("ConfirmClock: %s → %s, want %s → %s", time.UnixMilli(was.Wall), time.UnixMilli(now.Wall), right.AddDate(0, 0, -10), right)
	}
	if err := s.Save(ctx, &Village{Name: "南关村"}); err != nil {
		t.Fatal(err)
	}
	if h, err := s.HighWater(ctx); err != nil || h.Wall < right.UnixMilli() {
		t.Errorf("a write after: high water %s (%v), want %s", time.UnixMilli(h.Wall), err, right)
	}
	if c := s.Clock().Last(); c.Wall >= right.UnixMilli() {
		t.Errorf("the file's clock went on to %s with the mark", time.UnixMilli(c.Wall))
	}
	log, err := s.AuditLog(ctx, "", 10)
	if err != nil || len(log) != 1 || log[0].Detail != right.AddDate(0, 0, -10).Format("2006-01-02")+" → "+right.Format("2006-01-02") {
		t.Errorf("audit log %+v %v, want the mark's day → the station's", log, err)
	}
}
