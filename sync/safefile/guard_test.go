package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A folder's check runs before each write into it: failing, the write is
// refused and leaves nothing, not even its temporary file; released, the
// folder is written as before; another folder is never checked.
func TestGuardStopsTheWrite(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	gone := errors.New("gone")
	calls := 0
	release := Guard(dir+string(filepath.Separator), func() error { calls++; return gone })
	if err := WriteAtomic(dir, "a", []byte("x")); !errors.Is(err, gone) {
		t.Fatalf("write under a failing check: %v", err)
	}
	if err := WriteAtomic(other, "a", []byte("x")); err != nil {
		t.Fatalf("another folder: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 || calls != 1 {
		t.Fatalf("the refused write left %d entries, check ran %d times", len(es), calls)
	}
	release()
	if err := WriteAtomic(dir, "a", []byte("x")); err != nil || calls != 1 {
		t.Fatalf("after release: %v, check ran %d times", err, calls)
	}
}
