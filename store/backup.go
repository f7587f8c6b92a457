package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// backupPrefix names backup files so rotation only ever touches ours.
const backupPrefix = "cunjing-backup-"

// BackupInfo describes one backup file.
type BackupInfo struct {
	Path    string
	Size    int64
	ModTime time.Time
}

// Backup writes a consistent copy of the database into dir with VACUUM
// INTO (safe while the app keeps working), verifies it opens and passes
// integrity_check, and then keeps only the newest keep backups in dir
// (keep <= 0 keeps all). It returns the new file.
func (s *Store) Backup(ctx context.Context, dir string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	name := backupPrefix + time.Now().Format("20060102-150405.000") + ".db"
	name = strings.Replace(name, ".", "-", 1) // no dot before the extension but one
	final := filepath.Join(dir, name)
	tmp := final + ".partial"
	_ = os.Remove(tmp) // a leftover of an earlier interrupted backup
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return "", classify(fmt.Errorf("backup to %s: %w", dir, err))
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := VerifyFile(ctx, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("backup did not verify: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("backup: %w", err)
	}
	syncDir(dir)
	if keep > 0 {
		if err := rotate(dir, keep); err != nil {
			return final, err
		}
	}
	return final, nil
}

// Backups lists the backups in dir, newest first.
func Backups(dir string) ([]BackupInfo, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []BackupInfo
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, backupPrefix) || !strings.HasSuffix(n, ".db") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed while listing
		}
		out = append(out, BackupInfo{Path: filepath.Join(dir, n), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	// Names carry the timestamp, so name order is age order.
	sort.Slice(out, func(i, j int) bool { return out[i].Path > out[j].Path })
	return out, nil
}

func rotate(dir string, keep int) error {
	bs, err := Backups(dir)
	if err != nil {
		return err
	}
	for _, b := range bs[min(keep, len(bs)):] {
		if err := os.Remove(b.Path); err != nil {
			return fmt.Errorf("rotate backups: %w", err)
		}
	}
	return nil
}

// VerifyFile checks that path is a cunjing database this program can open:
// ours, not from a newer version, and intact. It opens it read-only.
func VerifyFile(ctx context.Context, path string) error {
	if err := checkFile(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_query_only=1")
	if err != nil {
		return err
	}
	defer db.Close()
	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if uint32(appID) != ApplicationID {
		return fmt.Errorf("%s: %w", path, ErrNotOurs)
	}
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if v > SchemaVersion() {
		return fmt.Errorf("%s: %w (schema %d)", path, ErrNewerSchema, v)
	}
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
	}
	if res != "ok" {
		return fmt.Errorf("%s: %w: %s", path, ErrCorrupt, res)
	}
	var dev string
	if err := db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'device_id'").Scan(&dev); err != nil || dev == "" {
		return fmt.Errorf("%s: %w", path, ErrNoSuchDevice)
	}
	return nil
}

// Restore replaces the database at dbPath with the backup from. The backup
// is verified first; the current database (if any) is kept beside it as
// dbPath + ".before-restore-TIME" so a wrong restore can be undone. The
// database must not be open. It returns the path of the kept copy.
func Restore(ctx context.Context, dbPath, from string) (string, error) {
	if err := VerifyFile(ctx, from); err != nil {
		return "", fmt.Errorf("restore: backup is not usable: %w", err)
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := VerifyFile(ctx, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("restore: copy did not verify: %w", err)
	}
	kept := ""
	if _, err := os.Stat(dbPath); err == nil {
		// Fold the WAL into the old file first, so the kept copy is whole.
		if s, err := Open(ctx, dbPath, Options{SkipIntegrityCheck: true}); err == nil {
			_, cerr := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
			s.Close()
			if cerr != nil {
				os.Remove(tmp)
				return "", fmt.Errorf("restore: checkpoint current database: %w", cerr)
			}
		}
		kept = dbPath + ".before-restore-" + time.Now().Format("20060102-150405")
		if err := os.Rename(dbPath, kept); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("restore: keep current database: %w", err)
		}
		for _, suf := range []string{"-wal", "-shm"} {
			if err := os.Rename(dbPath+suf, kept+suf); err != nil && !errors.Is(err, os.ErrNotExist) {
				return kept, fmt.Errorf("restore: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return kept, fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(dbPath))
	return kept, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable (POSIX); Windows has no directory fsync and
// the error is meaningless there, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
