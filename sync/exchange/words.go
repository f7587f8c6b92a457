package exchange

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
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

// WriteError is a write to the exchange folder that failed after what the
// folder brought was read and saved: Words says in Chinese what became of
// the stick and what to do (its Error starts with them, for the window's
// 交换没有成功 and the command line alike); Err is the system's error.
type WriteError struct {
	Dir   string
	Words string
	Err   error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("%s (write to exchange folder %s: %v)", e.Words, e.Dir, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// writeFailed says why writing to dir failed, in the officer's words.
func writeFailed(dir string, err error) error {
	const kept = "U 盘里给本机的数据已经读进本机并保存了，"
	var words string
	switch {
	case errors.Is(err, errFolderGone) || errors.Is(err, fs.ErrNotExist) || isErrno(err, errNotReady...):
		words = "U 盘被拔出了（或文件夹不见了）：" + kept + "但没有写到 U 盘上。请插好 U 盘，再交换一次。"
	case isErrno(err, errReadOnly...):
		words = "U 盘是只读的（看看 U 盘侧面的写保护开关）：" + kept + "但写不进 U 盘。把开关拨到不写保护的一边，再交换一次。"
	case isErrno(err, errFull...):
		words = "U 盘满了：" + kept + "但没写完。请删掉 U 盘上用不着的文件，或换一个 U 盘，再交换一次。"
	case errors.Is(err, fs.ErrPermission):
		words = "没有权限往这个文件夹里写：" + kept + "但没有写出去。请换一个文件夹。"
	case isErrno(err, syscall.EIO):
		words = "U 盘读写出错（U 盘可能坏了，或没插好）：" + kept + "但没写完。请换一个 U 盘，再交换一次。"
	default:
		words = "写 U 盘没有成功：" + kept + "但没写完。请再交换一次；还不行就换一个 U 盘。"
	}
	return &WriteError{Dir: dir, Words: words, Err: err}
}

// isErrno says whether err is one of the system's errors codes.
func isErrno(err error, codes ...syscall.Errno) bool {
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
