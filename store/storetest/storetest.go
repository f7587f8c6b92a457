// Package storetest is for the tests of store's sub-packages above its
// root: a fresh database of a role (New), on tmpfs when there is one.
package storetest

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

// Dir is an empty directory removed when the test ends, on tmpfs when there
// is one: the store fsyncs every commit (synchronous=FULL), which is right
// for a village PC and needlessly slow for throw-away test databases.
func Dir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "cunjing-test-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

// New is a fresh database of role with a device ID of its own, its wall
// clock now (nil: the real one), closed when the test ends.
func New(t testing.TB, role string, now func() time.Time) *store.Store {
	t.Helper()
	dev := fmt.Sprintf("DEV%04d-AAAAAAA", devSeq.Add(1))
	s, err := store.Create(context.Background(), filepath.Join(Dir(t), "t.db"), store.Identity{DeviceID: dev, Role: role, Name: "测试" + dev}, store.Options{Now: now})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
