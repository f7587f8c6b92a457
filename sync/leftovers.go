package sync

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"cunjing/store/winlock"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// removeLeftovers removes what writes cut short left in the folders of
// the sync directory, by this PC's clock as files are dated (now): only regular
// files under names cunjing gives its temporary files (.cj-tmp- and a
// cunjing file name, then nothing, .have, or a dot and 12 hex digits),
// only in cunjing's folders (cj-…; never the quarantine, .refused), and
// only once old enough (safefile.StaleWrite, safefile.StalePull), as their modification
// time says: a transfer at work writes its file as pieces arrive. Another
// program on the same database (the window and `cunjing sync --once`
// take turns at a link, sync/bep/linkturn) may be pulling into a
// temporary file last touched long ago, resuming it: pulls' files are
// left alone while another program holds any link, and the links are
// held here meanwhile, so no dial of theirs starts a pull while they go.
// A pull that still loses its file (the listening side, which takes no
// link) fails its rename and comes again in the next session; nothing
// half-written is ever taken for a file. A file dated in the future
// (this PC's clock fell back) waits until the clock passes it.
func (e *Engine) removeLeftovers(now time.Time) int {
	root, err := os.ReadDir(e.dir)
	if err != nil {
		return 0
	}
	pullsFree := true
	var held []*winlock.Lock
	defer func() {
		for _, l := range held {
			_ = l.Release()
		}
	}()
	var folders []string
	for _, en := range root {
		name := en.Name()
		switch {
		case strings.HasPrefix(name, ".link-") && strings.HasSuffix(name, ".lock"):
			l, err := winlock.TakeFile(filepath.Join(e.dir, name))
			if err != nil {
				pullsFree = false // held by another program, or not to be told
				continue
			}
			held = append(held, l)
		case strings.HasPrefix(name, "cj-") && en.IsDir():
			folders = append(folders, filepath.Join(e.dir, name))
		}
	}
	removed := 0
	for _, dir := range folders {
		removed += safefile.RemoveLeftovers(dir, now, pullsFree, ours)
	}
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
