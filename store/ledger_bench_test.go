package store

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
)

// Benchmarks for the household list a ledger screen pages through: a
// filtered first page over 100,000 residents (≈33,000 households in four
// villages), beside the naive filter a spreadsheet-minded tool runs — an
// unindexed LIKE scan over every row.
// Run: go test -tags sqlite_fts5 -run '^$' -bench FilteredList100k -count 3 ./store/

func BenchmarkFilteredList100k(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	rng := rand.New(rand.NewSource(7))
	var villages []*Village
	err := s.Update(ctx, func(tx *Tx) error {
		for _, n := range []string{"张庄村", "李家屯", "王楼村", "赵营村"} {
			v := &Village{Name: n}
			if err := tx.Save(v); err != nil {
				return err
			}
			villages = append(villages, v)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	cats := []string{CatParty, CatElderly, CatChild, CatAlone, CatWubao, CatKey, CatRental, CatFloating}
	warns := []string{WarnGreen, WarnGreen, WarnGreen, WarnGreen, WarnOrange, WarnRed}
	recs := benchResidentsList(benchResidents)
	const perHH = 3
	hhs := make([]*Household, benchResidents/perHH+1)
	for i := range hhs {
		var hc []string
		if rng.Intn(4) == 0 {
			hc = append(hc, cats[rng.Intn(len(cats))])
		}
		hhs[i] = &Household{VillageID: villages[i%len(villages)].ID, DoorNumber: fmt.Sprint(i/len(villages) + 1),
			OwnerName: benchName(rng), OwnerPhone: fmt.Sprintf("139%08d", i), Status: StatusOwn, Warning: warns[rng.Intn(len(warns))], Categories: hc}
	}
	for i := 0; i < len(hhs); i += 1000 {
		err := s.Update(ctx, func(tx *Tx) error {
			for _, h := range hhs[i:min(i+1000, len(hhs))] {
				if err := tx.Save(h); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for i, r := range recs {
		r.HouseholdID = hhs[i/perHH].ID
	}
	saveAll(b, s, recs)
	v := villages[1].ID
	name := ""
	for _, r := range recs[900:] {
		if len([]rune(r.Name)) == 3 {
			name = r.Name
			break
		}
	}
	filters := []struct {
		name string
		f    HouseholdFilter
	}{
		{"village", HouseholdFilter{VillageID: v, Limit: 60}},
		{"village_category", HouseholdFilter{VillageID: v, Category: CatElderly, Limit: 60}},
		{"village_red", HouseholdFilter{VillageID: v, Warning: WarnRed, Limit: 60}},
		{"search_name_3char", HouseholdFilter{Query: name, Limit: 60}},
		{"search_phone", HouseholdFilter{Query: "13800012345", Limit: 60}},
	}
	for _, fl := range filters {
		b.Run(fl.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rows, err := s.Households(ctx, fl.f)
				if err != nil || len(rows) == 0 {
					b.Fatal(err, len(rows))
				}
			}
		})
	}
	// The naive filter: every household scanned with LIKE, no index, the
	// same first page.
	naive := []struct{ name, where string }{
		{"baseline_unindexed_like/village_category", "h.village_id = ? AND h.categories LIKE '%' || ? || '%'"},
		{"baseline_unindexed_like/search_name_3char", "h.id IN (SELECT r.household_id FROM residents r NOT INDEXED WHERE r.deleted = 0 AND (r.name LIKE '%' || ? || '%' OR r.phone LIKE '%' || ? || '%'))"},
	}
	for i, nv := range naive {
		args := []any{v, CatElderly}
		if i == 1 {
			args = []any{name, name}
		}
		b.Run(nv.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rows, err := s.db.QueryContext(ctx, `SELECT h.id FROM households h NOT INDEXED WHERE h.deleted = 0 AND `+nv.where+` ORDER BY h.door_number, h.owner_name, h.id LIMIT 60`, args...)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				rows.Close()
				if n == 0 {
					b.Fatal("baseline found nothing")
				}
			}
		})
	}
}
