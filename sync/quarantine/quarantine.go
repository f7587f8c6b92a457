// Package quarantine keeps a paired device from filling the disk with
// files that fail verification. A paired device is trusted to sign, not to
// be sane: each BEP session may pull up to 4 GiB of files from it (sync/bep
// maxPullDefault), and a file that failed its signature used to stay in the
// folder, session after session. Now such a file (damaged, unsigned or
// forged, in a stream the device may not write, not a regular file) is
// moved out of the folder into a quarantine of bounded size beside the
// folders (Dir: the newest MaxHeld bytes are kept for a person to look at,
// older ones removed), and counted against the device that sent it across
// sessions (syncbook.Book.NoteRefused, kept in the database). Once a
// device's refused files reach MaxFiles or MaxBytes, its sessions are
// paused (Paused; sync/bep refuses them right after the TLS handshake),
// logged, and said in Chinese in the sync status (status.PausedWords) until
// it is paired again on purpose (syncbook.Book.ClearRefused), which also
// moves the quarantine back into the folders to be imported again
// (Release). A quarantined file is never pulled again: the folder's index
// still lists it as taken.
//
// It sits below the sync engine's root: it gets the book, the folder and
// the names of the refused files as plain values.
package quarantine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
	"cunjing/sync/status"
)

const (
	// MaxFiles refused files of one device pause its sessions ...
	MaxFiles = 64
	// ... as do MaxBytes refused bytes (a post's day is tens of KB; a
	// scan tens of MB: a device that sends this much that fails is not
	// one whose files are damaged now and then).
	MaxBytes = 256 << 20
	// MaxHeld bounds the quarantine: the newest refused files up to this
	// many bytes are kept, the rest removed.
	MaxHeld = 64 << 20
)

// A paired device may also send files that verify as addressed to other
// devices (not-for-us): a hostile one can send 4 GiB of them a session,
// session after session, and they stayed in the folder, counted by no
// one. Some are legitimate: what a device made before it paired this one
// (a post's work before its station, a station's broadcast and its relay
// of the county's records before a post paired: their changesets, cut
// again for it, follow in the same session), and a blob that a changeset
// applied here refers to (a release or a scanned map sealed before
// pairing; the caller leaves those out). Those are small beside the
// bounds: the rest is counted against the sender apart from the refused
// files (NoteNotForUs), and it is paused once they reach these.
const (
	// MaxNotForUsFiles files addressed to others pause a device: a post
	// that worked alone for years before pairing made some thousands of
	// changesets (its station gets them cut again anyway), and a post
	// with two stations carries each one's receipts and corrections to
	// the other, some dozens of small files a day: 200,000 is over ten
	// years of that.
	MaxNotForUsFiles = 200_000
	// MaxNotForUsBytes such bytes pause it: a post's changesets are tens
	// of KB a day, a receipt about 1.5 KB.
	MaxNotForUsBytes = MaxBytes
)

// Bound is a pause's bound: so many files or so many bytes.
type Bound struct {
	Files int
	Bytes int64
}

// NotForUsBound is the bound of files addressed to others.
var NotForUsBound = Bound{MaxNotForUsFiles, MaxNotForUsBytes}

// ExcuseBound bounds, per device, the blobs addressed to others that a
// changeset applied here refers to and that are excused from the count of
// such files (syncbook.Book.Excuse; such a blob never opens here, so junk
// under a hash a stolen PC's changesets name looks the same): a day's (a
// post's scanned maps from before its station, a release: tens of MB
// each, so a large day of a 30 MB map and a release passes) and in all
// since the device was last paired again (what it made before pairing
// comes once; the day's allowance alone let a hostile device send 1 GiB a
// day for ever). Past either, a referenced blob is counted as addressed
// to others (NoteNotForUs), which pauses the device at NotForUsBound; the
// status says so meanwhile (status.OverExcusedWords).
var ExcuseBound = syncbook.ExcuseBound{DayFiles: 256, DayBytes: 1 << 30, AllFiles: 4096, AllBytes: 2 << 30}

