package store

// Media blobs (migration 0002): scanned map images and other content the
// records refer to by hash. They are data, not bookkeeping: the map editor
// stores and shows them, and sync ships them as their own files.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PutBlob stores media under its content hash (the caller computes it; the
// sync package checks it against the data before calling).
func (s *Store) PutBlob(ctx context.Context, hash string, data []byte) error {
	_, err := s.db.ExecContext(ctx, "INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)", hash, len(data), data)
	if err != nil {
		return fmt.Errorf("store blob %s: %w", hash, err)
	}
	return nil
}

// Blob returns stored media; ErrNotFound if absent.
func (s *Store) Blob(ctx context.Context, hash string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, "SELECT data FROM blobs WHERE hash = ?", hash).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("blob %s: %w", hash, ErrNotFound)
	}
	return b, err
}

// HasBlob reports whether media with this hash is stored.
func (s *Store) HasBlob(ctx context.Context, hash string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM blobs WHERE hash = ?", hash).Scan(&n)
	return n > 0, err
}

// BlobReferenced reports whether any received or local change refers to
// media with this hash (so stray blobs are not stored).
func (s *Store) BlobReferenced(ctx context.Context, hash string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM changes "+blobRefWhere+")", `"`+hash+`"`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up blob %s: %w", hash, err)
	}
	return n > 0, nil
}

// blobRefWhere finds the changes naming a blob (the value is the JSON
// string of its hash) by the index changes_blob_refs (migration 0024),
// whose condition it repeats word for word, as SQLite needs to use a
// partial index.
const blobRefWhere = "WHERE field LIKE '%hash' AND value = ?"
