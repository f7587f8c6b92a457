//go:build unix

package backup

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/winlock"
)

// A backup path that is a named pipe, a link to one or to a device, or a
// folder is refused at once as no file, and the database is untouched:
// `cunjing restore --db post.db fifo.cjbak` waited for ever for a writer
// (Inspect opened the path before asking what it is), and a folder was
// "not a cunjing backup (too short: … is a directory)".
func TestRestoreRefusesWhatIsNoFile(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	p := filepath.Join(dir, "post.db")
	s, err := store.Create(ctx, p, store.Identity{DeviceID: "DEV-F", Role: store.RolePost, Name: "x"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.Village{Name: "张庄"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(p)
	fifo := filepath.Join(dir, "管道.cjbak")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	toFifo := filepath.Join(dir, "link to fifo.cjbak")
	if err := os.Symlink(fifo, toFifo); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.cjbak")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	paths := []string{fifo, toFifo, folder}
	if _, err := os.Stat("/dev/zero"); err == nil {
		zero := filepath.Join(dir, "zero.cjbak")
		if err := os.Symlink("/dev/zero", zero); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, zero)
	}
	for _, from := range paths {
		done := make(chan error, 1)
		go func() { _, err := Restore(ctx, p, from, RestoreOptions{Passphrase: "whatever it is"}); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: %v, want not a regular file", filepath.Base(from), err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading after 10 s", filepath.Base(from))
		}
		if _, _, err := Inspect(from); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Inspect %s: %v, want not a regular file", filepath.Base(from), err)
		}
	}
	if after, _ := os.ReadFile(p); string(before) != string(after) {
		t.Fatal("a refused restore changed the database")
	}
}

// The unpairing journal's copy in a backup folder is outside data (anyone
// with the stick or the shared folder writes it): a named pipe, or a link
// to one, planted under its name is refused at once, not opened (opening
// a pipe waits for a writer for ever, and AdoptJournal runs when the
// engine opens and at every restore).
func TestAdoptJournalRefusesAPipe(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const self = "MMMMMMM-MMMMMMM"
	s, err := store.Create(ctx, filepath.Join(dir, "db"), store.Identity{DeviceID: self, Role: store.RoleStation, Name: "站"}, store.Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		name string
		make func(at string) error
	}{
		{"pipe", func(at string) error { return syscall.Mkfifo(at, 0o600) }},
		{"link to a pipe", func(at string) error {
			fifo := filepath.Join(filepath.Dir(at), "elsewhere")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				return err
			}
			return os.Symlink(fifo, at)
		}},
	} {
		stick := filepath.Join(dir, c.name)
		if err := os.MkdirAll(stick, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := c.make(filepath.Join(stick, JournalCopyName(self))); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
		type res struct {
			got JournalAdopted
			err error
		}
		done := make(chan res, 1)
		go func() {
			got, err := AdoptJournal(ctx, s, stick, slog.New(slog.NewTextHandler(io.Discard, nil)))
			done <- res{got, err}
		}()
		select {
		case r := <-done:
			if r.err != nil || r.got.Refused == "" || r.got.Devices != 0 {
				t.Errorf("%s: %+v, %v; want refused", c.name, r.got, r.err)
			}
		case <-time.After(10 * time.Second):
			// Let the test end: a writer ends the wait.
			if w, err := os.OpenFile(filepath.Join(stick, JournalCopyName(self)), os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			t.Fatalf("%s: still opening the copy after 10 s", c.name)
		}
	}
}

// A holder's lock file removed by hand (anyone may remove a file another
// program has open on Linux) let a restore move the database from under
// `cunjing node`: it found the lock file free. The node also holds the
// database file itself, and the restore, the command line's and the
// window's, is refused in Chinese and changes nothing.
func TestRestoreRefusedUnderAHolderWhoseLockFileWasRemoved(t *testing.T) {
	ctx := context.Background()
	s, p, b, node := backupUnderNode(t)
	defer node.Release()
	// The node's database, open through SQLite beside the hold.
	ns, err := store.Open(ctx, p, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	if err := ns.Save(ctx, &store.Village{Name: "节点写的"}); err != nil {
		t.Fatalf("the node writes beside its hold: %v", err)
	}
	if err := os.Remove(winlock.UsePath(p, winlock.UserNode)); err != nil {
		t.Fatal(err)
	}
	var used *winlock.UsedError
	same, _, err := ReplaceFrom(ctx, s, b, RestoreOptions{Passphrase: "correct horse"}, store.Options{}, func() {})
	if !errors.As(err, &used) || same != s || !strings.Contains(err.Error(), "锁文件被删掉了") {
		t.Fatalf("window's restore under the node: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, p, b, RestoreOptions{Passphrase: "correct horse"}); !errors.As(err, &used) || !strings.Contains(err.Error(), "请先关闭或停止它") {
		t.Fatalf("restore under the node: %v", err)
	}
	if kept, _ := filepath.Glob(p + ".before-restore-*"); len(kept) != 0 {
		t.Fatalf("a refused restore moved the database to %v", kept)
	}
	if err := ns.Save(ctx, &store.Village{Name: "还在原来的文件里"}); err != nil {
		t.Fatal(err)
	}
	ns.Close()
	node.Release()
	if _, err := Restore(ctx, p, b, RestoreOptions{Passphrase: "correct horse", Now: clocktest.Clock(t)}); err != nil {
		t.Fatalf("restore once the node stopped: %v", err)
	}
}
