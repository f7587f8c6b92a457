package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestStatsByOwnerCountsHouseholds: households per owner, by warning
// colour and by category, read in one pass over the owner index, equal a
// count by hand over every household — several posts, random colours and
// categories (none, one, several), deleted households left out.
func TestStatsByOwnerCountsHouseholds(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, RoleStation, nil)
	rng := rand.New(rand.NewPCG(20, 12))
	cats := []string{CatElderly, CatRental, "流动人口", "重点户"}
	type want struct {
		n        int
		warn, by map[string]int
	}
	wants := map[string]*want{}
	for p := range 3 {
		post := newTestStore(t, RolePost, nil)
		v := &Village{Name: fmt.Sprintf("村%d", p)}
		if err := post.Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		w := &want{warn: map[string]int{}, by: map[string]int{}}
		wants[post.DeviceID()] = w
		var hs []*Household
		for j := range 40 + 30*p {
			h := &Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%d", j), Status: StatusOwn,
				Warning: []string{"", WarnGreen, WarnOrange, WarnRed}[rng.IntN(4)]}
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
	all, err := station.StatsByOwner(ctx, "", "")
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
