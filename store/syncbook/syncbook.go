// Package syncbook owns the sync engine's bookkeeping in a device's
// database: the paired peers (with their contact, byte counters and clock
// offsets), this device's secrets, the outgoing streams and the changesets
// cut for them, the received changesets and the chain heads they make, the
// files already looked at and the rejection log, receipts both ways, the
// notes owed to peers and the rebases after a restore, and the BEP index
// state (our folders and files, what each peer announced).
//
// None of it is synced and none of it goes through the change log: it is
// kept in the same SQLite file only so it is backed up and moved with the
// data it describes. The tables are store's (migrations 0002, 0005, 0008);
// store hands out the book over its database handle (store.Store.SyncBook)
// or over one of its write transactions (store.Tx.SyncBook), so what must
// commit with applied changes (RecordIn, NoteHeardFrom, AdoptCut,
// CloseNote) does, and every multi-statement write runs in the store's own
// write transaction. Package sync decides what to record; this package
// keeps the records consistent.
package syncbook

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"cunjing/store/clock"
)

// ErrNotFound is returned for a peer that was never paired or a changeset
// this device did not cut. Its text is store.ErrNotFound's.
var ErrNotFound = errors.New("record not found")

// DB is what the book reads and writes through: the store's *sql.DB, or
// the *sql.Tx of one of its write transactions.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Update runs fn in a write transaction of the store and commits it when
// fn returns nil; fn gets the transaction to read and write through. Over
// a transaction already open it runs fn in that one.
type Update func(ctx context.Context, fn func(DB) error) error

// Book is the sync bookkeeping of one database.
type Book struct {
	q      DB
	now    clock.Func
	update Update
}

// New returns the book over q, with the store's write transactions
// (update) and wall clock (now, for pairing, contact and arrival times;
// nil is the real clock). Only store calls it.
func New(q DB, now clock.Func, update Update) *Book {
	return &Book{q: q, now: clock.Or(now), update: update}
}

// nowText is the wall clock as the book's tables keep it.
func (b *Book) nowText() string { return b.now().UTC().Format(time.RFC3339) }

// Within returns the book inside a write transaction already open (q is
// its *sql.Tx): everything it records commits or rolls back with that
// transaction. Only store calls it (store.Tx.SyncBook).
func Within(q DB, now clock.Func) *Book {
	return New(q, now, func(_ context.Context, fn func(DB) error) error { return fn(q) })
}

// inTx runs fn with the book of a write transaction (see Update).
func (b *Book) inTx(ctx context.Context, fn func(t *Book) error) error {
	return b.update(ctx, func(q DB) error { return fn(Within(q, b.now)) })
}
