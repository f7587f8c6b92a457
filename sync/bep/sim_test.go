package bep

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/entries"
	"cunjing/sync/changeset"
)

// flakyConn is a link that may die: it counts what it carries both ways
// and, when die > 0, closes itself once that many bytes have passed.
type flakyConn struct {
	net.Conn
	n    *atomic.Int64
	died *atomic.Int64 // links that died
	left atomic.Int64  // bytes until it dies; <= 0: never
	once gosync.Once
	mine atomic.Int64 // what this connection carried
	dead atomic.Bool
}

func (c *flakyConn) count(k int) {
	c.n.Add(int64(k))
	c.mine.Add(int64(k))
	if c.left.Load() > 0 && c.left.Add(-int64(k)) <= 0 {
		c.once.Do(func() { c.died.Add(1); c.dead.Store(true); c.Conn.Close() })
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

// BenchmarkTownshipConverges: one station and N posts (CUNJING_SIM_POSTS,
// default 20) as goroutine nodes over loopback, each with its own
// database and real BEP sessions: the station listens, every post runs
// Node.Run and dials it; once over steady links, once with a third of all
// connections dying after a random 8–96 KiB, mid-handshake or mid-file
// (the posts re-dial with their backoff). Every post enters CUNJING_SIM_HOUSEHOLDS households
// (default 2,000) and edits 50; the station publishes a notice. Measured:
// the time until the station holds every post's households and every post
// the notice, and the wire bytes (both ways, TLS included, counted at the
// posts, until both ends of every hop hold the same files) against the
// files each hop carried (those both ends of its two shared folders hold)
// and the changesets among them. Not part of make test; figures in
// docs/BENCHMARKS.md.
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
		if !converged {
			cancel()
			wg.Wait()
			b.Fatalf("%d posts did not converge in 10 minutes", posts)
		}
		// Each post shares two folders with the station (cj-post-<P>: the
		// post's changesets and the station's receipts and changesets to
		// it; the station's broadcast): the wire is read once both ends
		// hold the same files in each, and the payload is what both hold.
		var hops [][2]string
		for _, e := range nodes {
			for _, f := range []string{cjsync.PostFolder(e.Self()), cjsync.StationFolder(station.Self())} {
				hops = append(hops, [2]string{e.FolderDir(f), station.FolderDir(f)})
			}
		}
		settle := time.Now()
		for ; ctx.Err() == nil && time.Since(settle) < 2*time.Minute; time.Sleep(200 * time.Millisecond) {
			same := true
			for _, h := range hops {
				same = same && sameFiles(h[0], h[1])
			}
			if same {
				break
			}
		}
		w := wire.Load()
		cancel()
		wg.Wait()
		var payload, changesets int64
		for _, h := range hops {
			payload += crossedBytes(h[0], h[1], entries.Wanted)
			changesets += crossedBytes(h[0], h[1], changeset.IsName)
		}
		b.ReportMetric(took.Seconds(), "s-to-converge")
		b.ReportMetric(float64(w)/float64(payload), "wire/payload")
		b.ReportMetric(float64(w)/float64(changesets), "wire/changesets")
		b.ReportMetric(float64(peak-min(peak, before.HeapInuse))/float64(posts+1)/(1<<20), "heap-MB/node")
		b.ReportMetric(float64(died.Load()), "links-cut")
		b.Logf("%d posts × %d households, %d links cut: converged in %s; wire %d bytes for %d bytes of files carried (%.3f×), of them %d of changesets (%.3f×)", posts, households, died.Load(), took.Round(time.Millisecond),
			w, payload, float64(w)/float64(payload), changesets, float64(w)/float64(changesets))
	}
}

// crossedBytes is the size of the files a hop carried in one folder: the
// files named as want says (entries.Wanted: changesets, blobs, receipts) both
// its ends hold, whole.
func crossedBytes(a, b string, want func(string) bool) int64 {
	n, _ := crossed(a, b, want)
	return n
}

