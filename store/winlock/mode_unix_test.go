//go:build unix

package winlock

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLockFileReadableByAll: lock files are created 0644 (the umask
// permitting), so a user other than the one who made them can open them
// to lock (TestLockFilesOfAnotherUser).
func TestLockFileReadableByAll(t *testing.T) {
	db := filepath.Join(t.TempDir(), "station.db")
	old := syscall.Umask(0o022)
	syscall.Umask(old)
	for _, take := range []func() (*Lock, error){
		func() (*Lock, error) { return Use(db, UserNode) },
		func() (*Lock, error) { return Take(db) },
	} {
		l, err := take()
		if err != nil || l == nil {
			t.Fatalf("lock: %v", err)
		}
		fi, err := os.Stat(l.path)
		l.Release()
		if err != nil {
			t.Fatal(err)
		}
		if want := os.FileMode(0o644 &^ old); fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (0644 under umask %03o)", filepath.Base(l.path), fi.Mode().Perm(), want, old)
		}
	}
}
