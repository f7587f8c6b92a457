package store

// Encrypted backups (.cjbak). A backup holds everything: residents' names
// and ID numbers, and the device's private keys. Whoever finds the stick
// must read nothing, and a backup planted on the stick must not restore.
//
// File layout (integers big-endian):
//
//	"CJBAK1\n"
//	u32 n | header: n bytes of JSON (BackupHeader), 1 <= n <= MaxBackupHeader
//	age file of the SQLite database, X25519 stanzas only: to the backup
//	    key's recipient (if a passphrase is set) and to each paired station
//	ed25519 signature (64 bytes) by the device over
//	    "cunjing backup v1\x00" | u32 n | header | SHA-256(age file)
//
// The backup key is an age X25519 key pair made when the officer sets the
// passphrase. Its public half is kept in the database (meta
// backup_recipient), so scheduled backups need no passphrase to write; its
// private half is kept only wrapped: an age scrypt file, to the
// passphrase, of the key, the device ID and the device's signing key
// (meta backup_key), copied into every backup's header. Restoring unwraps
// it with the passphrase, checks the signature with the signing key found
// inside (a planted backup is signed by no one the passphrase vouches
// for), then decrypts. age allows an scrypt recipient only alone in a
// file, so the passphrase wraps the key, not the backup itself. A station
// restores with its own X25519 key and checks the signature with the
// post's signing key from its pairing. Changing the passphrase makes a
// new key; older backups keep theirs, and the passphrase of their day.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"cunjing/store/syncbook"
)

const (
	backupMagic     = "CJBAK1\n"
	backupSigDomain = "cunjing backup v1\x00"
	// BackupExt is the extension of encrypted backups, PlainBackupExt
	// that of plain ones (old versions, or --plaintext).
	BackupExt      = ".cjbak"
	PlainBackupExt = ".db"
	// MaxBackupHeader bounds a backup's header.
	MaxBackupHeader = 64 << 10
	// MinBackupPassphrase is the shortest backup passphrase, in characters:
	// a lost stick can be attacked offline for as long as the finder likes.
	MinBackupPassphrase = 8
	// SecretSignSeed names the device's ed25519 seed in the secrets table
	// (sync/identity writes it; a test checks the names agree).
	SecretSignSeed = "ed25519_seed"

	maxWrappedKey = 4 << 10
	maxStations   = 64
	maxDeviceID   = 128
	// backupScryptMax is the most scrypt work a restore will do (2^18, a
	// second and 256 MiB): a planted header cannot ask for more.
	backupScryptMax = 18
)

// scryptWorkFactor is the work factor a store wraps new passphrases with
// (Options.BackupWorkFactor; the most a restore does is the default).
func scryptWorkFactor(n int) int {
	if n < 10 || n > backupScryptMax {
		return backupScryptMax
	}
	return n
}

// Errors of backups and restores, for plain words in the UI and the CLI.
var (
	ErrNoBackupKey      = errors.New("no backup passphrase is set and no station is paired, so the backup could not be encrypted")
	ErrWrongPassphrase  = errors.New("wrong backup passphrase")
	ErrNeedPassphrase   = errors.New("this backup is encrypted: give its passphrase")
	ErrNotABackup       = errors.New("not a cunjing backup")
	ErrBackupForged     = errors.New("the backup's signature does not verify (altered, or not made by the device it names)")
	ErrShortPassphrase  = fmt.Errorf("a backup passphrase needs at least %d characters", MinBackupPassphrase)
	ErrNoPassphraseWrap = errors.New("this backup was encrypted only to the station: restore it with the station's help (cunjing restore --with-station-db)")
)

// BackupHeader is the unencrypted head of a .cjbak file. It names no
// person: the device's ID, when, and to whom the backup is encrypted.
type BackupHeader struct {
	Version   int      `json:"v"`
	Device    string   `json:"device"`
	Role      string   `json:"role"`
	Created   string   `json:"created"` // RFC 3339, UTC
	Schema    int      `json:"schema"`
	Key       string   `json:"key,omitempty"`       // base64 of the passphrase-wrapped backup key
	Recipient string   `json:"recipient,omitempty"` // the backup key's public half
	Stations  []string `json:"stations,omitempty"`  // device IDs of the stations it is also encrypted to
}

// ReadBackupHeader reads the magic and header of a .cjbak file from r and
// returns the header and the bytes it took (where the age file starts).
// Anything else is ErrNotABackup with the reason; it never reads more
// than MaxBackupHeader+11 bytes.
func ReadBackupHeader(r io.Reader) (BackupHeader, int64, error) {
	var h BackupHeader
	pre := make([]byte, len(backupMagic)+4)
	if _, err := io.ReadFull(r, pre); err != nil {
		return h, 0, fmt.Errorf("%w (too short: %v)", ErrNotABackup, err)
	}
	if string(pre[:len(backupMagic)]) != backupMagic {
		return h, 0, fmt.Errorf("%w (bad magic)", ErrNotABackup)
	}
	n := binary.BigEndian.Uint32(pre[len(backupMagic):])
	if n == 0 || n > MaxBackupHeader {
		return h, 0, fmt.Errorf("%w (header of %d bytes)", ErrNotABackup, n)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return h, 0, fmt.Errorf("%w (header cut short: %v)", ErrNotABackup, err)
	}
	h, err := parseBackupHeader(raw)
	if err != nil {
		return h, 0, err
	}
	return h, int64(len(pre)) + int64(n), nil
}

