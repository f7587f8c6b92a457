package framing

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	gosync "sync"
	"testing"
	"testing/iotest"
	"time"
)

// frame is a BEP message on the wire: header length, header {type}, message
// length, message.
func frame(typ byte, body []byte) []byte {
	hdr := []byte{0x08, typ}
	if typ == 0 {
		hdr = nil // ClusterConfig: the protobuf default, left out
	}
	b := binary.BigEndian.AppendUint16(nil, uint16(len(hdr)))
	b = append(b, hdr...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

var errCut = errors.New("cut")

// readAll reads r as lib/protocol's reader goroutine would, until an error.
func readAll(r io.Reader) ([]byte, error) {
	var out bytes.Buffer
	buf := make([]byte, 7) // odd small reads: messages span many of them
	for {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			return out.Bytes(), err
		}
	}
}

func TestMsgReaderHandsWholeMessages(t *testing.T) {
	big := bytes.Repeat([]byte{0xab}, 200<<10) // larger than one growth step
	stream := append(append(frame(0, []byte("cc")), frame(4, big)...), frame(1, []byte("index"))...)
	var types, sizes []int
	m := newReader(iotest.OneByteReader(bytes.NewReader(stream)), func() bool { return true })
	m.seen = func(typ, size int) { types, sizes = append(types, typ), append(sizes, size) }
	got, err := readAll(m)
	if !errors.Is(err, io.EOF) {
		t.Fatalf("err %v, want one wrapping io.EOF", err)
	}
	want := append(append([]byte{}, stream...), pingMsg...)
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want the %d of the stream and then a Ping", len(got), len(stream))
	}
	if len(types) != 3 || types[0] != 0 || types[1] != 4 || types[2] != 1 || sizes[1] != 6+2+len(big) {
		t.Fatalf("seen types %v sizes %v", types, sizes)
	}
	if m.made.Load() != int64(len(pingMsg)) {
		t.Fatalf("made %d bytes, want %d", m.made.Load(), len(pingMsg))
	}
	select {
	case <-m.final:
	default:
		t.Fatal("final not closed after the error was returned")
	}
}

func TestMsgReaderDropsTheMessageCutInHalf(t *testing.T) {
	whole := frame(4, bytes.Repeat([]byte{1}, 1000))
	half := frame(4, bytes.Repeat([]byte{2}, 1000))[:500]
	for _, tc := range []struct {
		name  string
		ready bool
		want  []byte
	}{
		{"after the ClusterConfig: a Ping before the error", true, append(append([]byte{}, whole...), pingMsg...)},
		{"before it: the error at once", false, whole},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := io.MultiReader(bytes.NewReader(whole), bytes.NewReader(half), iotest.ErrReader(errCut))
			m := newReader(src, func() bool { return tc.ready })
			got, err := readAll(m)
			if !errors.Is(err, errCut) {
				t.Fatalf("err %v, want one wrapping the link's", err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("read %d bytes, want %d: only whole messages", len(got), len(tc.want))
			}
			if _, err2 := m.Read(make([]byte, 10)); !errors.Is(err2, errCut) {
				t.Fatalf("a read after the error gave %v", err2)
			}
		})
	}
}

func TestMsgReaderPassesBadLengthsThrough(t *testing.T) {
	// A message length lib/protocol refuses is not buffered (a length field
	// alone must not make us allocate): the bytes go through as they are.
	stream := []byte{0, 2, 0x08, 4, 0xff, 0xff, 0xff, 0xff, 1, 2, 3}
	got, err := readAll(newReader(bytes.NewReader(stream), func() bool { return true }))
	if err != io.EOF || !bytes.Equal(got, stream) {
		t.Fatalf("got %x %v, want %x EOF", got, err, stream)
	}
}

// writeLog records each Write it gets (a TLS record each) and fails after
// failAfter writes when that is set.
type writeLog struct {
	gosync.Mutex
	writes    [][]byte
	failAfter int
	deadline  bool
	closed    bool
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.Lock()
	defer w.Unlock()
	if w.failAfter > 0 && len(w.writes) >= w.failAfter {
		return 0, errCut
	}
	w.writes = append(w.writes, bytes.Clone(p))
	return len(p), nil
}

func (w *writeLog) SetWriteDeadline(time.Time) error {
	w.Lock()
	w.deadline = true
	w.Unlock()
	return nil
}
func (w *writeLog) Close() error { w.Lock(); w.closed = true; w.Unlock(); return nil }

func (w *writeLog) all() [][]byte {
	w.Lock()
	defer w.Unlock()
	return append([][]byte(nil), w.writes...)
}

// TestMsgWriterCoalesces: small messages written together go out in one
// write (one TLS record); a large one goes at once, taking what waits
// with it; what waits when the connection closes goes before the close;
// a failed write stops the reads and the next Write reports it.
func TestMsgWriterCoalesces(t *testing.T) {
	wl := &writeLog{}
	stopped := make(chan struct{}, 1)
	in := newReader(bytes.NewReader(nil), func() bool { return false })
	closed := make(chan struct{})
	m := &Writer{w: wl, in: in, stop: func() { stopped <- struct{}{} }, closed: closed}
	req := bytes.Repeat([]byte{1}, 150)
	for range 4 {
		if n, err := m.Write(req); n != len(req) || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	for i := 0; i < 5000 && len(wl.all()) == 0; i++ {
		time.Sleep(time.Millisecond)
	}
	if got := wl.all(); len(got) != 1 || len(got[0]) != 4*len(req) {
		t.Fatalf("4 small messages went out in %d writes, want 1 of %d B", len(got), 4*len(req))
	}
	// A large message goes at once, with the small one before it.
	big := bytes.Repeat([]byte{2}, 8<<10)
	if _, err := m.Write(req); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Write(big); err != nil {
		t.Fatal(err)
	}
	if got := wl.all(); len(got) != 2 || !bytes.Equal(got[1], append(bytes.Clone(req), big...)) {
		t.Fatalf("a large message after a small one: writes %d, want the two in one", len(got))
	}
	// Closing sends what waits first.
	if _, err := m.Write(req); err != nil {
		t.Fatal(err)
	}
	if err := (closeFlush{m, wl}).Close(); err != nil {
		t.Fatal(err)
	}
	if got := wl.all(); len(got) != 3 || !bytes.Equal(got[2], req) || !wl.closed || !wl.deadline {
		t.Fatalf("close: writes %d, closed %v, deadline %v", len(got), wl.closed, wl.deadline)
	}
	// A waiting write that fails: the reads are stopped, the next Write fails.
	wl.Lock()
	wl.failAfter = 3
	wl.Unlock()
	close(closed) // the connection is closing: no wait for the reader
	if _, err := m.Write(req); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("a failed write did not stop the reads")
	}
	if _, err := m.Write(req); !errors.Is(err, errCut) {
		t.Fatalf("the write after a failed one: %v", err)
	}
}
