package bep

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"testing/iotest"
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
	m := newMsgReader(iotest.OneByteReader(bytes.NewReader(stream)), func() bool { return true })
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
			m := newMsgReader(src, func() bool { return tc.ready })
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
	got, err := readAll(newMsgReader(bytes.NewReader(stream), func() bool { return true }))
	if err != io.EOF || !bytes.Equal(got, stream) {
		t.Fatalf("got %x %v, want %x EOF", got, err, stream)
	}
}
