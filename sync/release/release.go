// Package release is a signed cunjing release: the manifest whoever builds
// releases signs with the release key (Ed25519), and the checks every
// device makes against the public keys built into it before it offers to
// install a file that came down the tree (county → station → post):
// signature, file size and SHA-256, platform, and that it is newer than
// what is installed. A post cannot download; it installs only what its
// station carried to it and the release key signed.
//
// The manifest file (.cjrel) is JSON:
//
//	{"manifest": {...}, "key": "<key ID>", "sig": "<base64 Ed25519 signature of the manifest's bytes as they stand>"}
//
// The signature covers the manifest's exact bytes, so no canonical form is
// needed and a reader never re-encodes before checking.
package release

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// MaxManifest bounds a manifest file.
const MaxManifest = 64 << 10

// Kinds of release file.
const (
	KindInstaller = "installer" // cunjing-setup.exe (NSIS, Windows)
	KindDeb       = "deb"       // cunjing_<version>_<arch>.deb (Debian, UOS, Kylin)
)

// Manifest describes one release file.
type Manifest struct {
	Version string `json:"version"` // X.Y.Z
	OS      string `json:"os"`      // GOOS: windows, linux
	Arch    string `json:"arch"`    // GOARCH: amd64, arm64
	Kind    string `json:"kind"`    // KindInstaller or KindDeb
	File    string `json:"file"`    // the file's name
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"` // hex
	Notes   string `json:"notes,omitempty"`
}

// signed is the manifest file.
type signed struct {
	Manifest json.RawMessage `json:"manifest"`
	Key      string          `json:"key"`
	Sig      string          `json:"sig"`
}

// Errors a caller can tell apart (errors.Is), each said in Chinese by the
// window.
var (
	ErrUnsigned      = errors.New("release: not signed by a release key this cunjing knows")
	ErrBadFile       = errors.New("release: the file does not match its manifest")
	ErrOtherPlatform = errors.New("release: for another system or processor")
	ErrNotNewer      = errors.New("release: not newer than the installed version")
)

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

