// Package framing holds what sits between TLS and lib/protocol on a BEP
// link: a Reader that hands lib/protocol whole messages only, so a link
// that fails costs at most the message it cut in half, and a Writer that
// stops the reads and lets them drain before a failed write is reported,
// and lets small messages that come together share a TLS record. sync/bep
// wires them into each session; nothing here knows of cunjing's data.
package framing

import (
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
)

// Reader sits between TLS and lib/protocol's reader goroutine so that a
// link that fails costs at most the one message it cut in half.
//
// Why it is needed (lib/protocol v1.30.0): readerLoop reads a message, hands
// it to dispatcherLoop over an unbuffered channel and reads the next one.
// When that read fails, internalClose at once closes c.closed and every
// channel a Request waits on, while the dispatcher may still be about to
// deliver the message it was just handed: a block response that came over
// the wire whole was thrown away and the puller asked for it again.
//
// What it does:
//   - It hands lib/protocol whole messages only, buffering each one until its
//     last byte is there, so the link can only fail between two messages as
//     lib/protocol sees them. A message cut in half never reaches it.
//   - When the link fails, it does not return the error at once but first
//     the 8 bytes of an empty Ping message. The reader goroutine passes the
//     Ping to the dispatcher over that same unbuffered channel, which the
//     dispatcher takes only once it has finished the message before (for a
//     Response: handed the data to the waiting Request). The dispatcher
//     ignores a Ping. Only then, at lib/protocol's next read, comes the
//     error. This is a handshake with the dispatcher, not a timer, so it
//     holds however loaded the machine is, and it waits no longer than
//     lib/protocol already does: internalClose itself waits for the
//     dispatcher to stop, and the reader's send of the Ping gives up as soon
//     as the connection is closed by anyone else.
//
// The Ping goes in only once the peer's ClusterConfig has been handled: the
// dispatcher refuses anything else before it, and until then no Request can
// be waiting.
//
// The other ways a connection ends must come through here too (see
// Writer and the session's retire): they stop the reads, and the connection
// closes when the reader has drained.
type Reader struct {
	r     io.Reader
	ready func() bool // true once the dispatcher accepts a Ping
	seen  func(typ, size int)

	buf    []byte // the whole message being handed out, from off
	off    int
	raw    bool  // lengths out of range: pass bytes through and let lib/protocol refuse them
	late   error // an error that came with the last bytes of a message
	err    error // the link's failure, returned after the Ping
	pinged bool
	made   atomic.Int64 // bytes of Ping made up here rather than read from the link

	final   chan struct{} // closed when Read returns the link's error for good
	finOnce gosync.Once
}

// NewReader reads BEP messages from r (the TLS connection) for
// lib/protocol. ready reports whether the dispatcher accepts a Ping yet
// (the peer's ClusterConfig was handled); seen, if not nil, sees each whole
// message's type and size as it is handed on.
func NewReader(r io.Reader, ready func() bool, seen func(typ, size int)) *Reader {
	m := newReader(r, ready)
	m.seen = seen
	return m
}

// Made is how many bytes of Ping the Reader made up rather than read from
// the link (to be taken off lib/protocol's count of bytes read).
func (m *Reader) Made() int64 { return m.made.Load() }

func newReader(r io.Reader, ready func() bool) *Reader {
	return &Reader{r: r, ready: ready, final: make(chan struct{})}
}

// pingMsg is an empty BEP Ping: header length 2, header {type: PING (6)}
// (protobuf field 1, varint), message length 0.
var pingMsg = []byte{0, 2, 0x08, 6, 0, 0, 0, 0}

// keepBuf is the largest buffer kept between messages: block responses
// (128 KiB) reuse it, a rare large index does not stay in memory.
const keepBuf = 1 << 20

func (m *Reader) Read(p []byte) (int, error) {
	if m.off == len(m.buf) {
		if m.raw {
			return m.r.Read(p)
		}
		if m.err == nil {
			m.err = m.next()
		}
		if m.err != nil {
			if m.pinged || !m.ready() {
				m.finOnce.Do(func() { close(m.final) })
				return 0, m.err
			}
			m.pinged = true
			m.buf, m.off = append(m.buf[:0], pingMsg...), 0
			m.made.Add(int64(len(pingMsg)))
		}
	}
	n := copy(p, m.buf[m.off:])
	m.off += n
	return n, nil
}

