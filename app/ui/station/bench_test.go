package station

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/postcounts"
	"cunjing/store/schedule"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	syncstation "cunjing/sync/station"
)

// benchTownship is a station holding posts × households: every post with
// a village, its households (warning colours and categories), a team with
// a daily patrol and a school gate, and a month of patrols logged; each
// post paired (the station's Peers), its changes merged into the station.
func benchTownship(b *testing.B, posts, households int) (*store.Store, []string) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	now := clocktest.Clock(b)
	stn, _, err := cjsync.Init(ctx, filepath.Join(dir, "station.db"), store.Identity{Role: store.RoleStation, Name: "城关派出所"}, store.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stn.Close() })
	today := schedule.FromTime(now())
	spec := func(text string) string {
		sp, err := schedule.ParseSpec(text)
		if err != nil {
			b.Fatal(err)
		}
		s, err := schedule.EncodeSpec(sp)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	var owners []string
	for p := range posts {
		name := fmt.Sprintf("第%03d警务室", p)
		post, err := store.Create(ctx, filepath.Join(dir, fmt.Sprintf("post%03d.db", p)), store.Identity{DeviceID: fmt.Sprintf("POST%03d-AAAAAAA", p), Role: store.RolePost, Name: name, Officer: "民警"}, store.Options{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		v := &store.Village{Name: fmt.Sprintf("村%03d", p)}
		team := &store.Team{Name: "巡逻队"}
		if err := post.Save(ctx, v, team); err != nil {
			b.Fatal(err)
		}
		m := &store.Member{TeamID: team.ID, Name: "张三", Role: "村警"}
		if err := post.Save(ctx, m); err != nil {
			b.Fatal(err)
		}
		daily := &store.ShiftRule{Name: "每日巡逻", TeamID: team.ID, Kind: schedule.KindPatrol, Spec: spec("每天"), Windows: "19:00-21:00", People: []string{m.ID}}
		gate := &store.ShiftRule{Name: "护学岗", TeamID: team.ID, Kind: schedule.KindSchoolGate, Spec: spec("每周一、五"), Windows: "07:00-08:00", People: []string{m.ID}}
		recs := []store.Record{daily, gate}
		for d := 1; d <= 30; d++ {
			recs = append(recs, &store.Patrol{TeamID: team.ID, RuleID: daily.ID, Date: (today - schedule.Date(d)).String(), Start: "19:00", End: "21:00", People: []string{m.ID}})
		}
		for j := range households {
			recs = append(recs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%04d", j), Status: store.StatusOwn,
				Warning: []string{store.WarnGreen, store.WarnOrange, store.WarnRed}[j%3], Categories: []string{store.CatElderly, store.CatRental}[:j%3]})
		}
		if err := post.Save(ctx, recs...); err != nil {
			b.Fatal(err)
		}
		changes, _, err := post.ChangesSince(ctx, post.DeviceID(), 0, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := stn.Apply(ctx, changes); err != nil {
			b.Fatal(err)
		}
		if err := stn.SyncBook().PutPeer(ctx, syncbook.Peer{DeviceID: post.DeviceID(), Name: name, Role: store.RolePost}); err != nil {
			b.Fatal(err)
		}
		owners = append(owners, post.DeviceID())
		if err := post.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return stn, owners
}

func benchSize() (posts, households int) {
	posts, households = 100, 2000
	if n, err := strconv.Atoi(os.Getenv("CUNJING_BENCH_POSTS")); err == nil && n > 0 {
		posts = n
	}
	return posts, households
}

// BenchmarkStationHome: the station window's first paint of 全镇总览 at 100
// posts × 2,000 households — the township read (counts grouped by owner,
// receipts, what the station holds) and the screen built and laid out in
// a 1366×768 window — then until every post's patrol figures are painted
// too (complete), against the same view with the counts and figures asked
// post by post (the per-post queries).
// Run: go test -tags sqlite_fts5 -run '^$' -bench StationHome -benchtime 3x ./app/ui/station/
func BenchmarkStationHome(b *testing.B) {
	posts, households := benchSize()
	stn, owners := benchTownship(b, posts, households)
	u, w := uitest.NewSyncEnv(b, stn)
	ctx := context.Background()
	// Warm up once: the first text a window draws loads the fonts.
	warm := NewDashboard(u)
	w.SetContent(warm.Object())
	warm.Refresh()
	u.Wait()
	b.Run("home", func(b *testing.B) {
		// The first paint: totals and every post's card, the patrol
		// figures still being counted.
		for b.Loop() {
			d := NewDashboard(u)
			w.SetContent(d.Object())
			first := false
			d.painted = func(ready bool) {
				if !ready && !first {
					first = true
					w.Canvas().Refresh(d.box)
					b.StopTimer()
				}
			}
			d.Refresh()
			u.Wait()
			b.StartTimer()
			if n := len(d.box.Objects); !first || n < posts {
				b.Fatalf("first paint %v, %d objects on the home", first, n)
			}
		}
	})
	b.Run("complete", func(b *testing.B) {
		// Until every post's patrol figures are painted too.
		for b.Loop() {
			d := NewDashboard(u)
			w.SetContent(d.Object())
			ready := false
			d.painted = func(r bool) { ready = ready || r }
			d.Refresh()
			u.Wait()
			if n := len(d.box.Objects); !ready || n < posts {
				b.Fatalf("figures painted %v, %d objects on the home", ready, n)
			}
			w.Canvas().Refresh(d.box)
		}
	})
	b.Run("per-post-queries", func(b *testing.B) {
		for b.Loop() {
			// The same cards, each post's counts and figures asked post
			// by post (receipts and what the station holds left out: the
			// baseline does less than the home there).
			now := u.Now()
			fromS, toS := syncstation.DefaultRange(now)
			from, _ := schedule.ParseDate(fromS)
			to, _ := schedule.ParseDate(toS)
			peers, err := stn.SyncBook().Peers(ctx, true)
			if err != nil {
				b.Fatal(err)
			}
			t := township{acks: map[string]cjsync.PeerAck{}, held: map[string]heldFrom{}}
			for _, p := range peers {
				c, err := stn.Counts(ctx, p.DeviceID)
				if err != nil || c.Households != households {
					b.Fatalf("%+v %v", c, err)
				}
				plan, err := syncstation.Plan(ctx, stn, p.DeviceID, from, to)
				if err != nil {
					b.Fatal(err)
				}
				t.Posts = append(t.Posts, syncstation.PostView{DeviceID: p.DeviceID, Name: p.Name, Plan: plan, Freshness: -1,
					Stats: postcounts.Stats{Houses: c.Houses, Households: c.Households, Residents: c.Residents}})
			}
			d := NewDashboard(u)
			w.SetContent(d.Object())
			d.box.Objects = dashboardView(t, nil)
			d.box.Refresh()
			w.Canvas().Refresh(d.box)
		}
	})
	_ = owners
}
