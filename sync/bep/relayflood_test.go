package bep

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/discover"
	"github.com/syncthing/syncthing/lib/events"
	"github.com/syncthing/syncthing/lib/protocol"
	relayproto "github.com/syncthing/syncthing/lib/relay/protocol"

	"cunjing/store"
	"cunjing/sync/bep/gate"
	"cunjing/sync/bep/relayaccept"
	"cunjing/sync/bep/servers"
)

// hostileRelay is a relay (or whoever answers at its address) that takes
// a device's join and then sends it whatever the test says.
type hostileRelay struct {
	url  string
	send chan any      // relay messages to write to the joined device
	pong chan struct{} // a Pong came back
	// asked is closed when the device's join arrives; the relay answers
	// it once gate is closed (nil: at once).
	asked, gate chan struct{}
	// drop, closed, ends the connection without a word.
	drop chan struct{}
}

func newHostileRelay(t *testing.T, ctx context.Context) *hostileRelay {
	t.Helper()
	return newGatedRelay(t, ctx, nil)
}

func newGatedRelay(t *testing.T, ctx context.Context, gate chan struct{}) *hostileRelay {
	t.Helper()
	cert := device(t, store.RoleStation, "relay").Identity().Cert
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{relayproto.ProtocolName}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &hostileRelay{url: "relay://" + ln.Addr().String(), send: make(chan any), pong: make(chan struct{}, 1),
		asked: make(chan struct{}), gate: gate, drop: make(chan struct{})}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		if m, err := relayproto.ReadMessage(c); err != nil {
			return
		} else if _, ok := m.(relayproto.JoinRelayRequest); !ok {
			return
		}
		close(r.asked)
		if r.gate != nil {
			select {
			case <-r.gate:
			case <-ctx.Done():
				return
			}
		}
		if relayproto.WriteMessage(c, relayproto.ResponseSuccess) != nil {
			return
		}
		go func() {
			for {
				m, err := relayproto.ReadMessage(c)
				if err != nil {
					return
				}
				if _, ok := m.(relayproto.Pong); ok {
					r.pong <- struct{}{}
				}
			}
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case <-r.drop:
				return
			case m := <-r.send:
				if relayproto.WriteMessage(c, m) != nil {
					return
				}
			}
		}
	}()
	return r
}

// flood sends n invitations from dev to addr, then one that names no
// device, then a Ping, and waits for its Pong: the device's relay client
// hands invitations on one by one to the node, which takes the next only
// once it is done with the one before, so when the Pong comes the n have
// all been taken or refused (and the last is refused as from no device).
func (r *hostileRelay) flood(t *testing.T, ctx context.Context, n int, dev protocol.DeviceID, addr *net.TCPAddr) {
	t.Helper()
	for i := range n {
		inv := relayproto.SessionInvitation{From: dev[:], Key: []byte{byte(i), byte(i >> 8)}, Address: addr.IP.To4(), Port: uint16(addr.Port), ServerSocket: true}
		select {
		case r.send <- inv:
		case <-ctx.Done():
			t.Fatalf("invitation %d not sent: %v", i, ctx.Err())
		}
	}
	for _, m := range []any{relayproto.SessionInvitation{Key: []byte("none"), Address: addr.IP.To4(), Port: uint16(addr.Port)}, relayproto.Ping{}} {
		select {
		case r.send <- m:
		case <-ctx.Done():
			t.Fatal("last invitation or ping not sent")
		}
	}
	select {
	case <-r.pong:
	case <-ctx.Done():
		t.Fatal("no pong after the invitations")
	}
}

