package sync

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cunjing/store/winlock"
	"cunjing/sync/changeset"
)

// Leftovers of writes cut short (a crash, a kill, a power cut) in the
// folders of a sync directory stayed there for ever: a BEP pull's
// temporary file (.cj-tmp-<name>, and its list of pieces, .have) and a
// file written whole under a name of its own (safefile.WriteAtomic:
// .cj-tmp-<name>.<12 hex digits>). Opening the engine removes them once
// they are old enough to be nobody's work in progress (removeLeftovers).
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

// removeLeftovers removes what writes cut short left in the folders of
// the sync directory, by this PC's clock as files are dated (now): only regular
// files under names cunjing gives its temporary files (.cj-tmp- and a
// cunjing file name, then nothing, .have, or a dot and 12 hex digits),
// only in cunjing's folders (cj-…; never the quarantine, .refused), and
// only once old enough (StaleWrite, StalePull), as their modification
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
		removed += removeLeftoversIn(dir, now, pullsFree)
	}
	if removed > 0 {
		e.log.Info("removed what interrupted writes left in the sync folders", "files", removed)
	}
	return removed
}

// RemoveLeftovers removes from an exchange folder (a USB stick, a shared
// drive) what writes cut short left there (a stick pulled out while
// cunjing wrote to it), by the same rules as the sync folders' (names
// cunjing gives its temporary files, regular files, StaleWrite and
// StalePull old by now, the PC's clock as files are dated). Nothing pulls
// into an exchange folder, and a write at work is minutes old at most.
func (e *Engine) RemoveLeftovers(dir string, now time.Time) int {
	n := removeLeftoversIn(dir, now, true)
	if n > 0 {
		e.log.Info("removed what interrupted writes left in the exchange folder", "dir", dir, "files", n)
	}
	return n
}

// removeLeftoversIn removes the leftovers in one folder (pulls' only if
// pullsFree) and says how many.
func removeLeftoversIn(dir string, now time.Time, pullsFree bool) int {
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
		pull, ok := leftoverKind(name)
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
func leftoverKind(name string) (pull, ok bool) {
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

// ours: a name cunjing gives the files of a folder.
func ours(name string) bool {
	_, blob := changeset.BlobHash(name)
	return blob || changeset.IsName(name) || changeset.IsReceiptName(name)
}
