package bep

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/bep/gate"
)

// heldAnswers are the station's connections whose first write (its TLS
// answer to a client hello it has read: the connection is talking) waits
// until release is closed, for those dialled by posts (ports); held counts
// those waiting. A connection the gate closes meanwhile fails its write.
type heldAnswers struct {
	ports   gosync.Map // local address of a post's connection → true
	release chan struct{}
	held    atomic.Int64
}

func newHeldAnswers() *heldAnswers { return &heldAnswers{release: make(chan struct{})} }

// dial is a post's Dialer, noting its connections.
func (h *heldAnswers) dial(ctx context.Context, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err == nil {
		h.ports.Store(c.LocalAddr().String(), true)
	}
	return c, err
}

// wrap is the station's WrapConn.
func (h *heldAnswers) wrap(c net.Conn) net.Conn { return &heldAnswer{Conn: c, h: h} }

type heldAnswer struct {
	net.Conn
	h    *heldAnswers
	once gosync.Once
}

func (c *heldAnswer) Write(p []byte) (int, error) {
	c.once.Do(func() {
		if _, ok := c.h.ports.Load(c.RemoteAddr().String()); ok { // (stored before its hello went)
			c.h.held.Add(1)
			<-c.h.release
		}
	})
	return c.Conn.Write(p)
}

// strangerFlood dials addr from the local address from again and again
// with a device not paired here, each finishing its TLS handshake and
// waiting to be refused, until stop is closed; refused counts those the
// station closed, kept those it did not within 5 s.
func strangerFlood(ctx context.Context, t *testing.T, from, addr string, stop <-chan struct{}) (refused, kept *atomic.Int64, wait func()) {
	cert := device(t, store.RolePost, "X").Identity().Cert
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"bep/1.0"}, InsecureSkipVerify: true}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	refused, kept = &atomic.Int64{}, &atomic.Int64{}
	var wg gosync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-ctx.Done():
					return
				default:
				}
				c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
				if err != nil {
					continue
				}
				// Kept: the station has not closed it within 5 s (a timer,
				// not the wall clock: a deadline is an instant).
				var timedOut atomic.Bool
				timer := time.AfterFunc(5*time.Second, func() { timedOut.Store(true); c.Close() })
				var b [256]byte
				for {
					if _, err = c.Read(b[:]); err != nil {
						break
					}
				}
				timer.Stop()
				if timedOut.Load() {
					kept.Add(1)
				} else {
					refused.Add(1)
				}
				c.Close()
			}
		}()
	}
	return refused, kept, wg.Wait
}

// pacedFlooder is flooder at a connection a millisecond: a thousand a
// second from one address, far past what the gate holds (a handshake's
// 10 s), yet slower than a post's client hello crosses loopback. (A
// flood from a post's own address faster than its hello crosses the
// line can still close its first handshake: the two look alike until
// the hello; a resumed session is named paired at it.)
func pacedFlooder(ctx context.Context, from, addr string, keep int, stop <-chan struct{}) {
	floodEvery(ctx, from, addr, keep, time.Millisecond, stop)
}

