package syncbook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// metaBackupFolders names the folders this device's backups were last
// written to (newest first), in the local meta table (never synced): the
// unpairing journal's signed copy goes there at each unpairing too
// (store/backup.WriteJournalCopy), and is read back from there when the
// engine opens.
const metaBackupFolders = "backup.folders"

// maxBackupFolders bounds the folders kept.
const maxBackupFolders = 4

// BackupFolders lists the folders backups were last written to, newest
// first (none when no backup was made).
func (b *Book) BackupFolders(ctx context.Context) ([]string, error) {
	var v string
	err := b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaBackupFolders).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read backup folders: %w", err)
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, nil // a damaged entry is written anew by the next backup
	}
	if len(out) > maxBackupFolders {
		out = out[:maxBackupFolders]
	}
	return out, nil
}

// NoteBackupFolder records that a backup is written to dir (an absolute
// path), first among the folders kept.
func (b *Book) NoteBackupFolder(ctx context.Context, dir string) error {
	old, err := b.BackupFolders(ctx)
	if err != nil {
		return err
	}
	if len(old) > 0 && old[0] == dir {
		return nil
	}
	dirs := append([]string{dir}, slices.DeleteFunc(old, func(d string) bool { return d == dir })...)
	if len(dirs) > maxBackupFolders {
		dirs = dirs[:maxBackupFolders]
	}
	if err := b.setMetaJSON(ctx, metaBackupFolders, dirs); err != nil {
		return fmt.Errorf("note backup folder: %w", err)
	}
	return nil
}
