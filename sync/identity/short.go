package identity

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
	"unicode"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/syncthing/syncthing/lib/protocol"
)

// ShortPrefix starts every short pairing code. A bare Syncthing device ID
// (which pair takes for a carrier) has seven characters before its first
// dash, so it never starts with "CJP-".
const ShortPrefix = "CJP-"

// ShortSecretLen is the one-time secret's length in base32 characters:
// 40 bits. A device refuses a short pairing after MaxShortTries wrong
// proofs and the secret expires, so guessing has a few tries at 2^-40.
const ShortSecretLen = 8

// MaxShortTries bounds the wrong proofs a device accepts against one
// short-code secret before it throws the secret away.
const MaxShortTries = 5

// maxShortLen bounds what ParseShortCode reads (a code is 80 characters).
const maxShortLen = 256

// deviceIDChars is the length of a device ID in Syncthing's grouped form
// without its dashes: four blocks of 13 base32 characters, each followed
// by its Luhn check character.
const deviceIDChars = 56

// ShortCode is what a person reads over the phone to pair: the other
// device's ID and a one-time secret. Names, keys and role are not in it;
// they are exchanged on the first connection, which each side
// authenticates with ShortProof.
type ShortCode struct {
	DeviceID protocol.DeviceID
	Secret   string // ShortSecretLen characters of base32 (A-Z, 2-7)
}

// NewShortSecret draws a one-time secret from r (crypto/rand.Reader when
// nil).
func NewShortSecret(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, ShortSecretLen*5/8)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("short pairing secret: %w", err)
	}
	return base32.StdEncoding.EncodeToString(b), nil
}

// String is the code in its read-aloud form:
// CJP-XXXXXXX-…-XXXXXXX-SSSS-SSSS (the device ID grouped as Syncthing
// shows it, check characters included).
func (c ShortCode) String() string {
	return ShortPrefix + c.DeviceID.String() + "-" + c.Secret[:ShortSecretLen/2] + "-" + c.Secret[ShortSecretLen/2:]
}

// ShortCodeError says which group of a short code is wrong. Groups are
// counted as a person reads them: 1 to 8 are the device ID's, 9 and 10 the
// secret's.
type ShortCodeError struct {
	Group  int
	Reason string
}

func (e *ShortCodeError) Error() string {
	return fmt.Sprintf("short pairing code: group %d: %s", e.Group, e.Reason)
}

// ParseShortCode reads a short pairing code. Case, spaces and dashes are
// free; 0, 1 and 8 are read as O, I and B as Syncthing does. A mistyped
// character is reported with its group.
func ParseShortCode(s string) (ShortCode, error) {
	if len(s) > maxShortLen {
		return ShortCode{}, fmt.Errorf("short pairing code: %d bytes is too long", len(s))
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	rest, ok := strings.CutPrefix(s, strings.TrimSuffix(ShortPrefix, "-"))
	if ok && rest != "" && rest[0] != '-' && rest[0] != ' ' {
		ok = false
	}
	if !ok {
		return ShortCode{}, fmt.Errorf("short pairing code: does not start with %q", ShortPrefix)
	}
	rest = strings.Map(func(r rune) rune {
		switch {
		case r == '-' || unicode.IsSpace(r):
			return -1
		case r == '0':
			return 'O'
		case r == '1':
			return 'I'
		case r == '8':
			return 'B'
		}
		return r
	}, rest)
	for i, r := range rest {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return ShortCode{}, &ShortCodeError{Group: i/7 + 1, Reason: fmt.Sprintf("%q is not a code character", r)}
		}
	}
	if want := deviceIDChars + ShortSecretLen; len(rest) != want {
		return ShortCode{}, fmt.Errorf("short pairing code: %d characters, want %d (8 groups of 7 and 2 of 4)", len(rest), want)
	}
	dev, err := deviceIDChecked(rest[:deviceIDChars])
	if err != nil {
		return ShortCode{}, err
	}
	return ShortCode{DeviceID: dev, Secret: rest[deviceIDChars:]}, nil
}

// deviceIDChecked decodes the 56 characters of a device ID and, when a
// check character does not match, names the group that holds it: each
// block of 14 characters (two groups of 7) ends with one. The check
// characters are computed by the syncthing module (DeviceID.String).
func deviceIDChecked(s string) (protocol.DeviceID, error) {
	var data strings.Builder
	for b := 0; b < 4; b++ {
		data.WriteString(s[b*14 : b*14+13])
	}
	raw, err := base32.StdEncoding.DecodeString(data.String() + "====")
	if err != nil || len(raw) != 32 {
		return protocol.DeviceID{}, fmt.Errorf("short pairing code: device ID does not decode: %v", err)
	}
	dev, err := protocol.DeviceIDFromBytes(raw)
	if err != nil {
		return protocol.DeviceID{}, fmt.Errorf("short pairing code: %w", err)
	}
	want := strings.ReplaceAll(dev.String(), "-", "")
	for b := 0; b < 4; b++ {
		if i := b*14 + 13; want[i] != s[i] {
			return protocol.DeviceID{}, &ShortCodeError{Group: 2*b + 2,
				Reason: "check character does not match (a character in this group or the one before is mistyped)"}
		}
	}
	return dev, nil
}

// ShortProof is what a device sends on the first connection to show it
// knows the short code's secret: an HMAC-SHA256 keyed by the secret over
// the role of the sender and both device IDs (from the connection's TLS
// certificates), so a proof is good for one pair of devices and one
// direction only.
func ShortProof(secret, senderRole string, sender, receiver protocol.DeviceID) []byte {
	m := hmac.New(sha256.New, []byte("cunjing short pairing v1\x00"+secret))
	m.Write([]byte(senderRole + "\x00"))
	m.Write(sender[:])
	m.Write(receiver[:])
	return m.Sum(nil)
}

// CheckShortProof compares a received proof in constant time.
func CheckShortProof(proof []byte, secret, senderRole string, sender, receiver protocol.DeviceID) error {
	if !hmac.Equal(proof, ShortProof(secret, senderRole, sender, receiver)) {
		return errors.New("short pairing: the other device does not know this code's secret")
	}
	return nil
}

// ShortQR renders a short code as a QR in alphanumeric mode: 33 modules
// a side (version 4, against 97 for the long code), coarse enough to scan
// from a phone photo of the screen. Error correction M, as for the long
// code; Q would need version 5.
func ShortQR(c ShortCode, size int) (image.Image, error) {
	if size < 64 {
		size = 64
	}
	b, err := qr.Encode(c.String(), qr.M, qr.AlphaNumeric)
	if err != nil {
		return nil, fmt.Errorf("encode short QR: %w", err)
	}
	img, err := barcode.Scale(b, size, size)
	if err != nil {
		return nil, fmt.Errorf("scale short QR: %w", err)
	}
	return img, nil
}

// shortQRModules is the side of the short code's QR in modules.
func shortQRModules(c ShortCode) (int, error) {
	b, err := qr.Encode(c.String(), qr.M, qr.AlphaNumeric)
	if err != nil {
		return 0, fmt.Errorf("encode short QR: %w", err)
	}
	return b.Bounds().Dx(), nil
}
