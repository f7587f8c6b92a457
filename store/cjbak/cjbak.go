// Package cjbak owns the encrypted backup file format (.cjbak): its header,
// the device's signature over it, the passphrase-wrapped backup key, and
// streaming a database file into and out of it. It touches no database: a
// backup is made and restored by store/backup (backup.Write,
// backup.Restore), which re-exports what its callers see (backup.Header,
// the errors).
//
// File layout (integers big-endian):
//
//	"CJBAK1\n"
//	u32 n | header: n bytes of JSON (Header), 1 <= n <= MaxHeader
//	age file of the SQLite database, X25519 stanzas only: to the backup
//	    key's recipient (if a passphrase is set) and to each paired station
//	ed25519 signature (64 bytes) by the device over
//	    "cunjing backup v1\x00" | u32 n | header | SHA-256(age file)
//
// The backup key is an age X25519 key pair made when the officer sets the
// passphrase (WrapKey): its public half encrypts every backup without the
// passphrase; its private half is kept only wrapped, an age scrypt file to
// the passphrase holding the key, the device ID and the device's signing
// key, copied into every backup's header. Decrypt unwraps it with the
// passphrase and checks the signature with the signing key found inside (a
// planted backup is signed by no one the passphrase vouches for) before
// anything decrypted is used.
package cjbak

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"filippo.io/age"
)

const (
	magic     = "CJBAK1\n"
	sigDomain = "cunjing backup v1\x00"
	// Ext is the extension of encrypted backups.
	Ext = ".cjbak"
	// MaxHeader bounds a backup's header.
	MaxHeader = 64 << 10
	// ScryptMax is the most scrypt work (log2 N) a restore will do (2^18,
	// a second and 256 MiB): a planted header cannot ask for more. It is
	// also the work factor new passphrases are wrapped with by default.
	ScryptMax = 18

	maxWrappedKey = 4 << 10
	maxStations   = 64
	maxDeviceID   = 128
)

// Errors of a backup file, for plain words in the UI and the CLI.
var (
	ErrWrongPassphrase  = errors.New("wrong backup passphrase")
	ErrNeedPassphrase   = errors.New("this backup is encrypted: give its passphrase")
	ErrNotABackup       = errors.New("not a cunjing backup")
	ErrForged           = errors.New("the backup's signature does not verify (altered, or not made by the device it names)")
	ErrNoPassphraseWrap = errors.New("this backup was encrypted only to the station: restore it with the station's help (cunjing restore --with-station-db)")
)

// Header is the unencrypted head of a .cjbak file. It names no
// person: the device's ID, when, and to whom the backup is encrypted.
type Header struct {
	Version   int      `json:"v"`
	Device    string   `json:"device"`
	Role      string   `json:"role"`
	Created   string   `json:"created"` // RFC 3339, UTC
	Schema    int      `json:"schema"`
	Key       string   `json:"key,omitempty"`       // base64 of the passphrase-wrapped backup key
	Recipient string   `json:"recipient,omitempty"` // the backup key's public half
	Stations  []string `json:"stations,omitempty"`  // device IDs of the stations it is also encrypted to
	// Seq numbers the device's backups in the folder they were written
	// to, from 1, whatever the clock said: the highest is the newest (0:
	// written before backups were numbered).
	Seq uint64 `json:"seq,omitempty"`
}

// ReadHeader reads the magic and header of a .cjbak file from r and
// returns the header and the bytes it took (where the age file starts).
// Anything else is ErrNotABackup with the reason; it never reads more
// than MaxHeader+11 bytes.
func ReadHeader(r io.Reader) (Header, int64, error) {
	var h Header
	pre := make([]byte, len(magic)+4)
	if _, err := io.ReadFull(r, pre); err != nil {
		return h, 0, fmt.Errorf("%w (too short: %v)", ErrNotABackup, err)
	}
	if string(pre[:len(magic)]) != magic {
		return h, 0, fmt.Errorf("%w (bad magic)", ErrNotABackup)
	}
	n := binary.BigEndian.Uint32(pre[len(magic):])
	if n == 0 || n > MaxHeader {
		return h, 0, fmt.Errorf("%w (header of %d bytes)", ErrNotABackup, n)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return h, 0, fmt.Errorf("%w (header cut short: %v)", ErrNotABackup, err)
	}
	h, err := parseHeader(raw)
	if err != nil {
		return h, 0, err
	}
	return h, int64(len(pre)) + int64(n), nil
}

