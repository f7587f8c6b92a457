package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
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
	ctx := context.Background()
	dev := fmt.Sprintf("DEV%04d-AAAAAAA", devSeq.Add(1))
	id := Identity{DeviceID: dev, Role: role, Name: "测试" + dev}
	tmpl, err := migratedTemplate()
	if err != nil {
		t.Fatalf("template: %v", err)
	}
	// Create, from a copy of the migrated template: the same as Create
	// on an empty file, without running every migration again.
	p := filepath.Join(testDir(t), "t.db")
	if err := os.WriteFile(p, tmpl, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := open(ctx, p, Options{Now: now}, true)
	if err == nil {
		if err = s.initIdentity(ctx, id); err != nil {
			s.Close()
		}
	}
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// template is a database made by Create's first steps (every migration
// run, no identity yet), made once per test binary: newTestStore starts
// from a copy of it. Running the migrations for each of the merge
// property test's stores was 62% of its CPU.
var template struct {
	once sync.Once
	data []byte
	err  error
}

func migratedTemplate() ([]byte, error) {
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "cunjing-template-")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(dir)
		p := filepath.Join(dir, "template.db")
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			template.err = err
			return
		}
		s, err := open(context.Background(), p, Options{}, true)
		if err != nil {
			template.err = err
			return
		}
		if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			s.Close()
			template.err = err
			return
		}
		if err := s.Close(); err != nil {
			template.err = err
			return
		}
		template.data, template.err = os.ReadFile(p)
	})
	return template.data, template.err
}
