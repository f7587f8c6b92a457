package postcounts_test

import (
	"context"
	"cunjing/store"
	"cunjing/store/postcounts"
	"cunjing/store/record"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

// TestStatsByOwnerCountsHouseholds: households per owner, by warning
// colour and by category, read in one pass over the owner index, equal a
// count by hand over every household — several posts, random colours and
// categories (none, one, several), deleted households left out.
func TestStatsByOwnerCountsHouseholds(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, store.RoleStation)
	rng := rand.New(rand.NewPCG(20, 12))
	cats := []string{store.CatElderly, store.CatRental, "流动人口", "重点户"}
	type want struct {
		n        int
		warn, by map[string]int
	}
	wants := map[string]*want{}
	for p := range 3 {
		post := newTestStore(t, store.RolePost)
		v := &store.Village{Name: fmt.Sprintf("村%d", p)}
		if err := post.Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		w := &want{warn: map[string]int{}, by: map[string]int{}}
		wants[post.DeviceID()] = w
		var hs []*store.Household
		for j := range 40 + 30*p {
			h := &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%d", j), Status: store.StatusOwn,
				Warning: []string{"", store.WarnGreen, store.WarnOrange, store.WarnRed}[rng.IntN(4)]}
			for _, c := range cats {
				if rng.IntN(3) == 0 {
					h.Categories = append(h.Categories, c)
				}
			}
			if err := post.Save(ctx, h); err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h)
		}
		for i, h := range hs {
			if i%7 == 3 {
				h.Deleted = true
				if err := post.Save(ctx, h); err != nil {
					t.Fatal(err)
				}
				continue
			}
			w.n++
			if h.Warning != "" {
				w.warn[h.Warning]++
			}
			for _, c := range h.Categories {
				w.by[c]++
			}
		}
		changes, _, err := post.ChangesSince(ctx, post.DeviceID(), 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := station.Apply(ctx, changes); err != nil {
			t.Fatal(err)
		}
	}
	all, err := station.PostCounts().StatsByOwner(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for owner, w := range wants {
		got := all[owner]
		if got == nil || got.Households != w.n || !reflect.DeepEqual(got.ByWarning, w.warn) || !reflect.DeepEqual(got.ByCategory, w.by) {
			t.Fatalf("%s: got %+v, want %d households, %v, %v", owner, got, w.n, w.warn, w.by)
		}
	}
}

// TestMonthCountsBoards: the boards patrols put up and checked in a month
// are counted per venue name — a venue named twice in one patrol once, a
// deleted patrol and one outside the month not at all, a venue since
// deleted by its ID — and a township total is the sum of its posts.
func TestMonthCountsBoards(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 12, 20, 12, 0, 0, 0, time.Local) }
	post := newTestStoreAt(t, store.RolePost, now)
	a, b := &store.Venue{Name: "王记超市"}, &store.Venue{Name: "李记饭店"}
	for _, v := range []*store.Venue{a, b} {
		if err := post.Save(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	patrol := func(date string, posted, checked []string, deleted bool) {
		t.Helper()
		p := &store.Patrol{Date: date, Start: "08:00", End: "11:00", People: []string{"m1"}, BoardsPosted: posted, BoardsChecked: checked}
		if err := post.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if deleted {
			p.Deleted = true
			if err := post.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	patrol("2026-12-02", []string{a.ID, b.ID, a.ID}, nil, false)
	patrol("2026-12-05", nil, []string{a.ID}, false)
	patrol("2026-12-08", []string{"gone-venue"}, []string{b.ID}, false)
	patrol("2026-12-09", []string{a.ID}, []string{a.ID}, true) // deleted
	patrol("2026-11-30", []string{b.ID}, nil, false)           // last month
	got, err := post.PostCounts().MonthCountsByOwner(ctx, "2026-12-01", "2026-12-31", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := got[post.DeviceID()]
	if c == nil {
		t.Fatal("no counts for the post")
	}
	wantPosted := map[string]int{"王记超市": 1, "李记饭店": 1, "gone-venue": 1}
	wantChecked := map[string]int{"王记超市": 1, "李记饭店": 1}
	if !reflect.DeepEqual(c.BoardsPosted, wantPosted) || !reflect.DeepEqual(c.BoardsChecked, wantChecked) {
		t.Errorf("posted %v checked %v, want %v %v", c.BoardsPosted, c.BoardsChecked, wantPosted, wantChecked)
	}
	if p, k := c.Boards(); p != 3 || k != 2 {
		t.Errorf("Boards() = %d, %d; want 3, 2", p, k)
	}
	total := postcounts.NewMonthCounts()
	total.Add(*c)
	total.Add(postcounts.MonthCounts{Visits: 2, BoardsPosted: map[string]int{"王记超市": 4}})
	if total.BoardsPosted["王记超市"] != 5 || total.Visits != 2 || total.BoardsChecked["李记饭店"] != 1 {
		t.Errorf("total %+v", total)
	}
}

// TestPendingRequestsByOwner: the requests to unlock waiting per post, in
// one query: applied and deleted ones left out, a post with none absent.
func TestPendingRequestsByOwner(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, store.RoleStation)
	want := map[string]int{}
	for p, states := range [][]string{{"p", "p", "a", "d"}, {"p"}, {"a"}} {
		post := newTestStore(t, store.RolePost)
		for i, s := range states {
			r := &store.MonthRequest{Month: "2026-10", Tbl: "patrols", Rec: fmt.Sprintf("p%d", i), Fields: `{"note":"补记"}`,
				Source: store.RequestAsked, State: store.RequestPending}
			if s == "a" {
				r.State = record.RequestApplied
			}
			if err := post.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			if s == "d" {
				r.Deleted = true
				if err := post.Save(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if s == "p" {
				want[post.DeviceID()]++
			}
		}
		changes, _, err := post.ChangesSince(ctx, post.DeviceID(), 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := station.Apply(ctx, changes); err != nil {
			t.Fatalf("post %d: %v", p, err)
		}
	}
	got, err := station.PostCounts().PendingRequestsByOwner(ctx)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("PendingRequestsByOwner = %v, %v; want %v", got, err, want)
	}
}

var devSeq atomic.Int64

// newTestStore is a new database of the role, closed when the test ends.
func newTestStore(t testing.TB, role string) *store.Store { return newTestStoreAt(t, role, nil) }

// newTestStoreAt is newTestStore with the wall clock now (nil: the real one).
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
