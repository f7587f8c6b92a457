//go:build unix

package winlock

import (
	"errors"
	"os"
	"syscall"
)

func lockFile(f *os.File, shared bool) error {
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// isInUse: removing a file another holds open cannot fail on unix.
func isInUse(error) bool { return false }

// noFollow makes opening a symbolic link fail.
const noFollow = syscall.O_NOFOLLOW

// holdDB and unholdDB hold a database file itself (dbhold.go): flock,
// which SQLite's fcntl locks do not meet.
func holdDB(f *os.File, shared bool) error { return lockFile(f, shared) }

func unholdDB(f *os.File) error { return unlockFile(f) }
