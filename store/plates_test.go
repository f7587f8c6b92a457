package store

import (
	"context"
	"testing"
	"time"

	"cunjing/store/clock/clocktest"
)

// A renumbering is dated by the change that wrote the history; a house
// never renumbered, or in another village, is not listed.
func TestNumbersChangedAt(t *testing.T) {
	ctx := context.Background()
	now := clocktest.Today(t).AddDate(0, -2, 0)
	s := newTestStore(t, RolePost, func() time.Time { return now })
	v, other := &Village{Name: "张庄"}, &Village{Name: "李庄"}
	if err := s.Save(ctx, v, other); err != nil {
		t.Fatal(err)
	}
	old := &House{VillageID: v.ID, Number: "203", Kind: "house"}
	kept := &House{VillageID: v.ID, Number: "204", Kind: "house"}
	elsewhere := &House{VillageID: other.ID, Number: "9", History: []string{"8"}, Kind: "house"}
	if err := s.Save(ctx, old, kept, elsewhere); err != nil {
		t.Fatal(err)
	}
	now = clocktest.Today(t).AddDate(0, 0, -3)
	old.History, old.Number = []string{"203"}, "203-1"
	if err := s.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	got, err := s.NumbersChangedAt(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %v, want only house 203-1", got)
	}
	if at := got[old.ID]; !at.Equal(now.Truncate(time.Millisecond)) {
		t.Errorf("203-1 changed at %v, want %v", at, now)
	}
	// A later renumbering moves the date.
	now = clocktest.Today(t)
	old.History, old.Number = []string{"203", "203-1"}, "205"
	if err := s.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	got, _ = s.NumbersChangedAt(ctx, v.ID)
	if at := got[old.ID]; !at.Equal(now.Truncate(time.Millisecond)) {
		t.Errorf("205 changed at %v, want %v", at, now)
	}
}
