package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	gosync "sync"
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

// firstUpload gives a post paired with station 10,000 records (a village
// and 9,999 households) and cuts them, as its first upload.
func firstUpload(b testing.TB, post *Engine) {
	b.Helper()
	ctx := context.Background()
	v := &store.Village{Name: "大村"}
	if err := post.Store().Save(ctx, v); err != nil {
		b.Fatal(err)
	}
	recs := make([]store.Record, 0, 9999)
	for j := 0; j < 9999; j++ {
		recs = append(recs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%05d", j), Warning: store.WarnGreen})
	}
	if err := post.Store().Save(ctx, recs...); err != nil {
		b.Fatal(err)
	}
	mustCut(b, post)
}

// uploaded is a post paired with a station, its first upload cut.
func uploaded(b *testing.B) (post, station *Engine) {
	b.Helper()
	post = newDevice(b, store.RolePost, "P")
	station = newDevice(b, store.RoleStation, "S")
	pair(b, post, station)
	firstUpload(b, post)
	return post, station
}

// BenchmarkStationImport: the station imports one post's 10,000 records
// (one changeset); ns/op times 100 posts is the township figure if the
// posts came one after another.
func BenchmarkStationImport(b *testing.B) {
	cpu := 0.0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		post, station := uploaded(b)
		b.StartTimer()
		c0, _ := cpuSeconds()
		res := move(b, post, station, PostFolder(post.Self()))
		c1, ok := cpuSeconds()
		if res.Outcomes[Applied] != 1 || res.Changes != 40_001 {
			b.Fatalf("import %+v", res)
		}
		if ok {
			cpu += c1 - c0
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*100, "s/100posts")
	if cpu > 0 {
		b.ReportMetric(cpu/float64(b.N)*100, "cpu-s/100posts")
	}
}

// BenchmarkStationImportNaive is the baseline: the same upload merged one
// change at a time (each through store's per-field merge), in one
// transaction, with the ownership check asking per record.
func BenchmarkStationImportNaive(b *testing.B) {
	ctx := context.Background()
	cpu := 0.0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		post, station := uploaded(b)
		files, err := os.ReadDir(post.FolderDir(PostFolder(post.Self())))
		if err != nil || len(files) != 1 {
			b.Fatalf("upload: %v %v", files, err)
		}
		data, err := os.ReadFile(filepath.Join(post.FolderDir(PostFolder(post.Self())), files[0].Name()))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0, _ := cpuSeconds()
		o, err := station.openChangeset(ctx, data) // verify, decrypt and prepare, as before
		if err != nil {
			b.Fatal(err)
		}
		err = station.Store().Update(ctx, func(tx *store.Tx) error {
			for _, c := range o.Changes {
				if _, _, err := tx.RecordOwner(c.Table, c.Record); err != nil {
					return err
				}
				if _, err := tx.Apply([]store.Change{c}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if c1, ok := cpuSeconds(); ok {
			cpu += c1 - c0
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*100, "s/100posts")
	if cpu > 0 {
		b.ReportMetric(cpu/float64(b.N)*100, "cpu-s/100posts")
	}
}

// BenchmarkStationImportTownship: eight posts' first uploads arrive at
// once, as concurrent BEP sessions bring them; one post's changeset is
// decrypted and decoded while another's is applied. s/100posts scales the
// time per post to the township; CUNJING_BENCH_POSTS=100 imports the whole
// township for real (the database grows to 4 million changes, so this is
// the honest figure; it takes a few minutes to set up).
func BenchmarkStationImportTownship(b *testing.B) {
	posts := 8
	if n, err := strconv.Atoi(os.Getenv("CUNJING_BENCH_POSTS")); err == nil && n > 0 {
		posts = n
	}
	ctx := context.Background()
	cpu := 0.0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		station := newDevice(b, store.RoleStation, "S")
		var ps []*Engine
		for range posts {
			p := newDevice(b, store.RolePost, "P")
			pair(b, p, station)
			firstUpload(b, p)
			ps = append(ps, p)
		}
		res := make([]DirResult, posts)
		errs := make([]error, posts)
		var wg gosync.WaitGroup
		b.StartTimer()
		c0, _ := cpuSeconds()
		for j, p := range ps {
			wg.Go(func() {
				res[j], errs[j] = station.ImportDir(ctx, "bench", p.FolderDir(PostFolder(p.Self())), true)
			})
		}
		wg.Wait()
		b.StopTimer()
		if c1, ok := cpuSeconds(); ok {
			cpu += c1 - c0
		}
		for j := range ps {
			if errs[j] != nil || res[j].Outcomes[Applied] != 1 {
				b.Fatalf("post %d: %+v %v", j, res[j], errs[j])
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*posts)*100, "s/100posts")
	if cpu > 0 {
		b.ReportMetric(cpu/float64(b.N*posts)*100, "cpu-s/100posts")
	}
}
