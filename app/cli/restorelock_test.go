package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"cunjing/app/cli"
	"cunjing/app/cli/admincmd"
	"cunjing/app/cli/clikit"
	"cunjing/app/cli/clitest"
	"cunjing/store"
	"cunjing/store/winlock"
)

// restore refuses a database a cunjing window has open, and changes
// nothing: it renamed the file from under the window, whose later edits
// went on into the kept copy (post.db.before-restore-…) and were gone
// from post.db without a word. So with `cunjing node` (restoreUnderNode).
// Once the window is closed and the node stopped it restores.
func TestCLIRestoreRefusesAnOpenWindow(t *testing.T) {
	t.Setenv(admincmd.BackupPassEnv, "")
	db := clitest.DemoDB(t)
	usb := filepath.Join(t.TempDir(), "usb")
	clitest.MustRun(t, "backup", "--db", db, "--to", usb, "--plaintext")
	plain, _ := filepath.Glob(filepath.Join(usb, "*.db"))
	if len(plain) != 1 {
		t.Fatalf("backups %v", plain)
	}
	clitest.MustRun(t, "holidays", "add", "--db", db, "--name", "村庙会", "--from", "2027-03-01", "--to", "2027-03-02")
	before := clitest.MustRun(t, "dump", "--db", db)

	window, err := winlock.Take(db)
	if err != nil {
		t.Fatal(err)
	}
	_, errs, code := clitest.Run(t, "restore", "--db", db, plain[0])
	if code != 1 || !strings.Contains(errs, "open in another cunjing window") {
		t.Errorf("restore under an open window: exit %d: %s", code, errs)
	}
	if kept, _ := filepath.Glob(db + ".before-restore-*"); len(kept) != 0 {
		t.Errorf("restore under an open window moved the database to %v", kept)
	}
	if clitest.MustRun(t, "dump", "--db", db) != before {
		t.Error("a refused restore changed the database")
	}
	if err := window.Release(); err != nil {
		t.Fatal(err)
	}
	restoreUnderNode(t, db, plain[0])
	if clitest.MustRun(t, "dump", "--db", db) != before {
		t.Error("a refused restore changed the database")
	}
	if _, errs, code := clitest.Run(t, "restore", "--db", db, plain[0]); code != 0 {
		t.Fatalf("restore once the window is closed and the node stopped: exit %d: %s", code, errs)
	}
	if clitest.MustRun(t, "dump", "--db", db) == before {
		t.Error("the restore did not bring the backup back")
	}
}

// restore --db naming a folder is refused before anything is moved: the
// folder (and whatever was in it) was renamed aside as "the replaced
// database" and the backup put in its place.
func TestCLIRestoreOntoAFolder(t *testing.T) {
	t.Setenv(admincmd.BackupPassEnv, "")
	db := clitest.DemoDB(t)
	usb := filepath.Join(t.TempDir(), "usb")
	clitest.MustRun(t, "backup", "--db", db, "--to", usb, "--plaintext")
	plain, _ := filepath.Glob(filepath.Join(usb, "*.db"))
	if len(plain) != 1 {
		t.Fatalf("backups %v", plain)
	}
	folder := filepath.Join(t.TempDir(), "村警 数据")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := clitest.Run(t, "restore", "--db", folder, plain[0])
	if code != 2 || !strings.Contains(errs, "is a folder") {
		t.Errorf("restore --db FOLDER: exit %d: %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(folder, "notes.txt")); err != nil || string(b) != "keep" {
		t.Errorf("the folder was moved or changed: %v", err)
	}
	if moved, _ := filepath.Glob(folder + ".*"); len(moved) != 0 {
		t.Errorf("left beside the folder: %v", moved)
	}
}

// signalWriter closes said at its first write.
type signalWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	said chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() == 0 {
		close(w.said)
	}
	return w.buf.Write(p)
}

// restoreUnderNode runs `cunjing node` on db and restores from while it
// runs: refused, naming the node, nothing moved. A station runs the node
// as a service beside the window on the same file, so the node holds no
// window lock (a window opens beside it); before, the restore went ahead
// and what the node imported afterwards went into the file moved aside.
func restoreUnderNode(t *testing.T, db, from string) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	logged := &signalWriter{said: make(chan struct{})}
	env := &clikit.Env{Stdout: &strings.Builder{}, Stderr: logged, StoreOptions: store.Options{SkipIntegrityCheck: true}}
	ended := make(chan int)
	go func() {
		code, _ := cli.Run(ctx, env, cli.Commands(), []string{"node", "--db", db, "--cut-every", "1h"})
		ended <- code
	}()
	select {
	case <-logged.said: // its first cut: it has the database open
	case code := <-ended:
		stop()
		t.Fatalf("node ended at once: exit %d: %s", code, logged.buf.String())
	}
	if window, err := winlock.Take(db); err != nil {
		t.Errorf("a window beside the node: %v", err)
	} else {
		window.Release()
	}
	_, errs, code := clitest.Run(t, "restore", "--db", db, from)
	stop()
	<-ended
	if code != 1 || !strings.Contains(errs, "`cunjing node` (the sync service) is running on it") || !strings.Contains(errs, "未作任何恢复") {
		t.Errorf("restore under a running node: exit %d: %s", code, errs)
	}
	if kept, _ := filepath.Glob(db + ".before-restore-*"); len(kept) != 0 {
		t.Errorf("restore under a running node moved the database to %v", kept)
	}
}

