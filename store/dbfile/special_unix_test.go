//go:build unix

package dbfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Check refuses at once a database path that is no regular file: a
// named pipe (or a link to one) made `cunjing info --db fifo.db` wait for
// ever for a writer, a folder said "read dir.db: is a directory".
func TestCheckRefusesWhatIsNoFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "村 警.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.db")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	paths := []string{fifo, link, folder}
	if _, err := os.Stat("/dev/zero"); err == nil {
		zero := filepath.Join(dir, "zero.db")
		if err := os.Symlink("/dev/zero", zero); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, zero)
	}
	for _, p := range paths {
		done := make(chan error, 1)
		go func() { done <- Check(p) }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotOurs) {
				t.Errorf("%s: %v, want ErrNotOurs", filepath.Base(p), err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading after 10 s", filepath.Base(p))
		}
	}
}
