package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/admincmd"
	"cunjing/app/cli/clitest"
	"cunjing/store/winlock"
)

// restore refuses a database a cunjing window has open, and changes
// nothing: it renamed the file from under the window, whose later edits
// went on into the kept copy (post.db.before-restore-…) and were gone
// from post.db without a word. Once the window is closed it restores.
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
	if _, errs, code := clitest.Run(t, "restore", "--db", db, plain[0]); code != 0 {
		t.Fatalf("restore once the window is closed: exit %d: %s", code, errs)
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
