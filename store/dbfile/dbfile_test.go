package dbfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadOnlyErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&fs.PathError{Op: "open", Path: "/media/usb/x", Err: syscall.EROFS}, true},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}, true},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.EPERM}, true},
		{fmt.Errorf("wrapped: %w", fs.ErrPermission), true},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOENT}, false},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOSPC}, false},
		{errors.New("something else"), false},
	} {
		if got := readOnly(tc.err); got != tc.want {
			t.Errorf("readOnly(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// A database that can be written is let through, and the check leaves
// nothing in its folder; a missing one is not called read-only; a file
// marked read-only is (for a user whom permissions bind: not root).
func TestWritable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "post.db")
	if err := os.WriteFile(p, Header, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Writable(p); err != nil {
		t.Fatalf("a writable database: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the check left %v", ents)
	}
	if err := Writable(filepath.Join(dir, "gone.db")); errors.Is(err, ErrReadOnly) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing database: %v", err)
	}
	if os.Geteuid() == 0 {
		return // root writes a file marked read-only (the read-only tmpfs case was checked by hand; see the commit)
	}
	if err := os.Chmod(p, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := Writable(p); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a file marked read-only: %v", err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if err := Writable(p); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a folder without write permission: %v", err)
	}
}