// NoteOverExcused logs that files of bytes the peer sent this session,
// named by a changeset applied here, were past its ExcuseBound and are
// counted as addressed to others, in the status's words.
func NoteOverExcused(ctx context.Context, book *syncbook.Book, log *slog.Logger, peer syncbook.Peer, files int, bytes int64) error {
	if files == 0 {
		return nil
	}
	x, err := book.ExcusedOf(ctx, peer.DeviceID)
	if err != nil {
		return err
	}
	log.Warn("blobs addressed to other devices past what a changeset's reference excuses (a day's, or in all since paired): counted as addressed to others",
		"peer", peer.Name, "device", peer.DeviceID, "files", files, "bytes", bytes, "today", x.OverFiles, "excused_in_all", x.TotalFiles,
		"excused_bytes_in_all", x.TotalBytes, "status", status.OverExcusedWords(peer.Name, x))
	return nil
}

// Dir is the quarantine's folder in the engine's sync folder (one folder
// of it per BEP folder).
const Dir = ".refused"

// ErrPaused is a session refused because the device is paused.
var ErrPaused = errors.New("sessions with this device are paused: its files kept failing verification, or far too many were addressed to other devices")

// Counts says whether a rejection of this kind (sync.RejectKind) is a file
// that failed verification, one a device's sessions are paused for. A
// changeset refused its place in its chain (its changes merged: healing),
// a receipt not newer than the one held, or changes refused by ownership
// are not.
func Counts(kind string) bool {
	switch kind {
	case "damaged", "unverified", "stream", "not-file":
		return true
	}
	return false
}

// File is a file of a BEP folder that failed verification.
type File struct {
	Name string
	// Pulled: it came from the peer in this session (else it was there
	// before: moved out, counted against no one).
	Pulled bool
}

// Sweep moves files out of folder (under root, the engine's sync folder)
// into the quarantine, counts those the peer sent against it, and pauses
// its sessions when they reach the bound. It returns the peer's count and
// whether its sessions are paused (now or before).
func Sweep(ctx context.Context, book *syncbook.Book, log *slog.Logger, root, folder string, peer syncbook.Peer, files []File) (syncbook.Refused, bool, error) {
	if len(files) == 0 {
		r, err := book.RefusedOf(ctx, peer.DeviceID)
		return r, r.PausedAt != "", err
	}
	qdir := filepath.Join(root, Dir, folder)
	if err := os.MkdirAll(qdir, 0o700); err != nil {
		return syncbook.Refused{}, false, fmt.Errorf("quarantine: %w", err)
	}
	var (
		n     int
		bytes int64
	)
	now := time.Now()
	for _, f := range files {
		if filepath.Base(f.Name) != f.Name || f.Name == "." || f.Name == ".." {
			continue
		}
		p := filepath.Join(root, folder, f.Name)
		fi, err := os.Lstat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return syncbook.Refused{}, false, fmt.Errorf("quarantine %s: %w", f.Name, err)
		}
		if !fi.Mode().IsRegular() {
			err = os.Remove(p) // a link is removed, never followed
		} else if err = os.Rename(p, filepath.Join(qdir, f.Name)); err == nil {
			_ = os.Chtimes(filepath.Join(qdir, f.Name), now, now) // newest first in prune
		}
		if err != nil {
			return syncbook.Refused{}, false, fmt.Errorf("quarantine %s: %w", f.Name, err)
		}
		if f.Pulled {
			n++
			bytes += fi.Size()
		}
	}
	if err := prune(filepath.Join(root, Dir), MaxHeld); err != nil {
		log.Warn("quarantine: could not remove older refused files", "err", err)
	}
	r, paused, err := book.NoteRefused(ctx, peer.DeviceID, n, bytes, MaxFiles, MaxBytes)
	if err != nil {
		return r, false, err
	}
	if n > 0 {
		log.Warn("files that failed verification moved out of the folder into quarantine", "peer", peer.Name, "folder", folder,
			"files", n, "bytes", bytes, "refused_in_all", r.Files, "refused_bytes_in_all", r.Bytes, "quarantine", qdir)
	}
	if paused {
		log.Error("sessions with this device paused: its files kept failing verification; pair it again to resume",
			"peer", peer.Name, "device", peer.DeviceID, "files", r.Files, "bytes", r.Bytes, "status", status.PausedWords(peer.Name, r))
	}
	return r, r.PausedAt != "", nil
}

