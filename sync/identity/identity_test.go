package identity

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
)

func mustGen(t testing.TB) *Identity {
	t.Helper()
	id, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSecretsRoundTrip(t *testing.T) {
	id := mustGen(t)
	sec, err := id.Secrets()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load(sec)
	if err != nil {
		t.Fatal(err)
	}
	if back.DeviceID != id.DeviceID || !bytes.Equal(back.Sign, id.Sign) || back.Recipient() != id.Recipient() {
		t.Fatal("identity changed across Secrets/Load")
	}
	delete(sec, SecretAge)
	if _, err := Load(sec); err == nil {
		t.Fatal("Load accepted missing encryption key")
	}
}

func TestCodeRoundTrip(t *testing.T) {
	id := mustGen(t)
	c, err := id.Code("东关派出所", RoleStation, []string{"192.0.2.1:22000", "[::1]:22001"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Encode(id)
	if err != nil {
		t.Fatal(err)
	}
	// Wrapped in a chat message, with line breaks.
	wrapped := s[:40] + "\n  " + s[40:]
	got, err := ParseCode(wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if got.DeviceID != id.DeviceID || got.Name != "东关派出所" || got.Role != RoleStation ||
		!got.Sign.Equal(id.SignPublic()) || got.Recipient != id.Recipient() || len(got.Addresses) != 2 {
		t.Fatalf("round trip: %+v", got)
	}
	if _, err := QR(s, 256); err != nil {
		t.Fatal(err)
	}
}

func TestCodeRefusals(t *testing.T) {
	id := mustGen(t)
	other := mustGen(t)
	c, _ := id.Code("post", RolePost, nil)
	good, _ := c.Encode(id)
	// A code whose signing key was swapped for an attacker's.
	evil := c
	evil.Sign = other.SignPublic()
	swapped, _ := evil.Encode(other) // signed by the wrong certificate
	p64, _, _ := strings.Cut(strings.TrimPrefix(good, codePrefix), ".")
	_, sig64, _ := strings.Cut(strings.TrimPrefix(swapped, codePrefix), ".")
	payloadEvil, _, _ := strings.Cut(strings.TrimPrefix(swapped, codePrefix), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(p64)
	flipped := bytes.Replace(raw, []byte(`"post"`), []byte(`"pOst"`), 1)
	cases := map[string]string{
		"empty":        "",
		"no prefix":    "XX" + good,
		"no signature": codePrefix + p64,
		"bad base64":   codePrefix + "!!!." + sig64,
		"keys swapped": codePrefix + payloadEvil + "." + sig64,
		"sig of other": codePrefix + p64 + "." + sig64,
		"payload edit": codePrefix + base64.RawURLEncoding.EncodeToString(flipped) + "." + strings.SplitN(good, ".", 3)[2],
		"too long":     good + strings.Repeat("A", MaxCodeLen),
		"truncated":    good[:len(good)-10],
		"not json":     codePrefix + base64.RawURLEncoding.EncodeToString([]byte("hello")) + "." + sig64,
	}
	for name, s := range cases {
		if _, err := ParseCode(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := id.Code("", RolePost, nil); err == nil {
		t.Error("empty name accepted")
	}
	if _, err := id.Code("x", "admin", nil); err == nil {
		t.Error("bad role accepted")
	}
	if _, err := id.Code("x", RolePost, []string{"nohost"}); err == nil {
		t.Error("bad address accepted")
	}
	if len(ed25519.PublicKey(id.SignPublic())) != ed25519.PublicKeySize {
		t.Error("public key size")
	}
}

func FuzzParseCode(f *testing.F) {
	id := mustGen(f)
	c, _ := id.Code("派出所", RolePost, []string{"127.0.0.1:22000"})
	good, _ := c.Encode(id)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(codePrefix + "e30.AA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		if err := c.check(); err != nil {
			t.Fatalf("ParseCode returned an invalid code: %v", err)
		}
	})
}
