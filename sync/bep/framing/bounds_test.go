package framing

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// lz4Frame is a message marked LZ4-compressed (header field 2 = 1) whose
// body starts with the uncompressed size it declares.
func lz4Frame(typ byte, declared uint32, rest []byte) []byte {
	return lz4FrameWith([]byte{0x08, typ, 0x10, 1}, declared, rest)
}

// lz4FrameWith is lz4Frame with the header hdr as given.
func lz4FrameWith(hdr []byte, declared uint32, rest []byte) []byte {
	body := binary.BigEndian.AppendUint32(nil, declared)
	body = append(body, rest...)
	b := binary.BigEndian.AppendUint16(nil, uint16(len(hdr)))
	b = append(b, hdr...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

// A paired peer may send BEP messages up to lib/protocol's 500 MB, and an
// LZ4 message may declare any size up to 4 GB, which lib/protocol
// allocates before it decompresses. cunjing never needs more than
// MaxMessage either way: a larger one ends the link with an error that
// says so, before it is buffered or handed on.
func TestMessageBounds(t *testing.T) {
	over := uint32(MaxMessage + 1)
	for _, tc := range []struct {
		name   string
		stream []byte
		tooBig bool
	}{
		{"a block response", frame(4, bytes.Repeat([]byte{1}, 128<<10)), false},
		{"compressed, declared within", lz4Frame(1, 64<<10, []byte("xyz")), false},
		{"wire length past the bound", append(binary.BigEndian.AppendUint32([]byte{0, 2, 0x08, 1}, over), 1, 2, 3), true},
		{"declared size past the bound", lz4Frame(1, over, []byte("xyz")), true},
		{"declared 4 GB", lz4Frame(1, 0xffffffff, []byte("xyz")), true},
		// A header protobuf reads as LZ4 however it is written: the last
		// of two compression fields counts, a field of another wire type
		// before it is skipped, a tag may be written in more bytes.
		{"compression 0 then 1", lz4FrameWith([]byte{0x08, 1, 0x10, 0, 0x10, 1}, over, []byte("xyz")), true},
		{"an unknown bytes field first", lz4FrameWith([]byte{0x1a, 2, 0xff, 0xff, 0x08, 1, 0x10, 1}, over, []byte("xyz")), true},
		{"a fixed64 field first", lz4FrameWith([]byte{0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, 1}, over, []byte("xyz")), true},
		{"the tag in two bytes", lz4FrameWith([]byte{0x08, 1, 0x90, 0x00, 1}, over, []byte("xyz")), true},
		{"compression 1 then 0", lz4FrameWith([]byte{0x08, 1, 0x10, 1, 0x10, 0}, over, []byte("xyz")), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(newReader(bytes.NewReader(tc.stream), func() bool { return false }))
			var big *TooLargeError
			if got := errors.As(err, &big); got != tc.tooBig {
				t.Fatalf("err %v, want too large %v", err, tc.tooBig)
			}
			if tc.tooBig && !strings.Contains(err.Error(), "at most") {
				t.Fatalf("unclear error: %v", err)
			}
		})
	}
}
