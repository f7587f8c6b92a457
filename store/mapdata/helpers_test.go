package mapdata

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
)

var devSeq atomic.Int64

// newTestStore is a fresh database of the given role (on tmpfs when there
// is one: every commit is fsynced), closed when the test ends.
func newTestStore(t testing.TB, role string, now func() time.Time) *store.Store {
	t.Helper()
	dir := t.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "cunjing-test-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			dir = d
		}
	}
	dev := fmt.Sprintf("DEV%04d-AAAAAAA", devSeq.Add(1))
	s, err := store.Create(context.Background(), filepath.Join(dir, "t.db"), store.Identity{DeviceID: dev, Role: role, Name: "测试" + dev}, store.Options{Now: now})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
