package exchange

import (
	"syscall"

	"cunjing/sync/errno"
)

// Windows's own codes (winerror.h): a stick's write-protect switch, a full
// disk, a drive no longer there.
var (
	errReadOnly = []syscall.Errno{errno.WriteProtect}
	errFull     = []syscall.Errno{errno.HandleDiskFull, errno.DiskFull}
	errNotReady = []syscall.Errno{errno.NotReady, errno.DeviceNotConnected}
)
