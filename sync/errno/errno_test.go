package errno

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

// Is finds a number however deep it is wrapped, and only the numbers asked.
func TestIs(t *testing.T) {
	wrapped := fmt.Errorf("write x: %w", &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC})
	joined := errors.Join(errors.New("dial a"), &os.SyscallError{Syscall: "connect", Err: WSAECONNREFUSED})
	for _, c := range []struct {
		name  string
		err   error
		codes []syscall.Errno
		want  bool
	}{
		{"bare", syscall.EROFS, []syscall.Errno{syscall.EROFS}, true},
		{"wrapped", wrapped, []syscall.Errno{syscall.EDQUOT, syscall.ENOSPC}, true},
		{"another number", wrapped, []syscall.Errno{syscall.EROFS}, false},
		{"joined, Windows' number", joined, []syscall.Errno{syscall.ECONNREFUSED, WSAECONNREFUSED}, true},
		{"no number", errors.New("plain"), []syscall.Errno{syscall.EIO}, false},
		{"nil", nil, []syscall.Errno{syscall.EIO}, false},
		{"none asked", syscall.EIO, nil, false},
	} {
		if got := Is(c.err, c.codes...); got != c.want {
			t.Errorf("%s: Is = %v, want %v", c.name, got, c.want)
		}
		if got := Of(c.codes...)(c.err); got != c.want {
			t.Errorf("%s: Of = %v, want %v", c.name, got, c.want)
		}
	}
}
