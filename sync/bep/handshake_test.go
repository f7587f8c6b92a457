package bep

import (
	"context"
	"fmt"
	"net"
	"runtime"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
)

// countingListener counts the connections it handed out and those of
// them not closed yet (what a listener holds: a descriptor and, in Serve,
// a goroutine each).
type countingListener struct {
	net.Listener
	accepted, open atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	l.open.Add(1)
	return &countedConn{Conn: c, l: l}, nil
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once gosync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.l.open.Add(-1) })
	return c.Conn.Close()
}

// countedStation is a station serving on a counting listener with cfg,
// and a post paired with it (peer: the station as the post knows it).
func countedStation(t *testing.T, ctx context.Context, cfg Config) (post *cjsync.Engine, node *Node, ln *countingListener, peer syncbook.Peer) {
	t.Helper()
	post = device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln = &countingListener{Listener: raw}
	node = NewNode(station, cfg)
	go node.Serve(ctx, ln)
	return post, node, ln, pairAt(t, post, station, ln.Addr().String())
}

// slowHello is the i-th byte a slow connection sends: a TLS record of a
// client hello announced 512 bytes long, whose body (zeros) never ends in
// time: a handshake that is never refused, only never done.
func slowHello(i int) byte {
	head := []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}
	if i < len(head) {
		return head[i]
	}
	return 0
}

// Field-style attack: a TCP connection that never completes its TLS
// handshake names no device, so neither the paired list nor the bound on
// strangers held it: each took a goroutine and a descriptor for 20 s,
// without limit. 300 of them, half silent and half speaking a byte now and
// then, now hold at most maxHandshakes slots (the one held longest closed
// for a newcomer); a paired post syncs all the while; when the flood ends
// everything is let go. (Before: all 300 held, for 20 s.)
func TestHandshakeFloodBounded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	const bound, flood = 8, 300
	// The handshake's own deadline far off: the bound alone holds them.
	post, node, ln, peer := countedStation(t, ctx, Config{maxHandshakes: bound, handshakeWait: 5 * time.Minute})
	base := runtime.NumGoroutine()

	conns := make([]net.Conn, 0, flood)
	var d net.Dialer
	for range flood {
		c, err := d.DialContext(ctx, "tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	closeAll := gosync.OnceFunc(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	defer closeAll()
	// The slow half: a byte of a TLS record now and then, never a whole
	// hello (one goroutine for all of them; a byte each 100 ms never fills a
	// socket buffer, so a write never blocks and needs no deadline).
	stopSlow := make(chan struct{})
	slowDone := make(chan struct{})
	go func() {
		defer close(slowDone)
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for i := 0; ; i++ {
			select {
			case <-stopSlow:
				return
			case <-tk.C:
			}
			for _, c := range conns[flood/2:] {
				_, _ = c.Write([]byte{slowHello(i)})
			}
		}
	}()
	defer func() { close(stopSlow); <-slowDone }()

	held := func() error {
		if a, o := ln.accepted.Load(), ln.open.Load(); a < flood || o > bound {
			return fmt.Errorf("accepted %d of %d, %d held; want at most %d held", a, flood, o, bound)
		}
		return nil
	}
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second) // (before: held 20 s)
	err := waitFor(wctx, held)
	wcancel()
	if err != nil {
		t.Fatalf("the flood: %v", err)
	}
	// Each held connection is a goroutine of Serve's (and one of TLS's
	// watching its context): some dozens at most, not hundreds.
	if g := runtime.NumGoroutine() - base; g > 3*bound+20 {
		t.Errorf("%d goroutines more during a flood of %d, want at most %d", g, flood, 3*bound+20)
	}
	if r, err := NewNode(post, Config{}).SyncOnce(ctx, peer); err != nil || !r.Complete {
		t.Errorf("a paired post during the flood: %+v, %v", r, err)
	}
	if err := held(); err != nil {
		t.Errorf("after the post's session: %v", err)
	}

	// The flood ends: nothing of it stays.
	closeAll()
	err = waitFor(ctx, func() error {
		if o, h := ln.open.Load(), node.handshaking.Held(); o != 0 || h != 0 {
			return fmt.Errorf("%d connections open, %d in their handshake", o, h)
		}
		if g := runtime.NumGoroutine() - base; g > 4 {
			return fmt.Errorf("%d goroutines more than before the flood", g)
		}
		return nil
	})
	if err != nil {
		t.Errorf("after the flood: %v", err)
	}
}

// A connection that speaks a byte now and then is never silent (framing's
// silence limit never ends it): the handshake's deadline does, and a
// paired post's handshake, well within it, goes through.
func TestHandshakeDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, _, ln, peer := countedStation(t, ctx, Config{handshakeWait: 500 * time.Millisecond})
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	closed := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			if _, err := c.Write([]byte{slowHello(i)}); err != nil {
				closed <- err
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	// (Before: 20 s, whatever the wait asked for.)
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("a connection trickling its handshake still held 5 s on, its handshake's wait 0.5 s")
	}
	if err := waitFor(ctx, func() error {
		if o := ln.open.Load(); o != 0 {
			return fmt.Errorf("%d open", o)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if r, err := NewNode(post, Config{}).SyncOnce(ctx, peer); err != nil || !r.Complete {
		t.Errorf("a paired post: %+v, %v", r, err)
	}
}
