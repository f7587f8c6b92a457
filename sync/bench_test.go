package sync

import (
	"context"
	"fmt"
	"os"
	"testing"

	"cunjing/store"
)

// BenchmarkDayOfWork: a post with 2,000 households makes 200 edits; the
// changeset carrying them is compared with the naive baseline of shipping
// the whole database file (reported as bytes and as a ratio).
func BenchmarkDayOfWork(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		post := newDevice(b, store.RolePost, "P")
		station := newDevice(b, store.RoleStation, "S")
		pair(b, post, station)
		v := &store.Village{Name: "大村"}
		if err := post.Store().Save(ctx, v); err != nil {
			b.Fatal(err)
		}
		var hs []store.Record
		for j := 0; j < 2000; j++ {
			hs = append(hs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%04d", j), Address: fmt.Sprintf("大村%d号", j),
				OwnerPhone: fmt.Sprintf("138%08d", j), Status: store.StatusOwn, Warning: store.WarnGreen})
		}
		if err := post.Store().Save(ctx, hs...); err != nil {
			b.Fatal(err)
		}
		mustCut(b, post)
		b.StartTimer()
		for j := 0; j < 200; j++ {
			h := hs[j*7%2000].(*store.Household)
			h.Notes = fmt.Sprintf("走访 第%d次: 家中老人身体好", j)
			if err := post.Store().Save(ctx, h); err != nil {
				b.Fatal(err)
			}
		}
		r := mustCut(b, post)
		b.StopTimer()
		st, err := os.Stat(post.Store().Path())
		if err != nil {
			b.Fatal(err)
		}
		wal, _ := os.Stat(post.Store().Path() + "-wal")
		dbBytes := st.Size()
		if wal != nil {
			dbBytes += wal.Size()
		}
		b.ReportMetric(float64(r.Bytes), "changeset-bytes")
		b.ReportMetric(float64(dbBytes), "db-file-bytes")
		b.ReportMetric(float64(dbBytes)/float64(r.Bytes), "ratio")
		b.StartTimer()
	}
}

// BenchmarkStationImport: the station imports one post's 10,000 records
// (one changeset); ns/op times 100 posts is the township figure.
func BenchmarkStationImport(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		post := newDevice(b, store.RolePost, "P")
		station := newDevice(b, store.RoleStation, "S")
		pair(b, post, station)
		v := &store.Village{Name: "大村"}
		if err := post.Store().Save(ctx, v); err != nil {
			b.Fatal(err)
		}
		var recs []store.Record
		for j := 0; j < 9999; j++ {
			recs = append(recs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%05d", j), Warning: store.WarnGreen})
		}
		if err := post.Store().Save(ctx, recs...); err != nil {
			b.Fatal(err)
		}
		mustCut(b, post)
		b.StartTimer()
		res := move(b, post, station, PostFolder(post.Self()))
		if res.Outcomes[Applied] != 1 {
			b.Fatalf("import %+v", res.Outcomes)
		}
	}
}
