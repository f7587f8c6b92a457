package exchange

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"cunjing/sync/errno"
)

// errFolderGone: the exchange folder is not the one the exchange started
// with (a stick pulled out: gone, or its mount point left in its place).
var errFolderGone = errors.New("the exchange folder went away (stick pulled out?)")

// sameFolder says whether dir is still the folder st described.
func sameFolder(dir string, st fs.FileInfo) error {
	now, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", errFolderGone, err)
	}
	if !now.IsDir() || !os.SameFile(st, now) {
		return fmt.Errorf("%w: %s is another folder now", errFolderGone, dir)
	}
	return nil
}

// Why a write to the exchange folder failed: each is worded for the
// officer in app (syncwords.WriteFailed), for 同步 and the command line.
const (
	WhyGone       = "gone"       // the stick pulled out, or the folder gone
	WhyReadOnly   = "readOnly"   // write-protected or mounted read-only
	WhyFull       = "full"       // no space left
	WhyPermission = "permission" // no right to write there
	WhyIO         = "io"         // the stick's read/write failed
	WhyOther      = "other"
)

// WriteError is a write to the exchange folder that failed after what the
// folder brought was read and saved: Why says what became of the stick
// (one of the Why… constants); Err is the system's error.
type WriteError struct {
	Dir string
	Why string
	Err error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("write to exchange folder %s failed (%s) after what it brought was read and saved: %v", e.Dir, e.Why, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// writeFailed says why writing to dir failed.
func writeFailed(dir string, err error) error {
	why := WhyOther
	switch {
	case errors.Is(err, errFolderGone) || errors.Is(err, fs.ErrNotExist) || errno.Is(err, errNotReady...):
		why = WhyGone
	case errno.Is(err, errReadOnly...):
		why = WhyReadOnly
	case errno.Is(err, errFull...):
		why = WhyFull
	case errors.Is(err, fs.ErrPermission):
		why = WhyPermission
	case errno.Is(err, syscall.EIO):
		why = WhyIO
	}
	return &WriteError{Dir: dir, Why: why, Err: err}
}
