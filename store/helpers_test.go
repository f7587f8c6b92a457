package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// testDir prefers tmpfs: the store fsyncs every commit (synchronous=FULL),
// which is right for a village PC and needlessly slow for hundreds of
// throw-away test databases.
func testDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "cunjing-test-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

var devSeq atomic.Int64

func newTestStore(t testing.TB, role string, now func() time.Time) *Store {
	t.Helper()
	dev := fmt.Sprintf("DEV%04d-AAAAAAA", devSeq.Add(1))
	s, err := Create(context.Background(), filepath.Join(testDir(t), "t.db"), Identity{DeviceID: dev, Role: role, Name: "测试" + dev}, Options{Now: now})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
