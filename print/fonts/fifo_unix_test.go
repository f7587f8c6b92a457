//go:build unix

package fonts

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// `cunjing print … --font fifo.ttf`: a named pipe (or a link to one) is
// refused at once; opening it first waited for a writer for ever.
func TestLoadRefusesAPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo.ttf")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(p); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a font file") {
			t.Fatalf("err = %v, want 'not a font file'", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still opening the pipe after 10 s")
	}
}
