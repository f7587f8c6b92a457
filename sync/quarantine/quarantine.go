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

// Dir is the quarantine's folder in the engine's sync folder (one folder
// of it per BEP folder).
const Dir = ".refused"

// ErrPaused is a session refused because the device is paused.
var ErrPaused = errors.New("sessions with this device are paused: its files kept failing verification")

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
