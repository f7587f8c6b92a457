package syncbook_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
)

// The station's PC clock ran a year ahead while a post's stick came in,
// and was set right. 上次联系 for a post heard from only by stick kept the
// date a year ahead (news never moved it back), and "a year from now"
// reads 刚刚: a post that stopped sending looked in touch for a year. News
// arriving now must set it to now.
func TestContactNotedWhileClockRanAhead(t *testing.T) {
	ctx := context.Background()
	s, now, skew := skewedStation(t)
	b := s.SyncBook()
	if err := b.PutPeer(ctx, syncbook.Peer{DeviceID: "P1", Name: "东关", Role: store.RolePost}); err != nil {
		t.Fatal(err)
	}
	skew.Store(int64(365 * 24 * time.Hour))
	if err := b.NoteHeardFrom(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	skew.Store(0)
	if err := b.NoteHeardFrom(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	p, err := b.Peer(ctx, "P1")
	if err != nil {
		t.Fatal(err)
	}
	if want := now().UTC().Format(time.RFC3339); p.LastContact != want {
		t.Fatalf("last contact %s after news at %s", p.LastContact, want)
	}
	// A contact a moment ahead (another program's clock read a little
	// later) is not moved back.
	skew.Store(int64(time.Minute))
	if err := b.NoteHeardFrom(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	ahead := now().UTC().Format(time.RFC3339)
	skew.Store(0)
	if err := b.NoteHeardFrom(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	if p, _ := b.Peer(ctx, "P1"); p.LastContact != ahead {
		t.Fatalf("last contact moved back from %s to %s", ahead, p.LastContact)
	}
}

// skewedStation is a station's store whose clock (now) is the tests'
// today moved by skew.
func skewedStation(t *testing.T) (s *store.Store, now func() time.Time, skew *atomic.Int64) {
	t.Helper()
	skew = new(atomic.Int64)
	base := clocktest.Clock(t)
	now = func() time.Time { return base().Add(time.Duration(skew.Load())) }
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.Identity{DeviceID: "DEV-STATION-AAAAAAA", Role: store.RoleStation, Name: "测试"}, store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, now, skew
}
