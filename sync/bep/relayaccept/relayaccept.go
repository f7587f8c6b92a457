// Package relayaccept is the relay-accepting side of sync/bep: it stays
// joined to a Syncthing relay (strelaysrv) and takes the sessions paired
// peers ask for there, each in a slot of the node's gate (sync/bep/gate,
// the same as a direct connection's) from its invitation until its TLS
// handshake names the device, within the handshake's wait. The asking side
// (a post dialling its station through a relay) is sync/bep/relayask.
package relayaccept

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncthing/syncthing/lib/dialer"
	"github.com/syncthing/syncthing/lib/protocol"
	relayproto "github.com/syncthing/syncthing/lib/relay/protocol"

	"cunjing/sync/bep/gate"
	"cunjing/sync/bep/relayjoin"
	"cunjing/sync/bep/retry"
)

// Timeout bounds each step of reaching a relay.
const Timeout = 20 * time.Second

// Host is what the acceptor needs of its node.
type Host struct {
	Log *slog.Logger
	// MayAsk says whether dev may have a session here (see Offered), and
	// whether it is paired here.
	MayAsk func(ctx context.Context, dev protocol.DeviceID) (may, paired bool)
	// Admit takes a slot of the node's gate for an invitation from src
	// (sync/bep/gate: a relay, or whoever answers at its address, may send
	// invitations as fast as the link carries them, each naming any
	// address and any device: every one started a goroutine and a
	// connection there). c is closed when the slot is taken for another.
	Admit func(src gate.Source, c io.Closer) *gate.Ticket
	// Wait bounds an invitation's join and TLS handshake together, as
	// the node bounds an accepted connection's handshake.
	Wait time.Duration
	// Handshake runs TLS (as its server when tlsServer) and the hello on
	// a joined relayed connection, marking its slot t as the handshake
	// goes (talking, named paired, a stranger) and calling through once it
	// named a paired device or a stranger was dealt with; run then serves
	// the session until it ends.
	Handshake func(ctx context.Context, c net.Conn, tlsServer bool, t *gate.Ticket, through func()) (run func(), err error)
	// SetReach records how the relay named name is doing.
	SetReach func(name string, errOf func() error)
	// Joined says this node is joined to relay u (on) or no longer is,
	// for what it announces to discovery servers.
	Joined func(u *url.URL, on bool)
	// Dial, when not nil, replaces the TCP dial to a relay (lib/dialer's,
	// which goes through the proxy ALL_PROXY names, as the asking side's
	// and lib/relay/client's do).
	Dial func(ctx context.Context, addr string) (net.Conn, error)
}

// Acceptor accepts relayed sessions for one node.
type Acceptor struct {
	h Host
	// How many invitations were not taken (from a device that may not
	// ask here), and how many are being joined or handshaken now.
	stranger, joining atomic.Int64
}

// New makes an acceptor for h.
func New(h Host) *Acceptor {
	return &Acceptor{h: h}
}

func (a *Acceptor) dial(ctx context.Context, addr string) (net.Conn, error) {
	if a.h.Dial != nil {
		return a.h.Dial(ctx, addr)
	}
	return dialer.DialContext(ctx, "tcp", addr)
}

// Stats says how many invitations were not taken because the device may
// not ask here (stranger), and how many are being joined or handshaken
// now (those the gate closed for others end at once).
func (a *Acceptor) Stats() (stranger, joining int64) {
	return a.stranger.Load(), a.joining.Load()
}

// ErrJoining is a relay's state (Host.SetReach) until it answers the join.
var ErrJoining = errors.New("joining the relay")

