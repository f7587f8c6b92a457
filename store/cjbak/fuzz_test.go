package cjbak

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"
)

// FuzzDecrypt opens arbitrary bytes as a .cjbak file, with the passphrase
// and with a station's key, and checks them: an error, never a panic, and
// what decrypts is what was encrypted. (A passphrase's holder may make a
// backup that opens with it, so "accepted" cannot mean "the bytes this
// worker signed": the other workers sign their own.)
func FuzzDecrypt(f *testing.F) {
	dir := f.TempDir()
	// The signing key is the same in every worker (each runs this setup
	// again), so a file one signed checks in another.
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	rcpt, wrapped, err := WrapKey("correct horse", "DEV-1", pub, 10)
	if err != nil {
		f.Fatal(err)
	}
	to, err := age.ParseX25519Recipient(rcpt)
	if err != nil {
		f.Fatal(err)
	}
	station, err := age.GenerateX25519Identity()
	if err != nil {
		f.Fatal(err)
	}
	const content = "the database"
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte(content), 0o600); err != nil {
		f.Fatal(err)
	}
	good := filepath.Join(dir, "good"+Ext)
	hdr := Header{Version: 1, Device: "DEV-1", Role: "post", Created: "2026-01-01T00:00:00Z", Schema: 1, Key: wrapped, Recipient: rcpt, Stations: []string{"ST-1"}}
	if err := Encrypt(plain, good, hdr, []age.Recipient{to, station.Recipient()}, priv); err != nil {
		f.Fatal(err)
	}
	signed, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(signed[:len(signed)-ed25519.SignatureSize])
	f.Add(signed[:len(signed)/2])
	f.Add([]byte(magic))
	trusted := func(device string) (ed25519.PublicKey, error) {
		if device != "DEV-1" {
			return nil, errors.New("unknown device")
		}
		return pub, nil
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "f"+Ext)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if h, err := Check(p, trusted); err == nil && h.Device != "DEV-1" {
			t.Fatalf("check accepted a backup of %q signed by DEV-1's key", h.Device)
		}
		for i, k := range []Keys{{Passphrase: "correct horse"}, {Identities: []age.Identity{station}, Signer: trusted}} {
			out := filepath.Join(dir, "out"+string(rune('0'+i)))
			h, err := Decrypt(p, out, k)
			if err != nil {
				continue
			}
			if got, err := os.ReadFile(out); err != nil || string(got) != content || h.Device != "DEV-1" {
				t.Fatalf("decrypted %q of %q, %v", got, h.Device, err)
			}
		}
	})
}
