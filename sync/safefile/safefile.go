// Package safefile reads and writes files in folders others can write to
// (a USB stick, a shared drive, a BEP folder): nothing is read or written
// through a symbolic link, sizes are checked before a byte is read, and
// temporary files are created exclusively, so a planted link cannot
// redirect a write to a victim file. It imports none of ours.
package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrTooLarge means a file is larger than any cunjing file of its kind may
// be; it was refused by its size alone, without reading it.
var ErrTooLarge = errors.New("file is larger than the limit")

// ErrNotRegular means a name is a symbolic link, a device, a pipe or a
// directory where a plain file was expected.
var ErrNotRegular = errors.New("not a regular file")

// openRegular opens dir/name for reading if it is a regular file, without
// following a symbolic link (O_NOFOLLOW where the system has it, and on
// every system a check that the file opened is the one lstat saw, so a name
// swapped for a link in between is caught).
func openRegular(dir, name string) (*os.File, fs.FileInfo, error) {
	p := filepath.Join(dir, name)
	lst, err := os.Lstat(p)
	if err != nil {
		return nil, nil, err
	}
	if !lst.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s: %w (%s)", name, ErrNotRegular, lst.Mode().Type())
	}
	f, err := os.OpenFile(p, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() || !os.SameFile(lst, st) {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w (replaced while opening)", name, ErrNotRegular)
	}
	return f, st, nil
}

// errChanged means a file changed size while it was read (still arriving).
var errChanged = errors.New("file changed while it was read")

// Read reads dir/name, a regular file of at most limit bytes. The
// size is checked from the open handle before anything is read, and the
// read is bounded by it: a 4 GiB file costs no memory, only ErrTooLarge.
func Read(dir, name string, limit int64) ([]byte, fs.FileInfo, error) {
	f, st, err := openRegular(dir, name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if st.Size() > limit {
		return nil, st, fmt.Errorf("%s: %d bytes: %w of %d", name, st.Size(), ErrTooLarge, limit)
	}
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, st, fmt.Errorf("%s: %w (shorter than its size)", name, errChanged)
		}
		return nil, st, fmt.Errorf("read %s: %w", name, err)
	}
	var one [1]byte
	if n, _ := f.Read(one[:]); n > 0 {
		return nil, st, fmt.Errorf("%s: %w (grew while read)", name, errChanged)
	}
	return data, st, nil
}

// IsRegular reports whether p names a regular file (not following a
// link: a planted link under a changeset's name is not that changeset).
func IsRegular(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular()
}

// HasSize reports whether p names a regular file (not following a link)
// of size bytes: a copy of a file whose size is known, as whole as its
// size can tell (a copy cut short, on a stick copied in 资源管理器, is
// shorter).
func HasSize(p string, size int64) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular() && st.Size() == size
}

// Exists reports whether something is at p (a link counts as itself:
// it is not followed).
func Exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// TempPrefix starts the names of files being written; importers skip them.
const TempPrefix = ".cj-tmp-"

// WriteAtomic writes data to dir/name via a synced temporary file that
// is created exclusively under a name of its own (.cj-tmp-<name>.<random>):
// two programs on one database (the window and `cunjing sync`) may write
// the same file into the same folder at once, and with one temporary name
// for both, the second removed the first's file, whose rename then failed
// or moved the second's half-written file under the real name. A leftover
// under the name older versions wrote through (.cj-tmp-<name>: a stick
// pulled out, or a planted link to a victim file) is removed first (a link
// is removed, never followed); the rename then replaces dir/name itself,
// even if that is a link. Once the file is whole under its name, the
// leftovers of other writes of it are removed (a write cut short; another
// writer still at work finds the file whole and is done). dir's checks
// (Guard) run before the temporary file is made and before the rename.
func WriteAtomic(dir, name string, data []byte) error {
	if err := guarded(dir); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	final := filepath.Join(dir, name)
	if err := os.Remove(filepath.Join(dir, TempPrefix+name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: remove what holds the temporary name: %w", name, err)
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	prefix := TempPrefix + name + "."
	tmp := filepath.Join(dir, prefix+hex.EncodeToString(rnd[:]))
	f, err := createExclusive(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("sync %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("close %s: %w", name, err)
	}
	if err := guarded(dir); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		if errors.Is(err, fs.ErrNotExist) && IsRegular(final) {
			// Another writer of the same file finished first and took
			// ours for a leftover: the file is whole under its name.
			return nil
		}
		return fmt.Errorf("rename %s: %w", name, err)
	}
	if es, err := os.ReadDir(dir); err == nil {
		for _, en := range es {
			if strings.HasPrefix(en.Name(), prefix) {
				_ = os.Remove(filepath.Join(dir, en.Name())) // best effort: a leftover of this file, never read
			}
		}
	}
	return nil
}

// createExclusive creates p for writing, failing rather than opening
// anything that exists (O_EXCL also refuses a symbolic link, dangling or
// not). Something already at p is removed once and the create retried.
func createExclusive(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY|openNoFollow, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if rerr := os.Remove(p); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove what holds the temporary name: %w", rerr)
		}
		f, err = os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY|openNoFollow, 0o644)
	}
	return f, err
}
