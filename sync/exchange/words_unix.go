//go:build !windows

package exchange

import "syscall"

var (
	errReadOnly = []syscall.Errno{syscall.EROFS}
	errFull     = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT}
	errNotReady = []syscall.Errno{syscall.ENODEV, syscall.ENXIO}
)
