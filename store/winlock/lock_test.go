package winlock

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
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

// A lock let go with ReleaseRemove leaves no file, and the next TakeFile
// creates and takes a new one.
func TestReleaseRemoveLeavesNothing(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".cunjing-backup.lock")
	first, err := TakeFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TakeFile(p); !errors.Is(err, ErrInUse) {
		t.Fatalf("second holder: %v, want ErrInUse", err)
	}
	if err := first.ReleaseRemove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file left: %v", err)
	}
	second, err := TakeFile(p)
	if err != nil {
		t.Fatalf("after ReleaseRemove: %v", err)
	}
	if err := second.ReleaseRemove(); err != nil {
		t.Fatal(err)
	}
}

// Whoever opened the lock file just before its holder removed it must not
// count the lock of that removed file as the lock: a third party taking
// the path afresh would hold it too.
func TestLockOfARemovedFileIsNotTheLock(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".cunjing-backup.lock")
	holder, err := TakeFile(p)
	if err != nil {
		t.Fatal(err)
	}
	late, err := os.OpenFile(p, os.O_RDWR, 0o600) // opened, not yet locked
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.ReleaseRemove(); err != nil {
		t.Fatal(err)
	}
	third, err := TakeFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer third.ReleaseRemove()
	// On unix the file went and lockOpened sees it; on Windows it could
	// not go while open, so the third holder has that very file.
	l, err := lockOpened(late, p, false)
	if l != nil || err != nil && !errors.Is(err, ErrInUse) {
		t.Fatalf("lock of the removed file counted: %v, %v", l, err)
	}
}

// A lock file that is a symbolic link (planted on a stick) is not
// followed: TakeFile fails, and the file it points to is untouched.
func TestLockFileLinkNotFollowed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, ".cunjing-backup.lock")
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
	if l, err := TakeFile(p); err == nil || errors.Is(err, ErrInUse) {
		l.Release()
		t.Fatalf("lock through a link: %v", err)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "keep" {
		t.Fatalf("target: %q, %v", b, err)
	}
}
