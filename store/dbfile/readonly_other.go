//go:build !windows

package dbfile

import "syscall"

// errWriteProtected is a write refused by a read-only medium (Windows
// says ERROR_WRITE_PROTECT, see readonly_windows.go).
var errWriteProtected error = syscall.EROFS
