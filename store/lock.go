package store

import (
	"errors"
	"fmt"
	"os"
)

// ErrInUse means another cunjing window has the database open.
var ErrInUse = errors.New("the database is open in another cunjing window")

// WindowLock is the per-file lock a window holds while it has a database
// open, so a second window on the same file is refused. Two windows would
// each keep their own view and undo each other's edits on screen; the file
// itself stays consistent (every writer reads the file's clock inside its
// transaction), so command-line syncs, exchanges and backups beside a
// running window take no lock and stay safe.
//
// The lock is the operating system's (flock, LockFileEx) on a file beside
// the database, so it dies with the process: a window killed by a power
// cut leaves nothing to clean up.
type WindowLock struct {
	f *os.File
}

// LockPath is the file the window lock of a database lives in.
func LockPath(db string) string { return db + ".window-lock" }

// LockWindow takes the window lock of the database at path; ErrInUse if
// another window holds it.
func LockWindow(path string) (*WindowLock, error) {
	f, err := os.OpenFile(LockPath(path), os.O_CREATE|os.O_RDWR, 0o600)
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
	return &WindowLock{f: f}, nil
}

// Release lets another window open the database.
func (l *WindowLock) Release() error {
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
