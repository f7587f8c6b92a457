package bep

import (
	"context"
	"crypto/tls"
	"fmt"
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

// refuseUnknown refuses a device not paired here that dialled this one
// while no short code is shown (nil: a short code is shown, or this side
// dialled; the short pairing decides). A device that greets this one
// with a Hello takes itself for paired here — a post whose station was
// restored from a backup made before their pairing, which only a log
// line said before while the post was told "hello: EOF": it is told in a
// BEP Close (hello.Refuse), and noted for the status
// (status.NoteUnknownDialer). One that sends a short pairing is told
// there is no code here.
func (n *Node) refuseUnknown(ctx context.Context, tc *tls.Conn, remote protocol.DeviceID, outgoing bool) error {
	if outgoing {
		return nil
	}
	if shown, err := n.e.ShortCodes().Shown(ctx); err != nil || shown {
		return nil
	}
	refused := fmt.Errorf("unknown device %s refused", remote)
	_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
	c, pairing, err := shortwire.Peek(tc)
	if err != nil {
		return refused
	}
	if pairing {
		_ = shortwire.Write(tc, shortwire.Msg{Refused: refusedNoCode})
		return refused
	}
	err = hello.Refuse(c, n.hello(), func(protocol.Hello) {
		if err := status.NoteUnknownDialer(ctx, n.e.Book(), n.e.Store().Role(), remote.String()); err != nil {
			n.e.Log().Warn("note a device not paired here that dialled", "err", err)
		}
	})
	if err != nil {
		return fmt.Errorf("%w: %w", refused, err)
	}
	hello.Linger(tc, 5*time.Second)
	return fmt.Errorf("%w: told it so", refused)
}
