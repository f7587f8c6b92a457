package demodata

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// TestMapAndListFindTheSameHouses: on the demo post, for every house
// number, old number, name, pinyin spelling, phone tail and ID tail in it
// (and a few strays), the map's find box (Search scoped to the village,
// narrowed to the map by search.OnMap, as app/ui/mapedit and `cunjing
// locate` do) and the household list (store.Households with the query, as
// app/ui/households does) find the same houses.
func TestMapAndListFindTheSameHouses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := create(ctx, path, Options{Houses: 120, Venues: 4, Seed: 3, Today: clocktest.Today(t)}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.Villages(ctx)
	if err != nil || len(vs) == 0 {
		t.Fatal(err, vs)
	}
	asked, found := 0, 0
	for _, v := range vs {
		mv, err := mapdata.Load(ctx, s, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		queries := []string{"zjj", "203", "王", "wang", "zh", "不存在", "0000", "1949", "x"}
		for _, h := range mv.Houses {
			queries = append(queries, h.Number)
			queries = append(queries, h.History...)
		}
		rows, err := s.Households(ctx, store.HouseholdFilter{VillageID: v.ID})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if i%3 != 0 {
				continue
			}
			queries = append(queries, r.OwnerName, search.GivenName(r.OwnerName))
			if len(r.OwnerPhone) >= 4 {
				queries = append(queries, r.OwnerPhone, r.OwnerPhone[len(r.OwnerPhone)-4:])
			}
			full, ini := search.NameReadings(r.OwnerName)
			if len(full) > 0 {
				queries = append(queries, full[0], ini[0])
			}
			people, err := s.Residents(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range people {
				queries = append(queries, p.Name)
				if len(p.IDNumber) == 18 {
					queries = append(queries, p.IDNumber, p.IDNumber[12:], p.IDNumber[14:])
				}
			}
		}
		for _, q := range queries {
			if q == "" {
				continue
			}
			plan, err := search.Parse(q)
			if err != nil {
				t.Fatal(q, err)
			}
			hits, err := s.Search(ctx, store.SearchQuery{Text: q, VillageID: v.ID})
			if err != nil {
				t.Fatal(err)
			}
			var onMap []string
			for _, h := range search.OnMap(plan, hits, mv) {
				if h.HouseID != "" {
					onMap = append(onMap, h.HouseID)
				}
			}
			listed, err := s.Households(ctx, store.HouseholdFilter{VillageID: v.ID, Query: q})
			if err != nil {
				t.Fatal(err)
			}
			var inList []string
			for _, r := range listed {
				if r.HouseID != "" && !slices.Contains(inList, r.HouseID) {
					inList = append(inList, r.HouseID)
				}
			}
			slices.Sort(onMap)
			slices.Sort(inList)
			if !slices.Equal(onMap, inList) {
				t.Errorf("%s %q: the map finds %d houses, the household list %d", v.Name, q, len(onMap), len(inList))
			}
			asked++
			if len(onMap) > 0 {
				found++
			}
		}
	}
	if found < asked/2 {
		t.Errorf("only %d of %d queries found a house: the comparison tests nothing", found, asked)
	}
	t.Logf("%d queries, %d found houses", asked, found)
}
