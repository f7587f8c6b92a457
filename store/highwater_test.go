package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store/clock/clocktest"
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
	s, err := Create(ctx, filepath.Join(testDir(t), "post.db"), Identity{DeviceID: "POST-AAAAAAA", Role: RolePost, Name: "东关"},
		Options{Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Save(ctx, &Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	wall = right
	if err := s.Save(ctx, &Village{Name: "西关村"}); err != nil {
		t.Fatal(err)
	}
	if h, err := s.HighWater(ctx); err != nil || h.Wall < ahead.UnixMilli() {
		t.Fatalf("before: high water %s (%v), want the year ahead", time.UnixMilli(h.Wall), err)
	}
	was, now, err := s.ConfirmClock(ctx, "zhang", UserOfficer)
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
	if was, now, err := s.ConfirmClock(ctx, "zhang", UserOfficer); err != nil || was != now {
		t.Errorf("a second ConfirmClock: %s → %s (%v), want nothing done", was, now, err)
	}
	if log, _ := s.AuditLog(ctx, "", 10); len(log) != 1 {
		t.Errorf("a second ConfirmClock wrote %d audit entries", len(log)-1)
	}
}
