package winlock

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A database reached through a symbolic link (a shortcut an officer made,
// a folder moved to a second disk and linked back) is the same database
// as the file it points to: a window or a program on one name and a
// restore or a second window on the other must see each other, or a
// restore moves the database from under a running cunjing node.
func TestLinkedDatabaseIsTheSameDatabase(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "post.db")
	if err := os.WriteFile(real, []byte("db"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "shortcut.db")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	// A link to the folder, too: a moved data folder linked back.
	folder := filepath.Join(t.TempDir(), "data")
	if err := os.Symlink(dir, folder); err != nil {
		t.Fatal(err)
	}
	viaFolder := filepath.Join(folder, "post.db")
	names := []string{real, link, viaFolder}

	for _, held := range names {
		for _, other := range names {
			if held == other {
				continue
			}
			t.Run(filepath.Base(filepath.Dir(held))+"/"+filepath.Base(held)+"~"+filepath.Base(filepath.Dir(other))+"/"+filepath.Base(other), func(t *testing.T) {
				node, err := Use(held, UserNode)
				if err != nil {
					t.Fatal(err)
				}
				var used *UsedError
				if _, err := Restoring(other); !errors.As(err, &used) || !slices.Equal(used.By, []string{UserNode}) {
					t.Errorf("restore of %s while a node holds %s: %v, want refused naming the node", other, held, err)
				}
				if err := node.Release(); err != nil {
					t.Fatal(err)
				}

				w, err := Take(held)
				if err != nil {
					t.Fatal(err)
				}
				if w2, err := Take(other); !errors.Is(err, ErrInUse) {
					t.Errorf("a second window on %s while one has %s: %v, want ErrInUse", other, held, err)
					if w2 != nil {
						w2.Release()
					}
				}
				if err := w.Release(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
	// No lock file is made beside a link's name: the locks are the real
	// file's.
	for _, p := range []string{Path(link), UsePath(link, UserNode)} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s made beside the link", p)
		}
	}
}

func TestRealPath(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "post.db")
	if err := os.WriteFile(real, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "l.db")
	if err := os.Symlink("post.db", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	dlink := filepath.Join(t.TempDir(), "d")
	if err := os.Symlink(dir, dlink); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{real, real},
		{link, real},
		{filepath.Join(dlink, "post.db"), real},
		{filepath.Join(dlink, "l.db"), real},
		// Not there yet (init, a restore's target): its folder resolved.
		{filepath.Join(dlink, "new.db"), filepath.Join(dir, "new.db")},
		// Nowhere: as given.
		{"/nonexistent-dir-x/y.db", "/nonexistent-dir-x/y.db"},
	} {
		if got := RealPath(c.in); got != c.want {
			t.Errorf("RealPath(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	// A dangling link is its own name: opening it fails as before.
	dangling := filepath.Join(dir, "gone.db")
	if err := os.Symlink("nothing-here.db", dangling); err != nil {
		t.Fatal(err)
	}
	if got := RealPath(dangling); got != dangling {
		t.Errorf("RealPath(dangling) = %s", got)
	}
}
