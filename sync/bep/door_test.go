package bep

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
	relayproto "github.com/syncthing/syncthing/lib/relay/protocol"

	"cunjing/store"
	"cunjing/sync/bep/servers"
	"cunjing/sync/bep/shortwire"
	"cunjing/sync/bep/stocksrv"
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
	floodEvery(ctx, from, addr, keep, 0, stop)
}

// floodEvery is flooder dialling once every interval (0: at once).
func floodEvery(ctx context.Context, from, addr string, keep int, every time.Duration, stop <-chan struct{}) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	var tick <-chan time.Time
	if every > 0 {
		tk := time.NewTicker(every)
		defer tk.Stop()
		tick = tk.C
	}
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		if tick != nil {
			select {
			case <-stop:
				return
			case <-tick:
			}
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

// inviteSink is where a hostile relay's invitations send the station:
// every other join is answered (the station then waits for a TLS
// handshake that never comes), the rest never are. It counts the
// connections open now, the most open at once, and those still open
// overdue after they came (the handshake's wait and some slack).
type inviteSink struct {
	ln                        net.Listener
	accepted, open, most, due atomic.Int64
}

func newInviteSink(t *testing.T, overdue time.Duration) *inviteSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &inviteSink{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			k := s.accepted.Add(1)
			if o := s.open.Add(1); o > s.most.Load() {
				s.most.Store(o) // (one goroutine writes it)
			}
			closed := make(chan struct{})
			go func() {
				defer close(closed)
				defer s.open.Add(-1)
				defer c.Close()
				if k%2 == 0 {
					if m, err := relayproto.ReadMessage(c); err != nil {
						return
					} else if _, ok := m.(relayproto.JoinSessionRequest); !ok {
						return
					}
					if relayproto.WriteMessage(c, relayproto.ResponseSuccess) != nil {
						return
					}
				}
				_, _ = io.Copy(io.Discard, c) // until the station closes it
			}()
			go func() {
				tm := time.NewTimer(overdue)
				defer tm.Stop()
				select {
				case <-closed:
				case <-tm.C:
					s.due.Add(1)
					c.Close()
				}
			}()
		}
	}()
	return s
}

