// Package exchange owns the offline carrier: a directory on a USB stick or
// a shared drive that devices read changesets from and write the changesets
// the other side lacks to. It copes with files still being copied (they are
// retried until they stop changing), duplicates (imports are idempotent),
// and a stick pulled out mid-write (files are written under a temporary
// name and renamed; a vanished directory is waited for).
package exchange

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/safefile"
	"cunjing/sync/status"
)

// Settle is how long a file must stay unchanged before a damaged-looking
// copy is treated as final (and rejected) rather than still arriving.
const Settle = 2 * time.Second

// Report sums up one exchange.
type Report struct {
	Dir      string           `json:"dir"`
	Imported cjsync.DirResult `json:"imported"`
	Cut      int              `json:"cut_changesets"`
	Written  int              `json:"written_files"`
	// BytesIn and BytesOut: what the folder brought from peers and what
	// was written to it (also added to the peers' byte counters).
	BytesIn  int64    `json:"bytes_in"`
	BytesOut int64    `json:"bytes_out"`
	Pending  []string `json:"pending,omitempty"` // files still arriving
	// Acknowledged: every paired peer's latest receipt covers everything
	// this device holds for it. What was just written to the folder cannot
	// be acknowledged until the peer's answer comes back: false then is
	// no error. Waiting lists per peer what is not acknowledged yet.
	Acknowledged bool             `json:"acknowledged"`
	Waiting      []status.Waiting `json:"waiting"`
	Status       status.Summary   `json:"status"`
	// JunkToday counts what sticks brought today that failed
	// verification or is addressed to other devices (stickJunk); past
	// quarantine's bounds the rest of the folder is left unread today
	// (Imported.Unexamined). JunkWords says so in Chinese: filled in app
	// (syncwords.FillExchange), as 同步 says it, for `exchange --json`.
	JunkToday syncbook.Refused `json:"junk_today"`
	JunkWords string           `json:"junk_words,omitempty"`
}

// Once imports what dir holds, cuts new local changes, and writes every
// changeset and blob dir lacks. Files modified in the last Settle are
// treated as possibly still being copied.
func Once(ctx context.Context, e *cjsync.Engine, dir string) (Report, error) {
	rep := Report{Dir: dir}
	st, err := os.Stat(dir)
	if err != nil {
		return rep, fmt.Errorf("exchange folder: %w", err)
	}
	if !st.IsDir() {
		return rep, fmt.Errorf("exchange folder %s is not a directory", dir)
	}
	carrier := "exchange:" + dir
	now := time.Now()
	key := stickKey(e)
	junk := &stickJunk{e: e}
	if junk.held, err = e.Book().RefusedOf(ctx, key); err != nil {
		return rep, err
	}
	if junk.mem, err = recallMemory(ctx, e); err != nil {
		return rep, err
	}
	res, err := importDir(ctx, e, carrier, dir, now, junk)
	if err != nil {
		return rep, err
	}
	if rep.JunkToday, err = junk.note(ctx, e, key, res.Unexamined); err != nil {
		return rep, err
	}
	if err := pruneDays(ctx, e, junk.mem, strings.TrimPrefix(key, stickPrefix)); err != nil {
		return rep, err
	}
	if err := junk.mem.keep(ctx, e); err != nil {
		return rep, err
	}
	// What a stick pulled out mid-write left there (.cj-tmp-…), an hour
	// old: it stayed on the stick for ever.
	e.RemoveLeftovers(dir, now)
	rep.Imported = res
	if res.Other > 0 {
		e.Log().Info("the exchange folder holds what is no cunjing file: left alone, unread", "dir", dir, "count", res.Other, "first", res.OtherNames)
	}
	for _, r := range res.Results {
		if r.Outcome == cjsync.NotReady {
			rep.Pending = append(rep.Pending, r.File)
		}
	}
	cut, err := e.Cut(ctx)
	if err != nil {
		return rep, err
	}
	rep.Cut = len(cut.Changesets)
	in := map[string]int64{}
	for _, r := range res.Results {
		if r.Origin == "" || r.Origin == e.Self() || (r.Outcome != cjsync.Applied && r.Outcome != cjsync.Acknowledged && r.Outcome != cjsync.Waiting) {
			continue
		}
		if st, err := os.Lstat(filepath.Join(dir, r.File)); err == nil {
			in[r.Origin] += st.Size()
			rep.BytesIn += st.Size()
		}
	}
	if beforeWrite != nil {
		beforeWrite()
	}
	// A stick pulled out meanwhile leaves no folder, or its mount point,
	// a folder of this PC's disk: nothing is written there (the write
	// used to make the folder again and say the files were written).
	if err := sameFolder(dir, st); err != nil {
		return rep, writeFailed(dir, err)
	}
	before := files(dir)
	// And before each file: a stick swapped, or pulled out with its
	// mount point left, midway gets no more of them (the check before
	// and after the whole write let every file go to the other folder).
	release := safefile.Guard(dir, func() error { return sameFolder(dir, st) })
	err = e.WriteOut(ctx, dir, "")
	release()
	if err != nil {
		return rep, writeFailed(dir, err)
	}
	if err := sameFolder(dir, st); err != nil {
		return rep, writeFailed(dir, err)
	}
	after := files(dir)
	for name, size := range after {
		if _, ok := before[name]; !ok {
			rep.Written++
			rep.BytesOut += size
		}
	}
	peers, err := e.Book().Peers(ctx, false)
	if err != nil {
		return rep, err
	}
	for _, p := range peers {
		if p.Role != store.RolePost && p.Role != store.RoleStation && p.Role != store.RoleCounty {
			continue
		}
		if err := e.Book().NoteBytes(ctx, p.DeviceID, in[p.DeviceID], rep.BytesOut); err != nil {
			return rep, err
		}
	}
	rep.Status, err = e.Status(ctx)
	rep.Acknowledged, rep.Waiting = rep.Status.Acknowledged, rep.Status.Waiting
	return rep, err
}

