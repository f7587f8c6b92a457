package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// Where the database lives when --db is not given:
//
//	Windows  %LOCALAPPDATA%\cunjing\cunjing.db   (0.1 and before: %APPDATA%\cunjing)
//	Linux    $XDG_CONFIG_HOME/cunjing/cunjing.db, else ~/.config/cunjing/cunjing.db
//	macOS    ~/Library/Application Support/cunjing/cunjing.db
//
// Not %APPDATA% on Windows: that is the roaming profile, which a domain
// copies to its servers at every log-off, and police data must stay on
// the PC. The window moves the folder an older version left there, once
// (moveDataDir).

const dbFileName = "cunjing.db"

// dataDirs is the folder the database lives in by default on goos, and the
// folder an older version used there ("" when none).
func dataDirs(goos string, getenv func(string) string, configDir func() (string, error)) (cur, old string, err error) {
	if goos != "windows" {
		dir, err := configDir()
		if err != nil {
			return "", "", fmt.Errorf("find config dir: %w", err)
		}
		return filepath.Join(dir, "cunjing"), "", nil
	}
	local := getenv("LOCALAPPDATA")
	if local == "" {
		return "", "", errors.New("find the local application data folder: %LOCALAPPDATA% is not set")
	}
	if roaming := getenv("APPDATA"); roaming != "" {
		old = filepath.Join(roaming, "cunjing")
	}
	return filepath.Join(local, "cunjing"), old, nil
}

// defaultDB is where the window keeps its database when --db is not
// given, after moving the folder an older version left in the roaming
// profile. When the move cannot be done (a cunjing still has the
// database open, the roaming folder is on a server) it says why on stderr and returns the old path, so the window opens on the
// officer's data and nothing is lost.
func defaultDB(stderr io.Writer) (string, error) {
	cur, old, err := dataDirs(runtime.GOOS, os.Getenv, os.UserConfigDir)
	if err != nil {
		return "", err
	}
	dir, moved, err := moveDataDir(cur, old)
	if err != nil {
		fmt.Fprintf(stderr, "cunjing: the data stays in %s: could not move it to %s: %v\n", old, cur, err)
	} else if moved {
		fmt.Fprintf(stderr, "cunjing: moved the data from %s to %s (it stays on this computer, out of the roaming profile)\n", old, cur)
	}
	return filepath.Join(dir, dbFileName), nil
}

// moveDataDir moves the folder old to cur when cur does not exist and old
// does, in one rename: the database, its -wal, its .sync folder and its
// window lock go together or not at all (nothing is copied, so nothing is
// half moved). It returns the folder to use: cur, or old with the reason
// when the rename failed (a file in it is open, another volume).
func moveDataDir(cur, old string) (use string, moved bool, err error) {
	if old == "" || old == cur {
		return cur, false, nil
	}
	st, err := os.Lstat(old)
	if errors.Is(err, os.ErrNotExist) {
		return cur, false, nil
	}
	if err != nil {
		return old, false, fmt.Errorf("look at %s: %w", old, err)
	}
	if !st.IsDir() {
		return cur, false, nil // not ours: leave it alone
	}
	if _, err := os.Lstat(cur); err == nil {
		return cur, false, nil // already here (or made by this version)
	} else if !errors.Is(err, os.ErrNotExist) {
		return old, false, fmt.Errorf("look at %s: %w", cur, err)
	}
	if err := os.MkdirAll(filepath.Dir(cur), 0o700); err != nil {
		return old, false, fmt.Errorf("make %s: %w", filepath.Dir(cur), err)
	}
	if err := os.Rename(old, cur); err != nil {
		return old, false, err
	}
	return cur, true, nil
}
