package bep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	"cunjing/sync/bep/pairlimit"
	"cunjing/sync/bep/shortwire"
	"cunjing/sync/bep/why"
	"cunjing/sync/shortpair"
)

// The short pairing's messages before the BEP Hello: sync/bep/shortwire.

// refusedNoCode is what the typing side is told when this side shows no
// usable short code.
const refusedNoCode = "对方没有可用的短配对码（已过期或已用过），请对方重新生成"

// PairRefusedError is the other device refusing the short pairing typed
// here, with its reason.
type PairRefusedError = why.PairRefusedError

// pairShort runs the short pairing exchange on a fresh TLS connection with
// an unknown device. It returns the new peer, or why there is none.
func (n *Node) pairShort(ctx context.Context, c net.Conn, remote protocol.DeviceID, outgoing bool) (syncbook.Peer, error) {
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	defer c.SetDeadline(time.Time{})
	e := n.e
	if outgoing {
		pend, err := e.ShortCodes().Pending(ctx)
		if err != nil {
			return syncbook.Peer{}, err
		}
		var p *shortpair.Pending
		for i := range pend {
			if pend[i].DeviceID == remote.String() {
				p = &pend[i]
			}
		}
		if p == nil {
			return syncbook.Peer{}, fmt.Errorf("unknown device %s refused", remote)
		}
		lim := n.cfg.pairLimit // (sync/bep/pairlimit: a try spends one of the other side's 5)
		if lim == nil {
			lim = pairlimit.Default
		}
		done, err := lim.Take(remote.String())
		if err != nil {
			return syncbook.Peer{}, err
		}
		defer done()
		offer, err := e.ShortCodes().Offer(ctx, p.Secret, remote)
		if err != nil {
			return syncbook.Peer{}, err
		}
		if err := shortwire.Write(c, shortwire.Msg{Message: offer}); err != nil {
			return syncbook.Peer{}, err
		}
		ans, err := shortwire.Read(c)
		if err != nil {
			return syncbook.Peer{}, err
		}
		if ans.Refused != "" {
			return syncbook.Peer{}, &PairRefusedError{Peer: remote.Short().String(), Reason: ans.Refused}
		}
		return e.ShortCodes().AcceptPending(ctx, ans.Message, *p, remote)
	}
	if shown, err := e.ShortCodes().Shown(ctx); err != nil || !shown {
		return syncbook.Peer{}, errors.Join(fmt.Errorf("unknown device %s refused", remote), err)
	}
	m, err := shortwire.Read(c)
	if err != nil {
		return syncbook.Peer{}, fmt.Errorf("unknown device %s refused: %w", remote, err)
	}
	peer, secret, err := e.ShortCodes().AcceptIssued(ctx, m.Message, remote)
	if err != nil {
		refused := err.Error()
		if !errors.Is(err, shortpair.ErrSecret) {
			refused = refusedNoCode
		}
		if werr := shortwire.Write(c, shortwire.Msg{Refused: refused}); werr != nil {
			e.Log().Warn("refuse short pairing", "err", werr)
		}
		return syncbook.Peer{}, fmt.Errorf("short pairing with %s: %w", remote, err)
	}
	offer, err := e.ShortCodes().Offer(ctx, secret, remote)
	if err != nil {
		return syncbook.Peer{}, err
	}
	if err := shortwire.Write(c, shortwire.Msg{Message: offer}); err != nil {
		return syncbook.Peer{}, err
	}
	return peer, nil
}

// pairAgain, on a connection this side was asked for by a device paired
// here that never had a session here, or while a short code is shown,
// reads what the device sends first: its Hello, handed back to be read
// again, or a short pairing. A short pairing cut after this side paired
// the device and before the device had the answer (a relay or a village
// link cut just then) left it typing, and dialling with, a code this side
// no longer held, and this side took it for paired and sent a Hello: the
// two were half paired for good, a new code too ("the other device sent
// no pairing"). Now the pairing is answered as a first connection's is
// while a code is shown, else refused in words (ask for a new one).
func (n *Node) pairAgain(ctx context.Context, tc net.Conn, peer syncbook.Peer, remote protocol.DeviceID, outgoing bool) (io.ReadWriter, error) {
	if outgoing {
		return tc, nil
	}
	shown, err := n.e.ShortCodes().Shown(ctx)
	if err != nil || (!shown && peer.LastContact != "") {
		return tc, nil // (the Hello tells)
	}
	c, pairing, err := shortwire.Peek(tc)
	if err != nil {
		return nil, fmt.Errorf("hello: %w", err)
	}
	if !pairing {
		return c, nil // the Hello, read again from c
	}
	if !shown {
		_ = shortwire.Write(tc, shortwire.Msg{Refused: refusedNoCode})
		return nil, fmt.Errorf("short pairing from %s, paired here already: no short code shown", peer.Name)
	}
	if _, err := n.pairShort(ctx, c, remote, false); err != nil {
		return nil, err
	}
	if _, err := n.e.Cut(ctx); err != nil {
		return nil, fmt.Errorf("cut for %s after pairing: %w", peer.Name, err)
	}
	_ = tc.SetDeadline(time.Now().Add(20 * time.Second)) // (pairShort cleared it)
	return c, nil
}
