package identity

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/syncthing/syncthing/lib/protocol"
)

// fixedID is a device ID from fixed bytes, so the table below is stable.
func fixedID(t testing.TB) protocol.DeviceID {
	t.Helper()
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(i * 7)
	}
	id, err := protocol.DeviceIDFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestShortCodeRoundTrip(t *testing.T) {
	sec, err := NewShortSecret(bytes.NewReader([]byte{1, 2, 3, 4, 5}))
	if err != nil {
		t.Fatal(err)
	}
	c := ShortCode{DeviceID: fixedID(t), Secret: sec}
	s := c.String()
	if !strings.HasPrefix(s, ShortPrefix) || len(s) > 80 {
		t.Fatalf("code %q: want prefix %q and at most 80 characters", s, ShortPrefix)
	}
	for _, in := range []string{s, strings.ToLower(s), strings.ReplaceAll(s, "-", " "), "  " + s + "\n",
		ShortPrefix + strings.ReplaceAll(strings.TrimPrefix(s, ShortPrefix), "-", "")} {
		back, err := ParseShortCode(in)
		if err != nil {
			t.Fatalf("ParseShortCode(%q): %v", in, err)
		}
		if back != c {
			t.Fatalf("ParseShortCode(%q) = %+v, want %+v", in, back, c)
		}
	}
	// A bare device ID is not a short code (pair takes it for a carrier).
	if _, err := ParseShortCode(c.DeviceID.String()); err == nil {
		t.Fatal("a bare device ID parsed as a short code")
	}
}

// TestShortCodeTypos: a mistyped character is caught by the group's check
// character and the error names the group that holds it.
func TestShortCodeTypos(t *testing.T) {
	c := ShortCode{DeviceID: fixedID(t), Secret: "ABCDEFGH"}
	good := c.String()
	// position counts characters after the prefix, dashes included.
	swap := func(pos int) string {
		b := []byte(good)
		i := len(ShortPrefix) + pos
		if b[i] == 'A' {
			b[i] = 'C'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	tests := []struct {
		name  string
		in    string
		group int // 0: a plain error, no group
	}{
		{"first character", swap(0), 2},
		{"group 2", swap(8), 2},
		{"check character of block 1", swap(8 + 6), 2},
		{"group 3", swap(16), 4},
		{"check character of block 4", swap(8*7 + 6), 8},
		{"not a code character", good[:len(ShortPrefix)+24] + "!" + good[len(ShortPrefix)+25:], 4},
		{"secret too short", good[:len(good)-1], 0},
		{"no prefix", strings.TrimPrefix(good, ShortPrefix), 0},
		{"long code prefix", "CJ1." + good, 0},
		{"too long", good + strings.Repeat("A", 300), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseShortCode(tt.in)
			if err == nil {
				t.Fatalf("ParseShortCode(%q) accepted a damaged code", tt.in)
			}
			var ge *ShortCodeError
			if got := errors.As(err, &ge); got != (tt.group != 0) || got && ge.Group != tt.group {
				t.Fatalf("ParseShortCode(%q) = %v, want group %d", tt.in, err, tt.group)
			}
		})
	}
}

func TestShortProof(t *testing.T) {
	a, b := fixedID(t), mustGen(t).DeviceID
	p := ShortProof("ABCDEFGH", RolePost, a, b)
	tests := []struct {
		name     string
		secret   string
		role     string
		from, to protocol.DeviceID
		ok       bool
	}{
		{"same", "ABCDEFGH", RolePost, a, b, true},
		{"wrong secret", "ABCDEFGI", RolePost, a, b, false},
		{"other role", "ABCDEFGH", RoleStation, a, b, false},
		{"reflected", "ABCDEFGH", RolePost, b, a, false},
	}
	for _, tt := range tests {
		err := CheckShortProof(p, tt.secret, tt.role, tt.from, tt.to)
		if (err == nil) != tt.ok {
			t.Errorf("%s: CheckShortProof = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestShortQR: the short code's QR is small (version 4 or less: at most
// 33 modules a side) so a phone photo of the screen scans.
func TestShortQR(t *testing.T) {
	c := ShortCode{DeviceID: fixedID(t), Secret: "ABCDEFGH"}
	img, err := ShortQR(c, 200)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 200 {
		t.Fatalf("QR is %d pixels wide, want 200", img.Bounds().Dx())
	}
	modules, err := shortQRModules(c)
	if err != nil {
		t.Fatal(err)
	}
	if modules > 33 {
		t.Fatalf("short QR has %d modules a side, want at most 33", modules)
	}
}

func FuzzParseShortCode(f *testing.F) {
	f.Add(ShortCode{DeviceID: fixedID(f), Secret: "ABCDEFGH"}.String())
	f.Add("CJP-")
	f.Add("CJP-AAAAAAA-AAAAAAA")
	f.Add("cjp-0000000-1111111-8888888")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseShortCode(s)
		if err != nil {
			return
		}
		back, err := ParseShortCode(c.String())
		if err != nil || back != c {
			t.Fatalf("round trip of %q: %+v, %v", s, back, err)
		}
	})
}
