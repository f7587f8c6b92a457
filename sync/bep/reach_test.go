package bep

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/servers"
	"cunjing/sync/bep/stocksrv"
)

// These tests run the stock servers Debian packages (stdiscosrv and
// strelaysrv, 1.19: package stocksrv) against the syncthing module's
// client code (v1.30) that cunjing uses.

// pairBlind pairs post and station with no address on either side: the
// post can find the station only through the servers.
func pairBlind(t *testing.T, post, station *cjsync.Engine) syncbook.Peer {
	t.Helper()
	p := pairAt(t, post, station, "")
	if len(p.Addresses) != 0 {
		t.Fatalf("the post knows the station at %v", p.Addresses)
	}
	return p
}

// runStation runs the station's node (listening on ln when set) until the
// test ends.
func runStation(t *testing.T, ctx context.Context, station *cjsync.Engine, cfg Config, ln net.Listener) *Node {
	t.Helper()
	n := NewNode(station, cfg)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = n.Run(ctx, ln, time.Hour, nil)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return n
}

// syncUntil dials until a session completes or ctx ends (a station's first
// announcement goes out 5 s after it starts, and a relay needs a moment to
// take its join).
func syncUntil(t *testing.T, ctx context.Context, n *Node, peer syncbook.Peer) Result {
	t.Helper()
	var last error
	for ctx.Err() == nil {
		r, err := n.SyncOnce(ctx, peer)
		if err == nil && r.Complete {
			return r
		}
		last = err
		if err == nil {
			last = fmt.Errorf("incomplete: %+v", r)
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
	t.Fatalf("no complete session: %v", last)
	return Result{}
}

func saveVillage(t *testing.T, ctx context.Context, e *cjsync.Engine, name string) {
	t.Helper()
	if err := e.Store().Save(ctx, &store.Village{Name: name}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Cut(ctx); err != nil {
		t.Fatal(err)
	}
}

// reachWorld is a stock discovery server and relay on this machine's
// address, and a post and a station paired with no address for each
// other.
type reachWorld struct {
	ip            string
	disco, relay  *stocksrv.Server
	post, station *cjsync.Engine
	peer          syncbook.Peer // the station as the post knows it
}

// newReachWorld starts the servers (the relay's key in keys: "" for a
// fresh folder) and pairs the devices.
func newReachWorld(t *testing.T, relayAddr, keys string) *reachWorld {
	t.Helper()
	w := &reachWorld{ip: stocksrv.HostIP(t)}
	w.disco = stocksrv.Discovery(t, w.ip)
	if relayAddr == "" {
		relayAddr = stocksrv.FreeAddr(t, w.ip)
	}
	if keys == "" {
		keys = t.TempDir()
	}
	w.relay = stocksrv.Relay(t, relayAddr, keys)
	w.post = device(t, store.RolePost, "P")
	w.station = device(t, store.RoleStation, "S")
	w.peer = pairBlind(t, w.post, w.station)
	return w
}

// both is the servers, for the station.
func (w *reachWorld) both() servers.List {
	return servers.List{Discovery: []string{w.disco.URL}, Relays: []string{w.relay.URL}}
}

// TestRelayWhenNoDirectPath: the station does not listen at all (behind a
// carrier's NAT), joins a stock relay and announces it to a stock
// discovery server; a post that knows neither its address nor the relay,
// only the discovery server, syncs with it through the relay.
func TestRelayWhenNoDirectPath(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	w := newReachWorld(t, "", "")
	post, station, peer, disco, relay := w.post, w.station, w.peer, w.disco, w.relay
	saveVillage(t, ctx, post, "南岗村")
	// What a station publishes goes to its posts (a village it keeps
	// would stay at the station: sync's streams()).
	if err := station.Store().Save(ctx, &store.Notice{Title: "派出所通知"}); err != nil {
		t.Fatal(err)
	}
	if _, err := station.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	sn := runStation(t, ctx, station, Config{Servers: w.both()}, nil)

	pn := NewNode(post, Config{Servers: servers.List{Discovery: []string{disco.URL}}})
	r := syncUntil(t, ctx, pn, peer)
	if r.Path != PathRelay || !strings.HasPrefix(r.Address, "relay://") {
		t.Fatalf("session went %q via %q, want the relay", r.Path, r.Address)
	}
	if a, b := dump(t, post, ""), dump(t, station, ""); a != b {
		t.Fatalf("post and station differ after a relayed session:\n%s\n---\n%s", a, b)
	}
	for _, st := range sn.ReachStatus() {
		if st.Err != nil {
			t.Errorf("station's %s: %v", st.Server, st.Err)
		}
	}
	// Both sides keep how the session went, and status says it.
	if got, err := post.Book().Peer(ctx, station.Self()); err != nil || got.LastPath != PathRelay {
		t.Errorf("the post notes the path to the station as %q (%v)", got.LastPath, err)
	}
	// The station notes it when its side of the session ends, which may
	// be a moment after the post's.
	var got syncbook.Peer
	var err error
	for range 100 {
		if got, err = station.Book().Peer(ctx, post.Self()); err != nil || got.LastPath == PathRelay {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || got.LastPath != PathRelay {
		t.Errorf("the station notes the path to the post as %q (%v)", got.LastPath, err)
	}
	if st, err := post.Status(ctx); err != nil || len(st.Peers) != 1 || st.Peers[0].LastPath != PathRelay {
		t.Errorf("status: %+v %v", st.Peers, err)
	}
	// With the relay alone (no discovery server) the post still reaches
	// the station: a relay joins two devices that both joined it.
	saveVillage(t, ctx, post, "北岗村")
	r = syncUntil(t, ctx, NewNode(post, Config{Servers: servers.List{Relays: []string{relay.URL}}}), peer)
	if r.Path != PathRelay {
		t.Fatalf("relay-only session went %q", r.Path)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("the relay-only session did not carry the edit")
	}
}

// TestRelayedSessionsBackToBack: a stock strelaysrv refuses the second of
// two joins that reach a session at the same moment ("already
// connected": its session takes a join only while its goroutine waits for
// one), and the side refused had no way back: when it was the station,
// the post waited out its 20 s TLS handshake for a peer that never came.
// On one machine the two joins arrive together; every one of many
// sessions in a row must still complete at once. And when the station's
// side is lost all the same (its join refused because it reached the
// relay after the post's stagger, on a loaded machine: here its
// connection hears nothing), the post, hearing nothing from it, asks the
// relay for another session within relayFirstByte, where it waited out
// its 20 s TLS handshake and the session failed.
func TestRelayedSessionsBackToBack(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	w := newReachWorld(t, "", "")
	relayOnly := servers.List{Relays: []string{w.relay.URL}}
	var lose atomic.Bool
	deaf := make(chan struct{})
	close(deaf)
	runStation(t, ctx, w.station, Config{Servers: relayOnly, WrapConn: func(c net.Conn) net.Conn {
		if lose.CompareAndSwap(true, false) {
			return deafConn{Conn: c, deaf: deaf}
		}
		return c
	}}, nil)
	pn := NewNode(w.post, Config{Servers: relayOnly, relayFirstByte: time.Second})
	syncUntil(t, ctx, pn, w.peer) // once the station has joined the relay
	lose.Store(true)
	sctx, scancel := context.WithTimeout(ctx, 5*time.Second)
	r, err := pn.SyncOnce(sctx, w.peer)
	scancel()
	if err != nil || !r.Complete || r.Path != PathRelay || lose.Load() {
		t.Fatalf("session through the relay whose first is lost at the station (5 s): %+v %v (lost: %v)", r, err, !lose.Load())
	}
	for i := range 25 {
		// A lost session waited out the 20 s TLS handshake.
		sctx, scancel := context.WithTimeout(ctx, 5*time.Second)
		r, err := pn.SyncOnce(sctx, w.peer)
		scancel()
		if err != nil || !r.Complete || r.Path != PathRelay {
			t.Fatalf("session %d through the relay (5 s): %+v %v", i, r, err)
		}
	}
}

// TestDirectPreferredOverRelay: a station that listens and announces its
// address as well as its relay is reached directly.
func TestDirectPreferredOverRelay(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	w := newReachWorld(t, "", "")
	saveVillage(t, ctx, w.post, "南岗村")
	ln, err := net.Listen("tcp", net.JoinHostPort(w.ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	runStation(t, ctx, w.station, Config{Servers: w.both()}, ln)
	r := syncUntil(t, ctx, NewNode(w.post, Config{Servers: servers.List{Discovery: []string{w.disco.URL}}}), w.peer)
	if r.Path != PathDirect || r.Address != ln.Addr().String() {
		t.Fatalf("session went %q via %q, want direct to %s", r.Path, r.Address, ln.Addr())
	}
	if got, err := w.post.Book().Peer(ctx, w.station.Self()); err != nil || got.LastPath != PathDirect {
		t.Errorf("the post notes the path as %q (%v)", got.LastPath, err)
	}
}

// TestRelayKilledMidTransfer: the relay dies while a 4 MB scan crosses it;
// once it is back (same key, same URL) the next session finishes the
// transfer and the scan arrives whole.
func TestRelayKilledMidTransfer(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("moves 4 MB through a relay")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	keys := t.TempDir()
	ip := stocksrv.HostIP(t)
	raddr := stocksrv.FreeAddr(t, ip)
	w := newReachWorld(t, raddr, keys)
	post, station, peer, disco, relay := w.post, w.station, w.peer, w.disco, w.relay
	scan, h := putScan(t, ctx, post, 4<<20, 3)
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	runStation(t, ctx, station, Config{Servers: w.both()}, nil)
	// The relay is killed once 1 MB has crossed from the post.
	var sent atomic.Int64
	killed := make(chan struct{})
	var once atomic.Bool
	wrap := func(c net.Conn) net.Conn {
		return &tripConn{Conn: c, n: &sent, at: 1 << 20, hit: func() {
			if once.CompareAndSwap(false, true) {
				relay.Stop()
				close(killed)
			}
		}}
	}
	pn := NewNode(post, Config{Servers: servers.List{Discovery: []string{disco.URL}}, WrapConn: wrap})
	sctx, scancel := context.WithTimeout(ctx, 60*time.Second)
	var first Result
	for sctx.Err() == nil {
		r, err := pn.SyncOnce(sctx, peer)
		first = r
		if once.Load() || (err == nil && r.Complete) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	scancel()
	select {
	case <-killed:
	case <-time.After(10 * time.Second):
		t.Fatalf("the relay was never killed: first session %+v", first)
	}
	if first.Complete {
		t.Fatalf("the session through the killed relay says complete: %+v", first)
	}
	if _, err := station.Store().Blob(ctx, h); err == nil {
		t.Fatal("the scan arrived before the relay died: the test cut nothing")
	}
	stocksrv.Relay(t, raddr, keys)
	r := syncUntil(t, ctx, pn, peer)
	if r.Path != PathRelay {
		t.Fatalf("resumed session went %q", r.Path)
	}
	if got, err := station.Store().Blob(ctx, h); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("scan not carried whole after the relay came back: %v", err)
	}
	t.Logf("sent %d bytes in all for a %d-byte scan", sent.Load(), len(scan))
	if total := sent.Load(); total > int64(len(scan))*3/2+(1<<20) {
		t.Errorf("the post sent %d bytes for a %d-byte scan: the second session started over", total, len(scan))
	}
}

// tripConn counts bytes written and calls hit once n passes at.
type tripConn struct {
	net.Conn
	n   *atomic.Int64
	at  int64
	hit func()
}

func (c *tripConn) Write(p []byte) (int, error) {
	k, err := c.Conn.Write(p)
	if c.n.Add(int64(k)) >= c.at {
		c.hit()
	}
	return k, err
}

// TestServersBadURL: a bad server URL stops Reach with an error and makes
// SyncOnce say why, never a panic.
func TestServersBadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	n := NewNode(post, Config{Servers: servers.List{Relays: []string{"http://example.invalid/"}}})
	if err := n.Reach(ctx, nil); err == nil || !strings.Contains(err.Error(), "relay://") {
		t.Fatalf("Reach with a bad relay URL: %v", err)
	}
	if _, err := n.SyncOnce(ctx, peer); err == nil || !strings.Contains(err.Error(), "relay") {
		t.Fatalf("SyncOnce with a bad relay URL: %v", err)
	}
}
