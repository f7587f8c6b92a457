package framing

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// What comes over a BEP link is the peer's to choose. Whatever the bytes
// and however they are cut into reads, the Reader hands lib/protocol a
// prefix of them (whole messages, then, for a length lib/protocol refuses,
// the rest as it came; a message past MaxMessage ends it), then at most one Ping of its own once the peer's
// ClusterConfig was handled, then the link's error; it never panics, and a
// length field alone does not make it allocate.
func FuzzReader(f *testing.F) {
	f.Add(append(frame(0, []byte("cc")), frame(4, bytes.Repeat([]byte{1}, 300))...), true, false)
	f.Add(frame(4, []byte("half"))[:7], false, true)
	f.Add([]byte{0, 2, 0x08, 4, 0xff, 0xff, 0xff, 0xff}, true, false)
	f.Add([]byte{0xff, 0xff}, false, false)
	f.Add([]byte{0, 0, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3}, true, true)
	f.Fuzz(func(t *testing.T, stream []byte, ready, oneByte bool) {
		var src io.Reader = bytes.NewReader(stream)
		if oneByte {
			src = iotest.OneByteReader(src)
		}
		m := newReader(src, func() bool { return ready })
		var seen int
		m.seen = func(typ, size int) { seen += size }
		got, err := readAll(m)
		if err == nil {
			t.Fatal("read to the end without an error")
		}
		if m.Made() > 0 {
			if !ready || m.Made() != int64(len(pingMsg)) || !bytes.HasSuffix(got, pingMsg) {
				t.Fatalf("made %d bytes of Ping (ready %v)", m.Made(), ready)
			}
			got = got[:len(got)-len(pingMsg)]
		}
		if !bytes.HasPrefix(stream, got) {
			t.Fatalf("handed out %d bytes that are not a prefix of the %d sent", len(got), len(stream))
		}
		if seen > len(got) {
			t.Fatalf("saw %d bytes of whole messages, handed out %d", seen, len(got))
		}
		var big *TooLargeError
		if !m.raw && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &big) {
			t.Fatalf("err %v", err)
		}
		// It grows the buffer a step (64 KiB, or what it holds) ahead of
		// the data only.
		if cap(m.buf) > 2*len(stream)+2*(64<<10) {
			t.Fatalf("buffer of %d bytes for a stream of %d", cap(m.buf), len(stream))
		}
	})
}
