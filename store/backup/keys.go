package backup

// The backup key. A backup holds everything: residents' names and ID
// numbers, and the device's private keys. Whoever finds the stick must
// read nothing, and a backup planted on the stick must not restore. The
// file format, its signature and the wrapping of the backup key are
// package cjbak's; here the backup key is made and checked (the database
// keeps it, Store.BackupKey: its public half in meta backup_recipient, so
// scheduled backups need no passphrase to write; its private half only
// wrapped to the passphrase, in meta backup_key, copied into every
// backup's header), the paired stations a backup is also encrypted to are
// found, and the device's signing key is read. Changing the passphrase makes a new key; older
// backups keep theirs, and the passphrase of their day.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"cunjing/store"
	"cunjing/store/cjbak"
	"cunjing/store/syncbook"
)

const (
	// Ext is the extension of encrypted backups, PlainExt that of plain
	// ones (old versions, or --plaintext).
	Ext      = cjbak.Ext
	PlainExt = ".db"
	// MaxHeader bounds a backup's header.
	MaxHeader = cjbak.MaxHeader
	// MinPassphrase is the shortest backup passphrase, in characters: a
	// lost stick can be attacked offline for as long as the finder likes.
	MinPassphrase = 8
	// SecretSignSeed names the device's ed25519 seed in the secrets table
	// (sync/identity writes it; a test checks the names agree).
	SecretSignSeed = "ed25519_seed"
)

// Errors of backups and restores, for plain words in the UI and the CLI.
// Those of the file itself are package cjbak's.
var (
	ErrNoKey            = errors.New("no backup passphrase is set and no station is paired, so the backup could not be encrypted")
	ErrWrongPassphrase  = cjbak.ErrWrongPassphrase
	ErrNeedPassphrase   = cjbak.ErrNeedPassphrase
	ErrNotABackup       = cjbak.ErrNotABackup
	ErrForged           = cjbak.ErrForged
	ErrShortPassphrase  = fmt.Errorf("a backup passphrase needs at least %d characters", MinPassphrase)
	ErrNoPassphraseWrap = cjbak.ErrNoPassphraseWrap
	// ErrRotate: the backup was written and verified, but older ones the
	// folder should no longer keep could not all be removed (a read-only
	// file, one open in another program). Write returns the new file
	// with it: the backup is good.
	ErrRotate = errors.New("the backup was written and checked, but older backups could not be removed")
)

// Header is the unencrypted head of a .cjbak file (cjbak.Header).
type Header = cjbak.Header

// ReadHeader reads the magic and header of a .cjbak file from r
// (cjbak.ReadHeader).
func ReadHeader(r io.Reader) (Header, int64, error) { return cjbak.ReadHeader(r) }

// SetPassphrase makes a new backup key of s wrapped to pass: every backup
// from now on can be restored with pass (and, if a station is paired, with
// the station's help). Backups made before keep the key, and so the
// passphrase, they were made with.
func SetPassphrase(ctx context.Context, s *store.Store, pass string) error {
	if utf8.RuneCountInString(pass) < MinPassphrase {
		return ErrShortPassphrase
	}
	if strings.TrimSpace(pass) != pass {
		return errors.New("a backup passphrase may not start or end with a space")
	}
	sign, err := signKey(ctx, s)
	if err != nil {
		return err
	}
	rcpt, wrapped, err := cjbak.WrapKey(pass, s.DeviceID(), sign.Public().(ed25519.PublicKey), s.BackupWorkFactor())
	if err != nil {
		return err
	}
	return s.SetBackupKey(ctx, rcpt, wrapped)
}

// CheckPassphrase reports whether pass opens the current backup key of s
// (ErrWrongPassphrase if not, ErrNoKey if none is set).
func CheckPassphrase(ctx context.Context, s *store.Store, pass string) error {
	k, err := keyConfig(ctx, s)
	if err != nil {
		return err
	}
	if k.wrapped == "" {
		return ErrNoKey
	}
	return cjbak.CheckPassphrase(k.wrapped, pass)
}

// Encryption says to whom a device's backups are encrypted: its
// passphrase (if set) and the paired stations (their names).
type Encryption struct {
	Passphrase bool
	Stations   []string
}

// EncryptionOf reports how the next backup of s will be encrypted.
func EncryptionOf(ctx context.Context, s *store.Store) (Encryption, error) {
	k, err := keyConfig(ctx, s)
	if err != nil {
		return Encryption{}, err
	}
	out := Encryption{Passphrase: k.recipient != ""}
	for _, st := range k.stations {
		out.Stations = append(out.Stations, st.Name)
	}
	return out, nil
}

type backupKeys struct {
	recipient, wrapped string
	stations           []syncbook.Peer
}

// keyConfig is what the next backup of s is encrypted to: the backup key
// and the paired stations with an encryption key.
func keyConfig(ctx context.Context, s *store.Store) (backupKeys, error) {
	var k backupKeys
	var err error
	if k.recipient, k.wrapped, err = s.BackupKey(ctx); err != nil {
		return k, err
	}
	peers, err := s.SyncBook().Peers(ctx, false)
	if err != nil {
		return k, err
	}
	for _, p := range peers {
		if p.Role == store.RoleStation && p.Recipient != "" {
			k.stations = append(k.stations, p)
		}
	}
	return k, nil
}

// signKey is the device's signing key (it signs backups as it signs
// changesets).
func signKey(ctx context.Context, s *store.Store) (ed25519.PrivateKey, error) {
	secrets, err := s.SyncBook().Secrets(ctx)
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	seed, ok := secrets[SecretSignSeed]
	if !ok {
		return nil, fmt.Errorf("%s has no signing key (was it made with `cunjing init`?)", s.Path())
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("signing key has %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}
