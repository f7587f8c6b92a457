package store

// What backups (package store/backup) need of the database file itself:
// a consistent copy, a checkpoint, and the backup key kept in meta (the
// check that a file is a database of ours is store/dbfile's Verify). What a backup is made of and how
// it is encrypted, rotated and restored is store/backup's.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cunjing/store/cjbak"
)

// Meta keys of the backup key.
const (
	metaBackupRecipient = "backup_recipient"
	metaBackupKey       = "backup_key"
)

// scryptWorkFactor is the work factor a store wraps new passphrases with
// (Options.BackupWorkFactor; the most a restore does is the default).
func scryptWorkFactor(n int) int {
	if n < 10 || n > cjbak.ScryptMax {
		return cjbak.ScryptMax
	}
	return n
}

// BackupWorkFactor is the scrypt work factor (log2 N) a new backup
// passphrase is wrapped with (Options.BackupWorkFactor, or the default).
func (s *Store) BackupWorkFactor() int { return s.scryptLogN }

// BackupKey is the backup key kept in this database: its public half
// (an age X25519 recipient) and its private half wrapped to the
// passphrase; both "" when no passphrase was ever set.
func (s *Store) BackupKey(ctx context.Context) (recipient, wrapped string, err error) {
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
	if recipient, err = get(metaBackupRecipient); err != nil {
		return "", "", err
	}
	if wrapped, err = get(metaBackupKey); err != nil {
		return "", "", err
	}
	return recipient, wrapped, nil
}

// SetBackupKey replaces the backup key (both halves, in one transaction).
func (s *Store) SetBackupKey(ctx context.Context, recipient, wrapped string) error {
	return s.Update(ctx, func(tx *Tx) error {
		for k, v := range map[string]string{metaBackupRecipient: recipient, metaBackupKey: wrapped} {
			if _, err := tx.tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return fmt.Errorf("save backup key: %w", err)
			}
		}
		return nil
	})
}

// WriteCopy writes a consistent copy of the database into the empty file
// at path (VACUUM INTO; safe while others keep working). A full disk is
// ErrDiskFull.
func (s *Store) WriteCopy(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return classify(err)
	}
	return nil
}

// Checkpoint folds the write-ahead log into the database file, so the
// file alone is the whole database.
func (s *Store) Checkpoint(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
