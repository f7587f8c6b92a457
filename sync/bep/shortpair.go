package bep

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	"cunjing/sync/shortpair"
)

// A first connection after a short pairing code carries one message each
// way before the BEP Hello: the side that typed the code (it dials) sends
// its long code and proof first; the side that showed the code answers
// with its own, or with why it refused. Each message is the magic, a
// big-endian length and JSON. A BEP Hello starts with another magic, so a
// device that expects no pairing is never confused by one.
var shortMagic = [4]byte{'C', 'J', 'P', '1'}

// maxShortMsg bounds a pairing message (a long code is about 1.5 KB).
const maxShortMsg = 16 << 10

type shortMsg struct {
	shortpair.Message
	Refused string `json:"refused,omitempty"`
}

func writeShortMsg(w io.Writer, m shortMsg) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("short pairing message: %w", err)
	}
	hdr := make([]byte, 8)
	copy(hdr, shortMagic[:])
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(b)))
	if _, err := w.Write(append(hdr, b...)); err != nil {
		return fmt.Errorf("send short pairing message: %w", err)
	}
	return nil
}

func readShortMsg(r io.Reader) (shortMsg, error) {
	hdr := make([]byte, 8)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return shortMsg{}, fmt.Errorf("read short pairing message: %w", err)
	}
	if [4]byte(hdr[:4]) != shortMagic {
		return shortMsg{}, errors.New("read short pairing message: the other device sent no pairing (unpaired device)")
	}
	n := binary.BigEndian.Uint32(hdr[4:])
	if n > maxShortMsg {
		return shortMsg{}, fmt.Errorf("read short pairing message: %d bytes is too long", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return shortMsg{}, fmt.Errorf("read short pairing message: %w", err)
	}
	var m shortMsg
	if err := json.Unmarshal(b, &m); err != nil {
		return shortMsg{}, fmt.Errorf("read short pairing message: %w", err)
	}
	return m, nil
}

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
		if err := writeShortMsg(c, shortMsg{Message: offer}); err != nil {
			return syncbook.Peer{}, err
		}
		ans, err := readShortMsg(c)
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
	m, err := readShortMsg(c)
	if err != nil {
		return syncbook.Peer{}, fmt.Errorf("unknown device %s refused: %w", remote, err)
	}
	peer, secret, err := e.ShortCodes().AcceptIssued(ctx, m.Message, remote)
	if err != nil {
		refused := err.Error()
		if !errors.Is(err, shortpair.ErrSecret) {
			refused = "对方没有可用的短配对码（已过期或已用过），请对方重新生成"
		}
		if werr := writeShortMsg(c, shortMsg{Refused: refused}); werr != nil {
			e.Log().Warn("refuse short pairing", "err", werr)
		}
		return syncbook.Peer{}, fmt.Errorf("short pairing with %s: %w", remote, err)
	}
	offer, err := e.ShortCodes().Offer(ctx, secret, remote)
	if err != nil {
		return syncbook.Peer{}, err
	}
	if err := writeShortMsg(c, shortMsg{Message: offer}); err != nil {
		return syncbook.Peer{}, err
	}
	return peer, nil
}