// heldWriter closes said at its first write and returns from it only when
// goOn is closed: a command stopped while it has its database open.
type heldWriter struct {
	once       sync.Once
	said, goOn chan struct{}
	buf        strings.Builder
}

func (w *heldWriter) Write(p []byte) (int, error) {
	w.once.Do(func() {
		close(w.said)
		<-w.goOn
	})
	return w.buf.Write(p)
}

// Every command that opens the database (here `cunjing info`, stopped
// while it has it open) holds it: a restore is refused, naming it, and
// nothing is moved; before, the restore moved the file from under the
// command, and what a command like `import` wrote afterwards went into
// the copy kept aside, without a word. Once the command has ended, the
// restore goes ahead at once.
func TestCLIRestoreRefusesARunningCommand(t *testing.T) {
	t.Setenv(admincmd.BackupPassEnv, "")
	db := filepath.Join(t.TempDir(), "post.db")
	clitest.MustRun(t, "init", "--db", db, "--name", "张庄警务室")
	usb := filepath.Join(t.TempDir(), "usb")
	clitest.MustRun(t, "backup", "--db", db, "--to", usb, "--plaintext")
	plain, _ := filepath.Glob(filepath.Join(usb, "*.db"))
	if len(plain) != 1 {
		t.Fatalf("backups %v", plain)
	}
	out := &heldWriter{said: make(chan struct{}), goOn: make(chan struct{})}
	env := &clikit.Env{Stdout: out, Stderr: &strings.Builder{}, StoreOptions: store.Options{SkipIntegrityCheck: true}}
	ended := make(chan int)
	go func() {
		code, _ := cli.Run(context.Background(), env, cli.Commands(), []string{"info", "--db", db})
		ended <- code
	}()
	select {
	case <-out.said: // it has the database open
	case code := <-ended:
		t.Fatalf("info ended at once: exit %d", code)
	}
	_, errs, code := clitest.Run(t, "restore", "--db", db, plain[0])
	close(out.goOn)
	if c := <-ended; c != 0 {
		t.Errorf("info: exit %d", c)
	}
	if code != 1 || !strings.Contains(errs, "a `cunjing` command is running on it") || !strings.Contains(errs, "正在运行的村警通命令") || !strings.Contains(errs, "未作任何恢复") {
		t.Errorf("restore under a running command: exit %d: %s", code, errs)
	}
	if kept, _ := filepath.Glob(db + ".before-restore-*"); len(kept) != 0 {
		t.Errorf("restore under a running command moved the database to %v", kept)
	}
	// The command has ended: its hold with it.
	if _, errs, code := clitest.Run(t, "restore", "--db", db, plain[0]); code != 0 {
		t.Fatalf("restore once the command ended: exit %d: %s", code, errs)
	}
}

// While a restore holds the database, a command that would open it is
// refused and writes nothing (before, it wrote into the file the restore
// was about to move aside).
func TestCLICommandRefusedDuringARestore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "post.db")
	clitest.MustRun(t, "init", "--db", db, "--name", "张庄警务室")
	before := clitest.MustRun(t, "dump", "--db", db)
	r, err := winlock.Restoring(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"holidays", "add", "--db", db, "--name", "村庙会", "--from", "2027-03-01", "--to", "2027-03-02"},
		{"info", "--db", db},
		{"id", "--db", db},
		{"backup", "--db", db, "--to", filepath.Join(t.TempDir(), "usb"), "--plaintext"},
	} {
		if _, errs, code := clitest.Run(t, args...); code != 1 || !strings.Contains(errs, "正在恢复这个数据库，恢复完成后再试") {
			t.Errorf("%s during a restore: exit %d: %s", args[0], code, errs)
		}
	}
	if err := r.Release(); err != nil {
		t.Fatal(err)
	}
	if clitest.MustRun(t, "dump", "--db", db) != before {
		t.Error("a command during a restore changed the database")
	}
}
