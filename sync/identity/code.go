package identity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"

	"filippo.io/age"
	"github.com/syncthing/syncthing/lib/protocol"
)

// Roles a paired device can have (the same words as store.RolePost,
// store.RoleStation and store.RoleCounty; a carrier is a stock Syncthing
// that only relays files).
const (
	RolePost    = "post"
	RoleStation = "station"
	RoleCounty  = "county"
	RoleCarrier = "carrier"
)

// codePrefix starts every pairing code; the digit is the format version.
const codePrefix = "CJ1."

// MaxCodeLen bounds what ParseCode reads: a code is about 1.5 KB.
const MaxCodeLen = 8 << 10

// CodeFileExt ends the name of a file holding one pairing code (the code's
// text and a newline), as 同步's 存成文件… writes it: its own extension, so
// that opening one on Windows or a Linux desktop starts cunjing (the
// installer and the .deb register it) rather than a text editor.
const CodeFileExt = ".cjpair"

// Code is what one device tells another so they can pair: who it is, where
// to reach it, and the public keys that sign and receive its changesets.
// The certificate travels too and signs the rest, so a code whose keys were
// swapped no longer matches its device ID.
type Code struct {
	DeviceID  protocol.DeviceID
	Name      string
	Role      string
	Addresses []string // host:port where it listens; may be empty for a post
	Sign      ed25519.PublicKey
	Recipient string // age X25519 recipient
	CertDER   []byte
}

type codeWire struct {
	V     int      `json:"v"`
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Addrs []string `json:"addrs,omitempty"`
	Sign  []byte   `json:"sign"`
	Age   string   `json:"age"`
	Cert  []byte   `json:"cert"`
}

// Code returns this device's pairing code.
func (id *Identity) Code(name, role string, addrs []string) (Code, error) {
	c := Code{
		DeviceID: id.DeviceID, Name: name, Role: role, Addresses: addrs,
		Sign: id.SignPublic(), Recipient: id.Recipient(), CertDER: id.Cert.Certificate[0],
	}
	if err := c.check(); err != nil {
		return Code{}, err
	}
	return c, nil
}

// Encode signs the code with the device's certificate key and returns its
// text form "CJ1.<payload>.<signature>" (URL-safe base64, QR friendly).
func (c Code) Encode(id *Identity) (string, error) {
	payload, err := json.Marshal(codeWire{V: 1, ID: c.DeviceID.String(), Name: c.Name, Role: c.Role,
		Addrs: c.Addresses, Sign: c.Sign, Age: c.Recipient, Cert: c.CertDER})
	if err != nil {
		return "", fmt.Errorf("encode pairing code: %w", err)
	}
	signer, ok := id.Cert.PrivateKey.(crypto.Signer)
	if !ok {
		return "", fmt.Errorf("encode pairing code: certificate key %T cannot sign", id.Cert.PrivateKey)
	}
	sum := sha256.Sum256(payload)
	sig, err := signer.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("sign pairing code: %w", err)
	}
	b64 := base64.RawURLEncoding
	return codePrefix + b64.EncodeToString(payload) + "." + b64.EncodeToString(sig), nil
}

// ParseCode decodes and verifies a pairing code. Spaces and line breaks
// (from a code wrapped in a message) are ignored.
func ParseCode(s string) (Code, error) {
	if len(s) > MaxCodeLen {
		return Code{}, fmt.Errorf("pairing code: %d bytes is too long", len(s))
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	rest, ok := strings.CutPrefix(s, codePrefix)
	if !ok {
		return Code{}, fmt.Errorf("pairing code: does not start with %q", codePrefix)
	}
	p64, s64, ok := strings.Cut(rest, ".")
	if !ok {
		return Code{}, errors.New("pairing code: signature missing")
	}
	b64 := base64.RawURLEncoding
	payload, err := b64.DecodeString(p64)
	if err != nil {
		return Code{}, fmt.Errorf("pairing code: %w", err)
	}
	sig, err := b64.DecodeString(s64)
	if err != nil {
		return Code{}, fmt.Errorf("pairing code signature: %w", err)
	}
	var w codeWire
	if err := json.Unmarshal(payload, &w); err != nil {
		return Code{}, fmt.Errorf("pairing code: %w", err)
	}
	if w.V != 1 {
		return Code{}, fmt.Errorf("pairing code: version %d is not supported", w.V)
	}
	cert, err := x509.ParseCertificate(w.Cert)
	if err != nil {
		return Code{}, fmt.Errorf("pairing code: certificate: %w", err)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return Code{}, fmt.Errorf("pairing code: certificate key is %T, want ECDSA", cert.PublicKey)
	}
	sum := sha256.Sum256(payload)
	if !ecdsa.VerifyASN1(pub, sum[:], sig) {
		return Code{}, errors.New("pairing code: signature does not match (damaged or altered code)")
	}
	dev, err := protocol.DeviceIDFromString(w.ID)
	if err != nil {
		return Code{}, fmt.Errorf("pairing code: device ID: %w", err)
	}
	c := Code{DeviceID: dev, Name: w.Name, Role: w.Role, Addresses: w.Addrs,
		Sign: ed25519.PublicKey(w.Sign), Recipient: w.Age, CertDER: w.Cert}
	if err := c.check(); err != nil {
		return Code{}, err
	}
	return c, nil
}

func (c Code) check() error {
	if c.DeviceID != protocol.NewDeviceID(c.CertDER) {
		return errors.New("pairing code: device ID does not belong to the certificate")
	}
	if c.Role != RolePost && c.Role != RoleStation && c.Role != RoleCounty {
		return fmt.Errorf("pairing code: role %q, want post, station or county", c.Role)
	}
	if strings.TrimSpace(c.Name) == "" || len(c.Name) > 200 {
		return errors.New("pairing code: name is empty or too long")
	}
	if len(c.Sign) != ed25519.PublicKeySize {
		return fmt.Errorf("pairing code: signing key has %d bytes, want %d", len(c.Sign), ed25519.PublicKeySize)
	}
	if _, err := age.ParseX25519Recipient(c.Recipient); err != nil {
		return fmt.Errorf("pairing code: encryption key: %w", err)
	}
	if len(c.Addresses) > 16 {
		return errors.New("pairing code: too many addresses")
	}
	for _, a := range c.Addresses {
		if err := CheckAddress(a); err != nil {
			return fmt.Errorf("pairing code: %w", err)
		}
	}
	return nil
}

// CheckAddress accepts host:port with a port in 1..65535.
func CheckAddress(a string) error {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("address %q: %w", a, err)
	}
	p, err := strconv.Atoi(port)
	if host == "" || err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("address %q: want host:port", a)
	}
	return nil
}
