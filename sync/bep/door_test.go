package bep

import (
	"context"
	"net"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"
)

// heldRead is an accepted connection whose first read waits until release
// is closed: the server's side of its TLS handshake stands still until
// the test lets it go (an eviction meanwhile closes the connection under
// it, and the read then fails).
type heldRead struct {
	net.Conn
	release <-chan struct{}
	once    gosync.Once
}

func (c *heldRead) Read(p []byte) (int, error) {
	c.once.Do(func() { <-c.release })
	return c.Conn.Read(p)
}

// flooder dials addr from the local address from, again and again as fast
// as the station accepts, each connection silent, until stop is closed;
// the last keep are left open (a flood faster than any handshake), older
// ones closed. It returns when stopped.
func flooder(ctx context.Context, from, addr string, keep int, stop <-chan struct{}) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			continue
		}
		open = append(open, c)
		if len(open) > keep {
			open[0].Close()
			open = open[1:]
		}
	}
}

// Field-style attack: one address floods the station with connections
// that never finish their TLS handshake, faster than any handshake ends.
// It could hold every slot of the gate and, each newcomer closing the
// connection held longest, close a paired post's handshake under it (the
// post dials again, and may never get through). Now one address holds at
// most maxHandshakesFrom slots, its newcomers closing its own oldest, and
// the post, dialling from another address, completes its session. The
// post's handshake is held still (heldRead) until a whole gate's worth of
// the flood has been accepted after it, so before the bound it was closed
// every time.
func TestHandshakeFloodFromOneAddress(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const bound = 16
	release := make(chan struct{})
	postIn := make(chan int64, 1)
	var lnp atomic.Pointer[countingListener]
	cfg := Config{maxHandshakes: bound, handshakeWait: 5 * time.Minute, WrapConn: func(c net.Conn) net.Conn {
		if a, ok := c.RemoteAddr().(*net.TCPAddr); ok && a.IP.Equal(net.IPv4(127, 0, 0, 1)) {
			select {
			case postIn <- lnp.Load().accepted.Load():
				return &heldRead{Conn: c, release: release}
			default:
			}
		}
		return c
	}}
	post, node, ln, peer := countedStation(t, ctx, cfg)
	lnp.Store(ln) // (before anything dials)

	stop := make(chan struct{})
	flooded := make(chan struct{})
	go func() {
		defer close(flooded)
		flooder(ctx, "127.0.0.2", ln.Addr().String(), 2*bound, stop)
	}()
	defer func() { close(stop); <-flooded }()

	type outcome struct {
		r   Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		r, err := NewNode(post, Config{}).SyncOnce(ctx, peer)
		done <- outcome{r, err}
	}()
	var at int64
	select {
	case at = <-postIn:
	case <-ctx.Done():
		t.Fatal("the post's connection never reached the station")
	}
	// A gate's worth of the flood accepted after the post's connection:
	// the longest held (the post's) would have been closed for them.
	if err := waitFor(ctx, func() error {
		if a := ln.accepted.Load(); a < at+bound+1 {
			return context.DeadlineExceeded
		}
		return nil
	}); err != nil {
		t.Fatalf("the flood: %v", err)
	}
	close(release)
	o := <-done
	if o.err != nil || !o.r.Complete {
		t.Fatalf("a paired post during a flood from one address: %+v, %v", o.r, o.err)
	}
	if h := node.handshaking.Held(); h > bound {
		t.Errorf("%d in their handshake, want at most %d", h, bound)
	}
}
