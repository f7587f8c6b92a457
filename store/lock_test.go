package store

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestSecondWindowIsRefused(t *testing.T) {
	path := filepath.Join(testDir(t), "post.db")
	first, err := LockWindow(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockWindow(path); !errors.Is(err, ErrInUse) {
		t.Fatalf("second window: %v, want ErrInUse", err)
	}
	// Another file is not affected.
	other, err := LockWindow(filepath.Join(testDir(t), "station.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockWindow(path)
	if err != nil {
		t.Fatalf("after the first window closed: %v", err)
	}
	if err := again.Release(); err != nil {
		t.Fatal(err)
	}
}
