package bep

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// A busy database is told apart from other errors however it is wrapped,
// and retryBusy tries again after it and only after it.
func TestBusyIsRetried(t *testing.T) {
	t.Parallel()
	locked := fmt.Errorf("note index of cj-post-x announced: %w", sqlite3.Error{Code: sqlite3.ErrBusy})
	other := errors.New("block at 0 failed its SHA-256 check")
	if !busy(locked) || !busy(fmt.Errorf("begin: %w", sqlite3.Error{Code: sqlite3.ErrLocked})) {
		t.Fatal("a busy database not recognised")
	}
	if busy(other) || busy(nil) || busy(sqlite3.Error{Code: sqlite3.ErrConstraint}) {
		t.Fatal("another error taken for a busy database")
	}
	ctx := context.Background()
	calls := 0
	if err := retryBusy(ctx, func() error {
		calls++
		if calls == 1 {
			return locked
		}
		return nil
	}); err != nil || calls != 2 {
		t.Fatalf("after a busy database: %v, %d calls", err, calls)
	}
	calls = 0
	if err := retryBusy(ctx, func() error { calls++; return other }); !errors.Is(err, other) || calls != 1 {
		t.Fatalf("another error: %v, %d calls", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := retryBusy(cctx, func() error { return locked }); !busy(err) {
		t.Fatalf("busy until ctx ended: %v", err)
	}
}
