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
