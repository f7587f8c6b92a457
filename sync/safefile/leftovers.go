package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cunjing/store/winlock"
)

// Leftovers of writes cut short (a crash, a kill, a power cut, a stick
// pulled out) stay in a folder for ever unless removed: a BEP pull's
// temporary file (TempPrefix and the file's name, and its list of pieces,
// .have) and a file written whole under a name of its own (WriteAtomic:
// TempPrefix, the name, a dot and 12 hex digits). RemoveLeftovers removes
// them once they are old enough to be nobody's work in progress.
const (
	// StaleWrite: a write under a name of its own takes milliseconds
	// (a receipt, a changeset written out); an hour old, it was cut.
	StaleWrite = time.Hour
	// StalePull: a pull's temporary file is what a cut transfer resumes
	// from, in the next session with that peer; a village link may be
	// down for days. Untouched for a week, the peer no longer offers the
	// file or it came another way.
	StalePull = 7 * 24 * time.Hour
)

// RemoveLeftovers removes from dir what writes cut short left there and
// says how many: regular files named TempPrefix and a name ours says is
// one of the folder's files, then nothing or .have (a pull's temporary
// file and its list of pieces: only if pullsFree, once StalePull old) or a
// dot and 12 hex digits (WriteAtomic's, once StaleWrite old), by their
// modification time against now (the clock files are dated by). A file
// dated in the future waits until the clock passes it.
func RemoveLeftovers(dir string, now time.Time, pullsFree bool, ours func(name string) bool) int {
	f, err := os.Open(dir)
	if err != nil {
		return 0
	}
	defer f.Close()
	// Names only, a batch at a time: a station's folders hold years of
	// changesets, some hundred thousand names each.
	var leftovers []string
	for {
		names, err := f.Readdirnames(1024)
		for _, name := range names {
			if strings.HasPrefix(name, TempPrefix) {
				leftovers = append(leftovers, name)
			}
		}
		if err != nil || len(names) == 0 {
			break
		}
	}
	removed := 0
	for _, name := range leftovers {
		pull, ok := leftoverKind(name, ours)
		if !ok || pull && !pullsFree {
			continue
		}
		p := filepath.Join(dir, name)
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		age, stale := now.Sub(fi.ModTime()), StaleWrite
		if pull {
			stale = StalePull
		}
		if age < stale {
			continue
		}
		if err := os.Remove(p); err == nil || errors.Is(err, os.ErrNotExist) {
			removed++
		}
	}
	return removed
}

// leftoverKind tells a temporary file name of cunjing's: a pull's (the
// temporary file or its list of pieces) or a write's under a name of its
// own; ok is false for any other name.
func leftoverKind(name string, ours func(string) bool) (pull, ok bool) {
	rest, found := strings.CutPrefix(name, TempPrefix)
	if !found {
		return false, false
	}
	if ours(rest) {
		return true, true
	}
	if base, found := strings.CutSuffix(rest, ".have"); found && ours(base) {
		return true, true
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 || len(rest)-i-1 != 12 || !ours(rest[:i]) {
		return false, false
	}
	for _, c := range rest[i+1:] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false, false
		}
	}
	return false, true
}

// RemoveSyncLeftovers removes what writes cut short left in the folders of
// a sync directory (root), by this PC's clock as files are dated (now):
// only regular files under names cunjing gives its temporary files
// (.cj-tmp- and a cunjing file name — ours —, then nothing, .have, or a
// dot and 12 hex digits), only in cunjing's folders (cj-…; never the
// quarantine, .refused), and only once old enough (StaleWrite,
// StalePull), as their modification time says: a transfer at work writes
// its file as pieces arrive. Another program on the same database (the
// window and `cunjing sync --once` take turns at a link,
// sync/bep/linkturn) may be pulling into a temporary file last touched
// long ago, resuming it: pulls' files are left alone while another
// program holds any link, and the links are held here meanwhile, so no
// dial of theirs starts a pull while they go. A pull that still loses its
// file (the listening side, which takes no link) fails its rename and
// comes again in the next session; nothing half-written is ever taken
// for a file. A file dated in the future (this PC's clock fell back)
// waits until the clock passes it. It returns how many it removed.
func RemoveSyncLeftovers(root string, now time.Time, ours func(name string) bool) int {
	entries, err := os.ReadDir(root)
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
	for _, en := range entries {
		name := en.Name()
		switch {
		case strings.HasPrefix(name, ".link-") && strings.HasSuffix(name, ".lock"):
			l, err := winlock.TakeFile(filepath.Join(root, name))
			if err != nil {
				pullsFree = false // held by another program, or not to be told
				continue
			}
			held = append(held, l)
		case strings.HasPrefix(name, "cj-") && en.IsDir():
			folders = append(folders, filepath.Join(root, name))
		}
	}
	removed := 0
	for _, dir := range folders {
		removed += RemoveLeftovers(dir, now, pullsFree, ours)
	}
	return removed
}