// A relay can hand the station invitation after invitation, each naming
// any address and any device paired here: they went to the TLS handshake
// past the gate (sync/bep/gate), at most 32 at once, the rest refused, so
// a hostile relay kept every one of the 32 held (a join never answered
// held its 10 s) and a paired post asking through another, honest relay
// was refused for as long as the flood went on. Now every invitation
// takes a slot of the same gate as a direct connection, at most
// maxHandshakesFrom of one relay and device, and has the handshake's wait
// for its join and TLS handshake together; the post completes its session
// through a stock relay while the flood goes on.
func TestRelayedHandshakesGated(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const bound, wait = 16, 2 * time.Second
	ip := stocksrv.HostIP(t)
	honest := stocksrv.Relay(t, stocksrv.FreeAddr(t, ip), t.TempDir())
	hostile := newHostileRelay(t, ctx)
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	postID, err := protocol.DeviceIDFromString(post.Self())
	if err != nil {
		t.Fatal(err)
	}
	sn := runStation(t, ctx, station, Config{Servers: servers.List{Relays: []string{hostile.url, honest.URL}},
		maxHandshakes: bound, handshakeWait: wait}, nil)
	pn := NewNode(post, Config{Servers: servers.List{Relays: []string{honest.URL}}})
	jctx, jcancel := context.WithTimeout(ctx, 20*time.Second)
	syncUntil(t, jctx, pn, peer) // the station has joined the honest relay
	jcancel()

	sink := newInviteSink(t, wait+2*time.Second)
	addr := sink.ln.Addr().(*net.TCPAddr)
	stop := make(chan struct{})
	flooding := make(chan struct{})
	go func() {
		defer close(flooding)
		tk := time.NewTicker(10 * time.Millisecond)
		defer tk.Stop()
		for i := 0; ; i++ {
			inv := relayproto.SessionInvitation{From: postID[:], Key: []byte{byte(i), byte(i >> 8)},
				Address: addr.IP.To4(), Port: uint16(addr.Port), ServerSocket: true}
			select {
			case hostile.send <- inv:
			case <-stop:
				return
			}
			select {
			case <-tk.C:
			case <-stop:
				return
			}
		}
	}()
	stopFlood := gosync.OnceFunc(func() { close(stop); <-flooding })
	defer stopFlood()
	heldMost := atomic.Int64{}
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		tk := time.NewTicker(5 * time.Millisecond)
		defer tk.Stop()
		for {
			if h := int64(sn.handshaking.Held()); h > heldMost.Load() {
				heldMost.Store(h)
			}
			select {
			case <-tk.C:
			case <-stop:
				return
			}
		}
	}()
	if err := waitFor(ctx, func() error {
		if a := sink.accepted.Load(); a < 64 {
			return fmt.Errorf("%d invitations joined", a)
		}
		return nil
	}); err != nil {
		t.Errorf("the flood: %v (%d open)", err, sink.open.Load())
	}
	sctx, scancel := context.WithTimeout(ctx, 8*time.Second)
	r := syncUntil(t, sctx, pn, peer)
	scancel()
	if r.Path != PathRelay {
		t.Errorf("the post's session went %q, want through the relay", r.Path)
	}
	stopFlood()
	<-watching
	if err := waitFor(ctx, func() error {
		if o := sink.open.Load(); o != 0 {
			return fmt.Errorf("%d invited connections still open", o)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if m := sink.most.Load(); m > bound {
		t.Errorf("%d invited connections open at once, want at most %d", m, bound)
	}
	if m := heldMost.Load(); m > bound {
		t.Errorf("%d in their handshake at once, want at most %d", m, bound)
	}
	if d := sink.due.Load(); d != 0 {
		t.Errorf("%d of %d invited connections still open %v after they came, their handshake's wait %v", d, sink.accepted.Load(), wait+2*time.Second, wait)
	}
}

// While a short pairing code is shown, any device may start a pairing: a
// device not paired here that finished its TLS handshake and sent the
// opening of a pairing message (announced 16 KB long) and nothing more
// left the gate there and held a goroutine and a connection for the
// pairing's 20 s, as many as came (the gate bounds only the handshake).
// Now it stays in the gate until its pairing ends, so such a flood holds
// at most the gate's slots, and a paired post syncs meanwhile.
func TestStalledPairingsBounded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const bound, flood = 8, 40
	post, node, ln, peer := countedStation(t, ctx, Config{maxHandshakes: bound})
	if _, _, err := node.e.ShortCodes().Code(ctx); err != nil {
		t.Fatal(err)
	}
	cert := device(t, store.RolePost, "X").Identity().Cert
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"bep/1.0"}, InsecureSkipVerify: true}
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	hdr := append(shortwire.Magic[:], 0, 0, 0x40, 0) // 16 KB to come
	for i := range flood {
		c, err := tls.Dial("tcp", ln.Addr().String(), cfg)
		if err != nil {
			t.Fatalf("stranger %d: %v", i, err)
		}
		conns = append(conns, c)
		if _, err := c.Write(hdr); err != nil {
			t.Fatalf("stranger %d: %v", i, err)
		}
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second) // (a pairing has 20 s)
	err := waitFor(wctx, func() error {
		if a, o := ln.accepted.Load(), ln.open.Load(); a < flood || o > bound {
			return fmt.Errorf("accepted %d of %d, %d held; want at most %d held", a, flood, o, bound)
		}
		return nil
	})
	wcancel()
	if err != nil {
		t.Errorf("strangers stalling their pairing (before: all %d held 20 s): %v", flood, err)
	}
	if r, err := NewNode(post, Config{}).SyncOnce(ctx, peer); err != nil || !r.Complete {
		t.Errorf("a paired post meanwhile: %+v, %v", r, err)
	}
}

// failingListener fails its first accepts with err, then accepts.
type failingListener struct {
	net.Listener
	fails atomic.Int64
	err   error
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, l.err
	}
	return l.Listener.Accept()
}

// A station out of file descriptors (a flood, or a busy county station
// at its limit) fails an accept with "too many open files": Serve
// returned, and the station listened no more until it was restarted. Now
// it waits a moment and accepts again, as net/http's server does.
func TestServeOutlivesAcceptErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &failingListener{Listener: raw, err: &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}}
	ln.fails.Store(5)
	served := make(chan error, 1)
	go func() { served <- NewNode(station, Config{}).Serve(ctx, ln) }()
	peer := pairAt(t, post, station, ln.Addr().String())
	sctx, scancel := context.WithTimeout(ctx, 5*time.Second) // (before: its TLS handshake waited out 20 s)
	r, err := NewNode(post, Config{}).SyncOnce(sctx, peer)
	scancel()
	if err != nil || !r.Complete {
		t.Errorf("a post after the station failed %d accepts: %+v, %v", 5, r, err)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned: %v", err)
	default:
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve after its context ended: %v", err)
	}
}
