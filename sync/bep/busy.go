package bep

import (
	"context"
	"errors"
	"time"

	"github.com/mattn/go-sqlite3"
)

// busy reports whether err is the database being busy (SQLITE_BUSY or
// SQLITE_LOCKED after the store's busy timeout): another session or an
// import held the write lock too long. It passes; the session need not.
//
// Why it matters (issue #22): in the 200-device simulation on two loaded
// cores, a station's 19 posts' sessions, its imports and its county
// session share one database, and writes waited past the 10 s timeout.
// Each such error closed a session (on a model callback lib/protocol
// closes the connection), the post dialled again, and every re-dial cost
// a TLS handshake, cluster configs and index updates again: 2.5-3.4
// connections a post instead of one, a fifth of the post hop's wire.
func busy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// busyRetry is how long a busy database is given before trying again.
const busyRetry = 500 * time.Millisecond

// retryBusy runs f until it returns an error other than busy (or none),
// or ctx ends.
func retryBusy(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil || !busy(err) {
			return err
		}
		t := time.NewTimer(busyRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
