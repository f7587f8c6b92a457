package shortwire

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// The first message of a short pairing comes from a device not paired
// yet: anyone who can reach the port. Whatever it sends, Read gives an
// error or a message, reads no more than the magic, the length and MaxMsg
// bytes, and never panics.
func FuzzRead(f *testing.F) {
	var ok bytes.Buffer
	if err := Write(&ok, Msg{Refused: "对方没有可用的短配对码"}); err != nil {
		f.Fatal(err)
	}
	f.Add(ok.Bytes())
	f.Add(append([]byte("CJP1"), 0xff, 0xff, 0xff, 0xff))
	f.Add(binary.BigEndian.AppendUint32([]byte("CJP1"), MaxMsg+1))
	f.Add([]byte("CJP1\x00\x00\x00\x04null"))
	f.Add([]byte("\x00\x00\x00\x00BEP hello"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		_, err := Read(r)
		read := len(in) - r.Len()
		if read > 8+MaxMsg {
			t.Fatalf("read %d bytes of a pairing message", read)
		}
		if err == nil && read < 8 {
			t.Fatalf("a message from %d bytes", read)
		}
	})
}