// crossed is crossedBytes, and how many files.
func crossed(a, b string, want func(string) bool) (n, files int64) {
	es, _ := os.ReadDir(a)
	for _, en := range es {
		if !en.Type().IsRegular() || !want(en.Name()) {
			continue
		}
		ia, err := en.Info()
		if err != nil {
			continue
		}
		if ib, err := os.Stat(filepath.Join(b, en.Name())); err == nil && ib.Size() == ia.Size() {
			n += ia.Size()
			files++
		}
	}
	return n, files
}

// msgTally counts the BEP messages read whole on a hop, by direction
// (up: read by the device above) and type.
type msgTally struct {
	mu    gosync.Mutex
	n     [2][8]int64
	bytes [2][8]int64
	conns map[string]*connTally // by the address of the lower device's end
}

type connTally struct {
	c   *flakyConn
	msg int64 // bytes of whole messages read on it, both ways
}

// link registers a connection of the lower device, by its local address.
func (t *msgTally) link(c *flakyConn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conns == nil {
		t.conns = map[string]*connTally{}
	}
	t.conns[c.LocalAddr().String()] = &connTally{c: c}
}

// on counts a message read whole on the connection whose lower end is at
// addr.
func (t *msgTally) on(addr string, up bool, typ, size int) {
	t.add(up, typ, size)
	t.mu.Lock()
	if ct := t.conns[addr]; ct != nil {
		ct.msg += int64(size)
	}
	t.mu.Unlock()
}

// lost says, over the connections that died and those that did not, the
// wire bytes that were not whole messages (TLS, Hello, messages cut).
func (t *msgTally) lost() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var n [2]int64
	var w, m [2]int64
	for _, ct := range t.conns {
		i := 0
		if ct.c.dead.Load() {
			i = 1
		}
		n[i]++
		w[i] += ct.c.mine.Load()
		m[i] += ct.msg
	}
	return fmt.Sprintf("%d connections lived: %d B on the wire, %d B of it whole messages; %d died: %d B, %d B whole messages, so %d B lost a cut",
		n[0], w[0], m[0], n[1], w[1], m[1], (w[1]-m[1])/max(n[1], 1)-(w[0]-m[0])/max(n[0], 1))
}

func (t *msgTally) add(up bool, typ, size int) {
	if typ < 0 || typ >= 8 {
		typ = 5
	}
	d := 0
	if !up {
		d = 1
	}
	t.mu.Lock()
	t.n[d][typ]++
	t.bytes[d][typ] += int64(size)
	t.mu.Unlock()
}

func (t *msgTally) total() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	var s int64
	for d := range t.bytes {
		for _, b := range t.bytes[d] {
			s += b
		}
	}
	return s
}

// perLink says, per link (divided by links), the count and bytes of each
// message type both ways.
func (t *msgTally) perLink(links int64) string {
	names := []string{"ClusterConfig", "Index", "IndexUpdate", "Request", "Response", "DownloadProgress", "Ping", "Close"}
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for typ, nm := range names {
		if t.n[0][typ]+t.n[1][typ] == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s %.1f/%.1f × = %d/%d B", nm, float64(t.n[0][typ])/float64(links), float64(t.n[1][typ])/float64(links),
			t.bytes[0][typ]/links, t.bytes[1][typ]/links))
	}
	return strings.Join(out, ", ")
}

// sameFiles reports whether two copies of a folder hold the same files
// (changesets, blobs, receipts: nothing is on its way between them).
func sameFiles(a, b string) bool {
	names := func(dir string) map[string]bool {
		m := map[string]bool{}
		es, _ := os.ReadDir(dir)
		for _, en := range es {
			if en.Type().IsRegular() && entries.Wanted(en.Name()) {
				m[en.Name()] = true
			}
		}
		return m
	}
	x, y := names(a), names(b)
	if len(x) != len(y) {
		return false
	}
	for k := range x {
		if !y[k] {
			return false
		}
	}
	return true
}
