package station

import (
	"context"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/synctest"
)

func TestCountyView(t *testing.T) {
	ctx := context.Background()
	county := device(t, store.RoleCounty, "城关县公安局")
	stations := []*cjsync.Engine{device(t, store.RoleStation, "城关派出所"), device(t, store.RoleStation, "河口派出所")}
	synctest.Pair(t, county, stations[0])
	synctest.Pair(t, county, stations[1])
	n := 0
	for si, st := range stations {
		for pi := 0; pi <= si; pi++ { // one post under the first station, two under the second
			p := device(t, store.RolePost, []string{"东关", "西关"}[pi]+"村警务室")
			synctest.Pair(t, p, st)
			v := &store.Village{Name: "村"}
			if err := p.Store().Save(ctx, v); err != nil {
				t.Fatal(err)
			}
			n++
			for j := 0; j < n; j++ {
				if err := p.Store().Save(ctx, &store.Household{VillageID: v.ID, OwnerName: "户", Warning: store.WarnRed}); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Store().Save(ctx, &store.Patrol{Date: "2026-11-20", People: []string{"x"}}); err != nil {
				t.Fatal(err)
			}
			synctest.Up(t, p, st)
		}
		synctest.Up(t, st, county)
	}
	c, err := CountyView(ctx, county, "2026-11-01", "2026-11-30", 24*time.Hour, clocktest.Today(t))
	if err != nil {
		t.Fatal(err)
	}
	// Households: 1 under the first station, 2+3 under the second.
	if len(c.Stations) != 2 || c.Total.Households != 6 || c.Total.Patrols != 3 || len(c.StalePosts) != 0 || len(c.StaleStations) != 0 {
		t.Fatalf("county %+v", c)
	}
	got := map[string][2]int{}
	for _, s := range c.Stations {
		got[s.Name] = [2]int{len(s.Township.Posts), s.Township.Total.Households}
		for _, p := range s.Township.Posts {
			if p.Name == "" || p.Freshness < 0 || len(p.Villages) != 1 {
				t.Fatalf("post row %+v", p)
			}
		}
	}
	if got["城关派出所"] != [2]int{1, 1} || got["河口派出所"] != [2]int{2, 5} {
		t.Fatalf("stations: %v", got)
	}
	// The same posts, in the county's month report's list, named with
	// their station.
	rp, err := tierdata.ReportedPosts(ctx, county.Store())
	if err != nil || len(rp) != 3 || rp[0].StationName == "" {
		t.Fatalf("reported posts %+v %v", rp, err)
	}
	if _, err := CountyView(ctx, stations[0], "", "", time.Hour, clocktest.Today(t)); err == nil {
		t.Fatal("a station has no county view")
	}
	// The county publishes like a station.
	if res, err := Publish(ctx, county, &store.Notice{Title: "全县冬防"}); err != nil || len(res.Changesets) == 0 {
		t.Fatalf("county publish %+v %v", res, err)
	}
}
