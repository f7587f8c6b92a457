package bep

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
)

// The first message of a short pairing comes from a device not paired
// yet: anyone who can reach the port. Whatever it sends, readShortMsg
// gives an error or a message, reads no more than the magic, the length
// and maxShortMsg bytes, and never panics.
func FuzzReadShortMsg(f *testing.F) {
	var ok bytes.Buffer
	if err := writeShortMsg(&ok, shortMsg{Refused: "对方没有可用的短配对码"}); err != nil {
		f.Fatal(err)
	}
	f.Add(ok.Bytes())
	f.Add(append([]byte("CJP1"), 0xff, 0xff, 0xff, 0xff))
	f.Add(binary.BigEndian.AppendUint32([]byte("CJP1"), maxShortMsg+1))
	f.Add([]byte("CJP1\x00\x00\x00\x04null"))
	f.Add([]byte("\x00\x00\x00\x00BEP hello"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		_, err := readShortMsg(r)
		read := len(in) - r.Len()
		if read > 8+maxShortMsg {
			t.Fatalf("read %d bytes of a pairing message", read)
		}
		if err == nil && read < 8 {
			t.Fatalf("a message from %d bytes", read)
		}
	})
}

// A peer's hello names its version: versionOf reads it or says it cannot,
// and never panics.
func FuzzVersionOf(f *testing.F) {
	for _, v := range []string{"v1.2.0", "v1.1", "v0.9.9-rc1", "1.2.0", "v1", "v-1.2", "v99999999999999999999.1", ""} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		major, minor, ok := versionOf(v)
		if !ok {
			return
		}
		if major < 0 || minor < 0 {
			t.Fatalf("%q: %d.%d", v, major, minor)
		}
		if m2, n2, ok2 := versionOf(fmt.Sprintf("v%d.%d", major, minor)); !ok2 || m2 != major || n2 != minor {
			t.Fatalf("%q read as %d.%d, which reads back as %d.%d", v, major, minor, m2, n2)
		}
	})
}
