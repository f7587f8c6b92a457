package bep

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// countConns counts the connections a node accepts or dials.
type countConns struct{ n atomic.Int64 }

func (c *countConns) wrap(conn net.Conn) net.Conn { c.n.Add(1); return conn }

// heldLink pairs a post with a station that holds a first notice and
// runs both nodes (the station listening, the post dialling it) until the
// test ends: cancel stops them and the cleanup waits for both. stationCut
// signals the station's node that it has new changes.
func heldLink(t *testing.T, ctx context.Context, cancel context.CancelFunc, stationCfg, postCfg Config) (post, station *cjsync.Engine, stationCut chan struct{}) {
	t.Helper()
	post = device(t, store.RolePost, "P")
	station = device(t, store.RoleStation, "S")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pairAt(t, post, station, ln.Addr().String())
	if err := station.Store().Save(ctx, &store.Notice{Title: "第一份通知"}); err != nil {
		t.Fatal(err)
	}
	stationCut = make(chan struct{}, 1)
	done := make(chan struct{}, 2)
	go func() {
		_ = NewNode(station, stationCfg).Run(ctx, ln, time.Hour, stationCut)
		done <- struct{}{}
	}()
	go func() {
		_ = NewNode(post, postCfg).Run(ctx, nil, time.Hour, nil)
		done <- struct{}{}
	}()
	t.Cleanup(func() { cancel(); <-done; <-done })
	return post, station, stationCut
}

// A post's node holds its link to the station open once both are
// complete: what the station publishes afterwards reaches the post over
// that link in seconds, without a new connection (each used to cost a
// handshake, cluster config and indexes), and the contact is noted while
// the link is held.
func TestPostHoldsItsStationLink(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var conns countConns
	post, station, stationCut := heldLink(t, ctx, cancel, Config{WrapConn: conns.wrap}, Config{})
	notices := func() int {
		ns, err := post.Store().Notices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(ns)
	}
	until := func(want int) {
		t.Helper()
		if err := waitFor(ctx, func() error {
			if n := notices(); n != want {
				return fmt.Errorf("%d notices at the post, want %d", n, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	until(1)
	if err := station.Store().Save(ctx, &store.Notice{Title: "第二份通知"}); err != nil {
		t.Fatal(err)
	}
	stationCut <- struct{}{} // the station's node cuts and tells its live sessions
	until(2)
	if n := conns.n.Load(); n != 1 {
		t.Fatalf("%d connections: the post dialled again instead of holding its link", n)
	}
	if p, err := post.Status(ctx); err != nil || len(p.Peers) != 1 || p.Peers[0].LastContact != "" && p.Peers[0].LastError != "" {
		t.Fatalf("status while the link is held: %+v %v", p.Peers, err)
	}
}

// A post on a held link that takes in its station's news in two bursts a
// moment apart acknowledges both with one receipt (issue #22: in the
// county simulation the station's own news and, seconds later, the
// county's news it relayed cost a receipt each).
func TestHeldLinkOneReceiptForTwoBursts(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, station, stationCut := heldLink(t, ctx, cancel, Config{}, Config{lingerHeld: 2 * time.Second})
	if err := waitFor(ctx, func() error {
		if ns, err := post.Store().Notices(ctx); err != nil || len(ns) != 1 {
			return fmt.Errorf("%d notices at the post (%v)", len(ns), err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Longer than a step that pulls nothing takes to come (stepSettle):
	// without lingering, the first burst is acknowledged by now.
	time.Sleep(4 * stepSettle)
	if err := station.Store().Save(ctx, &store.Notice{Title: "第二份通知"}); err != nil {
		t.Fatal(err)
	}
	stationCut <- struct{}{}
	if err := waitFor(ctx, func() error {
		if ns, err := post.Store().Notices(ctx); err != nil || len(ns) != 2 {
			return fmt.Errorf("%d notices at the post (%v)", len(ns), err)
		}
		st, err := station.Status(ctx)
		if err != nil || !st.Acknowledged {
			return fmt.Errorf("the station waits for the post's receipt: %+v %v", st.Waiting, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	dir := station.FolderDir(cjsync.PostFolder(post.Self()))
	if n := receiptsBy(t, dir, post); n != 1 {
		t.Fatalf("the post sent %d receipts for two bursts a second apart, want 1", n)
	}
}

// waitFor calls f until it succeeds or ctx ends (hold_test's and the
// stock Syncthing interop test's).
func waitFor(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// deafConns wraps a node's connections; once deaf is closed, the first
// one hears nothing more (what it reads is dropped, as on a link that died
// without a word: no FIN, the far side gone), the others are untouched.
type deafConns struct {
	n    atomic.Int64
	deaf chan struct{}
}

func (d *deafConns) wrap(c net.Conn) net.Conn {
	if d.n.Add(1) == 1 {
		return deafConn{Conn: c, deaf: d.deaf}
	}
	return c
}

type deafConn struct {
	net.Conn
	deaf chan struct{}
}

func (c deafConn) Read(p []byte) (int, error) {
	for {
		n, err := c.Conn.Read(p)
		select {
		case <-c.deaf:
			if err == nil {
				continue
			}
		default:
		}
		return n, err
	}
}

// TestHeldLinkDeadNoticed: the link under a held session dies without a
// word (a relay's PC loses power). The post noticed only by lib/protocol's
// receive timeout, 5 minutes; now after framing.SilenceLimit (shortened
// here) without a byte, and it dials again.
func TestHeldLinkDeadNoticed(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conns := &deafConns{deaf: make(chan struct{})}
	post, _, _ := heldLink(t, ctx, cancel, Config{}, Config{WrapConn: conns.wrap, silence: 500 * time.Millisecond})
	if err := waitFor(ctx, func() error {
		if ns, err := post.Store().Notices(ctx); err != nil || len(ns) != 1 {
			return fmt.Errorf("%d notices at the post (%v)", len(ns), err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	close(conns.deaf)
	if err := waitFor(ctx, func() error {
		if n := conns.n.Load(); n < 2 {
			return fmt.Errorf("%d connections: the post still holds the dead link", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
