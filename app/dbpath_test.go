package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDataDirs(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	config := func() (string, error) { return "/home/z/.config", nil }
	for _, tc := range []struct {
		name, goos string
		env        map[string]string
		cur, old   string
		fails      bool
	}{
		{"windows", "windows", map[string]string{"LOCALAPPDATA": `C:\Users\z\AppData\Local`, "APPDATA": `C:\Users\z\AppData\Roaming`},
			filepath.Join(`C:\Users\z\AppData\Local`, "cunjing"), filepath.Join(`C:\Users\z\AppData\Roaming`, "cunjing"), false},
		{"windows without roaming", "windows", map[string]string{"LOCALAPPDATA": `C:\L`}, filepath.Join(`C:\L`, "cunjing"), "", false},
		{"windows without local", "windows", map[string]string{"APPDATA": `C:\R`}, "", "", true},
		{"linux", "linux", nil, "/home/z/.config/cunjing", "", false},
	} {
		cur, old, err := dataDirs(tc.goos, env(tc.env), config)
		if (err != nil) != tc.fails || cur != tc.cur || old != tc.old {
			t.Errorf("%s: %q, %q, %v; want %q, %q", tc.name, cur, old, err, tc.cur, tc.old)
		}
	}
	if _, _, err := dataDirs("linux", env(nil), func() (string, error) { return "", errors.New("no home") }); err == nil {
		t.Error("no config dir: no error")
	}
}

// The folder an older version left in the roaming profile moves to the
// local one whole — the database, its -wal, its .sync folder — once; a
// folder already in place is used as it is; a move that cannot be done
// leaves everything where it was and says to use the old folder.
func TestMoveDataDir(t *testing.T) {
	write := func(t *testing.T, p, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) string { b, _ := os.ReadFile(p); return string(b) }
	olderData := func(t *testing.T) (cur, old string) {
		t.Helper()
		dir := t.TempDir()
		cur, old = filepath.Join(dir, "Local", "cunjing"), filepath.Join(dir, "Roaming", "cunjing")
		write(t, filepath.Join(old, dbFileName), "db")
		write(t, filepath.Join(old, dbFileName+"-wal"), "wal")
		write(t, filepath.Join(old, dbFileName+".sync", "cj-post-X", "cs-1.cjcs"), "changeset")
		return cur, old
	}

	t.Run("moves", func(t *testing.T) {
		cur, old := olderData(t)
		use, moved, err := moveDataDir(cur, old)
		if err != nil || !moved || use != cur {
			t.Fatalf("use %q moved %v err %v", use, moved, err)
		}
		if read(filepath.Join(cur, dbFileName)) != "db" || read(filepath.Join(cur, dbFileName+"-wal")) != "wal" ||
			read(filepath.Join(cur, dbFileName+".sync", "cj-post-X", "cs-1.cjcs")) != "changeset" {
			t.Error("not everything moved")
		}
		if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the roaming folder is still there: %v", err)
		}
		if use, moved, err := moveDataDir(cur, old); err != nil || moved || use != cur {
			t.Errorf("second start: use %q moved %v err %v", use, moved, err)
		}
	})
	t.Run("already here", func(t *testing.T) {
		cur, old := olderData(t)
		write(t, filepath.Join(cur, dbFileName), "new")
		if use, moved, err := moveDataDir(cur, old); err != nil || moved || use != cur {
			t.Errorf("use %q moved %v err %v", use, moved, err)
		}
		if read(filepath.Join(old, dbFileName)) != "db" || read(filepath.Join(cur, dbFileName)) != "new" {
			t.Error("a folder in place was overwritten or the old one touched")
		}
	})
	t.Run("nothing old", func(t *testing.T) {
		dir := t.TempDir()
		cur := filepath.Join(dir, "Local", "cunjing")
		if use, moved, err := moveDataDir(cur, filepath.Join(dir, "Roaming", "cunjing")); err != nil || moved || use != cur {
			t.Errorf("use %q moved %v err %v", use, moved, err)
		}
		if use, moved, err := moveDataDir(cur, ""); err != nil || moved || use != cur {
			t.Errorf("no old folder: use %q moved %v err %v", use, moved, err)
		}
	})
	t.Run("cannot move", func(t *testing.T) {
		cur, old := olderData(t)
		// The local folder's parent is a file: the move fails, as a
		// rename of an open database fails on Windows.
		write(t, filepath.Dir(cur), "not a folder")
		use, moved, err := moveDataDir(cur, old)
		if err == nil || moved || use != old {
			t.Fatalf("use %q moved %v err %v", use, moved, err)
		}
		if read(filepath.Join(old, dbFileName)) != "db" || read(filepath.Join(old, dbFileName+".sync", "cj-post-X", "cs-1.cjcs")) != "changeset" {
			t.Error("a failed move touched the data")
		}
	})
}
