package station

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/synctest"
)

// benchStation is a station holding posts × households, each post paired
// (the station's Peers: a stream of its own), its changes merged into the
// station, and one request to unlock a month waiting at every tenth.
func benchStation(b *testing.B, posts, households int) *cjsync.Engine {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	now := clocktest.Clock(b)
	stn := synctest.Device(b, store.RoleStation, "城关派出所", store.Options{Now: now})
	for p := range posts {
		name := fmt.Sprintf("第%03d警务室", p)
		post, err := store.Create(ctx, filepath.Join(dir, fmt.Sprintf("post%03d.db", p)),
			store.Identity{DeviceID: fmt.Sprintf("POST%03d-AAAAAAA", p), Role: store.RolePost, Name: name, Officer: "民警"}, store.Options{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		v := &store.Village{Name: fmt.Sprintf("村%03d", p)}
		if err := post.Save(ctx, v); err != nil {
			b.Fatal(err)
		}
		var recs []store.Record
		for j := range households {
			recs = append(recs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%04d", j), Status: store.StatusOwn,
				Warning: []string{store.WarnGreen, store.WarnOrange, store.WarnRed}[j%3]})
		}
		if p%10 == 0 {
			recs = append(recs, &store.MonthRequest{Month: "2026-10", Tbl: "patrols", Rec: "p1", Fields: `{"note":"补记"}`,
				Source: store.RequestAsked, State: store.RequestPending})
		}
		if err := post.Save(ctx, recs...); err != nil {
			b.Fatal(err)
		}
		changes, _, err := post.ChangesSince(ctx, post.DeviceID(), 0, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := stn.Store().Apply(ctx, changes); err != nil {
			b.Fatal(err)
		}
		if err := stn.Book().PutPeer(ctx, syncbook.Peer{DeviceID: post.DeviceID(), Name: name, Role: store.RolePost}); err != nil {
			b.Fatal(err)
		}
		if err := post.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return stn
}

// BenchmarkStationOverview: the station's overview (全镇总览's first paint,
// `cunjing station` without the patrol figures) at 100 posts × 200
// households, against two baselines measured in the same run: the
// overview's reads that are one pass for every post (peers, profiles and
// villages, counts grouped by owner, receipts) without the per-post ones,
// and those with the per-post reads as the overview asked them before
// (each post's split asked on its own).
// Run: go test -tags sqlite_fts5 -run '^$' -bench StationOverview -benchtime 20x -count 3 ./sync/station/
// (CUNJING_BENCH_POSTS=N for another number of posts).
func BenchmarkStationOverview(b *testing.B) {
	posts := 100
	if n, err := strconv.Atoi(os.Getenv("CUNJING_BENCH_POSTS")); err == nil && n > 0 {
		posts = n
	}
	stn := benchStation(b, posts, 200)
	ctx := context.Background()
	now := clocktest.Today(b)
	b.Run("overview", func(b *testing.B) {
		for b.Loop() {
			t, err := Overview(ctx, stn, "", "", StaleAfter, now)
			if err != nil || len(t.Posts) != posts {
				b.Fatalf("%d posts, %v", len(t.Posts), err)
			}
			if n := requestsOf(t); n != (posts+9)/10 {
				b.Fatalf("%d requests to unlock", n)
			}
		}
	})
	onePass := func(b *testing.B) []syncbook.Peer {
		peers, err := stn.Book().Peers(ctx, true)
		if err != nil || len(peers) != posts {
			b.Fatalf("%d peers, %v", len(peers), err)
		}
		if _, _, _, err := postDetails(ctx, stn.Store()); err != nil {
			b.Fatal(err)
		}
		if _, err := stn.Store().PostCounts().StatsByOwner(ctx, "", ""); err != nil {
			b.Fatal(err)
		}
		if _, err := stn.Acks(ctx); err != nil {
			b.Fatal(err)
		}
		return peers
	}
	b.Run("one-pass-reads", func(b *testing.B) {
		for b.Loop() {
			onePass(b)
		}
	})
	b.Run("paused-and-requests-per-post", func(b *testing.B) {
		// The overview before RefusedAll and PendingRequestsByOwner: the
		// one-pass reads, the split asked once, and per post whether its
		// sync is paused and its requests to unlock.
		for b.Loop() {
			peers := onePass(b)
			if _, err := stn.Divergences(ctx, ""); err != nil {
				b.Fatal(err)
			}
			for _, p := range peers {
				if _, err := stn.Book().RefusedOf(ctx, p.DeviceID); err != nil {
					b.Fatal(err)
				}
				if _, err := stn.Store().MonthRequests(ctx, p.DeviceID, ""); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("split-asked-per-post", func(b *testing.B) {
		// The overview before: the one-pass reads and, per post, whether
		// its sync is paused, its split (sync book and streams read
		// again for each) and its requests to unlock.
		for b.Loop() {
			for _, p := range onePass(b) {
				if _, err := stn.Book().RefusedOf(ctx, p.DeviceID); err != nil {
					b.Fatal(err)
				}
				if _, err := stn.Divergences(ctx, p.DeviceID); err != nil {
					b.Fatal(err)
				}
				if _, err := stn.Store().MonthRequests(ctx, p.DeviceID, ""); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// requestsOf is how many requests to unlock wait over t's posts.
func requestsOf(t Township) int {
	n := 0
	for _, p := range t.Posts {
		n += p.Requests
	}
	return n
}
