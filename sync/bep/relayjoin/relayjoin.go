// Package relayjoin owns joining a session at a stock Syncthing relay
// (strelaysrv) once an invitation is in hand, made safe against the two
// races in the stock relay's session code (cmd/strelaysrv, 1.19 as Debian
// packages it and 1.30 alike):
//
//   - A relay hands a join to its session only while the session's
//     goroutine waits for one (a non-blocking send on an unbuffered
//     channel), and forgets the session's key at its first lookup: of two
//     joins that arrive together the second is refused "already
//     connected", for good. Join reports that as ErrRefused, so the side
//     that asked for the session can ask for a new one.
//   - A relay starts passing the first side's bytes to the second before
//     it writes the second side its "joined" answer. When the TLS client
//     joined first, its ClientHello can reach the TLS server ahead of that
//     answer, and lib/relay/client's JoinSession then reads it as a broken
//     answer ("magic mismatch"): the session is lost and the client waits
//     out its whole handshake. Join keeps such bytes (whole TLS records)
//     and hands them back first from the connection it returns.
//
// It imports none of cunjing's packages.
package relayjoin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/syncthing/syncthing/lib/dialer"
	"github.com/syncthing/syncthing/lib/relay/protocol"
)

// ErrRefused: the relay would not add this side to the session ("already
// connected"); the session can never start, a new one must be asked for.
var ErrRefused = errors.New("the relay refused the join (already connected)")

// relayMagic opens every relay protocol message (lib/relay/protocol).
const relayMagic = 0x9E79BC40

// timeout bounds the join, as lib/relay/client's JoinSession does.
const timeout = 10 * time.Second

// maxEarly bounds the peer's bytes kept before the relay's answer: a TLS
// ClientHello is one record of a few hundred bytes; a TLS record is at
// most 16 KiB plus 2 KiB of expansion.
const maxEarly = 64 << 10

// Join joins the session inv invites to and returns the connection to the
// peer, as lib/relay/client.JoinSession does (the same dialer, request and
// deadline), tolerating the peer's bytes arriving before the relay's
// answer (they are read first from the connection returned).
func Join(ctx context.Context, inv protocol.SessionInvitation) (net.Conn, error) {
	addr := net.JoinHostPort(net.IP(inv.Address).String(), strconv.Itoa(int(inv.Port)))
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("join session at %s: %w", addr, err)
	}
	c, err := join(ctx, conn, inv.Key, timeout)
	if err != nil {
		conn.Close()
		if ctx.Err() != nil {
			err = ctx.Err() // the join was given up (a read of the past deadline failed)
		}
		return nil, fmt.Errorf("join session at %s: %w", addr, err)
	}
	return c, nil
}

// join asks conn's relay for the session with key and reads its answer
// within limit, keeping whole TLS records that come before it; it gives
// up at once when ctx ends (lib/relay/client's JoinSession, and join
// before, waited out the whole limit: a station's node stopping, or a
// post's 立即同步 ending, waited up to 10 s for a relay that never
// answered).
func join(ctx context.Context, conn net.Conn, key []byte, limit time.Duration) (net.Conn, error) {
	if err := conn.SetDeadline(time.Now().Add(limit)); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := protocol.WriteMessage(conn, protocol.JoinSessionRequest{Key: key}); err != nil {
		return nil, err
	}
	br := bufio.NewReader(conn)
	early, err := readEarly(br)
	if err != nil {
		return nil, err
	}
	msg, err := protocol.ReadMessage(br)
	if err != nil {
		return nil, fmt.Errorf("the relay's answer: %w", err)
	}
	switch msg := msg.(type) {
	case protocol.Response:
		switch msg.Code {
		case protocol.ResponseSuccess.Code:
		case protocol.ResponseAlreadyConnected.Code:
			return nil, ErrRefused
		default:
			return nil, fmt.Errorf("the relay answered %d: %s", msg.Code, msg.Message)
		}
	default:
		return nil, fmt.Errorf("the relay answered %T, want a response", msg)
	}
	if !stop() { // ctx ended: the deadline is past now
		return nil, ctx.Err()
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return nil, err
	}
	if len(early) == 0 && br.Buffered() == 0 {
		return conn, nil
	}
	rest, _ := br.Peek(br.Buffered()) // never fails for what is buffered
	first := append(early, rest...)
	return &prefixed{Conn: conn, r: io.MultiReader(bytes.NewReader(first), conn)}, nil
}

// readEarly reads the whole TLS records that come before the relay's
// answer (none, normally), up to maxEarly bytes.
func readEarly(br *bufio.Reader) ([]byte, error) {
	var early []byte
	for {
		head, err := br.Peek(5)
		if err != nil {
			return nil, fmt.Errorf("the relay's answer: %w", err)
		}
		if binary.BigEndian.Uint32(head) == relayMagic {
			return early, nil
		}
		// A TLS record: content type 20–23, version 3.x, then its length.
		if head[0] < 20 || head[0] > 23 || head[1] != 3 {
			return nil, fmt.Errorf("the relay's answer: neither a relay message nor TLS (% x)", head)
		}
		n := 5 + int(binary.BigEndian.Uint16(head[3:5]))
		if len(early)+n > maxEarly {
			return nil, fmt.Errorf("the relay's answer: over %d bytes of the peer's data before it", maxEarly)
		}
		rec := make([]byte, n)
		if _, err := io.ReadFull(br, rec); err != nil {
			return nil, fmt.Errorf("the relay's answer: %w", err)
		}
		early = append(early, rec...)
	}
}

// prefixed is a connection whose first bytes were read already.
type prefixed struct {
	net.Conn
	r io.Reader
}

func (p *prefixed) Read(b []byte) (int, error) { return p.r.Read(b) }
