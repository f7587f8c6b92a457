package winlock

import (
	"errors"
	"os"
	"path/filepath"
	gosync "sync"
)

// The second hold: every holder of a database (the window, Take; a node,
// a sync, an exchange, a command, Use) also holds the database file
// itself shared, and a restore takes it whole. A lock file beside the
// database can be removed by hand while held (Linux lets anyone remove a
// file another program has open): a restore then took a new file of that
// name, found it free and moved the database from under the holder. The
// database file it cannot miss.
//
// It is flock on unix, which SQLite does not use (it takes fcntl record
// locks, independent of flock on Linux and the BSDs), so it never stands
// in SQLite's way. On Windows there is none (holdDB does nothing): a lock
// taken there is mandatory and would stop SQLite reading the bytes it
// covers, and a file held open cannot be removed there anyway.
//
// A database not there yet (init) is held by no one; a file system that
// cannot lock holds nothing, as for the lock files.

// windowHolds are the holds of database files the windows of this
// process took (Take): the window's own restore (ExcludeUsers) takes its
// database whole through its own hold, and holds it again after.
var windowHolds = struct {
	gosync.Mutex
	m map[string]*os.File // cleaned database path → the window's hold
}{m: map[string]*os.File{}}

func dbKey(db string) string {
	if abs, err := filepath.Abs(db); err == nil {
		return abs
	}
	return filepath.Clean(db)
}

// holdShared opens the database file and holds it shared (nil: not
// there, or it cannot be held here). errLocked: a restore holds it.
func holdShared(db string) (*os.File, error) {
	f, err := os.OpenFile(db, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, nil // not there (yet), a link, unreadable: nothing to hold
	}
	if err := holdDB(f, true); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, err
		}
		return nil, nil
	}
	return f, nil
}

// holdWhole holds the database file whole for a restore (nil: not there,
// or it cannot be held here); errLocked while another holds it. own is
// the calling window's hold of it, taken whole in place.
func holdWhole(db string, own *os.File) (*os.File, error) {
	if own != nil {
		if err := holdDB(own, false); err != nil {
			// Converting lets go first: hold it shared again.
			_ = holdDB(own, true)
			if errors.Is(err, errLocked) {
				return nil, err
			}
		}
		return nil, nil
	}
	f, err := os.OpenFile(db, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, nil
	}
	if err := holdDB(f, false); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, err
		}
		return nil, nil
	}
	return f, nil
}

// releaseHold lets go of a hold of the database file.
func releaseHold(f *os.File) {
	if f != nil {
		_ = unholdDB(f)
		f.Close()
	}
}

// rememberWindow records the hold a window of this process took.
func rememberWindow(db string, f *os.File) {
	if f == nil {
		return
	}
	windowHolds.Lock()
	windowHolds.m[dbKey(db)] = f
	windowHolds.Unlock()
}

// forgetWindow drops the record of a window's hold, if it is f.
func forgetWindow(db string, f *os.File) {
	windowHolds.Lock()
	if windowHolds.m[dbKey(db)] == f {
		delete(windowHolds.m, dbKey(db))
	}
	windowHolds.Unlock()
}

// windowHold is the hold the window of this process has on db, or nil.
func windowHold(db string) *os.File {
	windowHolds.Lock()
	defer windowHolds.Unlock()
	return windowHolds.m[dbKey(db)]
}

// reholdWindow holds the database of this process's window shared again
// after its own restore took it whole: the file now at db (the restored
// one, if the restore moved it in), in place of the one held before.
func reholdWindow(db string) {
	old := windowHold(db)
	if old == nil {
		return
	}
	_ = holdDB(old, true)
	f, err := holdShared(db)
	if err != nil || f == nil {
		return // kept: the old hold, shared again
	}
	forgetWindow(db, old)
	releaseHold(old)
	rememberWindow(db, f)
}
