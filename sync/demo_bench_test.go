package sync_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"cunjing/assets"
	"cunjing/store"
	"cunjing/store/demodata"
	cjsync "cunjing/sync"
)

// BenchmarkDayOfWorkDemo: the demo post (two villages, 384 houses, about
// 1,000 residents, a month of patrols) makes 200 household edits. What
// people do today is ship the database file; the day's changeset is
// compared with the whole file and with only the file's 128 KiB blocks the
// edits changed (what a block-level file sync would send).
func BenchmarkDayOfWorkDemo(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		path := filepath.Join(dir, "post.db")
		if err := createDemo(ctx, path); err != nil {
			b.Fatal(err)
		}
		post := openPaired(b, ctx, path, filepath.Join(dir, "station.db"))
		if _, err := post.Cut(ctx); err != nil {
			b.Fatal(err)
		}
		before := closeAndRead(b, post.Store(), path)

		st, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		post, err = cjsync.New(ctx, st, cjsync.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := st.Households(ctx, store.HouseholdFilter{Limit: 200})
		if err != nil || len(rows) < 200 {
			b.Fatalf("demo households: %d %v", len(rows), err)
		}
		b.StartTimer()
		for j, r := range rows {
			var h store.Household
			if err := st.Get(ctx, &h, r.ID); err != nil {
				b.Fatal(err)
			}
			h.Notes = fmt.Sprintf("走访 第%d次：家中老人身体好", j)
			if err := st.Save(ctx, &h); err != nil {
				b.Fatal(err)
			}
		}
		cut, err := post.Cut(ctx)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		after := closeAndRead(b, st, path)
		csBytes := cut.Bytes
		const block = 128 << 10
		changed := int64(0)
		for off := 0; off < len(after); off += block {
			a := after[off:min(off+block, len(after))]
			if off >= len(before) || !bytes.Equal(a, before[off:min(off+block, len(before))]) {
				changed += int64(len(a))
			}
		}
		b.ReportMetric(float64(csBytes), "changeset-bytes")
		b.ReportMetric(float64(len(after)), "db-file-bytes")
		b.ReportMetric(float64(len(after))/float64(csBytes), "file/changeset")
		b.ReportMetric(float64(changed)/float64(csBytes), "changed-blocks/changeset")
		b.StartTimer()
	}
}

// openPaired opens the post at path and pairs it with a new station.
func openPaired(b *testing.B, ctx context.Context, path, stationPath string) *cjsync.Engine {
	b.Helper()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	post, err := cjsync.New(ctx, st, cjsync.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sst, _, err := cjsync.Init(ctx, stationPath, store.Identity{Role: store.RoleStation, Name: "城关派出所"}, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sst.Close() })
	station, err := cjsync.New(ctx, sst, cjsync.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sc, err := station.Identity().Code("城关派出所", store.RoleStation, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := post.Pair(ctx, sc); err != nil {
		b.Fatal(err)
	}
	return post
}

// closeAndRead closes a store (which folds the WAL into the file) and
// returns the file's bytes, as someone copying it would get them.
func closeAndRead(b *testing.B, st *store.Store, path string) []byte {
	b.Helper()
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// createDemo makes the demo post at path as app/demo.Create does (its own
// identity, the generator, the embedded cost items); sync's tests do not
// import app.
func createDemo(ctx context.Context, path string) error {
	items, err := assets.DefaultCostItems()
	if err != nil {
		return err
	}
	opt := demodata.Options{}
	for _, c := range items {
		opt.CostItems = append(opt.CostItems, store.CostItem{Tier: c.Tier, Grp: c.Grp, Text: c.Text, AmountMin: c.AmountMin, AmountMax: c.AmountMax,
			Unit: c.Unit, Law: c.Law, Article: c.Article, LawVersion: c.LawVersion, EffectiveDate: c.EffectiveDate,
			CheckedOn: c.CheckedOn, Confirmed: c.Confirmed, Local: c.Local, Sort: int64(c.Sort), Source: c.Source})
	}
	s, _, err := cjsync.Init(ctx, path, demodata.Profile(), store.Options{})
	if err != nil {
		return err
	}
	err = demodata.Fill(ctx, s, opt)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}
