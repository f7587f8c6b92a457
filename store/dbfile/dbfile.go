// Package dbfile owns what makes a file a cunjing database, seen as a
// file: the SQLite header and the application_id "CJNG" (Check, before the
// driver touches a path, so a wrong path never gets a journal or a
// schema), and a whole file verified read-only before a backup is kept or
// restored (Verify: ours, not from a newer version, intact by
// integrity_check, with a device identity). It sits below store's root,
// which checks every file it opens with it; store/backup verifies copies
// with it.
package dbfile

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver; build with -tags sqlite_fts5

	"cunjing/store/migrations"
)

// ApplicationID marks a SQLite file as a cunjing database ("CJNG").
const ApplicationID = 0x434A4E47

// Header begins every SQLite file.
var Header = []byte("SQLite format 3\x00")

// Errors callers can test for with errors.Is to show the right message.
var (
	ErrNotOurs      = errors.New("not a cunjing database")
	ErrCorrupt      = errors.New("database failed its integrity check")
	ErrNoSuchDevice = errors.New("database has no device identity")
	// ErrReadOnly: the database cannot be written where it is (Writable).
	ErrReadOnly = errors.New("the database is read-only where it is (a write-protected stick, a CD, a folder this user may not write to, or a file marked read-only)")
)

// Writable refuses, with ErrReadOnly, a database that could be read but
// not written where it is: the file itself (marked read-only), or its
// folder, where SQLite keeps the -wal and -shm files beside it and the
// window its lock (a write-protected stick, a CD, a folder without write
// permission). SQLite's own words for that are "unable to open database
// file: no such file or directory", or a first save that fails. It
// leaves nothing behind, unless the folder lets it make its probe file
// but not remove it.
func Writable(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		if readOnly(err) {
			return fmt.Errorf("%s: %w: %v", p, ErrReadOnly, err)
		}
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	dir := filepath.Dir(p)
	probe, err := os.CreateTemp(dir, ".cunjing-write-check-*")
	if err != nil {
		if readOnly(err) {
			return fmt.Errorf("folder %s: %w: %v", dir, ErrReadOnly, err)
		}
		return fmt.Errorf("folder %s: %w", dir, err)
	}
	// The probe was made, so the folder is writable: that its removal
	// fails (a virus scanner holding it, a share that lets one create but
	// not delete) does not keep the database from opening; the empty
	// probe file stays, named for what it is.
	name := probe.Name()
	_ = probe.Close() // empty, and written to by no one
	_ = os.Remove(name)
	return nil
}

// readOnly reports whether err says a write was refused: a read-only file
// system (EROFS; Windows' ERROR_WRITE_PROTECT, a stick with its lock on),
// or no permission (EACCES, EPERM; Windows' access denied, which a file
// with the read-only attribute gives too).
func readOnly(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, errWriteProtected) || errors.Is(err, fs.ErrPermission)
}

// Check refuses files that are not SQLite databases of ours before the
// driver touches them. What the path is, is asked before it is opened:
// a folder, a device or a named pipe (or a link to one) is no database,
// and opening a pipe waits for a writer for ever.
func Check(p string) error {
	if st, err := os.Stat(p); err != nil {
		return err
	} else if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: %w (not a regular file)", p, ErrNotOurs)
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := make([]byte, 100)
	n, err := io.ReadFull(f, hdr)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", p, err)
	}
	if n < 100 {
		// After a power cut the first pages may still live only in the WAL;
		// SQLite recovers them, and opening checks application_id then.
		if st, err := os.Stat(p + "-wal"); err == nil && st.Size() > 0 {
			return nil
		}
		return fmt.Errorf("%s: %w (empty or truncated file)", p, ErrNotOurs)
	}
	if !bytes.Equal(hdr[:16], Header) {
		return fmt.Errorf("%s: %w (not a SQLite file)", p, ErrNotOurs)
	}
	appID := uint32(hdr[68])<<24 | uint32(hdr[69])<<16 | uint32(hdr[70])<<8 | uint32(hdr[71])
	if appID != ApplicationID {
		return fmt.Errorf("%s: %w (a SQLite database of another program, application_id %#x)", p, ErrNotOurs, appID)
	}
	return nil
}

// Verify checks that path is a cunjing database this program can open
// (ours, not from a newer version, intact by integrity_check, with a
// device identity) and returns its device ID. It opens it read-only.
func Verify(ctx context.Context, path string) (string, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if uint32(appID) != ApplicationID {
		return "", fmt.Errorf("%s: %w", path, ErrNotOurs)
	}
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if v > migrations.Version() {
		return "", fmt.Errorf("%s: %w (schema %d)", path, migrations.ErrNewerSchema, v)
	}
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return "", fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
	}
	if res != "ok" {
		return "", fmt.Errorf("%s: %w: %s", path, ErrCorrupt, res)
	}
	return deviceID(ctx, db, path)
}

// Device is the device ID of the cunjing database at path, read without
// checking the file further (Verify does): for telling whose a backup is.
func Device(ctx context.Context, path string) (string, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	return deviceID(ctx, db, path)
}

// openReadOnly opens the cunjing database at path read-only, after Check.
// The path is escaped (URI).
func openReadOnly(path string) (*sql.DB, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	return sql.Open("sqlite3", URI(path, "mode=ro&_query_only=1"))
}

// URI is the SQLite URI of the file at path with the query params: the
// path is escaped, so a '#', '?' or '%' in a folder's name (C:\Users\C#\…,
// a stick's 备份#2) is the file's, not the URI's, and SQLite opens the
// file that was checked.
func URI(path, params string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params
}

func deviceID(ctx context.Context, db *sql.DB, path string) (string, error) {
	var dev string
	if err := db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'device_id'").Scan(&dev); err != nil || dev == "" {
		return "", fmt.Errorf("%s: %w", path, ErrNoSuchDevice)
	}
	return dev, nil
}
