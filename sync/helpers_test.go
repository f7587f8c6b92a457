package sync

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/sync/identity"
)

// testDir prefers tmpfs: every commit fsyncs (synchronous=FULL).
func testDir(t testing.TB) string {
	t.Helper()
	if _, bench := t.(*testing.B); bench {
		// Benchmarks time what a station PC does: write to a disk.
		return t.TempDir()
	}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "cunjing-sync-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func newDevice(t testing.TB, role, name string) *Engine {
	t.Helper()
	return newDeviceAt(t, role, name, clocktest.Ticking(t, 0))
}

func newDeviceAt(t testing.TB, role, name string, now func() time.Time) *Engine {
	t.Helper()
	ctx := context.Background()
	dir := testDir(t)
	st, _, err := Init(ctx, filepath.Join(dir, "db"), store.Identity{Role: role, Name: name}, store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := New(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func codeOf(t testing.TB, e *Engine) identity.Code {
	t.Helper()
	c, err := e.Identity().Code(e.Self()[:7], e.Store().Role(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pair(t testing.TB, a, b *Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Pair(ctx, codeOf(t, b)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Pair(ctx, codeOf(t, a)); err != nil {
		t.Fatal(err)
	}
}

func dump(t testing.TB, e *Engine, owner string) string {
	t.Helper()
	var b bytes.Buffer
	if err := e.Store().Dump(context.Background(), &b, owner); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustCut(t testing.TB, e *Engine) CutResult {
	t.Helper()
	r, err := e.Cut(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// move imports into dst every file of folder from src's folder directory.
func move(t testing.TB, src, dst *Engine, folder string) DirResult {
	t.Helper()
	r, err := dst.ImportDir(context.Background(), "test", src.FolderDir(folder), true)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func recipients(t testing.TB, es ...*Engine) []age.Recipient {
	t.Helper()
	var out []age.Recipient
	for _, e := range es {
		out = append(out, e.Identity().Age.Recipient())
	}
	return out
}
