package dbfile

import "golang.org/x/sys/windows"

// errWriteProtected is what writing to a write-protected stick or SD card
// (its lock switch on) says on Windows: not access denied, which Go's
// fs.ErrPermission covers, but ERROR_WRITE_PROTECT.
var errWriteProtected error = windows.ERROR_WRITE_PROTECT