var (
	versionRe = regexp.MustCompile(`^[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}$`)
	fileRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}$`)
	shaRe     = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Validate checks a manifest's fields.
func (m Manifest) Validate() error {
	switch {
	case !versionRe.MatchString(m.Version):
		return fmt.Errorf("release: version %q: want X.Y.Z", m.Version)
	case m.OS != "windows" && m.OS != "linux":
		return fmt.Errorf("release: os %q: want windows or linux", m.OS)
	case m.Arch != "amd64" && m.Arch != "arm64" && m.Arch != "loong64":
		return fmt.Errorf("release: arch %q: want amd64, arm64 or loong64", m.Arch)
	case m.Kind != KindInstaller && m.Kind != KindDeb:
		return fmt.Errorf("release: kind %q: want %s or %s", m.Kind, KindInstaller, KindDeb)
	case (m.Kind == KindInstaller) != (m.OS == "windows"):
		return fmt.Errorf("release: a %s is not for %s", m.Kind, m.OS)
	case !fileRe.MatchString(m.File):
		return fmt.Errorf("release: file name %q", m.File)
	case m.Size <= 0 || m.Size > 1<<30:
		return fmt.Errorf("release: size %d", m.Size)
	case !shaRe.MatchString(m.SHA256):
		return fmt.Errorf("release: sha256 %q: want 64 lowercase hex digits", m.SHA256)
	case len(m.Notes) > 4000:
		return fmt.Errorf("release: notes of %d bytes", len(m.Notes))
	}
	return nil
}

// Describe makes the manifest of file data (name, size, SHA-256).
func Describe(version, goos, goarch, kind, name string, data io.Reader) (Manifest, error) {
	h := sha256.New()
	n, err := io.Copy(h, data)
	if err != nil {
		return Manifest{}, fmt.Errorf("release: read %s: %w", name, err)
	}
	m := Manifest{Version: version, OS: goos, Arch: goarch, Kind: kind, File: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	return m, m.Validate()
}

// Sign writes the manifest file of m signed with priv.
func Sign(m Manifest, priv ed25519.PrivateKey) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	pub, ok := priv.Public().(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("release: not an Ed25519 key")
	}
	// Not indented: that would re-indent the signed manifest's bytes.
	out, err := json.Marshal(signed{Manifest: body, Key: KeyID(pub), Sig: base64.StdEncoding.EncodeToString(ed25519.Sign(priv, body))})
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	return append(out, '\n'), nil
}

// Open reads a manifest file and checks its signature against keys (the
// release keys this cunjing trusts) and its fields.
func Open(data []byte, keys []ed25519.PublicKey) (Manifest, error) {
	if len(data) > MaxManifest {
		return Manifest{}, fmt.Errorf("release: manifest of %d bytes exceeds %d", len(data), MaxManifest)
	}
	var s signed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Manifest{}, fmt.Errorf("release: not a release manifest: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(s.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return Manifest{}, fmt.Errorf("%w: no valid signature", ErrUnsigned)
	}
	trusted := false
	for _, k := range keys {
		if KeyID(k) == s.Key && ed25519.Verify(k, s.Manifest, sig) {
			trusted = true
			break
		}
	}
	if !trusted {
		return Manifest{}, fmt.Errorf("%w (key %q)", ErrUnsigned, s.Key)
	}
	var m Manifest
	dec = json.NewDecoder(bytes.NewReader(s.Manifest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("release: manifest: %w", err)
	}
	return m, m.Validate()
}

// CheckFile reads the release file and checks its size and SHA-256
// against m, reading at most m.Size+1 bytes.
func (m Manifest) CheckFile(r io.Reader) error {
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(r, m.Size+1))
	if err != nil {
		return fmt.Errorf("release: read %s: %w", m.File, err)
	}
	if n != m.Size {
		return fmt.Errorf("%w: %s has %d bytes, the manifest says %d", ErrBadFile, m.File, n, m.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return fmt.Errorf("%w: %s has SHA-256 %s, the manifest says %s", ErrBadFile, m.File, got, m.SHA256)
	}
	return nil
}

// For checks that m may be installed on goos/goarch over the installed
// version: the same system and processor, and newer.
func (m Manifest) For(goos, goarch, installed string) error {
	if m.OS != goos || m.Arch != goarch {
		return fmt.Errorf("%w: %s/%s, this computer is %s/%s", ErrOtherPlatform, m.OS, m.Arch, goos, goarch)
	}
	c, err := Compare(m.Version, installed)
	if err != nil {
		return err
	}
	if c <= 0 {
		return fmt.Errorf("%w: %s, installed %s", ErrNotNewer, m.Version, installed)
	}
	return nil
}

// Compare orders two X.Y.Z versions: -1, 0 or 1.
func Compare(a, b string) (int, error) {
	pa, err := parseVersion(a)
	if err != nil {
		return 0, err
	}
	pb, err := parseVersion(b)
	if err != nil {
		return 0, err
	}
	for i := range pa {
		switch {
		case pa[i] < pb[i]:
			return -1, nil
		case pa[i] > pb[i]:
			return 1, nil
		}
	}
	return 0, nil
}

func parseVersion(v string) ([3]int, error) {
	var out [3]int
	if !versionRe.MatchString(v) {
		return out, fmt.Errorf("release: version %q: want X.Y.Z", v)
	}
	for i, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, fmt.Errorf("release: version %q: %w", v, err)
		}
		out[i] = n
	}
	return out, nil
}

// ParseKeys reads public keys, one base64 key a line; blank lines and
// lines starting with # are skipped.
func ParseKeys(text []byte) ([]ed25519.PublicKey, error) {
	var out []ed25519.PublicKey
	for i, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("release key, line %d: not a base64 Ed25519 public key", i+1)
		}
		out = append(out, ed25519.PublicKey(b))
	}
	return out, nil
}
