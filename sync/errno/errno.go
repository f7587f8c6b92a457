// Package errno matches a system error by its number: the one matcher of
// why a write to a stick failed (sync/exchange) and why a session failed
// (sync/bep/why), with Windows' numbers, which are not syscall's named
// constants there, named once. It imports none of ours, so sync/exchange
// uses it without importing sync/bep.
package errno

import (
	"errors"
	"syscall"
)

// Windows' numbers (winerror.h, winsock2.h). They are plain numbers on
// every system: listed beside a POSIX constant they match only on Windows.
const (
	WriteProtect       syscall.Errno = 19    // ERROR_WRITE_PROTECT: a stick's write-protect switch
	NotReady           syscall.Errno = 21    // ERROR_NOT_READY: a drive no longer there
	HandleDiskFull     syscall.Errno = 39    // ERROR_HANDLE_DISK_FULL
	DiskFull           syscall.Errno = 112   // ERROR_DISK_FULL
	DeviceNotConnected syscall.Errno = 1167  // ERROR_DEVICE_NOT_CONNECTED
	WSAENETUNREACH     syscall.Errno = 10051 // the network is unreachable
	WSAECONNRESET      syscall.Errno = 10054 // the connection was reset by the peer
	WSAECONNREFUSED    syscall.Errno = 10061 // nothing listens there
	WSAEHOSTUNREACH    syscall.Errno = 10065 // no route to the host
)

// Is says whether err is, or wraps, a system error of one of the numbers
// codes.
func Is(err error, codes ...syscall.Errno) bool {
	var no syscall.Errno
	if !errors.As(err, &no) {
		return false
	}
	for _, c := range codes {
		if no == c {
			return true
		}
	}
	return false
}

// Of is Is of codes as a test of an error (a table of causes).
func Of(codes ...syscall.Errno) func(error) bool {
	return func(err error) bool { return Is(err, codes...) }
}
