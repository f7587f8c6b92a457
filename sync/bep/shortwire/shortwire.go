// Package shortwire is the short pairing's wire format: before the BEP
// Hello, a first connection after a short pairing code carries one message
// each way — the side that typed the code (it dials) sends its long code
// and proof first; the side that showed the code answers with its own, or
// with why it refused. Each message is Magic, a big-endian length and
// JSON. A BEP Hello starts with another magic, so a device that expects no
// pairing is never confused by one. (sync/bep runs the exchange.)
package shortwire

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"

	"cunjing/sync/shortpair"
)

// Magic opens every short pairing message.
var Magic = [4]byte{'C', 'J', 'P', '1'}

// MaxMsg bounds a pairing message (a long code is about 1.5 KB).
const MaxMsg = 16 << 10

// Msg is one side's message: its offer, or why it refused.
type Msg struct {
	shortpair.Message
	Refused string `json:"refused,omitempty"`
}

// Write sends m.
func Write(w io.Writer, m Msg) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("short pairing message: %w", err)
	}
	hdr := make([]byte, 8)
	copy(hdr, Magic[:])
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(b)))
	if _, err := w.Write(append(hdr, b...)); err != nil {
		return fmt.Errorf("send short pairing message: %w", err)
	}
	return nil
}

// Read reads one message, no more than 8 + MaxMsg bytes.
func Read(r io.Reader) (Msg, error) {
	hdr := make([]byte, 8)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return Msg{}, fmt.Errorf("read short pairing message: %w", err)
	}
	if [4]byte(hdr[:4]) != Magic {
		return Msg{}, errors.New("read short pairing message: the other device sent no pairing (unpaired device)")
	}
	n := binary.BigEndian.Uint32(hdr[4:])
	if n > MaxMsg {
		return Msg{}, fmt.Errorf("read short pairing message: %d bytes is too long", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return Msg{}, fmt.Errorf("read short pairing message: %w", err)
	}
	var m Msg
	if err := json.Unmarshal(b, &m); err != nil {
		return Msg{}, fmt.Errorf("read short pairing message: %w", err)
	}
	return m, nil
}

// Peek reads the first bytes c's peer sends and says whether they open a
// pairing message (else a BEP Hello, most likely); the connection returned
// reads them again.
func Peek(c net.Conn) (net.Conn, bool, error) {
	var head [4]byte
	if _, err := io.ReadFull(c, head[:]); err != nil {
		return nil, false, err
	}
	return &prefixed{Conn: c, r: io.MultiReader(bytes.NewReader(head[:]), c)}, head == Magic, nil
}

// prefixed is a connection whose first bytes were read already.
type prefixed struct {
	net.Conn
	r io.Reader
}

func (p *prefixed) Read(b []byte) (int, error) { return p.r.Read(b) }