// sampleMost is the most f said, asked every 2 ms until stop is closed.
func sampleMost(stop <-chan struct{}, f func() int) *atomic.Int64 {
	most := &atomic.Int64{}
	go func() {
		for {
			if k := int64(f()); k > most.Load() {
				most.Store(k)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return most
}

// natPosts pairs n posts with station, at addr, each with its own node
// dialling through h.
func natPosts(t *testing.T, station interface{ Self() string }, n int, pair func(i int) (*Node, syncbook.Peer)) ([]*Node, []syncbook.Peer) {
	t.Helper()
	nodes, peers := make([]*Node, n), make([]syncbook.Peer, n)
	for i := range n {
		nodes[i], peers[i] = pair(i)
	}
	return nodes, peers
}

// syncAll runs every post's SyncOnce at once and waits until each is
// held at the station (its TLS answer) or has ended, then for the flood
// to have come past them (accepted at least more), then lets them go; it
// returns what each session gave.
func syncAll(t *testing.T, ctx context.Context, h *heldAnswers, ln *countingListener, more int64, nodes []*Node, peers []syncbook.Peer) []error {
	t.Helper()
	errs := make([]error, len(nodes))
	var ended atomic.Int64
	var wg gosync.WaitGroup
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ended.Add(1)
			r, err := nodes[i].SyncOnce(ctx, peers[i])
			if err == nil && !r.Complete {
				err = fmt.Errorf("incomplete: %+v", r)
			}
			errs[i] = err
		}()
	}
	if err := waitFor(ctx, func() error {
		if k := h.held.Load() + ended.Load(); k < int64(len(nodes)) {
			return fmt.Errorf("%d of %d posts at the station", k, len(nodes))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	at := ln.accepted.Load()
	if err := waitFor(ctx, func() error {
		if a := ln.accepted.Load(); a < at+more {
			return fmt.Errorf("the flood: %d accepted since, want %d", a-at, more)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	close(h.release)
	wg.Wait()
	return errs
}

// Twenty posts of a township on one mobile carrier reach their station
// from one public address (carrier-grade NAT). Their handshakes at once
// shared the address's 8 slots: the ninth closed the first's under it,
// and a flood from the same address — silent connections, and devices
// not paired here finishing their handshakes — closed every post's. Now a
// connection talking TLS counts against its address only past the grace
// (what a handshake takes), the flood's silent connections and strangers
// do, and a post named by its certificate leaves the gate: all twenty
// sync while the flood is bounded and every stranger refused. Each post's
// TLS answer is held until the flood has come past it twice over the
// gate's bound (before: 20 of 20 failed).
func TestPostsBehindOneNAT(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const posts, bound, per = 20, maxHandshakesDefault, 4
	h := newHeldAnswers()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) // (the grace never ends)
	station := device(t, store.RoleStation, "S")
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &countingListener{Listener: raw}
	node := NewNode(station, Config{maxHandshakesFrom: per, strangerWait: 200 * time.Millisecond,
		gateNow: func() time.Time { return start }, WrapConn: h.wrap})
	go node.Serve(ctx, ln)
	addr := ln.Addr().String()
	nodes, peers := natPosts(t, station, posts, func(i int) (*Node, syncbook.Peer) {
		post := device(t, store.RolePost, fmt.Sprintf("P%d", i))
		return NewNode(post, Config{Dialer: h.dial}), pairAt(t, post, station, addr)
	})

	stop := make(chan struct{})
	flooded := make(chan struct{})
	go func() {
		defer close(flooded)
		pacedFlooder(ctx, "127.0.0.1", addr, 2*per, stop)
	}()
	refused, kept, strangersDone := strangerFlood(ctx, t, "127.0.0.1", addr, stop)
	src := gate.Direct(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	most := sampleMost(stop, func() int { return node.handshaking.CountedBy(src) })
	errs := syncAll(t, ctx, h, ln, 2*bound, nodes, peers)
	close(stop)
	<-flooded
	strangersDone()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			t.Logf("post %d: %v", i, err)
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d posts behind one address failed during a flood from it", failed, posts)
	}
	if refused.Load() == 0 || kept.Load() != 0 {
		t.Errorf("strangers: %d refused, %d kept; want some refused, none kept", refused.Load(), kept.Load())
	}
	if m := most.Load(); m > per {
		t.Errorf("the address held %d slots counted at once, want at most %d", m, per)
	}
}

// A flood from many addresses (a botnet, or one host with a range of
// them), each within its own bound, filled the gate, and a newcomer then
// closed the oldest of the address holding the most: three posts
// dialling at once from their carrier's address held the most, and their
// handshakes were closed under them. Now a silent connection goes before
// any talking TLS: the posts sync while the flood, 24 addresses keeping
// two connections each, goes on past the gate's 16 (before: 3 of 3
// failed).
func TestDistributedFloodSparesPosts(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const posts, bound, per, addrs = 3, 16, 4, 24
	h := newHeldAnswers()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	station := device(t, store.RoleStation, "S")
	raw, err := net.Listen("tcp", "0.0.0.0:0") // (loopback aliases dial it)
	if err != nil {
		t.Fatal(err)
	}
	ln := &countingListener{Listener: raw}
	node := NewNode(station, Config{maxHandshakes: bound, maxHandshakesFrom: per,
		gateNow: func() time.Time { return start }, WrapConn: h.wrap})
	go node.Serve(ctx, ln)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	addr := net.JoinHostPort("127.0.0.1", port)
	nodes, peers := natPosts(t, station, posts, func(i int) (*Node, syncbook.Peer) {
		post := device(t, store.RolePost, fmt.Sprintf("P%d", i))
		return NewNode(post, Config{Dialer: h.dial}), pairAt(t, post, station, addr)
	})
	stop := make(chan struct{})
	var wg gosync.WaitGroup
	for i := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pacedFlooder(ctx, fmt.Sprintf("127.0.1.%d", i+1), addr, 2, stop)
		}()
	}
	most := sampleMost(stop, node.handshaking.Unnamed)
	errs := syncAll(t, ctx, h, ln, 4*bound, nodes, peers)
	close(stop)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("post %d during a flood from %d addresses: %v", i, addrs, err)
		}
	}
	if m := most.Load(); m > bound {
		t.Errorf("%d held at once, want at most %d", m, bound)
	}
}