// next reads one whole message into buf (or, for lengths lib/protocol
// will refuse, the bytes up to them with raw set).
func (m *Reader) next() error {
	if cap(m.buf) > keepBuf {
		m.buf = nil
	}
	m.buf, m.off = m.buf[:0], 0
	if m.late != nil {
		return fmt.Errorf("link lost between messages: %w", m.late)
	}
	// 2 bytes header length, the header, 4 bytes message length, the message.
	if err := m.fill(2); err != nil {
		return m.lost(err)
	}
	hdrLen := int(binary.BigEndian.Uint16(m.buf))
	if err := m.fill(2 + hdrLen + 4); err != nil {
		return m.lost(err)
	}
	msgLen := binary.BigEndian.Uint32(m.buf[2+hdrLen:])
	if hdrLen >= 1<<15 || msgLen > protocol.MaxMessageLen {
		m.raw = true
		return nil
	}
	if msgLen > MaxMessage {
		return &TooLargeError{Size: int64(msgLen)}
	}
	size := 2 + hdrLen + 4 + int(msgLen)
	if err := m.fill(size); err != nil {
		return m.lost(err)
	}
	// lib/protocol allocates what an LZ4 message declares (up to 4 GB)
	// before it decompresses.
	if compressed(m.buf[2:2+hdrLen]) && msgLen >= 4 {
		if d := binary.BigEndian.Uint32(m.buf[2+hdrLen+4:]); d > MaxMessage {
			return &TooLargeError{Size: int64(d), Uncompressed: true}
		}
	}
	if m.seen != nil {
		m.seen(msgType(m.buf[2:2+hdrLen]), size)
	}
	return nil
}

// fill reads until buf holds n bytes, growing it only as data comes (a
// length field alone does not allocate a large buffer).
func (m *Reader) fill(n int) error {
	for len(m.buf) < n {
		if len(m.buf) == cap(m.buf) {
			m.buf = slices.Grow(m.buf, min(n-len(m.buf), max(cap(m.buf), 64<<10)))
		}
		k, err := m.r.Read(m.buf[len(m.buf):min(n, cap(m.buf))])
		m.buf = m.buf[:len(m.buf)+k]
		if err != nil {
			if len(m.buf) == n {
				m.late = err
				return nil
			}
			return err
		}
	}
	return nil
}

// lost describes a failure while reading a message; the part read is dropped.
func (m *Reader) lost(err error) error {
	got := len(m.buf)
	m.buf = m.buf[:0]
	if got == 0 {
		return fmt.Errorf("link lost between messages: %w", err)
	}
	return fmt.Errorf("link lost %d bytes into a message, which is dropped: %w", got, err)
}

// msgType is the type field of a BEP message header (0, ClusterConfig, is
// the protobuf default and so absent).
func msgType(hdr []byte) int {
	for len(hdr) >= 2 {
		if hdr[0] == 0x08 && hdr[1] < 0x80 {
			return int(hdr[1])
		}
		// Skip another varint field (compression); headers have no others.
		if hdr[0]&7 != 0 {
			break
		}
		i := 1
		for i < len(hdr) && hdr[i]&0x80 != 0 {
			i++
		}
		hdr = hdr[min(i+1, len(hdr)):]
	}
	return 0
}

// compressed reports whether a header may have lib/protocol decompress
// its message with LZ4 (protobuf field 2, compression, set to 1). It reads
// the header as protobuf does: the last compression field counts, fields
// of any wire type before or after it are skipped, a tag or value may take
// more bytes than it needs. A header it cannot read through counts as
// compressed (the declared size is checked): a peer could otherwise hide
// the flag from this reader and not from lib/protocol's.
func compressed(hdr []byte) bool {
	comp := false
	for len(hdr) > 0 {
		tag, n := uvarint(hdr)
		if n == 0 {
			return true
		}
		hdr = hdr[n:]
		switch tag & 7 {
		case 0: // varint
			v, n := uvarint(hdr)
			if n == 0 {
				return true
			}
			hdr = hdr[n:]
			if tag>>3 == 2 {
				comp = v == 1
			}
		case 1: // fixed64
			if len(hdr) < 8 {
				return true
			}
			hdr = hdr[8:]
		case 2: // length-delimited
			l, n := uvarint(hdr)
			if n == 0 || l > uint64(len(hdr)-n) {
				return true
			}
			hdr = hdr[n+int(l):]
		case 5: // fixed32
			if len(hdr) < 4 {
				return true
			}
			hdr = hdr[4:]
		default: // groups, or not protobuf
			return true
		}
		if tag>>3 == 2 && tag&7 != 0 {
			return true // compression in a form this reader does not know
		}
	}
	return comp
}

// uvarint reads a protobuf varint (at most 10 bytes): its value and
// length, 0 when it does not end or overflows.
func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			if i == 9 && b[i] > 1 {
				return 0, 0
			}
			return v, i + 1
		}
	}
	return 0, 0
}

// drainWait bounds how long a failed write waits for the reader to drain:
// lib/protocol's own CloseTimeout. It ends sooner as soon as the connection
// closes, and in practice within microseconds.
const drainWait = 10 * time.Second

