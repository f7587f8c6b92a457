package backup

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// A restore given the database by a link (a shortcut) replaces the file
// the link reaches and leaves the link a link: before, the link itself
// was renamed away and the restored database took its name, so the file
// everything else opens stayed as it was and the link's name became a
// second database.
func TestRestoreThroughALinkReplacesTheFile(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	b, err := Write(ctx, s, bdir, Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := dumpOf(t, s)
	if err := s.Save(ctx, &store.Resident{Name: "备份后"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	link := filepath.Join(t.TempDir(), "shortcut.db")
	if err := os.Symlink(p, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	info, err := Restore(ctx, link, b, RestoreOptions{Passphrase: "correct horse", Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v %v", fi, err)
	}
	if filepath.Dir(info.Kept) != filepath.Dir(p) {
		t.Errorf("replaced database kept as %s, want beside %s", info.Kept, p)
	}
	r, err := store.Open(ctx, p, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := dumpOf(t, r); got != want {
		t.Error("the file the link reaches was not restored")
	}
}
