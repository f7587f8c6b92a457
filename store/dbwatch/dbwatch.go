// Package dbwatch tells a program that its database file was written by
// another connection: SQLite's PRAGMA data_version, read on a connection
// held for it alone. The value is the connection's own and changes when
// any other connection commits — another program on the same file (a
// `cunjing node` in the background, `cunjing sync --once` from a
// terminal) or this program's other connections —, never for its own
// writes, so the held connection never writes. Reading it is cheap (no
// transaction, no page read): the window asks every few seconds and
// re-reads what it shows only when it changed. Below store, over its
// *sql.DB (Store.Watch); imports nothing of ours.
package dbwatch

import (
	"context"
	"database/sql"
	"fmt"
)

// Watch is a connection held to read the file's data version.
type Watch struct {
	conn *sql.Conn
}

// Open takes a connection of db for the watch; Close gives it back.
func Open(ctx context.Context, db *sql.DB) (*Watch, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch the database: %w", err)
	}
	return &Watch{conn: c}, nil
}

// Version is the file's data version as this watch sees it: a different
// number means another connection committed since the last read.
func (w *Watch) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the database's data version: %w", err)
	}
	return v, nil
}

// Close gives the connection back (before the store is closed).
func (w *Watch) Close() error { return w.conn.Close() }
