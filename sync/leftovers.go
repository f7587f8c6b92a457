package sync

import (
	"time"

	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// removeLeftovers removes what writes cut short left in the folders of
// the sync directory (safefile.RemoveSyncLeftovers says which and when).
func (e *Engine) removeLeftovers(now time.Time) int {
	removed := safefile.RemoveSyncLeftovers(e.dir, now, ours)
	if removed > 0 {
		e.log.Info("removed what interrupted writes left in the sync folders", "files", removed)
	}
	return removed
}

// RemoveLeftovers removes from an exchange folder (a USB stick, a shared
// drive) what writes cut short left there (a stick pulled out while
// cunjing wrote to it), by the same rules as the sync folders' (names
// cunjing gives its temporary files, regular files, safefile.StaleWrite and
// safefile.StalePull old by now, the PC's clock as files are dated). Nothing pulls
// into an exchange folder, and a write at work is minutes old at most.
func (e *Engine) RemoveLeftovers(dir string, now time.Time) int {
	n := safefile.RemoveLeftovers(dir, now, true, ours)
	if n > 0 {
		e.log.Info("removed what interrupted writes left in the exchange folder", "dir", dir, "files", n)
	}
	return n
}

// ours: a name cunjing gives the files of a folder.
func ours(name string) bool {
	_, blob := changeset.BlobHash(name)
	return blob || changeset.IsName(name) || changeset.IsReceiptName(name)
}
