// Package relayaccept is the relay-accepting side of sync/bep: it stays
// joined to a Syncthing relay (strelaysrv) and takes the sessions paired
// peers ask for there, at most MaxAccepts being joined or handshaken at
// once. The asking side (a post dialling its station through a relay) is
// sync/bep/relayask.
package relayaccept

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/syncthing/syncthing/lib/dialer"
	"github.com/syncthing/syncthing/lib/protocol"
	relayproto "github.com/syncthing/syncthing/lib/relay/protocol"

	"cunjing/sync/bep/relayjoin"
	"cunjing/sync/bep/retry"
)

// Timeout bounds each step of reaching a relay.
const Timeout = 20 * time.Second

// MaxAccepts bounds the sessions offered through relays that are being
// joined or handshaken at once (each may take the join's 10 s and the
// handshake's 20 s). A relay, or whoever answers at its address, may send
// invitations as fast as the link carries them, each naming any address:
// every one started a goroutine and a connection there.
const MaxAccepts = 32

// Host is what the acceptor needs of its node.
type Host struct {
	Log *slog.Logger
	// MayAsk says whether dev may have a session here (see Offered).
	MayAsk func(ctx context.Context, dev protocol.DeviceID) bool
	// Handshake runs TLS (as its server when tlsServer) and the hello on
	// a joined relayed connection; run then serves the session until it
	// ends.
	Handshake func(ctx context.Context, c net.Conn, tlsServer bool) (run func(), err error)
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
	// The slots of sessions being joined and handshaken, and how many
	// were not taken.
	slots          chan struct{}
	busy, stranger atomic.Int64
}

// New makes an acceptor for h.
func New(h Host) *Acceptor {
	return &Acceptor{h: h, slots: make(chan struct{}, MaxAccepts)}
}

func (a *Acceptor) dial(ctx context.Context, addr string) (net.Conn, error) {
	if a.h.Dial != nil {
		return a.h.Dial(ctx, addr)
	}
	return dialer.DialContext(ctx, "tcp", addr)
}

// Stats says how many invitations were not taken because too many were
// being joined (busy) or because the device may not ask here (stranger),
// and how many are being joined now.
func (a *Acceptor) Stats() (busy, stranger int64, joining int) {
	return a.busy.Load(), a.stranger.Load(), len(a.slots)
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
// while a short pairing code is shown; the handshake checks again) and
// fewer than MaxAccepts are being joined. Neither check blocks the
// relay's connection: an invitation not taken is counted and logged
// (the first, second, fourth, … of each kind).
func (a *Acceptor) Offered(ctx context.Context, u *url.URL, inv relayproto.SessionInvitation) {
	from, err := protocol.DeviceIDFromBytes(inv.From)
	if err != nil || !a.h.MayAsk(ctx, from) {
		if k := a.stranger.Add(1); k&(k-1) == 0 {
			a.h.Log.Warn("relayed session from a device not paired here not taken", "relay", u.Host, "from", from.String(), "count", k)
		}
		return
	}
	select {
	case a.slots <- struct{}{}:
	default:
		if k := a.busy.Add(1); k&(k-1) == 0 {
			a.h.Log.Warn("relayed session not taken: too many being joined", "relay", u.Host, "from", from.String(), "at once", MaxAccepts, "count", k)
		}
		return
	}
	go a.accept(ctx, u, inv, func() { <-a.slots })
}

// accept joins a session a peer asked for through relay u and runs it as
// an incoming connection; release frees its slot once the session is
// handshaken (or given up).
func (a *Acceptor) accept(ctx context.Context, u *url.URL, inv relayproto.SessionInvitation, release func()) {
	c, err := relayjoin.Join(ctx, inv)
	if err != nil {
		release()
		a.h.Log.Warn("join a relayed session", "relay", u.Host, "err", err)
		return
	}
	run, err := a.h.Handshake(ctx, c, inv.ServerSocket)
	release()
	if err != nil {
		a.h.Log.Warn("refused relayed connection", "relay", u.Host, "err", err)
		return
	}
	run()
}
