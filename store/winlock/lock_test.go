package winlock

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestSecondWindowIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "post.db")
	first, err := Take(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Take(path); !errors.Is(err, ErrInUse) {
		t.Fatalf("second window: %v, want ErrInUse", err)
	}
	// Another file is not affected.
	other, err := Take(filepath.Join(t.TempDir(), "station.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := Take(path)
	if err != nil {
		t.Fatalf("after the first window closed: %v", err)
	}
	if err := again.Release(); err != nil {
		t.Fatal(err)
	}
}
