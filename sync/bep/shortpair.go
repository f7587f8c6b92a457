package bep

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	"cunjing/sync/bep/shortwire"
	"cunjing/sync/shortpair"
)

// The short pairing's messages before the BEP Hello: sync/bep/shortwire.

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
			return syncbook.Peer{}, fmt.Errorf("%s 拒绝配对：%s", remote.Short(), ans.Refused)
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
			refused = "对方没有可用的短配对码（已过期或已用过），请对方重新生成"
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
