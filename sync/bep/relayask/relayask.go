// Package relayask is the asking side of a relayed session in sync/bep:
// a device that dials a peer through a Syncthing relay (strelaysrv) asks
// the relay for a session with the peer and joins it (the accepting side,
// the peer joined to the relay, is sync/bep/relayaccept).
package relayask

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
	"github.com/syncthing/syncthing/lib/relay/client"
	relayproto "github.com/syncthing/syncthing/lib/relay/protocol"

	"cunjing/sync/bep/relayjoin"
)

// Timeout bounds each step of reaching a peer through a relay (as
// relayaccept.Timeout).
const Timeout = 20 * time.Second

// Joining a relayed session (sync/bep/relayjoin): the side that asked
// for it (the TLS client) gets its invitation first but waits
// JoinStagger before it joins, so the invited side, the TLS server,
// which sends nothing first, is normally in the session already; a stock
// relay refuses the second of two joins that arrive together, and a
// refused asking side asks for a new session (JoinTries in all),
// where a refused invited side could only leave the asking side waiting
// out its whole TLS handshake.
const (
	JoinTries   = 3
	JoinStagger = 100 * time.Millisecond
)

// Why a relay did not lead to the peer (Join), in the words
// 立即同步 and sync --once show: the relay itself (not running, no network
// to it, or not a relay: before, this too said the peer "is not there"),
// or the peer not joined to it.
var (
	ErrRelayDown  = errors.New("连不上中继服务器（中继没有运行，或本机到它的网络不通）")
	ErrNotAtRelay = errors.New("对方不在中继服务器上（对方的同步没有运行，或它连不上中继）")
	// ErrRelayNotPinned: what answers at the relay's address is not the
	// relay its URL's ?id= names.
	ErrRelayNotPinned = errors.New("the relay's certificate is not the one its address names")
)

// Join asks relay u for a session with dev and joins it, asking for a
// new session when the relay refuses the join (JoinTries). It returns
// the joined connection and whether this side is to be the TLS server (the
// relay says which).
func Join(ctx context.Context, u *url.URL, dev protocol.DeviceID, certs []tls.Certificate) (net.Conn, bool, error) {
	var err error
	for range JoinTries {
		var inv relayproto.SessionInvitation
		inv, err = invitation(ctx, u, dev, certs)
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return nil, false, fmt.Errorf("relay %s: %w", u.Host, ctx.Err())
		case strings.HasPrefix(err.Error(), "incorrect response code 1:"): // not found
			return nil, false, fmt.Errorf("relay %s: %s: %w: %w", u.Host, dev.Short(), ErrNotAtRelay, err)
		case strings.HasPrefix(err.Error(), "relay id does not match"): // lib/relay/client's words
			return nil, false, fmt.Errorf("relay %s: %w: %w", u.Host, ErrRelayNotPinned, err)
		case strings.HasPrefix(err.Error(), "incorrect response code"):
			return nil, false, fmt.Errorf("relay %s refused to ask for %s: %w", u.Host, dev.Short(), err)
		default:
			return nil, false, fmt.Errorf("relay %s: %w: %w", u.Host, ErrRelayDown, err)
		}
		t := time.NewTimer(JoinStagger)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, false, ctx.Err()
		case <-t.C:
		}
		var c net.Conn
		if c, err = relayjoin.Join(ctx, inv); err == nil {
			return c, inv.ServerSocket, nil
		}
		if !errors.Is(err, relayjoin.ErrRefused) {
			break
		}
	}
	return nil, false, fmt.Errorf("relay %s: %w", u.Host, err)
}

// invitation is client.GetInvitationFromRelay given up when ctx ends: it
// heeds ctx only while dialling, then waits up to Timeout for the
// TLS handshake and the answer (what it gets after is dropped; a session
// the relay made then is never joined by this side).
func invitation(ctx context.Context, u *url.URL, dev protocol.DeviceID, certs []tls.Certificate) (relayproto.SessionInvitation, error) {
	type answer struct {
		inv relayproto.SessionInvitation
		err error
	}
	got := make(chan answer, 1)
	go func() {
		inv, err := client.GetInvitationFromRelay(ctx, u, dev, certs, Timeout)
		got <- answer{inv, err}
	}()
	select {
	case a := <-got:
		return a.inv, a.err
	case <-ctx.Done():
		return relayproto.SessionInvitation{}, ctx.Err()
	}
}

// FirstByte is how long the asking side waits, once joined, for the
// peer's first byte (its TLS ServerHello, or its ClientHello when this
// side is the TLS server) before it takes the session for lost and asks
// the relay for another. The peer's own join may have been refused (a
// stock relay refuses the second of two joins that reach a session
// together, and on a loaded machine the invited side's join came after
// the asking side's stagger) or never come; the asking side then waited
// out its whole TLS handshake (20 s) and the session failed. The peer
// joins as soon as its invitation comes (sent before the asking side's),
// so on a village link a few round trips bring its first byte.
const FirstByte = 5 * time.Second

// SessionTries bounds the sessions Session asks a relay for.
const SessionTries = 3

// ErrPeerSilent is a relayed session whose peer sent nothing within the
// first-byte wait.
var ErrPeerSilent = errors.New("the peer sent nothing through the relay")

// Session asks relay u for a session with dev (Join) and runs handshake
// on the joined connection. When the peer sends nothing within
// firstByte of the join (0: FirstByte), the connection is closed and a
// new session asked for, SessionTries in all until ctx ends; the last
// waits as long as handshake does, so a peer on a link too slow for
// firstByte still gets through.
func Session[S any](ctx context.Context, u *url.URL, dev protocol.DeviceID, certs []tls.Certificate, firstByte time.Duration,
	handshake func(c net.Conn, tlsServer bool) (S, error)) (S, error) {
	if firstByte <= 0 {
		firstByte = FirstByte
	}
	var zero S
	for try := 1; ; try++ {
		c, tlsServer, err := Join(ctx, u, dev, certs)
		if err != nil {
			return zero, err
		}
		var w *watched
		if try < SessionTries {
			w = watch(c, firstByte)
			c = w
		}
		s, err := handshake(c, tlsServer)
		if w == nil || !w.stop() || ctx.Err() != nil {
			return s, err
		}
		// Silent: ask again.
	}
}

// watched is a joined connection closed when its first byte does not come
// in time.
type watched struct {
	net.Conn
	state atomic.Int32 // waiting, heard, silent
	t     *time.Timer
}

const (
	waiting = iota
	heard
	silent
)

func watch(c net.Conn, d time.Duration) *watched {
	w := &watched{Conn: c}
	w.t = time.AfterFunc(d, func() {
		if w.state.CompareAndSwap(waiting, silent) {
			c.Close()
		}
	})
	return w
}

func (w *watched) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	if n > 0 && w.state.CompareAndSwap(waiting, heard) {
		w.t.Stop()
	}
	if err != nil && w.state.Load() == silent {
		err = fmt.Errorf("%w: %w", ErrPeerSilent, err)
	}
	return n, err
}

// stop ends the wait and says whether the peer was silent.
func (w *watched) stop() bool {
	w.t.Stop()
	w.state.CompareAndSwap(waiting, heard)
	return w.state.Load() == silent
}
