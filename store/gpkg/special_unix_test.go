//go:build unix

package gpkg

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe, a device or a link to one is refused at once, as a
// folder is: `cunjing map import x.gpkg` with x.gpkg a link to a FIFO
// waited forever for a writer (the header was read by opening the file
// before asking what it is).
func TestReadRefusesPipesAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.gpkg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	toFifo := filepath.Join(dir, "link to fifo.gpkg")
	if err := os.Symlink(fifo, toFifo); err != nil {
		t.Fatal(err)
	}
	paths := []string{fifo, toFifo}
	if _, err := os.Stat("/dev/zero"); err == nil {
		zero := filepath.Join(dir, "零.gpkg")
		if err := os.Symlink("/dev/zero", zero); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, zero)
	}
	for _, p := range paths {
		done := make(chan error, 1)
		go func() { _, _, _, err := Read(context.Background(), p); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: %v, want not a regular file", filepath.Base(p), err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading after 10 s", filepath.Base(p))
		}
	}
}