// Keep stays joined to relay u (rejoining after a cut, with backoff)
// and accepts the sessions offered there, until ctx ends. Host.Joined
// hears of it once the relay has answered the join, and again when the
// connection ends.
func (a *Acceptor) Keep(ctx context.Context, u *url.URL, certs []tls.Certificate) {
	var wait time.Duration
	downSince := time.Now() // when the last connection that held ended
	name := "relay " + u.Host
	for ctx.Err() == nil {
		var state atomic.Pointer[error]
		state.Store(&ErrJoining)
		a.h.SetReach(name, func() error { return *state.Load() })
		var joined time.Time
		err := a.serve(ctx, u, certs, func() {
			joined = time.Now()
			var ok error
			state.Store(&ok)
			a.h.Joined(u, true)
		})
		if !joined.IsZero() {
			a.h.Joined(u, false)
		}
		if ctx.Err() != nil {
			return
		}
		a.h.Log.Warn("relay connection ended", "relay", u.Host, "err", err)
		state.Store(&err)
		var up time.Duration
		if !joined.IsZero() {
			up = time.Since(joined)
		}
		if up > time.Minute {
			downSince = time.Now()
		}
		wait = retry.Relay(wait, up, time.Since(downSince))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

// Offered starts joining a session relay u offers, when the device that
// asked for it may have one here (paired and not revoked, or any device
// while a short pairing code is shown; the handshake checks again), in a
// slot of the node's gate (Host.Admit): its source is the relay and the
// device, or the relay and "stranger" for any device not paired here (a
// device's ID costs nothing to make). It does not block the relay's
// connection: an invitation not taken is counted and logged (the first,
// second, fourth, …).
func (a *Acceptor) Offered(ctx context.Context, u *url.URL, inv relayproto.SessionInvitation) {
	from, err := protocol.DeviceIDFromBytes(inv.From)
	may, paired := false, false
	if err == nil {
		may, paired = a.h.MayAsk(ctx, from)
	}
	if !may {
		if k := a.stranger.Add(1); k&(k-1) == 0 {
			a.h.Log.Warn("relayed session from a device not paired here not taken", "relay", u.Host, "from", from.String(), "count", k)
		}
		return
	}
	who := "stranger"
	if paired {
		who = from.String()
	}
	jctx, cancel := context.WithTimeout(ctx, a.h.Wait)
	s := &slot{cancel: cancel}
	t := a.h.Admit(gate.Relayed(u.Host, who), s)
	t.Joining()
	a.joining.Add(1)
	go a.accept(ctx, jctx, u, inv, s, t)
}

// slot is an invitation's hold on the gate: closing it gives up the join
// (its context) or closes the connection joined.
type slot struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	c      net.Conn
	closed bool
}

func (s *slot) Close() error {
	s.cancel()
	s.mu.Lock()
	s.closed = true
	c := s.c
	s.mu.Unlock()
	if c != nil {
		return c.Close()
	}
	return nil
}

// hold keeps c to be closed with the slot, or says the slot was closed.
func (s *slot) hold(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c = c
	return !s.closed
}

// accept joins a session a peer asked for through relay u within jctx
// and runs it as an incoming connection, its TLS handshake within what is
// left of jctx; the slot t is let go once the handshake named the device
// (or was given up).
func (a *Acceptor) accept(ctx, jctx context.Context, u *url.URL, inv relayproto.SessionInvitation, s *slot, t *gate.Ticket) {
	var once sync.Once
	through := func() { // (more than once)
		t.Done()
		once.Do(func() { s.cancel(); a.joining.Add(-1) })
	}
	defer through()
	c, err := relayjoin.Join(jctx, inv)
	if err != nil {
		a.h.Log.Warn("join a relayed session", "relay", u.Host, "err", err)
		return
	}
	if !s.hold(c) { // the gate took the slot for another meanwhile
		c.Close()
		return
	}
	if dl, ok := jctx.Deadline(); ok {
		_ = c.SetDeadline(dl) // (the handshake sets its own once through)
	}
	run, err := a.h.Handshake(ctx, c, inv.ServerSocket, t, through)
	through()
	if err != nil {
		a.h.Log.Warn("refused relayed connection", "relay", u.Host, "err", err)
		return
	}
	run()
}
