package bep

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/sync/bep/hello"
	"cunjing/sync/bep/shortwire"
	"cunjing/sync/bep/why"
	"cunjing/sync/status"
)

// ErrForgotten ends a session whose peer does not know this device: it
// sent a Close saying so (hello.NotPairedReason) — a station restored
// from a backup made before it paired this post. The status says it
// (status.Forgotten) until an exchange with the peer succeeds again.
var ErrForgotten = why.ErrForgotten

// hello is this node's BEP Hello.
func (n *Node) hello() protocol.Hello {
	version := hello.ClientVersion
	if n.cfg.clientVersion != "" {
		version = n.cfg.clientVersion
	}
	return protocol.Hello{DeviceName: n.e.Self()[:7], ClientName: "cunjing",
		ClientVersion: version, Timestamp: helloTime(n.e.Store().Clock().WallNow())}
}

// strangerWaitDefault bounds how long a device not paired here holds a
// connection once the TLS handshake has named it (its certificate is its
// device ID, known before any hello is read): reading its hello, telling it
// in a Close (hello.Refuse) and letting it read the Close. On a link a post
// dials a restored station over it is some round trips; it was 10 s for
// the hello and 5 s more for the Close, a slot held 15 s a stranger.
// A paired device's slow link keeps the 20 s of handshakeAs.
const strangerWaitDefault = 2 * time.Second

// maxStrangersDefault bounds the devices not paired here being told so at
// once: past it one is closed without a word, and the count of those is
// logged (the first, second, fourth, …). A device that dials again and
// again, or many devices, hold at most this many goroutines and
// connections for at most strangerWait each.
const maxStrangersDefault = 16

func (n *Node) strangerWait() time.Duration {
	if n.cfg.strangerWait > 0 {
		return n.cfg.strangerWait
	}
	return strangerWaitDefault
}

// refuseUnknown refuses a device not paired here that dialled this one,
// or hands on the connection a short pairing comes over (to pairShort;
// also every connection this side dialled: the short pairing decides). A
// device that greets this one with a Hello takes itself for paired here —
// a post whose station was restored from a backup made before their
// pairing, which only a log line said before while the post was told
// "hello: EOF": it is told in a BEP Close (hello.Refuse), and noted for
// the status (status.NoteUnknownDialer), also while a short code is shown
// (the station's officer pairing its posts again after the restore: the
// posts not yet paired again heard only that the station hung up). One
// that sends a short pairing while no code is shown is told there is
// none. All of it within strangerWait of the handshake (of the first
// bytes, while a code is shown), at most maxStrangers at once.
func (n *Node) refuseUnknown(ctx context.Context, tc *tls.Conn, remote protocol.DeviceID, outgoing bool) (net.Conn, error) {
	if outgoing {
		return tc, nil
	}
	shown, err := n.e.ShortCodes().Shown(ctx)
	if err != nil {
		return tc, nil // pairShort asks again and says why
	}
	refused := fmt.Errorf("unknown device %s refused", remote)
	var c net.Conn = tc // reads what the device sent first
	if shown {
		// A short pairing's first message comes at once from the side
		// that typed the code; pairShort gives it the 20 s it had.
		_ = tc.SetDeadline(time.Now().Add(20 * time.Second))
		pc, pairing, err := shortwire.Peek(tc)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", refused, err)
		}
		if pairing {
			return pc, nil
		}
		c = pc
	}
	select {
	case n.strangers <- struct{}{}:
		defer func() { <-n.strangers }()
	default:
		if k := n.turnedAway.Add(1); k&(k-1) == 0 {
			n.e.Log().Warn("devices not paired here closed without a word: too many being told at once",
				"device", remote.String(), "at once", cap(n.strangers), "count", k)
		}
		return nil, fmt.Errorf("%w: too many being told at once", refused)
	}
	deadline := time.Now().Add(n.strangerWait())
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	_ = tc.SetDeadline(deadline)
	if !shown {
		pc, pairing, err := shortwire.Peek(tc)
		if err != nil {
			return nil, refused
		}
		if pairing {
			_ = shortwire.Write(tc, shortwire.Msg{Refused: refusedNoCode})
			return nil, refused
		}
		c = pc
	}
	err = hello.Refuse(c, n.hello(), func(protocol.Hello) {
		if err := status.NoteUnknownDialer(ctx, n.e.Book(), n.e.Store().Role(), remote.String()); err != nil {
			n.e.Log().Warn("note a device not paired here that dialled", "err", err)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", refused, err)
	}
	hello.Linger(tc, time.Until(deadline))
	return nil, fmt.Errorf("%w: told it so", refused)
}
