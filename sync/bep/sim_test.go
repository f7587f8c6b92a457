package bep

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// flakyConn is a link that may die: it counts what it carries both ways
// and, when die > 0, closes itself once that many bytes have passed.
type flakyConn struct {
	net.Conn
	n    *atomic.Int64
	died *atomic.Int64 // links that died
	left atomic.Int64  // bytes until it dies; <= 0: never
	once gosync.Once
}

func (c *flakyConn) count(k int) {
	c.n.Add(int64(k))
	if c.left.Load() > 0 && c.left.Add(-int64(k)) <= 0 {
		c.once.Do(func() { c.died.Add(1); c.Conn.Close() })
	}
}

func (c *flakyConn) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.count(k)
	return k, err
}

func (c *flakyConn) Write(p []byte) (int, error) {
	k, err := c.Conn.Write(p)
	c.count(k)
	return k, err
}

// fillPost gives a post a village of n households and then edits the
// notes of edits of them, every step-th.
func fillPost(b *testing.B, ctx context.Context, e *cjsync.Engine, village string, n, edits, step int) {
	b.Helper()
	v := &store.Village{Name: village}
	if err := e.Store().Save(ctx, v); err != nil {
		b.Fatal(err)
	}
	hs := make([]store.Record, 0, n)
	for j := range n {
		hs = append(hs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%03d", j), Status: store.StatusOwn, Warning: store.WarnGreen})
	}
	if err := e.Store().Save(ctx, hs...); err != nil {
		b.Fatal(err)
	}
	for j := range min(edits, (n+step-1)/step) {
		h := hs[j*step].(*store.Household)
		h.Notes = fmt.Sprintf("走访第%d次", j)
		if err := e.Store().Save(ctx, h); err != nil {
			b.Fatal(err)
		}
	}
}

// folderBytes is the size of the files in dir (changesets, blobs,
// receipts).
func folderBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkTownshipConverges: one station and N posts (CUNJING_SIM_POSTS,
// default 20) as goroutine nodes over loopback, each with its own
// database and real BEP sessions: the station listens, every post runs
// Node.Run and dials it; once over steady links, once with a third of all
// connections dying after a random 8–96 KiB, mid-handshake or mid-file
// (the posts re-dial with their backoff). Every post enters CUNJING_SIM_HOUSEHOLDS households
// (default 2,000) and edits 50; the station publishes a notice. Measured:
// the time until the station holds every post's households and every post
// the notice, and the wire bytes (both ways, TLS included, counted at the
// posts) against the files each hop carried (what the post's copies of its
// two shared folders hold). Not part of make
// test; figures in docs/BENCHMARKS.md.
func BenchmarkTownshipConverges(b *testing.B) {
	posts, households := 20, 2000
	if v, err := strconv.Atoi(os.Getenv("CUNJING_SIM_POSTS")); err == nil && v > 0 {
		posts = v
	}
	if v, err := strconv.Atoi(os.Getenv("CUNJING_SIM_HOUSEHOLDS")); err == nil && v > 0 {
		households = v
	}
	for _, cuts := range []bool{false, true} {
		name := "steady-links"
		if cuts {
			name = "a-third-of-links-cut"
		}
		b.Run(name, func(b *testing.B) { simTownship(b, posts, households, cuts) })
	}
}

func simTownship(b *testing.B, posts, households int, cuts bool) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		station := device(b, store.RoleStation, "城关派出所")
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		var wire, died atomic.Int64
		rng := rand.New(rand.NewPCG(uint64(i), 11))
		var rngMu gosync.Mutex
		flaky := func(c net.Conn) net.Conn {
			fc := &flakyConn{Conn: c, n: &wire, died: &died}
			rngMu.Lock()
			if cuts && rng.IntN(3) == 0 {
				fc.left.Store(8<<10 + rng.Int64N(88<<10))
			}
			rngMu.Unlock()
			return fc
		}
		nodes := make([]*cjsync.Engine, posts)
		for p := range nodes {
			nodes[p] = device(b, store.RolePost, fmt.Sprintf("第%d警务室", p+1))
			pairAt(b, nodes[p], station, ln.Addr().String())
			fillPost(b, ctx, nodes[p], fmt.Sprintf("%d村", p+1), households, 50, 3)
		}
		if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知", Body: "各村加强夜间巡逻"}); err != nil {
			b.Fatal(err)
		}
		var wg gosync.WaitGroup
		run := func(e *cjsync.Engine, cfg Config, l net.Listener) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = NewNode(e, cfg).Run(ctx, l, time.Minute, nil)
			}()
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		start := time.Now()
		run(station, Config{}, ln)
		for _, e := range nodes {
			run(e, Config{WrapConn: flaky}, nil)
		}
		converged := false
		var peak uint64
		for ctx.Err() == nil && !converged {
			time.Sleep(200 * time.Millisecond)
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			converged = true
			for _, e := range nodes {
				c, err := station.Store().Counts(ctx, e.Self())
				if err != nil || c.Households != households {
					converged = false
					break
				}
				ns, err := e.Store().Notices(ctx)
				if err != nil || len(ns) == 0 {
					converged = false
					break
				}
			}
		}
		took := time.Since(start)
		b.StopTimer()
		cancel()
		wg.Wait()
		if !converged {
			b.Fatalf("%d posts did not converge in 10 minutes", posts)
		}
		var payload int64
		for _, e := range nodes {
			// A folder is shared by the two ends of a hop (cj-post-<P>
			// holds the post's changesets and the station's to it): each
			// file in the post's copies crossed the link once.
			payload += folderBytes(e.FolderDir(cjsync.PostFolder(e.Self())))
			payload += folderBytes(e.FolderDir(cjsync.StationFolder(station.Self())))
		}
		b.ReportMetric(took.Seconds(), "s-to-converge")
		b.ReportMetric(float64(wire.Load())/float64(payload), "wire/payload")
		b.ReportMetric(float64(peak-min(peak, before.HeapInuse))/float64(posts+1)/(1<<20), "heap-MB/node")
		b.ReportMetric(float64(died.Load()), "links-cut")
		b.Logf("%d posts × %d households, %d links cut: converged in %s; wire %d bytes for %d bytes of files carried (%.3f×)", posts, households, died.Load(), took.Round(time.Millisecond),
			wire.Load(), payload, float64(wire.Load())/float64(payload))
	}
}
