package emergency

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"cunjing/app/demo"
	"cunjing/maps/route"
	"cunjing/print/ecard"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// The ≤ 3 s figure (issue #24): from the first key to the card on the
// 3,000-house demo village, against today's path — locate the house, then
// work out the route, then open the household — in the same run:
//
//	go test -tags sqlite_fts5 -run '^$' -bench 'FirstKeyToCard|TodaysPath' -benchtime 3x -count 3 ./app/emergency/

var (
	benchOnce sync.Once
	benchPath string
	benchDir  string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchDB(b *testing.B) (*store.Store, store.Village) {
	b.Helper()
	benchOnce.Do(func() {
		// One demo for both benchmarks, removed by TestMain.
		benchDir, benchErr = os.MkdirTemp("", "cunjing-emergency-bench-")
		if benchErr == nil {
			benchPath = filepath.Join(benchDir, "post3000.db")
			benchErr = demo.Create(context.Background(), benchPath, demo.Options{Houses: 3000, Today: clocktest.Today(b)})
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	s, err := store.Open(context.Background(), benchPath, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	v, err := s.VillageByName(context.Background(), "张庄村")
	if err != nil {
		b.Fatal(err)
	}
	return s, v
}

// BenchmarkFirstKeyToCard is the window's path from cold (nothing read
// yet): the village's map, search index and router, the query, the card
// (households, residents, neighbours, roster), the log entry and the
// card's map picture.
func BenchmarkFirstKeyToCard(b *testing.B) {
	s, v := benchDB(b)
	f, err := fonts.Find("")
	if err != nil {
		b.Skip(err)
	}
	ctx := context.Background()
	now := clocktest.Today(b)
	b.ResetTimer()
	for range b.N {
		src, err := Load(ctx, s, v.ID)
		if err != nil {
			b.Fatal(err)
		}
		hits, err := src.Resolve(ctx, "2203")
		if err != nil || len(hits) != 1 {
			b.Fatalf("2203: %v %v", hits, err)
		}
		c, err := Build(ctx, s, src, hits[0].HouseID, Options{Role: store.UserOfficer, Now: now})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Log(ctx, s, src, c, "2203", "bench", store.UserOfficer); err != nil {
			b.Fatal(err)
		}
		if _, err := ecard.MapImage(c, src.Map, f, 1120, 840); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTodaysPath is the same answer the way it is found today: 地图's
// search (the map read, then located), the route (the map read again, the
// router built), then 住户 (the household and its people).
func BenchmarkTodaysPath(b *testing.B) {
	s, v := benchDB(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		mv, err := mapdata.Load(ctx, s, v.ID)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := search.Parse("2203")
		if err != nil {
			b.Fatal(err)
		}
		found, err := s.Search(ctx, store.SearchQuery{Text: "2203", VillageID: v.ID})
		if err != nil {
			b.Fatal(err)
		}
		hits := search.OnMap(plan, found, mv)
		if len(hits) == 0 {
			b.Fatal("2203: not found")
		}
		mv, err = mapdata.Load(ctx, s, v.ID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := route.Find(mv, route.Options{To: hits[0].Number}); err != nil {
			b.Fatal(err)
		}
		hhs, err := s.HouseholdsOfHouse(ctx, hits[0].HouseID)
		if err != nil {
			b.Fatal(err)
		}
		for _, hh := range hhs {
			if _, err := s.Residents(ctx, hh.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
}
