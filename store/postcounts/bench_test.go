package postcounts_test

import (
	"context"
	"cunjing/store"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkStationStats: a station holding 30 posts × 2,000 households
// (with categories and warning colours) counts its dashboard. StatsByOwner
// reads each table once, grouped by owner; the baseline asks per post, as
// the dashboard did before, each query a pass over the table (records
// carry no owner index).
// Run: go test -tags sqlite_fts5 -run '^$' -bench StationStats -benchtime 3x ./store/postcounts/
func BenchmarkStationStats(b *testing.B) {
	ctx := context.Background()
	station := newTestStore(b, store.RoleStation)
	var owners []string
	for p := range 30 {
		post := newTestStore(b, store.RolePost)
		v := &store.Village{Name: fmt.Sprintf("村%02d", p)}
		if err := post.Save(ctx, v); err != nil {
			b.Fatal(err)
		}
		recs := make([]store.Record, 0, 2000)
		for j := range 2000 {
			recs = append(recs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%04d", j), Status: store.StatusOwn,
				Warning: []string{store.WarnGreen, store.WarnOrange, store.WarnRed}[j%3], Categories: []string{"留守老人", "出租屋"}[:j%3]})
		}
		if err := post.Save(ctx, recs...); err != nil {
			b.Fatal(err)
		}
		changes, _, err := post.ChangesSince(ctx, post.DeviceID(), 0, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := station.Apply(ctx, changes); err != nil {
			b.Fatal(err)
		}
		owners = append(owners, post.DeviceID())
	}
	b.Run("grouped", func(b *testing.B) {
		for range b.N {
			all, err := station.PostCounts().StatsByOwner(ctx, "", "")
			if err != nil || all[owners[7]].Households != 2000 || all[owners[7]].ByWarning[store.WarnRed] != 666 {
				b.Fatalf("stats: %+v %v", all[owners[7]], err)
			}
		}
	})
	b.Run("per-post-baseline", func(b *testing.B) {
		for range b.N {
			for _, o := range owners {
				n, err := ownerCountsOneByOne(ctx, station, o)
				if err != nil || n != 2000 {
					b.Fatalf("%d %v", n, err)
				}
			}
		}
	})
}

// ownerCountsOneByOne is the dashboard's old way, one owner at a time: the
// same nine queries, each filtered to the owner.
func ownerCountsOneByOne(ctx context.Context, s *store.Store, owner string) (int, error) {
	db, err := sql.Open("sqlite3", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var households int
	for _, q := range []string{
		"SELECT count(*) FROM houses WHERE deleted = 0 AND owner = ?",
		"SELECT count(*) FROM residents WHERE deleted = 0 AND owner = ?",
		"SELECT count(*) FROM shift_rules WHERE deleted = 0 AND owner = ?",
		"SELECT count(*) FROM patrols WHERE deleted = 0 AND owner = ?",
		"SELECT coalesce(sum(copies), 0) FROM print_records WHERE deleted = 0 AND owner = ? AND kind = 'board'",
		"SELECT count(*) FROM households WHERE deleted = 0 AND owner = ?",
	} {
		if err := db.QueryRowContext(ctx, q, owner).Scan(&households); err != nil {
			return 0, err
		}
	}
	for _, q := range []string{
		"SELECT j.value, count(*) FROM households h, json_each(h.categories) j WHERE h.deleted = 0 AND h.owner = ? GROUP BY j.value",
		"SELECT warning, count(*) FROM households WHERE deleted = 0 AND owner = ? AND warning != '' GROUP BY warning",
		`SELECT coalesce(v.name, p.venue_id), sum(p.copies) FROM print_records p LEFT JOIN venues v ON v.id = p.venue_id
		  WHERE p.deleted = 0 AND p.owner = ? AND p.kind = 'board' AND p.venue_id != '' GROUP BY 1`,
	} {
		rows, err := db.QueryContext(ctx, q, owner)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return households, nil
}