// beforeWrite, when set (tests), runs between the import and the write:
// where a stick is pulled out.
var beforeWrite func()

// files lists the sizes of the files in dir.
func files(dir string) map[string]int64 {
	out := map[string]int64{}
	es, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, en := range es {
		if info, err := en.Info(); err == nil && info.Mode().IsRegular() {
			out[en.Name()] = info.Size()
		}
	}
	return out
}

// importDir imports the files of dir; those unchanged for Settle before
// now count as final, and so do those dated more than Settle after now:
// written on a PC whose clock is ahead of this one's (or this one's is
// behind, a BIOS battery run down), they cannot be told from files still
// arriving by their time, and would otherwise pend for ever (a blob for
// another device, a damaged file). Taken as final too early, a file still
// being copied is at worst refused once as damaged and taken when whole.
// Files are opened without following links and refused by their size
// before they are read (sync.Engine.ImportFiles).
func importDir(ctx context.Context, e *cjsync.Engine, carrier, dir string, now time.Time, within cjsync.Within) (cjsync.DirResult, error) {
	settled, future := now.Add(-Settle), now.Add(Settle)
	return e.ImportFilesWithin(ctx, carrier, dir, func(fi fs.FileInfo) bool {
		return fi.ModTime().Before(settled) || fi.ModTime().After(future)
	}, within)
}

// Watch keeps dir in sync until ctx ends: it imports what appears (once a
// file has settled), and after every import or local cut writes what the
// directory lacks. cut, when not nil, signals that new local changes may
// be waiting. A directory that disappears (stick pulled out) is waited for.
// onReport, when not nil, receives a report after every pass.
func Watch(ctx context.Context, e *cjsync.Engine, dir string, cut <-chan struct{}, onReport func(Report, error)) error {
	report := func(r Report, err error) {
		if onReport != nil {
			onReport(r, err)
		}
		if err != nil {
			e.Log().Warn("exchange folder", "dir", dir, "err", err)
		}
	}
	for {
		err := watchOnce(ctx, e, dir, cut, report)
		if ctx.Err() != nil {
			return nil
		}
		report(Report{Dir: dir}, err)
		// The directory is gone or unreadable: wait for it to come back.
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(Settle):
		}
	}
}

func watchOnce(ctx context.Context, e *cjsync.Engine, dir string, cut <-chan struct{}, report func(Report, error)) error {
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	pass := func() error {
		r, err := Once(ctx, e, dir)
		report(r, err)
		return err
	}
	if err := pass(); err != nil {
		return err
	}
	// Events come in bursts while a file is copied: run a pass once the
	// directory has been quiet for Settle, and again while files pend.
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("watcher closed")
			}
			if ev.Name == dir && ev.Op&(fsnotify.Remove|fsnotify.Rename) != 0 {
				return fmt.Errorf("%s went away", dir)
			}
			timer.Reset(Settle)
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("watcher closed")
			}
			return fmt.Errorf("watch %s: %w", dir, err)
		case <-cut:
			timer.Reset(100 * time.Millisecond)
		case <-timer.C:
			if _, err := os.Stat(dir); err != nil {
				return err
			}
			r, err := Once(ctx, e, dir)
			report(r, err)
			if err != nil {
				return err
			}
			if len(r.Pending) > 0 {
				timer.Reset(Settle)
			}
		}
	}
}
