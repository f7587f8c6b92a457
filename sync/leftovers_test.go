package sync

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/winlock"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// What writes cut short by a crash or a kill left in the sync folders
// (.cj-tmp-… of a BEP pull, its pieces' list, a file written under a name
// of its own) stayed there for ever. Opening the engine removes them once
// they are old enough to be no one's work in progress: never a file
// cunjing does not name so, never a link, never in the quarantine, and
// never a pull's file while another program on the database holds a link
// (it may be resuming it).
func TestEngineOpenRemovesLeftovers(t *testing.T) {
	ctx := context.Background()
	at := clocktest.Today(t) // the PC's clock as it dates the files
	post := newDevice(t, store.RolePost, "东关村警务室")
	dir := post.FolderDir(PostFolder(post.Self()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cs := "cs-0123456-000001-00112233445566778899aabb" + changeset.Ext
	rc := "rc-0123456-000002-0011223344556677" + changeset.ReceiptExt
	plant := func(dir, name string, age time.Duration) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at.Add(-age), at.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	week := 7 * 24 * time.Hour
	gone := []string{
		plant(dir, safefile.TempPrefix+cs+".0a1b2c3d4e5f", 2*time.Hour), // a write cut short
		plant(dir, safefile.TempPrefix+rc+".00aa11bb22cc", 3*time.Hour),
	}
	pulls := []string{
		plant(dir, safefile.TempPrefix+cs, week+time.Hour), // a transfer nobody resumed
		plant(dir, safefile.TempPrefix+cs+".have", week+time.Hour),
	}
	refused := filepath.Join(post.Dir(), ".refused", PostFolder(post.Self()))
	if err := os.MkdirAll(refused, 0o700); err != nil {
		t.Fatal(err)
	}
	kept := []string{
		plant(dir, safefile.TempPrefix+rc+".aabbccddeeff", 10*time.Minute), // being written
		plant(dir, safefile.TempPrefix+rc, 2*24*time.Hour),                 // resumed in the next session
		plant(dir, safefile.TempPrefix+cs+".9a1b2c3d4e5f", -time.Hour),     // dated ahead: this clock fell back
		plant(dir, safefile.TempPrefix+"notes.txt", 100*week),              // not a name of ours
		plant(dir, safefile.TempPrefix+cs+".xyz", 100*week),
		plant(dir, "report.partial", 100*week),
		plant(refused, safefile.TempPrefix+cs+".0a1b2c3d4e5f", 100*week), // the quarantine is for a person
	}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, safefile.TempPrefix+cs+".ffffffffffff")
		if err := os.Symlink(kept[3], link); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, link)
	}
	open := func() {
		t.Helper()
		if _, err := New(ctx, post.Store(), Options{Dir: post.Dir(), Now: func() time.Time { return at }}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, gone, kept []string) {
		t.Helper()
		for _, p := range gone {
			if _, err := os.Lstat(p); !os.IsNotExist(err) {
				t.Errorf("%s: %s left: %v", when, filepath.Base(p), err)
			}
		}
		for _, p := range kept {
			if _, err := os.Lstat(p); err != nil {
				t.Errorf("%s: %s removed: %v", when, filepath.Base(p), err)
			}
		}
	}
	// Another program (the window's node) holds the link to the station:
	// it may be resuming a pull into its old file.
	link, err := winlock.TakeFile(filepath.Join(post.Dir(), ".link-STATION.lock"))
	if err != nil {
		t.Fatal(err)
	}
	open()
	check("another program at a link", gone, append(kept, pulls...))
	if err := link.Release(); err != nil {
		t.Fatal(err)
	}
	open()
	check("no one at a link", append(gone, pulls...), kept)
	// Its lock is free again for the other program.
	if l, err := winlock.TakeFile(filepath.Join(post.Dir(), ".link-STATION.lock")); err != nil {
		t.Errorf("the link's lock after the engine opened: %v", err)
	} else {
		l.Release()
	}
}
