// Package winlock is the lock a window holds on a database file while it
// has it open (Take, Lock.Release), so a second window on the same file is
// refused (ErrInUse). It is the operating system's lock (flock,
// LockFileEx) on a file beside the database (Path), and imports nothing of
// cunjing: the window (package app) takes it before store.Open.
package winlock

import (
	"errors"
	"fmt"
	"os"
)

// ErrInUse means another cunjing window has the database open.
var ErrInUse = errors.New("the database is open in another cunjing window")

// Lock is the per-file lock a window holds while it has a database
// open, so a second window on the same file is refused. Two windows would
// each keep their own view and undo each other's edits on screen; the file
// itself stays consistent (every writer reads the file's clock inside its
// transaction), so command-line syncs, exchanges and backups beside a
// running window take no lock and stay safe.
//
// The lock is the operating system's (flock, LockFileEx) on a file beside
// the database, so it dies with the process: a window killed by a power
// cut leaves nothing to clean up.
type Lock struct {
	f *os.File
}

// Path is the file the window lock of a database lives in.
func Path(db string) string { return db + ".window-lock" }

// Take takes the window lock of the database at path; ErrInUse if
// another window holds it.
func Take(path string) (*Lock, error) {
	f, err := os.OpenFile(Path(path), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Release lets another window open the database.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

var errLocked = errors.New("locked")
