package bep

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"strconv"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/stocksrv"
)

// envInt is the positive integer in env variable name, or def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkCountyConverges: a county, CUNJING_SIM_STATIONS stations
// (default 10) and CUNJING_SIM_POSTS posts (default 189, dealt round the
// stations) — 200 devices — as goroutine nodes, each with its own database
// and real BEP sessions. The county listens nowhere: it joins a stock
// strelaysrv and announces itself to a stock stdiscosrv, and each station
// finds it there and reaches it through the relay. Each station listens
// on loopback for its posts, which dial it; a third of the posts' links
// die after a random 8–96 KiB (the posts re-dial with their backoff;
// none with CUNJING_SIM_STEADY set).
// Every post enters CUNJING_SIM_HOUSEHOLDS households (default 1,000) and
// edits 10; every station and the county publish a notice. Measured: the
// time until the county holds every post's households and every post
// both notices (its station's and, relayed by it, the county's); the wire
// bytes per hop (TLS included: counted at the posts for the post–station
// hops, at the county for the station–county hops) against the files
// that hop carried; and the Go heap per node. Not part of make test;
// figures in docs/BENCHMARKS.md.
func BenchmarkCountyConverges(b *testing.B) {
	stations := envInt("CUNJING_SIM_STATIONS", 10)
	posts := envInt("CUNJING_SIM_POSTS", 189)
	households := envInt("CUNJING_SIM_HOUSEHOLDS", 1000)
	cutOneIn := 3
	if os.Getenv("CUNJING_SIM_STEADY") != "" {
		cutOneIn = 0 // no link dies
	}
	ip := stocksrv.HostIP(b)
	disco := stocksrv.Discovery(b, ip)
	relay := stocksrv.Relay(b, stocksrv.FreeAddr(b, ip), b.TempDir())
	servers := Servers{Discovery: []string{disco.URL}, Relays: []string{relay.URL}}
	for i := 0; i < b.N; i++ {
		simCounty(b, i, stations, posts, households, cutOneIn, servers)
	}
}

func simCounty(b *testing.B, round, nStations, nPosts, households, cutOneIn int, servers Servers) {
	b.StopTimer()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	county := device(b, store.RoleCounty, "城关县公安局")
	var postWire, countyWire, died atomic.Int64
	rng := rand.New(rand.NewPCG(uint64(round), 13))
	var rngMu gosync.Mutex
	flaky := func(c net.Conn) net.Conn {
		fc := &flakyConn{Conn: c, n: &postWire, died: &died}
		rngMu.Lock()
		if cutOneIn > 0 && rng.IntN(cutOneIn) == 0 {
			fc.left.Store(8<<10 + rng.Int64N(88<<10))
		}
		rngMu.Unlock()
		return fc
	}
	counted := func(c net.Conn) net.Conn { return &flakyConn{Conn: c, n: &countyWire, died: &died} }
	type stn struct {
		e  *cjsync.Engine
		ln net.Listener
	}
	stations := make([]stn, nStations)
	for s := range stations {
		e := device(b, store.RoleStation, fmt.Sprintf("第%d派出所", s+1))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		stations[s] = stn{e, ln}
		if p := pairUp(b, e, county, ""); len(p.Addresses) != 0 {
			b.Fatalf("the station knows the county at %v", p.Addresses)
		}
		if err := e.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("第%d派出所通知", s+1)}); err != nil {
			b.Fatal(err)
		}
	}
	if err := county.Store().Save(ctx, &store.Notice{Title: "全县冬防通知", Body: "各派出所转各警务室"}); err != nil {
		b.Fatal(err)
	}
	posts := make([]*cjsync.Engine, nPosts)
	stationOf := make([]int, nPosts)
	for p := range posts {
		s := p % nStations
		stationOf[p] = s
		e := device(b, store.RolePost, fmt.Sprintf("第%d警务室", p+1))
		posts[p] = e
		pairUp(b, e, stations[s].e, stations[s].ln.Addr().String())
		fillPost(b, ctx, e, fmt.Sprintf("%d村", p+1), households, 10, 1)
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
	run(county, Config{Servers: servers, WrapConn: counted}, nil)
	for _, s := range stations {
		run(s.e, Config{Servers: Servers{Discovery: servers.Discovery}}, s.ln)
	}
	for _, e := range posts {
		run(e, Config{WrapConn: flaky}, nil)
	}
	var peak uint64
	waiting := ""
	for ctx.Err() == nil {
		time.Sleep(500 * time.Millisecond)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		if waiting = countyWaits(ctx, county, posts, households); waiting == "" {
			break
		}
	}
	took := time.Since(start)
	b.StopTimer()
	cancel()
	wg.Wait()
	if waiting != "" {
		b.Fatalf("%d stations, %d posts did not converge in 20 minutes: %s", nStations, nPosts, waiting)
	}
	var postPayload, countyPayload int64
	for p, e := range posts {
		s := stations[stationOf[p]].e.Self()
		for _, f := range []string{cjsync.PostFolder(e.Self()), cjsync.StationFolder(s), cjsync.RelayFolder(s)} {
			postPayload += folderBytes(e.FolderDir(f))
		}
	}
	countyPayload = folderBytes(county.FolderDir(cjsync.CountyFolder(county.Self())))
	for _, s := range stations {
		countyPayload += folderBytes(county.FolderDir(cjsync.UpFolder(s.e.Self())))
	}
	devices := 1 + nStations + nPosts
	changes := int64(nPosts) * int64(households+10)
	b.ReportMetric(took.Seconds(), "s-to-converge")
	b.ReportMetric(float64(postWire.Load())/float64(postPayload), "post-hop-wire/payload")
	b.ReportMetric(float64(countyWire.Load())/float64(countyPayload), "county-hop-wire/payload")
	b.ReportMetric(float64(postWire.Load()+countyWire.Load())/float64(changes), "wire-B/post-change")
	b.ReportMetric(float64(peak-min(peak, before.HeapInuse))/float64(devices)/(1<<20), "heap-MB/node")
	b.ReportMetric(float64(died.Load()), "links-cut")
	b.Logf("%d devices (1 county, %d stations, %d posts × %d households), %d links cut: converged in %s; post hops: wire %d for %d bytes of files (%.3f×); county hops (relayed): wire %d for %d (%.3f×); %.0f wire bytes per post change end to end",
		devices, nStations, nPosts, households, died.Load(), took.Round(time.Millisecond),
		postWire.Load(), postPayload, float64(postWire.Load())/float64(postPayload),
		countyWire.Load(), countyPayload, float64(countyWire.Load())/float64(countyPayload),
		float64(postWire.Load()+countyWire.Load())/float64(changes))
}

// countyWaits says what the county simulation still waits for ("" when
// it converged): the county lacking a post's households, or a post
// lacking its station's or the county's notice.
func countyWaits(ctx context.Context, county *cjsync.Engine, posts []*cjsync.Engine, households int) string {
	for _, e := range posts {
		c, err := county.Store().Counts(ctx, e.Self())
		if err != nil || c.Households != households {
			return fmt.Sprintf("the county holds %d of %s's households (%v)", c.Households, e.Self()[:7], err)
		}
	}
	for _, e := range posts {
		ns, err := e.Store().Notices(ctx)
		if err != nil || len(ns) < 2 {
			return fmt.Sprintf("%s holds %d notices (%v)", e.Self()[:7], len(ns), err)
		}
	}
	return ""
}