func parseHeader(raw []byte) (Header, error) {
	var h Header
	if !utf8.Valid(raw) {
		return h, fmt.Errorf("%w (header is not UTF-8)", ErrNotABackup)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&h); err != nil {
		return Header{}, fmt.Errorf("%w (header: %v)", ErrNotABackup, err)
	}
	if dec.More() {
		return Header{}, fmt.Errorf("%w (header has trailing data)", ErrNotABackup)
	}
	switch {
	case h.Version != 1:
		return h, fmt.Errorf("%w (format version %d; please update cunjing)", ErrNotABackup, h.Version)
	case !plainID(h.Device):
		return h, fmt.Errorf("%w (bad device ID in header)", ErrNotABackup)
	case len(h.Key) > maxWrappedKey || len(h.Recipient) > 200 || len(h.Role) > 20 || len(h.Created) > 40:
		return h, fmt.Errorf("%w (oversized header field)", ErrNotABackup)
	case len(h.Stations) > maxStations:
		return h, fmt.Errorf("%w (%d stations)", ErrNotABackup, len(h.Stations))
	case h.Key == "" && len(h.Stations) == 0:
		return h, fmt.Errorf("%w (encrypted to no one)", ErrNotABackup)
	}
	for _, s := range h.Stations {
		if !plainID(s) {
			return h, fmt.Errorf("%w (bad station ID in header)", ErrNotABackup)
		}
	}
	if h.Key != "" {
		if _, err := base64.StdEncoding.DecodeString(h.Key); err != nil {
			return h, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
		}
	}
	return h, nil
}

// plainID accepts device IDs (letters, digits and dashes) and nothing a
// log or a terminal could be fooled by.
func plainID(s string) bool {
	if s == "" || len(s) > maxDeviceID {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// EncodeHeader returns a file's head for h (magic, length and header) and
// the header JSON alone, which the signature covers.
func EncodeHeader(h Header) ([]byte, []byte, error) {
	raw, err := json.Marshal(h)
	if err != nil {
		return nil, nil, fmt.Errorf("backup header: %w", err)
	}
	if len(raw) > MaxHeader {
		return nil, nil, fmt.Errorf("backup header of %d bytes is too large", len(raw))
	}
	head := append([]byte(magic), binary.BigEndian.AppendUint32(nil, uint32(len(raw)))...)
	return append(head, raw...), raw, nil
}

// signedMessage is what the device signs: the domain tag, the header and
// the hash of the age file.
func signedMessage(header []byte, body [sha256.Size]byte) []byte {
	m := make([]byte, 0, len(sigDomain)+4+len(header)+len(body))
	m = append(m, sigDomain...)
	m = binary.BigEndian.AppendUint32(m, uint32(len(header)))
	m = append(m, header...)
	return append(m, body[:]...)
}

// wrappedKey is what the passphrase wraps.
type wrappedKey struct {
	Key    string `json:"key"`    // AGE-SECRET-KEY-1…
	Device string `json:"device"` // the device whose backups it opens
	Sign   []byte `json:"sign"`   // that device's ed25519 public key
}

// WrapKey makes a new backup key for device (whose signing key is sign)
// and wraps it to pass with scrypt work factor logN; it returns the key's
// public half (age recipient) and the wrapped key for the header.
func WrapKey(pass, device string, sign ed25519.PublicKey, logN int) (recipient, wrapped string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", fmt.Errorf("make backup key: %w", err)
	}
	blob, err := json.Marshal(wrappedKey{Key: id.String(), Device: device, Sign: sign})
	if err != nil {
		return "", "", fmt.Errorf("make backup key: %w", err)
	}
	sr, err := age.NewScryptRecipient(pass)
	if err != nil {
		return "", "", fmt.Errorf("backup passphrase: %w", err)
	}
	sr.SetWorkFactor(logN)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, sr)
	if err != nil {
		return "", "", fmt.Errorf("wrap backup key: %w", err)
	}
	if _, err := w.Write(blob); err != nil {
		return "", "", fmt.Errorf("wrap backup key: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", "", fmt.Errorf("wrap backup key: %w", err)
	}
	return id.Recipient().String(), base64.StdEncoding.EncodeToString(out.Bytes()), nil
}

// CheckPassphrase reports whether pass opens a wrapped backup key
// (ErrWrongPassphrase if not).
func CheckPassphrase(wrapped, pass string) error {
	_, _, err := unwrapKey(wrapped, pass)
	return err
}

// unwrapKey opens a wrapped backup key with the passphrase.
func unwrapKey(wrapped, pass string) (*age.X25519Identity, wrappedKey, error) {
	var k wrappedKey
	ct, err := base64.StdEncoding.DecodeString(wrapped)
	if err != nil {
		return nil, k, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
	}
	si, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, k, fmt.Errorf("backup passphrase: %w", err)
	}
	si.SetMaxWorkFactor(ScryptMax)
	r, err := age.Decrypt(bytes.NewReader(ct), si)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, k, ErrWrongPassphrase
		}
		return nil, k, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
	}
	blob, err := io.ReadAll(io.LimitReader(r, maxWrappedKey))
	if err != nil {
		return nil, k, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
	}
	if err := json.Unmarshal(blob, &k); err != nil {
		return nil, k, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
	}
	id, err := age.ParseX25519Identity(k.Key)
	if err != nil {
		return nil, k, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
	}
	if len(k.Sign) != 0 && len(k.Sign) != ed25519.PublicKeySize {
		return nil, k, fmt.Errorf("%w (wrapped signing key of %d bytes)", ErrNotABackup, len(k.Sign))
	}
	return id, k, nil
}

