//go:build unix

package backup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cunjing/store"
)

// A backup path that is a named pipe, a link to one or to a device, or a
// folder is refused at once as no file, and the database is untouched:
// `cunjing restore --db post.db fifo.cjbak` waited for ever for a writer
// (Inspect opened the path before asking what it is), and a folder was
// "not a cunjing backup (too short: … is a directory)".
func TestRestoreRefusesWhatIsNoFile(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	p := filepath.Join(dir, "post.db")
	s, err := store.Create(ctx, p, store.Identity{DeviceID: "DEV-F", Role: store.RolePost, Name: "x"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.Village{Name: "张庄"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(p)
	fifo := filepath.Join(dir, "管道.cjbak")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	toFifo := filepath.Join(dir, "link to fifo.cjbak")
	if err := os.Symlink(fifo, toFifo); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.cjbak")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	paths := []string{fifo, toFifo, folder}
	if _, err := os.Stat("/dev/zero"); err == nil {
		zero := filepath.Join(dir, "zero.cjbak")
		if err := os.Symlink("/dev/zero", zero); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, zero)
	}
	for _, from := range paths {
		done := make(chan error, 1)
		go func() { _, err := Restore(ctx, p, from, RestoreOptions{Passphrase: "whatever it is"}); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: %v, want not a regular file", filepath.Base(from), err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading after 10 s", filepath.Base(from))
		}
		if _, _, err := Inspect(from); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Inspect %s: %v, want not a regular file", filepath.Base(from), err)
		}
	}
	if after, _ := os.ReadFile(p); string(before) != string(after) {
		t.Fatal("a refused restore changed the database")
	}
}
