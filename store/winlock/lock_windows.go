//go:build windows

package winlock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

func lockFile(f *os.File, shared bool) error {
	ol := new(windows.Overlapped)
	flags := uint32(windows.LOCKFILE_EXCLUSIVE_LOCK | windows.LOCKFILE_FAIL_IMMEDIATELY)
	if shared {
		flags = windows.LOCKFILE_FAIL_IMMEDIATELY
	}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errLocked
	}
	return err
}

func unlockFile(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}

// isInUse: the file is open elsewhere (another holder took it meanwhile).
func isInUse(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED)
}

// noFollow: Windows opens a reparse point's target; creating symbolic
// links there takes an administrator or developer mode.
const noFollow = 0

// holdDB and unholdDB do nothing on Windows (dbhold.go): a lock there is
// mandatory and would stop SQLite reading what it covers, and a lock file
// held open cannot be removed there.
func holdDB(*os.File, bool) error { return errNoHold }

func unholdDB(*os.File) error { return nil }

var errNoHold = errors.New("no hold of the database file on Windows")
