//go:build unix

package safefile

import "syscall"

// openNoFollow makes open fail on a symbolic link, and O_NONBLOCK keeps a
// pipe swapped in after the lstat from blocking the open (both are no-ops
// on the regular files that are wanted).
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
