// Package identity owns a cunjing device's keys and how devices meet: the
// TLS certificate whose hash is the Syncthing-format device ID, the ed25519
// key that signs changesets, the age X25519 key they are encrypted to, and
// the pairing code that carries the public half of all three to another
// device (pasted, scanned as a QR code, or copied on a USB stick).
package identity

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"filippo.io/age"
	"github.com/syncthing/syncthing/lib/protocol"
)

// CertName is the common name of every device certificate. Stock Syncthing
// refuses a peer whose certificate is named otherwise, and we want a stock
// Syncthing to be able to carry our folders.
const CertName = "syncthing"

// Names of the secrets as stored in the database's secrets table.
const (
	SecretCert = "tls_cert_pem"
	SecretKey  = "tls_key_pem"
	SecretSign = "ed25519_seed"
	SecretAge  = "age_x25519"
)

// Identity is a device's private key material.
type Identity struct {
	Cert     tls.Certificate
	DeviceID protocol.DeviceID
	Sign     ed25519.PrivateKey
	Age      *age.X25519Identity
}

// Generate makes a new device identity: an ECDSA P-384 certificate valid
// for 20 years (a post's PC outlives any sensible renewal plan, and trust is
// by device ID, not by expiry), a signing key and an encryption key.
func Generate() (*Identity, error) {
	certPEM, keyPEM, err := newCertificate(time.Now())
	if err != nil {
		return nil, err
	}
	_, sign, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	ak, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("generate encryption key: %w", err)
	}
	return Load(map[string][]byte{
		SecretCert: certPEM, SecretKey: keyPEM,
		SecretSign: sign.Seed(), SecretAge: []byte(ak.String()),
	})
}

func newCertificate(now time.Time) (certPEM, keyPEM []byte, err error) {
	priv, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate certificate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, fmt.Errorf("certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: CertName, Organization: []string{"cunjing"}},
		DNSNames:              []string{CertName},
		NotBefore:             now.Add(-24 * time.Hour).Truncate(24 * time.Hour),
		NotAfter:              now.Add(20 * 365 * 24 * time.Hour).Truncate(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		SignatureAlgorithm:    x509.ECDSAWithSHA256,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return nil, nil, fmt.Errorf("create certificate: %w", err)
	}
	kder, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("encode certificate key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), nil
}

// Secrets returns the key material to persist (see Load).
func (id *Identity) Secrets() (map[string][]byte, error) {
	if len(id.Cert.Certificate) == 0 {
		return nil, errors.New("identity has no certificate")
	}
	k, ok := id.Cert.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("certificate key is %T, want ECDSA", id.Cert.PrivateKey)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("encode certificate key: %w", err)
	}
	return map[string][]byte{
		SecretCert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.Cert.Certificate[0]}),
		SecretKey:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}),
		SecretSign: id.Sign.Seed(),
		SecretAge:  []byte(id.Age.String()),
	}, nil
}

// Load rebuilds an identity from its persisted secrets.
func Load(secrets map[string][]byte) (*Identity, error) {
	for _, n := range []string{SecretCert, SecretKey, SecretSign, SecretAge} {
		if len(secrets[n]) == 0 {
			return nil, fmt.Errorf("load identity: secret %s is missing", n)
		}
	}
	cert, err := tls.X509KeyPair(secrets[SecretCert], secrets[SecretKey])
	if err != nil {
		return nil, fmt.Errorf("load identity: certificate: %w", err)
	}
	if len(secrets[SecretSign]) != ed25519.SeedSize {
		return nil, fmt.Errorf("load identity: signing key has %d bytes, want %d", len(secrets[SecretSign]), ed25519.SeedSize)
	}
	ak, err := age.ParseX25519Identity(string(secrets[SecretAge]))
	if err != nil {
		return nil, fmt.Errorf("load identity: encryption key: %w", err)
	}
	return &Identity{
		Cert:     cert,
		DeviceID: protocol.NewDeviceID(cert.Certificate[0]),
		Sign:     ed25519.NewKeyFromSeed(secrets[SecretSign]),
		Age:      ak,
	}, nil
}

// SignPublic is the public half of the signing key.
func (id *Identity) SignPublic() ed25519.PublicKey {
	return id.Sign.Public().(ed25519.PublicKey)
}

// Recipient is the age recipient others encrypt to.
func (id *Identity) Recipient() string { return id.Age.Recipient().String() }
