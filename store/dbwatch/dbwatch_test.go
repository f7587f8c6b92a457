package dbwatch_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"cunjing/store/dbwatch"
)

// TestVersionChangesWhenAnotherConnectionCommits: the window learns that
// another program wrote the file (a background node, sync --once) from
// the watch's version; a read, or nothing, leaves it as it was. Each step
// writes through a different way in: a second handle on the file (another
// program), the watched handle's own pool (the window's own writes).
func TestVersionChangesWhenAnotherConnectionCommits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	mine, other := open(), open()
	if _, err := mine.ExecContext(ctx, "CREATE TABLE t (v INTEGER)"); err != nil {
		t.Fatal(err)
	}
	w, err := dbwatch.Open(ctx, mine)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	version := func() int64 {
		t.Helper()
		v, err := w.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	last := version()
	for _, step := range []struct {
		name    string
		db      *sql.DB
		query   string
		changes bool
	}{
		{"nothing done", nil, "", false},
		{"another program reads", other, "SELECT count(*) FROM t", false},
		{"another program writes", other, "INSERT INTO t VALUES (1)", true},
		{"this program writes", mine, "INSERT INTO t VALUES (2)", true},
		{"another program writes again", other, "UPDATE t SET v = v + 1", true},
	} {
		if step.db != nil {
			if _, err := step.db.ExecContext(ctx, step.query); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
		}
		v := version()
		if changed := v != last; changed != step.changes {
			t.Errorf("%s: version %d → %d, changed %v, want %v", step.name, last, v, changed, step.changes)
		}
		last = v
	}
}
