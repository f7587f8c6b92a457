package dbfile

import (
	"io/fs"
	"testing"

	"golang.org/x/sys/windows"
)

// A write-protected stick or SD card (its lock switch on) answers a write
// with ERROR_WRITE_PROTECT, not access denied: it is read-only too.
func TestWriteProtectedMediaIsReadOnly(t *testing.T) {
	for _, err := range []error{
		&fs.PathError{Op: "open", Path: `E:\村警\cunjing.db`, Err: windows.ERROR_WRITE_PROTECT},
		&fs.PathError{Op: "open", Path: `E:\村警\cunjing.db`, Err: windows.ERROR_ACCESS_DENIED},
	} {
		if !readOnly(err) {
			t.Errorf("readOnly(%v) = false, want true", err)
		}
	}
}