func parseBackupHeader(raw []byte) (BackupHeader, error) {
	var h BackupHeader
	if !utf8.Valid(raw) {
		return h, fmt.Errorf("%w (header is not UTF-8)", ErrNotABackup)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&h); err != nil {
		return BackupHeader{}, fmt.Errorf("%w (header: %v)", ErrNotABackup, err)
	}
	if dec.More() {
		return BackupHeader{}, fmt.Errorf("%w (header has trailing data)", ErrNotABackup)
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

func encodeBackupHead(h BackupHeader) ([]byte, []byte, error) {
	raw, err := json.Marshal(h)
	if err != nil {
		return nil, nil, fmt.Errorf("backup header: %w", err)
	}
	if len(raw) > MaxBackupHeader {
		return nil, nil, fmt.Errorf("backup header of %d bytes is too large", len(raw))
	}
	head := append([]byte(backupMagic), binary.BigEndian.AppendUint32(nil, uint32(len(raw)))...)
	return append(head, raw...), raw, nil
}

func backupSignedMessage(header []byte, body [sha256.Size]byte) []byte {
	m := make([]byte, 0, len(backupSigDomain)+4+len(header)+len(body))
	m = append(m, backupSigDomain...)
	m = binary.BigEndian.AppendUint32(m, uint32(len(header)))
	m = append(m, header...)
	return append(m, body[:]...)
}

// backupKey is what the passphrase wraps.
type backupKey struct {
	Key    string `json:"key"`    // AGE-SECRET-KEY-1…
	Device string `json:"device"` // the device whose backups it opens
	Sign   []byte `json:"sign"`   // that device's ed25519 public key
}

// wrapBackupKey makes a new backup key for device and wraps it to pass.
func wrapBackupKey(pass, device string, sign ed25519.PublicKey, logN int) (recipient, wrapped string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", fmt.Errorf("make backup key: %w", err)
	}
	blob, err := json.Marshal(backupKey{Key: id.String(), Device: device, Sign: sign})
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

// unwrapBackupKey opens a wrapped backup key with the passphrase.
func unwrapBackupKey(wrapped, pass string) (*age.X25519Identity, backupKey, error) {
	var k backupKey
	ct, err := base64.StdEncoding.DecodeString(wrapped)
	if err != nil {
		return nil, k, fmt.Errorf("%w (wrapped key: %v)", ErrNotABackup, err)
	}
	si, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, k, fmt.Errorf("backup passphrase: %w", err)
	}
	si.SetMaxWorkFactor(backupScryptMax)
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

// Meta keys of the backup key.
const (
	metaBackupRecipient = "backup_recipient"
	metaBackupKey       = "backup_key"
)

// SetBackupPassphrase makes a new backup key wrapped to pass: every backup
// from now on can be restored with pass (and, if a station is paired, with
// the station's help). Backups made before keep the key, and so the
// passphrase, they were made with.
func (s *Store) SetBackupPassphrase(ctx context.Context, pass string) error {
	if utf8.RuneCountInString(pass) < MinBackupPassphrase {
		return ErrShortPassphrase
	}
	if strings.TrimSpace(pass) != pass {
		return errors.New("a backup passphrase may not start or end with a space")
	}
	sign, err := s.signKey(ctx)
	if err != nil {
		return err
	}
	rcpt, wrapped, err := wrapBackupKey(pass, s.device, sign.Public().(ed25519.PublicKey), s.scryptLogN)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		for k, v := range map[string]string{metaBackupRecipient: rcpt, metaBackupKey: wrapped} {
			if _, err := tx.tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return fmt.Errorf("save backup key: %w", err)
			}
		}
		return nil
	})
}

// CheckBackupPassphrase reports whether pass opens the current backup key
// (ErrWrongPassphrase if not, ErrNoBackupKey if none is set).
func (s *Store) CheckBackupPassphrase(ctx context.Context, pass string) error {
	k, err := s.backupKeyConfig(ctx)
	if err != nil {
		return err
	}
	if k.wrapped == "" {
		return ErrNoBackupKey
	}
	_, _, err = unwrapBackupKey(k.wrapped, pass)
	return err
}

// BackupEncryption says to whom this device's backups are encrypted: its
// passphrase (if set) and the paired stations (their names).
type BackupEncryption struct {
	Passphrase bool
	Stations   []string
}

// BackupEncryption reports how the next backup will be encrypted.
func (s *Store) BackupEncryption(ctx context.Context) (BackupEncryption, error) {
	k, err := s.backupKeyConfig(ctx)
	if err != nil {
		return BackupEncryption{}, err
	}
	out := BackupEncryption{Passphrase: k.recipient != ""}
	for _, st := range k.stations {
		out.Stations = append(out.Stations, st.Name)
	}
	return out, nil
}

type backupKeys struct {
	recipient, wrapped string
	stations           []syncbook.Peer
}

func (s *Store) backupKeyConfig(ctx context.Context) (backupKeys, error) {
	var k backupKeys
	get := func(key string) (string, error) {
		var v string
		err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("read backup key: %w", err)
		}
		return v, nil
	}
	var err error
	if k.recipient, err = get(metaBackupRecipient); err != nil {
		return k, err
	}
	if k.wrapped, err = get(metaBackupKey); err != nil {
		return k, err
	}
	peers, err := s.book.Peers(ctx, false)
	if err != nil {
		return k, err
	}
	for _, p := range peers {
		if p.Role == RoleStation && p.Recipient != "" {
			k.stations = append(k.stations, p)
		}
	}
	return k, nil
}

// signKey is the device's signing key (it signs backups as it signs
// changesets).
func (s *Store) signKey(ctx context.Context) (ed25519.PrivateKey, error) {
	var seed []byte
	err := s.db.QueryRowContext(ctx, "SELECT value FROM secrets WHERE name = ?", SecretSignSeed).Scan(&seed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s has no signing key (was it made with `cunjing init`?)", s.path)
	}
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("signing key has %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}
