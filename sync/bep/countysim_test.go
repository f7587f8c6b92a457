package bep

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/entries"
	"cunjing/sync/bep/servers"
	"cunjing/sync/bep/stocksrv"
	"cunjing/sync/changeset"
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
	srv := servers.List{Discovery: []string{disco.URL}, Relays: []string{relay.URL}}
	for i := 0; i < b.N; i++ {
		simCounty(b, i, stations, posts, households, cutOneIn, srv)
	}
}

func simCounty(b *testing.B, round, nStations, nPosts, households, cutOneIn int, srv servers.List) {
	b.StopTimer()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	county := device(b, store.RoleCounty, "城关县公安局")
	var postWire, countyWire, died, postLinks atomic.Int64
	var tally msgTally
	rng := rand.New(rand.NewPCG(uint64(round), 13))
	var rngMu gosync.Mutex
	flaky := func(c net.Conn) net.Conn {
		postLinks.Add(1)
		fc := &flakyConn{Conn: c, n: &postWire, died: &died}
		rngMu.Lock()
		if cutOneIn > 0 && rng.IntN(cutOneIn) == 0 {
			fc.left.Store(8<<10 + rng.Int64N(88<<10))
		}
		rngMu.Unlock()
		tally.link(fc)
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
	run(county, Config{Servers: srv, WrapConn: counted}, nil)
	for _, s := range stations {
		// What a station reads on its listener came from a post.
		addr := s.ln.Addr().String()
		run(s.e, Config{Servers: servers.List{Discovery: srv.Discovery}, onMessage: func(c net.Conn, typ, size int) {
			if c.LocalAddr().String() == addr {
				tally.on(c.RemoteAddr().String(), true, typ, size)
			}
		}}, s.ln)
	}
	for _, e := range posts {
		run(e, Config{WrapConn: flaky, onMessage: func(c net.Conn, typ, size int) { tally.on(c.LocalAddr().String(), false, typ, size) }}, nil)
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
	if waiting != "" {
		cancel()
		wg.Wait()
		b.Fatalf("%d stations, %d posts did not converge in 20 minutes: %s", nStations, nPosts, waiting)
	}
	// The hops the wire is measured on, as the folder directories at
	// their two ends.
	type hop struct{ a, b string }
	var postHops, countyHops []hop
	for p, e := range posts {
		s := stations[stationOf[p]].e
		for _, f := range []string{cjsync.PostFolder(e.Self()), cjsync.StationFolder(s.Self()), cjsync.RelayFolder(s.Self())} {
			postHops = append(postHops, hop{e.FolderDir(f), s.FolderDir(f)})
		}
	}
	for _, s := range stations {
		for _, f := range []string{cjsync.CountyFolder(county.Self()), cjsync.UpFolder(s.e.Self())} {
			countyHops = append(countyHops, hop{county.FolderDir(f), s.e.FolderDir(f)})
		}
	}
	// Converged is not done: receipts and the index entries saying a
	// file arrived still cross after the last household did. The wire is
	// measured once every hop is settled (both ends hold the same files),
	// so what it carries after convergence counts too.
	// A held session that pulled files settles (its receipt) within
	// holdMax of its first pull, so the hops are looked at again once
	// that long has passed since convergence.
	settleStart := time.Now()
	unsettled := 0
	for round := 0; round < 2; round++ {
		if round == 1 {
			time.Sleep(time.Until(settleStart.Add(holdMax + 2*time.Second)))
		}
		for ctx.Err() == nil && time.Since(settleStart) < 5*time.Minute {
			unsettled = 0
			for _, h := range append(postHops, countyHops...) {
				if !sameFiles(h.a, h.b) {
					unsettled++
				}
			}
			if unsettled == 0 {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	settled := time.Since(settleStart)
	postW, countyW := postWire.Load(), countyWire.Load()
	cancel()
	wg.Wait()
	if unsettled > 0 {
		b.Logf("%d folders still differ between the ends of their hop after %s", unsettled, settled.Round(time.Second))
	}
	// What a hop carried: the files both its ends hold, in each folder
	// they share (a file one end made and has not sent yet did not cross),
	// and of them the changesets alone (receipts are not).
	var postPayload, countyPayload, postCS, countyCS, postRc, postRcN int64
	for _, h := range postHops {
		postPayload += crossedBytes(h.a, h.b, entries.Wanted)
		postCS += crossedBytes(h.a, h.b, changeset.IsName)
		n, k := crossed(h.a, h.b, changeset.IsReceiptName)
		postRc, postRcN = postRc+n, postRcN+k
	}
	for _, h := range countyHops {
		countyPayload += crossedBytes(h.a, h.b, entries.Wanted)
		countyCS += crossedBytes(h.a, h.b, changeset.IsName)
	}
	// Receipts a post link carried, by who made them, and with
	// CUNJING_SIM_LIST=N the first N posts' files in time order.
	var rcPost, rcStation int64
	for p, e := range posts {
		s := stations[stationOf[p]].e
		dir := e.FolderDir(cjsync.PostFolder(e.Self()))
		es, _ := os.ReadDir(dir)
		for _, en := range es {
			nm := en.Name()
			if !changeset.IsReceiptName(nm) || !sameFile(dir, s.FolderDir(cjsync.PostFolder(e.Self())), nm) {
				continue
			}
			if strings.HasPrefix(nm, "rc-"+shortDev(e.Self())) {
				rcPost++
			} else {
				rcStation++
			}
		}
		if p < envInt("CUNJING_SIM_LIST", 0) {
			b.Logf("post %d (%s), station %s:\n%s", p, shortDev(e.Self()), shortDev(s.Self()), timeline(start, e, s))
		}
	}
	devices := 1 + nStations + nPosts
	changes := int64(nPosts) * int64(households+10)
	b.ReportMetric(took.Seconds(), "s-to-converge")
	b.ReportMetric(float64(postW)/float64(postPayload), "post-hop-wire/payload")
	b.ReportMetric(float64(countyW)/float64(countyPayload), "county-hop-wire/payload")
	b.ReportMetric(float64(postW)/float64(postCS), "post-hop-wire/changesets")
	b.ReportMetric(float64(countyW)/float64(countyCS), "county-hop-wire/changesets")
	b.ReportMetric(float64(postW+countyW)/float64(changes), "wire-B/post-change")
	b.ReportMetric(float64(peak-min(peak, before.HeapInuse))/float64(devices)/(1<<20), "heap-MB/node")
	b.ReportMetric(float64(died.Load()), "links-cut")
	b.Logf("%d devices (1 county, %d stations, %d posts × %d households), %d links cut: converged in %s, settled %s later; post hops: wire %d for %d bytes of files (%.3f×), of them %d of changesets (%.3f×); county hops (relayed): wire %d for %d (%.3f×), changesets %d (%.3f×); %.0f wire bytes per post change end to end",
		devices, nStations, nPosts, households, died.Load(), took.Round(time.Millisecond), settled.Round(time.Millisecond),
		postW, postPayload, float64(postW)/float64(postPayload), postCS, float64(postW)/float64(postCS),
		countyW, countyPayload, float64(countyW)/float64(countyPayload), countyCS, float64(countyW)/float64(countyCS),
		float64(postW+countyW)/float64(changes))
	b.Logf("post hops, per post: %.1f connections; BEP messages read whole, up (post → station) / down: %s; files %d B (%.1f receipts, %d B: %.1f the post's, %.1f the station's); the rest (TLS, messages cut): %d B",
		float64(postLinks.Load())/float64(nPosts), tally.perLink(int64(nPosts)), postPayload/int64(nPosts),
		float64(postRcN)/float64(nPosts), postRc/int64(nPosts), float64(rcPost)/float64(nPosts), float64(rcStation)/float64(nPosts),
		(postW-tally.total())/int64(nPosts))
	b.Logf("post hops: %s", tally.lost())
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

// shortDev is a device ID's short form in file names.
func shortDev(id string) string { return strings.ReplaceAll(id, "-", "")[:7] }

// sameFile reports whether both directories hold name, of one size.
func sameFile(a, b, name string) bool {
	ia, err := os.Stat(filepath.Join(a, name))
	if err != nil {
		return false
	}
	ib, err := os.Stat(filepath.Join(b, name))
	return err == nil && ia.Size() == ib.Size()
}

// timeline lists the files of a post's three folders at the post, by
// their modification time (the origin's) after start: folder, name, size,
// and whether the station holds it.
func timeline(start time.Time, post, station *cjsync.Engine) string {
	type ent struct {
		at   time.Duration
		line string
	}
	var ents []ent
	for _, f := range []string{cjsync.PostFolder(post.Self()), cjsync.StationFolder(station.Self()), cjsync.RelayFolder(station.Self())} {
		es, _ := os.ReadDir(post.FolderDir(f))
		for _, en := range es {
			fi, err := en.Info()
			if err != nil || !entries.Wanted(en.Name()) {
				continue
			}
			there := sameFile(post.FolderDir(f), station.FolderDir(f), en.Name())
			ents = append(ents, ent{fi.ModTime().Sub(start), fmt.Sprintf("%8.1fs %-8s %-60s %6d %v", fi.ModTime().Sub(start).Seconds(), f[:8], en.Name(), fi.Size(), there)})
		}
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].at < ents[j].at })
	var lines []string
	for _, e := range ents {
		lines = append(lines, e.line)
	}
	return strings.Join(lines, "\n")
}