// Writer is what lib/protocol writes through. A write fails when the link
// is gone (reset, or closed under us), usually while the reader has not
// noticed yet; lib/protocol would then close the connection at once, with
// the same loss Reader prevents on the reading side. So a failed write
// first stops the reads and waits until the reader has drained (or the
// connection closed anyway, or drainWait passed), then reports the error.
//
// It also lets small messages that come together share a TLS record:
// lib/protocol writes each message on its own, and each write is a
// record with 22 B of header, tag and type (and, with TCP_NODELAY, a
// packet of its own). A message under coalesceSmall (a request, an index
// update, a ping) waits up to coalesceWait for others; anything larger
// (a block's response) goes at once, with what waits in front of it. A
// waiting write that fails does as above, and the next Write reports it.
// The closer (closeFlush) sends what waits before the link closes.
type Writer struct {
	w      io.Writer
	in     *Reader
	stop   func()          // make the reader's next read fail
	closed <-chan struct{} // the connection's Closed(), set before Start

	mu      gosync.Mutex
	pending []byte      // small messages waiting to go out together
	timer   *time.Timer // sends them; nil when none wait
	err     error       // a waiting write's failure, for the next Write
}

// How small messages are held to share a record (Writer): on a post's
// link in the county simulation, the pieces' requests of a file and a
// step's index updates (issue #22).
const (
	coalesceWait  = time.Millisecond
	coalesceSmall = 1 << 10
	coalesceMax   = 16 << 10 // TLS's largest record
)

// NewWriter writes lib/protocol's messages to w (the TLS connection).
// When a write fails it calls stop, which must make in's next read fail,
// and waits for in to drain before reporting the error.
func NewWriter(w io.Writer, in *Reader, stop func()) *Writer {
	return &Writer{w: w, in: in, stop: stop}
}

// SetClosed gives the Writer the connection's Closed channel, which ends a
// failed write's wait for the reader; call it before the connection starts.
func (m *Writer) SetClosed(closed <-chan struct{}) { m.closed = closed }

// Closer is lib/protocol's closer for the connection c: what waits in the
// Writer goes out first (see closeFlush), then c closes.
func (m *Writer) Closer(c interface {
	io.Closer
	SetWriteDeadline(time.Time) error
}) io.Closer {
	return closeFlush{m, c}
}

func (m *Writer) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return 0, m.err
	}
	if len(p) < coalesceSmall && len(m.pending)+len(p) <= coalesceMax {
		m.pending = append(m.pending, p...)
		if m.timer == nil {
			m.timer = time.AfterFunc(coalesceWait, m.flush)
		}
		return len(p), nil
	}
	out := p
	if len(m.pending) > 0 {
		out = append(m.pending, p...)
	}
	m.pending = m.pending[:0]
	if err := m.write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush sends the small messages that wait (the timer's work).
func (m *Writer) flush() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.timer = nil
	if m.err == nil && len(m.pending) > 0 {
		_ = m.write(m.pending) // kept in m.err for the next Write
		m.pending = m.pending[:0]
	}
}

// write writes b; when that fails it stops the reads, waits for the
// reader to drain, and keeps the error.
func (m *Writer) write(b []byte) error {
	_, err := m.w.Write(b)
	if err != nil {
		m.err = err
		m.stop()
		t := time.NewTimer(drainWait)
		defer t.Stop()
		select {
		case <-m.in.final:
		case <-m.closed:
		case <-t.C:
		}
	}
	return err
}

// closeFlush is the connection's closer: what waits goes out first (a
// last index update, the Close message), given a moment if the link is
// stuck, then c closes. If a send of what waits is under way (perhaps
// stuck on a dead link), closing the link is what ends it.
type closeFlush struct {
	m *Writer
	c interface {
		io.Closer
		SetWriteDeadline(time.Time) error
	}
}

func (cf closeFlush) Close() error {
	m := cf.m
	if m.mu.TryLock() {
		if m.timer != nil {
			m.timer.Stop()
			m.timer = nil
		}
		if m.err == nil && len(m.pending) > 0 {
			_ = cf.c.SetWriteDeadline(time.Now().Add(2 * time.Second))
			_, _ = m.w.Write(m.pending)
			m.pending = m.pending[:0]
		}
		m.mu.Unlock()
	}
	return cf.c.Close()
}

// MaxMessage bounds a BEP message from a peer, on the wire and, for an
// LZ4-compressed one, the size it declares uncompressed.
const MaxMessage = 64 << 20

// TooLargeError is a message from the peer larger than MaxMessage.
type TooLargeError struct {
	Size         int64
	Uncompressed bool // the size an LZ4 message declared it decompresses to
}

func (e *TooLargeError) Error() string {
	what := "a BEP message of"
	if e.Uncompressed {
		what = "a compressed BEP message declaring"
	}
	return fmt.Sprintf("the peer sent %s %d bytes; cunjing takes at most %d (a block, or the index of a folder of some 500,000 files)", what, e.Size, MaxMessage)
}
