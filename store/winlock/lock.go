// Package winlock is the lock a window holds on a database file while it
// has it open (Take, Lock.Release), so a second window on the same file is
// refused (ErrInUse). It is the operating system's lock (flock,
// LockFileEx) on a file beside the database (Path), and imports nothing of
// cunjing: the window (package app) takes it before store.Open. The same
// lock on any file (TakeFile) is what a backup holds on its folder while
// it writes there (store/backup). The programs that keep a database open
// beside the window (cunjing node, sync, exchange, and every other
// command while it has the database open) hold it shared (Use),
// and a restore takes the window's lock and theirs whole (Restoring,
// ExcludeUsers), refused with a UsedError naming who holds it.
package winlock

import (
	"errors"
	"fmt"
	"io/fs"
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
	f    *os.File
	path string
	// db is the holder's hold of the database file itself (dbhold.go);
	// a window's is kept in windowHolds instead (window: its database).
	db     *os.File
	window string
}

// Path is the file the window lock of a database lives in.
func Path(db string) string { return db + ".window-lock" }

// Take takes the window lock of the database at path; ErrInUse if
// another window holds it.
func Take(path string) (*Lock, error) {
	path = RealPath(path)
	l, err := TakeFile(Path(path))
	if errors.Is(err, ErrInUse) {
		// A restore holds the window lock while it runs: say so.
		if r, rerr := TakeFile(UsePath(path, userRestore)); errors.Is(rerr, ErrInUse) {
			return nil, fmt.Errorf("%s: %w (%w)", path, ErrInUse, ErrRestoring)
		} else if rerr == nil {
			_ = r.ReleaseRemove()
		}
		return nil, fmt.Errorf("%s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := holdShared(path)
	if err != nil { // a restore holds the file itself
		l.Release()
		return nil, fmt.Errorf("%s: %w (%w)", path, ErrInUse, ErrRestoring)
	}
	rememberWindow(path, f)
	if f != nil {
		l.window = path
	}
	return l, nil
}

// TakeFile takes the operating system's lock on the file at lockPath,
// creating it if need be; ErrInUse if another holder has it. Holders are
// open files, not processes: a second TakeFile in the same process is
// refused too. The lock goes with Release, ReleaseRemove or the process.
func TakeFile(lockPath string) (*Lock, error) {
	// A holder that lets go with ReleaseRemove removes the file: whoever
	// opened it just before holds a lock nobody else will look at, so
	// lockOpened checks the file is still the one at lockPath, and a
	// fresh open takes the new one.
	for range 8 {
		// Not through a link: the folder may be a stick someone else
		// wrote, and the lock is of the name, not of whatever it points to.
		f, err := openLockFile(lockPath)
		if err != nil {
			return nil, err
		}
		l, err := lockOpened(f, lockPath, false)
		if l != nil || err != nil {
			return l, err
		}
	}
	return nil, ErrInUse
}

// lockOpened locks f, opened at lockPath (shared or exclusive): the Lock;
// ErrInUse; or neither when the file was removed or replaced meanwhile (f
// is closed then).
func lockOpened(f *os.File, lockPath string, shared bool) (*Lock, error) {
	if err := lockFile(f, shared); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, ErrInUse
		}
		return nil, err
	}
	held, err := f.Stat()
	if err != nil {
		_ = unlockFile(f)
		f.Close()
		return nil, err
	}
	if now, err := os.Stat(lockPath); err != nil || !os.SameFile(held, now) {
		_ = unlockFile(f)
		f.Close()
		return nil, nil
	}
	return &Lock{f: f, path: lockPath}, nil
}

// Release lets another window open the database.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	if l.window != "" {
		f := windowHold(l.window)
		forgetWindow(l.window, f)
		releaseHold(f)
		l.window = ""
	}
	releaseHold(l.db)
	l.db = nil
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// ReleaseRemove lets go of the lock and removes its file, for a lock
// taken in a folder that is not cunjing's own (a backup stick). Where an
// open file cannot be removed (Windows) it is removed after it is closed,
// unless another holder has it open by then; that one removes it.
func (l *Lock) ReleaseRemove() error {
	if l == nil || l.f == nil {
		return nil
	}
	rmErr := os.Remove(l.path)
	err := l.Release()
	if rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		if again := os.Remove(l.path); again == nil || errors.Is(again, os.ErrNotExist) {
			rmErr = nil
		}
	}
	if err != nil {
		return err
	}
	if rmErr != nil && !isInUse(rmErr) {
		return fmt.Errorf("remove %s: %w", l.path, rmErr)
	}
	return nil
}

var errLocked = errors.New("locked")

// openLockFile opens (creating it if need be, never through a link) the
// file a lock is taken on. Its content is never read: readable by all
// (0644 before the umask), and opened read-only when it is another
// user's (the station's `cunjing node` runs as a service user beside the
// staff's window on the same database): a read-only handle takes the
// lock on both systems (flock; LockFileEx wants read or write access).
// Created 0600, a node service's file refused every other user's window
// restore (a generic failure) and `sync --once`.
func openLockFile(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR|noFollow, 0o644)
	if errors.Is(err, fs.ErrPermission) {
		f, err = os.OpenFile(p, os.O_RDONLY|noFollow, 0)
	}
	return f, err
}