// TestRelayInvitationFlood: a hostile relay sends a station invitation
// after invitation, all to an address that takes the join and never
// answers. Each started a goroutine and a connection (held the join's
// 10 s, then a TLS handshake's 20 s): without bound. Now invitations from
// a device not paired here are not joined at all, and those from a paired
// one take slots of the node's gate (sync/bep/gate), at most
// maxHandshakesFromDefault of one relay and device: each newcomer closes
// the oldest, whose goroutine ends at once.
func TestRelayInvitationFlood(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pairAt(t, post, station, "")
	stranger := device(t, store.RolePost, "X")
	relay := newHostileRelay(t, ctx)

	// Where the invitations send the station: it takes every join and
	// never answers.
	sink, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	var joins []net.Conn
	var mu gosync.Mutex
	go func() {
		for {
			c, err := sink.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			joins = append(joins, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range joins {
			c.Close()
		}
	})

	sn := runStation(t, ctx, station, Config{Servers: servers.List{Relays: []string{relay.url}}}, nil)
	addr := sink.Addr().(*net.TCPAddr)
	strangerID, err := protocol.DeviceIDFromString(stranger.Self())
	if err != nil {
		t.Fatal(err)
	}
	postID, err := protocol.DeviceIDFromString(post.Self())
	if err != nil {
		t.Fatal(err)
	}

	relay.flood(t, ctx, 100, strangerID, addr)
	if got, _ := relayStats(sn); got < 100 {
		t.Errorf("%d of 100 invitations from a device not paired here refused, want all", got)
	}
	relay.flood(t, ctx, 100, postID, addr)
	src := gate.Relayed(strings.TrimPrefix(relay.url, "relay://"), postID.String())
	if err := waitFor(ctx, func() error {
		_, joining := relayStats(sn)
		held, evicted := sn.handshaking.HeldBy(src), sn.handshaking.Evicted()
		if joining != maxHandshakesFromDefault || held != maxHandshakesFromDefault || evicted != 100-maxHandshakesFromDefault {
			return fmt.Errorf("%d relayed joins under way, %d slots held, %d closed; want %d, %d, %d",
				joining, held, evicted, maxHandshakesFromDefault, maxHandshakesFromDefault, 100-maxHandshakesFromDefault)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

// relayStats is n's relayaccept.Acceptor's Stats (zero before Reach made it).
func relayStats(n *Node) (stranger, joining int64) {
	n.mu.Lock()
	a := n.relays
	n.mu.Unlock()
	if a == nil {
		return 0, 0
	}
	return a.Stats()
}

// announcements stands for lib/discover's global client (Config.announcer)
// without its timers: it announces, as lib/discover does, what the node
// lists (ExternalAddresses, the body of its POST) once served (after 5 s
// there) and on each ListenAddressesChanged (in 2 s there), into anns.
type announcements struct {
	anns chan []string
}

func (a *announcements) client(_ string, addrs discover.AddressLister, evl events.Logger) (announcing, error) {
	return fakeGlobal{a, addrs, evl}, nil
}

type fakeGlobal struct {
	a     *announcements
	addrs discover.AddressLister
	evl   events.Logger
}

func (g fakeGlobal) Error() error { return nil }

func (g fakeGlobal) Serve(ctx context.Context) error {
	sub := g.evl.Subscribe(events.ListenAddressesChanged)
	defer sub.Unsubscribe()
	for {
		select {
		case g.a.anns <- g.addrs.ExternalAddresses():
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case <-sub.C():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// next is the addresses of the next announcement.
func (a *announcements) next(t *testing.T, ctx context.Context) []string {
	t.Helper()
	select {
	case got := <-a.anns:
		return got
	case <-ctx.Done():
		t.Fatal("no announcement")
		return nil
	}
}

// TestRelayAnnouncedOnceJoined: a station announced a relay to discovery
// servers as soon as it started to join it (and when it could not reach
// it at all), so a post looking it up then dialled a relay where the
// station was not. Now it announces the relay once the relay has answered
// the join, at once (not at the next announcement, 30 minutes on), and
// no longer once the connection is lost.
func TestRelayAnnouncedOnceJoined(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	station := device(t, store.RoleStation, "S")
	gate := make(chan struct{})
	relay := newGatedRelay(t, ctx, gate)
	disco := &announcements{anns: make(chan []string)}
	// It listens too: an announcement naming nothing is not sent at all.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	direct := "tcp://0.0.0.0:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) // the discovery server puts in the address it came from
	sn := runStation(t, ctx, station, Config{Servers: servers.List{Relays: []string{relay.url}, Discovery: []string{"https://disco.example/"}},
		announcer: disco.client}, ln)
	select {
	case <-relay.asked:
	case <-ctx.Done():
		t.Fatal("the station never asked to join the relay")
	}
	announced := func() []string {
		sn.mu.Lock()
		a := sn.announced
		sn.mu.Unlock()
		if a == nil {
			return nil
		}
		return a.ExternalAddresses()
	}
	if got := announced(); slices.Contains(got, relay.url) {
		t.Fatalf("announced %v before the relay answered the join", got)
	}
	// The first announcement (5 s after start) names no relay, and nothing
	// more is announced until the relay answers.
	if got := disco.next(t, ctx); !slices.Equal(got, []string{direct}) {
		t.Fatalf("announced %v to the discovery server before the relay answered the join, want %s alone", got, direct)
	}
	select {
	case got := <-disco.anns:
		t.Fatalf("announced %v again before the relay answered the join", got)
	default:
	}
	close(gate)
	if got := disco.next(t, ctx); !slices.Equal(got, []string{relay.url, direct}) {
		t.Fatalf("announced %v once joined, want the relay %s and %s", got, relay.url, direct)
	}
	close(relay.drop)
	if got := disco.next(t, ctx); !slices.Equal(got, []string{direct}) {
		t.Fatalf("announced %v once the relay was lost, want %s alone", got, direct)
	}
}

// TestRelayNotPinned: a relay URL pinned with ?id= to another certificate
// than the one at its address. The post said the relay "cannot be
// reached" (ErrRelayDown), which sent its officer to check a network that
// works; now bep.ErrRelayNotPinned. The station does not join it.
func TestRelayNotPinned(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	other := device(t, store.RoleStation, "other").Self()
	relay := newHostileRelay(t, ctx)
	_, err := NewNode(post, Config{Servers: servers.List{Relays: []string{relay.url + "/?id=" + other}}}).SyncOnce(ctx, peer)
	if !errors.Is(err, ErrRelayNotPinned) || errors.Is(err, ErrRelayDown) {
		t.Fatalf("sync through a relay not the pinned one: %v, want %v", err, ErrRelayNotPinned)
	}
	relay = newHostileRelay(t, ctx)
	sn := runStation(t, ctx, station, Config{Servers: servers.List{Relays: []string{relay.url + "/?id=" + other}}}, nil)
	if err := waitFor(ctx, func() error {
		for _, st := range sn.ReachStatus() {
			var ie *relayaccept.IdentityError
			if errors.As(st.Err, &ie) {
				return nil
			}
		}
		return fmt.Errorf("reach status %v, want the relay's identity refused", sn.ReachStatus())
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-relay.asked:
		t.Fatal("the station asked to join a relay that is not the pinned one")
	default:
	}
}