// Encrypt streams the plain database into a new .cjbak at partial
// (created exclusively), signs it, syncs it, and reads it back to check
// that what is on the stick is what was written.
func Encrypt(plain, partial string, hdr Header, to []age.Recipient, sign ed25519.PrivateKey) error {
	head, raw, err := EncodeHeader(hdr)
	if err != nil {
		return err
	}
	in, err := os.Open(plain)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	sum, err := func() ([sha256.Size]byte, error) {
		var sum [sha256.Size]byte
		if _, err := out.Write(head); err != nil {
			return sum, err
		}
		h := sha256.New()
		bw := bufio.NewWriterSize(io.MultiWriter(out, h), 1<<20)
		aw, err := age.Encrypt(bw, to...)
		if err != nil {
			return sum, fmt.Errorf("encrypt: %w", err)
		}
		if _, err := io.Copy(aw, in); err != nil {
			return sum, err
		}
		if err := aw.Close(); err != nil {
			return sum, fmt.Errorf("encrypt: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return sum, err
		}
		copy(sum[:], h.Sum(nil))
		return sum, nil
	}()
	if err != nil {
		return err
	}
	if _, err := out.Write(ed25519.Sign(sign, signedMessage(raw, sum))); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	// Read it back: the stick holds what was written, and it verifies.
	_, err = Check(partial, func(string) (ed25519.PublicKey, error) {
		return sign.Public().(ed25519.PublicKey), nil
	})
	if err != nil {
		return fmt.Errorf("the backup on the stick did not verify: %w", err)
	}
	return nil
}

// Check reads a .cjbak through and checks its signature with the
// key trusted for the device its header names. It decrypts nothing.
func Check(p string, trusted func(device string) (ed25519.PublicKey, error)) (Header, error) {
	c, err := openFile(p)
	if err != nil {
		return c.hdr, err
	}
	defer c.f.Close()
	key, err := trusted(c.hdr.Device)
	if err != nil {
		return c.hdr, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, c.body); err != nil {
		return c.hdr, fmt.Errorf("read %s: %w", p, err)
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return c.hdr, c.verify(sum, key)
}

// file is an open .cjbak: its header, where the age file starts, the raw
// header JSON, and a reader of exactly the age file (OpenBody).
type file struct {
	f    *os.File
	hdr  Header
	off  int64
	raw  []byte
	body *io.SectionReader
}

// openFile opens the .cjbak at p and reads its header; on an error the
// file is closed and what was read of the header returned. A path that
// is no regular file is refused before it is opened (a named pipe would
// wait for a writer for ever).
func openFile(p string) (file, error) {
	if fi, err := os.Stat(p); err != nil {
		return file{}, err
	} else if !fi.Mode().IsRegular() {
		return file{}, fmt.Errorf("%s is not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return file{}, err
	}
	c := file{f: f}
	if c.hdr, c.off, c.raw, c.body, err = OpenBody(f); err != nil {
		f.Close()
		return c, err
	}
	return c, nil
}

// verify checks the signature at the end of the file over the header and
// sum (the hash of the age file) with key.
func (c file) verify(sum [sha256.Size]byte, key ed25519.PublicKey) error {
	sig := make([]byte, ed25519.SignatureSize)
	if _, err := c.f.ReadAt(sig, c.off+c.body.Size()); err != nil {
		return fmt.Errorf("read backup signature: %w", err)
	}
	if len(key) != ed25519.PublicKeySize || !ed25519.Verify(key, signedMessage(c.raw, sum), sig) {
		return ErrForged
	}
	return nil
}

// OpenBody reads a .cjbak's header and returns it, where the age
// file starts, the raw header JSON, and a reader of exactly the age file.
func OpenBody(f *os.File) (Header, int64, []byte, *io.SectionReader, error) {
	st, err := f.Stat()
	if err != nil {
		return Header{}, 0, nil, nil, err
	}
	hdr, off, err := ReadHeader(f)
	if err != nil {
		return hdr, 0, nil, nil, err
	}
	raw := make([]byte, off-int64(len(magic)+4))
	if _, err := f.ReadAt(raw, int64(len(magic)+4)); err != nil {
		return hdr, 0, nil, nil, err
	}
	n := st.Size() - off - ed25519.SignatureSize
	if n <= 0 {
		return hdr, 0, nil, nil, fmt.Errorf("%w (cut short)", ErrNotABackup)
	}
	return hdr, off, raw, io.NewSectionReader(f, off, n), nil
}

// Keys open a backup: its passphrase, or (a station helping its post)
// the station's age identities with Signer, which returns the signing key
// the station trusts for the device a backup names (an error if it knows
// none).
type Keys struct {
	Passphrase string
	Identities []age.Identity
	Signer     func(device string) (ed25519.PublicKey, error)
}

// Decrypt opens the .cjbak from with opt, checks its signature and
// decrypts it into the new file to (created exclusively). Nothing
// decrypted is trusted before the signature verifies; on an error the
// caller removes to.
func Decrypt(from, to string, opt Keys) (Header, error) {
	c, err := openFile(from)
	hdr := c.hdr
	if err != nil {
		return hdr, err
	}
	defer c.f.Close()
	var ids []age.Identity
	var trusted ed25519.PublicKey
	switch {
	case opt.Passphrase != "":
		if hdr.Key == "" {
			return hdr, ErrNoPassphraseWrap
		}
		id, k, err := unwrapKey(hdr.Key, opt.Passphrase)
		if err != nil {
			return hdr, err
		}
		if k.Device != hdr.Device || len(k.Sign) != ed25519.PublicKeySize {
			return hdr, fmt.Errorf("%w (its key belongs to another device)", ErrForged)
		}
		ids, trusted = []age.Identity{id}, k.Sign
	case len(opt.Identities) > 0 && opt.Signer != nil:
		if trusted, err = opt.Signer(hdr.Device); err != nil {
			return hdr, fmt.Errorf("backup of device %s: %w", hdr.Device, err)
		}
		ids = opt.Identities
	default:
		return hdr, ErrNeedPassphrase
	}
	// Decrypt while hashing what is read; nothing decrypted is used before
	// the signature over that hash verifies.
	h := sha256.New()
	tee := io.TeeReader(c.body, h)
	ar, err := age.Decrypt(bufio.NewReaderSize(tee, 1<<20), ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			if opt.Passphrase != "" {
				return hdr, fmt.Errorf("%w (its content is not encrypted to the key its header holds)", ErrForged)
			}
			return hdr, errors.New("this backup is not encrypted to this station's key")
		}
		return hdr, fmt.Errorf("decrypt backup: %w", err)
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return hdr, err
	}
	defer out.Close()
	if _, err := io.Copy(out, ar); err != nil {
		return hdr, fmt.Errorf("decrypt backup (damaged or cut short): %w", err)
	}
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return hdr, fmt.Errorf("read backup: %w", err)
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	if err := c.verify(sum, trusted); err != nil {
		return hdr, err
	}
	if err := out.Sync(); err != nil {
		return hdr, err
	}
	return hdr, out.Close()
}
