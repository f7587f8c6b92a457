package safefile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
)

// Two programs on one database (the window and `cunjing sync` or
// `cunjing exchange`) write the same changeset into the same folder at
// once. Each must succeed, the file must be whole under its name from the
// moment it appears, and no temporary file may be left behind. With one
// temporary name for everyone, the second writer removed the first's
// temporary file: the first's rename then failed ("no such file"), or
// moved the second's half-written file under the real name, where a BEP
// scan could index it torn for good.
func TestConcurrentWritersOfOneFile(t *testing.T) {
	dir := t.TempDir()
	const name = "cs-AAAAAAA-pAAAAAAA-000000000001-0123456789abcdef.cjcs"
	data := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: writes take a while
	var torn atomic.Int64
	stop := make(chan struct{})
	var readers gosync.WaitGroup
	readers.Add(1)
	go func() { // a scan reading whatever holds the name
		defer readers.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if got, err := os.ReadFile(filepath.Join(dir, name)); err == nil && !bytes.Equal(got, data) {
				torn.Add(1)
			}
		}
	}()
	var errs []error
	var mu gosync.Mutex
	for round := range 30 {
		os.Remove(filepath.Join(dir, name))
		var wg gosync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := WriteAtomic(dir, name, data); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("round %d: %w", round, err))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	close(stop)
	readers.Wait()
	for _, err := range errs[:min(len(errs), 5)] {
		t.Error(err)
	}
	if n := torn.Load(); n > 0 {
		t.Errorf("the file was seen torn under its name %d times", n)
	}
	if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, data) {
		t.Errorf("file not whole at the end: %d bytes, %v", len(got), err)
	}
	es, _ := os.ReadDir(dir)
	for _, en := range es {
		if strings.HasPrefix(en.Name(), TempPrefix) {
			t.Errorf("temporary file left behind: %s", en.Name())
		}
	}
}

// A leftover of a write cut short (a stick pulled out) is removed by the
// next write of the same file, and a link planted under a temporary name
// is neither followed nor left.
func TestLeftoversRemoved(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	const name = "cs-AAAAAAA-pAAAAAAA-000000000001-0123456789abcdef.cjcs"
	if err := os.WriteFile(filepath.Join(dir, TempPrefix+name), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(dir, name, []byte("whole")); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, name))
	if err := os.Symlink(victim, filepath.Join(dir, TempPrefix+name)); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := WriteAtomic(dir, name, []byte("whole")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep" {
		t.Fatalf("written through the link: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != "whole" {
		t.Fatalf("file: %q", got)
	}
	es, _ := os.ReadDir(dir)
	for _, en := range es {
		if strings.HasPrefix(en.Name(), TempPrefix) {
			t.Errorf("temporary file left behind: %s", en.Name())
		}
	}
}

// TestLeftoverKind: which temporary names RemoveLeftovers may take, and
// as what (a pull's, kept a week; a write's, kept an hour).
func TestLeftoverKind(t *testing.T) {
	ours := func(name string) bool { return strings.HasSuffix(name, ".cjcs") }
	for _, c := range []struct {
		name     string
		pull, ok bool
	}{
		{TempPrefix + "a.cjcs", true, true},
		{TempPrefix + "a.cjcs.have", true, true},
		{TempPrefix + "a.cjcs.0123456789ab", false, true},
		{TempPrefix + "a.cjcs.0123456789AB", false, false}, // not what WriteAtomic makes
		{TempPrefix + "a.cjcs.0123456789a", false, false},
		{TempPrefix + "notes.txt", false, false},
		{TempPrefix + "notes.txt.have", false, false},
		{"a.cjcs", false, false},
	} {
		pull, ok := leftoverKind(c.name, ours)
		if pull != c.pull || ok != c.ok {
			t.Errorf("%s: pull %v ok %v, want %v %v", c.name, pull, ok, c.pull, c.ok)
		}
	}
}