// NoteNotForUs counts files of folder (under root) that the peer sent
// this session and that verify as addressed to other devices (names; the
// caller leaves out blobs a changeset applied here refers to) against the
// peer, apart from refused files, and pauses its sessions when they reach
// MaxNotForUsFiles or MaxNotForUsBytes. They stay in the folder (they
// are marked seen and never read again) until the count pauses the peer:
// then the files of that session (which may have pulled 4 GiB of them)
// are moved into the quarantine too, so its bound holds. It returns the
// peer's count and whether its sessions are paused (now or before).
// bound is the pause's (NotForUsBound; tests give a smaller one); keep
// leaves the files in the folder even then (tests).
func NoteNotForUs(ctx context.Context, book *syncbook.Book, log *slog.Logger, root, folder string, peer syncbook.Peer, names []string, bound Bound, keep bool) (syncbook.Refused, bool, error) {
	var (
		n     int
		bytes int64
		files []File
	)
	for _, name := range names {
		if filepath.Base(name) != name || name == "." || name == ".." {
			continue
		}
		fi, err := os.Lstat(filepath.Join(root, folder, name))
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		n++
		bytes += fi.Size()
		files = append(files, File{Name: name}) // counted here, not again by Sweep
	}
	r, paused, err := book.NoteNotForUs(ctx, peer.DeviceID, n, bytes, bound.Files, bound.Bytes)
	if err != nil || !paused {
		return r, r.PausedAt != "", err
	}
	log.Error("sessions with this device paused: it sent far too many files addressed to other devices; pair it again to resume",
		"peer", peer.Name, "device", peer.DeviceID, "files", r.NotForUsFiles, "bytes", r.NotForUsBytes, "status", status.PausedWords(peer.Name, r))
	if !keep {
		if _, _, err := Sweep(ctx, book, log, root, folder, peer, files); err != nil {
			return r, true, err
		}
	}
	return r, true, nil
}

// Paused says whether the device's sessions are paused, and the error
// that says so (wrapping ErrPaused, with the Chinese words) when they are.
func Paused(ctx context.Context, book *syncbook.Book, peer syncbook.Peer) error {
	r, err := book.RefusedOf(ctx, peer.DeviceID)
	if err != nil {
		return err
	}
	if r.PausedAt == "" {
		return nil
	}
	if r.PausedFor == syncbook.PausedNotForUs {
		return fmt.Errorf("%s (%d files, %d bytes addressed to other devices; since %s): %w; %s", peer.Name, r.NotForUsFiles, r.NotForUsBytes, r.PausedAt, ErrPaused, status.PausedWords(peer.Name, r))
	}
	return fmt.Errorf("%s (%d files, %d bytes refused; since %s): %w; %s", peer.Name, r.Files, r.Bytes, r.PausedAt, ErrPaused, status.PausedWords(peer.Name, r))
}

// Release moves every file of the quarantine under root but receipts back
// into its folder (a name taken there meanwhile is left in the quarantine), to be
// imported again: a device is paired again on purpose once a person has
// looked into why its files failed (a version this one could not read,
// since upgraded), and what verifies now is not lost. What still fails is
// moved out again by the next session, counted against no one.
func Release(root string) error {
	base := filepath.Join(root, Dir)
	folders, err := os.ReadDir(base)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	var errs []error
	for _, f := range folders {
		if !f.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(base, f.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, x := range files {
			to := filepath.Join(root, f.Name(), x.Name())
			// A receipt is not read twice (it was marked seen), and the
			// peer's next one supersedes it: it stays, pruned by size.
			if !x.Type().IsRegular() || changeset.IsReceiptName(x.Name()) {
				continue
			}
			if _, err := os.Lstat(to); err == nil {
				continue
			}
			if err := os.Rename(filepath.Join(base, f.Name(), x.Name()), to); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("quarantine: release: %w", err)
	}
	return nil
}

// prune removes the oldest files under dir until they hold at most max
// bytes.
func prune(dir string, max int64) error {
	type held struct {
		path string
		size int64
		mod  time.Time
	}
	var all []held
	var total int64
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return nil // gone meanwhile
		}
		all = append(all, held{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod.Before(all[j].mod) })
	var errs []error
	for _, h := range all {
		if total <= max {
			break
		}
		if err := os.Remove(h.path); err != nil {
			errs = append(errs, err)
			continue
		}
		total -= h.size
	}
	return errors.Join(errs...)
}
