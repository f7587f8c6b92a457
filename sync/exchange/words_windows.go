package exchange

import "syscall"

// Windows's own codes (winerror.h): a stick's write-protect switch, a full
// disk, a drive no longer there.
var (
	errReadOnly = []syscall.Errno{19}       // ERROR_WRITE_PROTECT
	errFull     = []syscall.Errno{39, 112}  // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
	errNotReady = []syscall.Errno{21, 1167} // ERROR_NOT_READY, ERROR_DEVICE_NOT_CONNECTED
)
