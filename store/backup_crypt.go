package store

// Encrypted backups (.cjbak), the store's side. A backup holds
// everything: residents' names and ID numbers, and the device's private
// keys. Whoever finds the stick must read nothing, and a backup planted on
// the stick must not restore. The file format, its signature and the
// wrapping of the backup key are package cjbak's; here the store keeps
// the backup key (its public half in meta backup_recipient, so scheduled
// backups need no passphrase to write; its private half only wrapped to
// the passphrase, in meta backup_key, copied into every backup's header),
// finds the paired stations a backup is also encrypted to, and reads the
// device's signing key. Changing the passphrase makes a new key; older
// backups keep theirs, and the passphrase of their day.

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"cunjing/store/cjbak"
	"cunjing/store/syncbook"
)

const (
	// BackupExt is the extension of encrypted backups, PlainBackupExt
	// that of plain ones (old versions, or --plaintext).
	BackupExt      = cjbak.Ext
	PlainBackupExt = ".db"
	// MaxBackupHeader bounds a backup's header.
	MaxBackupHeader = cjbak.MaxHeader
	// MinBackupPassphrase is the shortest backup passphrase, in characters:
	// a lost stick can be attacked offline for as long as the finder likes.
	MinBackupPassphrase = 8
	// SecretSignSeed names the device's ed25519 seed in the secrets table
	// (sync/identity writes it; a test checks the names agree).
	SecretSignSeed = "ed25519_seed"
)

// Errors of backups and restores, for plain words in the UI and the CLI.
// Those of the file itself are package cjbak's.
var (
	ErrNoBackupKey      = errors.New("no backup passphrase is set and no station is paired, so the backup could not be encrypted")
	ErrWrongPassphrase  = cjbak.ErrWrongPassphrase
	ErrNeedPassphrase   = cjbak.ErrNeedPassphrase
	ErrNotABackup       = cjbak.ErrNotABackup
	ErrBackupForged     = cjbak.ErrForged
	ErrShortPassphrase  = fmt.Errorf("a backup passphrase needs at least %d characters", MinBackupPassphrase)
	ErrNoPassphraseWrap = cjbak.ErrNoPassphraseWrap
)

// BackupHeader is the unencrypted head of a .cjbak file (cjbak.Header).
type BackupHeader = cjbak.Header

// ReadBackupHeader reads the magic and header of a .cjbak file from r
// (cjbak.ReadHeader).
func ReadBackupHeader(r io.Reader) (BackupHeader, int64, error) { return cjbak.ReadHeader(r) }

// scryptWorkFactor is the work factor a store wraps new passphrases with
// (Options.BackupWorkFactor; the most a restore does is the default).
func scryptWorkFactor(n int) int {
	if n < 10 || n > cjbak.ScryptMax {
		return cjbak.ScryptMax
	}
	return n
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
	rcpt, wrapped, err := cjbak.WrapKey(pass, s.device, sign.Public().(ed25519.PublicKey), s.scryptLogN)
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
	return cjbak.CheckPassphrase(k.wrapped, pass)
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
