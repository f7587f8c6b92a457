package cjbak

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"
)

// FuzzReadHeader feeds the header reader anything: it must not
// panic, must not read past the header it announces, and what it accepts
// must encode back to a header it accepts the same way.
func FuzzReadHeader(f *testing.F) {
	good, _, _ := EncodeHeader(Header{Version: 1, Device: "ABC-DEF", Role: "post", Created: "2025-01-01T00:00:00Z",
		Schema: 4, Key: "YWdlCg==", Recipient: "age1xyz", Stations: []string{"ST-1"}})
	f.Add(good)
	f.Add(append(good, "trailing age file"...))
	f.Add([]byte(magic))
	f.Add([]byte(magic + "\x00\x00\x00\x02{}"))
	f.Add([]byte(magic + "\xff\xff\xff\xff"))
	f.Add([]byte("SQLite format 3\x00"))
	f.Add(append([]byte(magic), binary.BigEndian.AppendUint32(nil, 9)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		h, off, err := ReadHeader(r)
		if err != nil {
			if !errors.Is(err, ErrNotABackup) {
				t.Fatalf("error not ErrNotABackup: %v", err)
			}
			return
		}
		if off > int64(len(data)) || int64(len(data))-int64(r.Len()) != off {
			t.Fatalf("header of %d bytes, read %d of %d", off, int64(len(data))-int64(r.Len()), len(data))
		}
		again, _, err := EncodeHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		h2, _, err := ReadHeader(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("accepted header does not read back: %v", err)
		}
		if h2.Device != h.Device || h2.Key != h.Key || len(h2.Stations) != len(h.Stations) {
			t.Fatalf("round trip: %+v != %+v", h2, h)
		}
	})
}

// A file encrypted to a wrapped key comes back with the passphrase and
// only with it; one signed by another key is forged.
func TestEncryptDecrypt(t *testing.T) {
	dir := t.TempDir()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rcpt, wrapped, err := WrapKey("correct horse", "DEV-1", pub, 10)
	if err != nil {
		t.Fatal(err)
	}
	to, err := age.ParseX25519Recipient(rcpt)
	if err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("the database"), 0o600); err != nil {
		t.Fatal(err)
	}
	hdr := Header{Version: 1, Device: "DEV-1", Role: "post", Created: "2026-01-01T00:00:00Z", Schema: 1, Key: wrapped, Recipient: rcpt}
	good := filepath.Join(dir, "good"+Ext)
	if err := Encrypt(plain, good, hdr, []age.Recipient{to}, priv); err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	forged := filepath.Join(dir, "forged"+Ext)
	if err := Encrypt(plain, forged, hdr, []age.Recipient{to}, otherKey); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		file, pass string
		want       error
	}{
		{good, "correct horse", nil},
		{good, "wrong horse", ErrWrongPassphrase},
		{good, "", ErrNeedPassphrase},
		{forged, "correct horse", ErrForged},
	} {
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		got, err := Decrypt(tc.file, out, Keys{Passphrase: tc.pass})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s with %q: %v, want %v", filepath.Base(tc.file), tc.pass, err, tc.want)
			continue
		}
		if tc.want == nil {
			if b, _ := os.ReadFile(out); string(b) != "the database" || got.Device != "DEV-1" {
				t.Errorf("decrypted %q, header %+v", b, got)
			}
		}
	}
	if err := CheckPassphrase(wrapped, "wrong horse"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("check wrong passphrase: %v", err)
	}
}
