package sync

// Unpairing that a restore cannot undo. The pairing itself lives in the
// database (sync_peers), and a database restored from a backup made before
// an unpairing would trust the device again: a stolen post PC retired at
// the station would sync as soon as the station's file came back from last
// week's backup. So every unpairing is also appended to a journal beside
// the database file (DB.unpaired), which a restore (store/backup: only the
// database file is replaced) leaves alone. Each line names the device that
// wrote it (a database made anew at the same path, another identity, reads
// none of the old lines). The last line about a device wins: "unpair" revokes it, "pair" (written when a device unpaired here is
// paired again on purpose) ends that. Opening the engine revokes again what
// the journal says is unpaired and the database has forgotten, and the two
// checks of trust (a session's device after the TLS handshake, a
// changeset's signer) ask the journal as well, so a database replaced
// under a running engine is covered too. The journal only ever takes trust
// away: a restore of a database in which a device was unpaired is never
// paired again by it.
//
// The journal travels with the backups (store/backup/unpaired.go): a copy
// signed by this device is written into every folder backups went to at
// each unpairing (and by each backup), a restore takes from the backup's
// folder what it says of devices the journal here does not name (a new PC
// has no journal), and opening the engine does the same from the folders
// backups went to. A copy that does not verify is refused and logged.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/syncbook"
	"cunjing/sync/quarantine"
	"cunjing/sync/status"
)

// UnpairedExt is the suffix of the unpairing journal beside a database.
const UnpairedExt = backup.JournalExt

// unpairJournal is the journal of one database file, read again when it
// changes.
type unpairJournal struct {
	path    string
	size    int64
	mod     time.Time
	revoked map[string]string // device ID → when it was unpaired
	// paired: the devices whose last line pairs them (backup.Pairing).
	paired map[string]backup.Pairing
}

// journalPath is the journal of the database at dbPath.
func journalPath(dbPath string) string { return backup.JournalPath(dbPath) }

// Unpair revokes a paired device: it is refused from now on, also after
// the database is restored from a backup made before (the journal).
func (e *Engine) Unpair(ctx context.Context, id string) error {
	return Unpair(ctx, e.st, id)
}

// Unpair is Engine.Unpair for a store without an engine (`cunjing unpair`).
func Unpair(ctx context.Context, st *store.Store, id string) error {
	at := st.Clock().WallNow().UTC().Format(time.RFC3339)
	p, err := st.SyncBook().Peer(ctx, id)
	if errors.Is(err, syncbook.ErrNotFound) || (err == nil && p.RevokedAt != "") {
		// A pairing a restore lost (LostPairings): the database does not
		// trust the device, the journal still says it is paired. Unpairing
		// it on purpose is said in the journal alone.
		if lost, jerr := journalPaired(st, id); jerr != nil || !lost {
			return errors.Join(fmt.Errorf("peer %s: %w", id, syncbook.ErrNotFound), jerr)
		}
		if err := appendJournal(journalPath(st.Path()), "unpair", id, at, st.DeviceID()); err != nil {
			return err
		}
		copyJournal(ctx, st, slog.Default())
		return nil
	}
	if err != nil {
		return err
	}
	// The journal first: a revocation recorded only in the database is
	// the one a restore loses.
	if err := appendJournal(journalPath(st.Path()), "unpair", id, at, st.DeviceID()); err != nil {
		return err
	}
	if _, err := st.SyncBook().KeepRevoked(ctx, id, at); err != nil {
		return err
	}
	copyJournal(ctx, st, slog.Default())
	return nil
}

// journalPaired says whether the journal beside st's database says the
// device id is paired.
func journalPaired(st *store.Store, id string) (bool, error) {
	f, err := os.Open(journalPath(st.Path()))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unpairing journal: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, backup.MaxJournal))
	if err != nil {
		return false, fmt.Errorf("unpairing journal: %w", err)
	}
	_, ok := backup.JournalPairings(data, st.DeviceID())[id]
	return ok, nil
}

// copyJournal writes the journal's signed copy into every folder backups
// went to that is there now (a stick not plugged in gets it at the next
// backup); a failure is logged, the unpairing stands.
func copyJournal(ctx context.Context, st *store.Store, log *slog.Logger) {
	dirs, err := st.SyncBook().BackupFolders(ctx)
	if err != nil {
		log.Warn("unpairing journal: cannot list the backup folders to copy it to", "err", err)
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		if err := backup.WriteJournalCopy(ctx, st, dir); err != nil {
			log.Warn("unpairing journal: copy to the backup folder failed (the next backup writes it)", "dir", dir, "err", err)
		}
	}
}

// adoptJournals takes into the journal what the copies in the folders
// backups went to say of devices it does not name (a database restored on
// a new PC by hand, or opened again after a restore elsewhere). A copy
// that cannot be read is logged: whoever holds a stick must not keep the
// engine from opening.
func (e *Engine) adoptJournals(ctx context.Context) error {
	dirs, err := e.book.BackupFolders(ctx)
	if err != nil {
		return err
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		if _, err := backup.AdoptJournal(ctx, e.st, dir, e.log); err != nil {
			e.log.Error("unpairing journal: the copy in a backup folder could not be taken", "dir", dir, "err", err)
		}
	}
	return nil
}

// appendJournal adds one line to the journal (backup.AppendJournal).
func appendJournal(path, verb, id, at, self string) error {
	return backup.AppendJournal(path, verb, id, at, self)
}

// parseJournal reads the devices the journal says self unpaired
// (backup.ParseJournal).
func parseJournal(data []byte, self string) map[string]string { return backup.ParseJournal(data, self) }

// journalRevoked returns when the journal says id was unpaired ("": it
// does not). A journal that cannot be read is an error: trust is not given
// when the record of taking it away is unreadable.
func (e *Engine) journalRevoked(id string) (string, error) {
	m, err := e.journal()
	if err != nil {
		return "", err
	}
	return m[id], nil
}

// journal reads the journal if it changed since last read.
func (e *Engine) journal() (map[string]string, error) {
	e.jmu.Lock()
	defer e.jmu.Unlock()
	j := &e.unpaired
	if j.path == "" {
		j.path = journalPath(e.st.Path())
	}
	fi, err := os.Stat(j.path)
	if errors.Is(err, os.ErrNotExist) {
		j.size, j.mod, j.revoked, j.paired = 0, time.Time{}, nil, nil
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("unpairing journal: %w", err)
	}
	if j.revoked != nil && fi.Size() == j.size && fi.ModTime().Equal(j.mod) {
		return j.revoked, nil
	}
	f, err := os.Open(j.path)
	if err != nil {
		return nil, fmt.Errorf("unpairing journal: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, backup.MaxJournal))
	if err != nil {
		return nil, fmt.Errorf("unpairing journal: %w", err)
	}
	j.size, j.mod, j.revoked = fi.Size(), fi.ModTime(), parseJournal(data, e.Self())
	j.paired = backup.JournalPairings(data, e.Self())
	return j.revoked, nil
}

// applyJournal revokes again every device the journal says is unpaired
// and the database trusts (restored from before the unpairing).
func (e *Engine) applyJournal(ctx context.Context) error {
	if err := e.adoptJournals(ctx); err != nil {
		return err
	}
	m, err := e.journal()
	if err != nil {
		return err
	}
	for id, at := range m {
		again, err := e.book.KeepRevoked(ctx, id, at)
		if err != nil {
			return err
		}
		if again {
			e.log.Warn("unpaired again: the database was restored from before this device was unpaired", "peer", id, "unpaired", at)
		}
	}
	return nil
}

// notePaired records a pairing in the journal (which also ends an
// unpairing of a device unpaired here and paired again on purpose), and
// ends a pause of its sessions for files that kept failing verification
// or were addressed to others (sync/quarantine).
func (e *Engine) notePaired(ctx context.Context, id, name, role string) error {
	r, err := e.book.RefusedOf(ctx, id)
	if err != nil {
		return err
	}
	if r.Files > 0 || r.Bytes > 0 || r.NotForUsFiles > 0 || r.NotForUsBytes > 0 || r.PausedAt != "" {
		if err := e.book.ClearRefused(ctx, id); err != nil {
			return err
		}
		if err := quarantine.Release(e.dir); err != nil {
			e.log.Warn("paired again: the quarantined files could not all be put back to be imported again", "err", err)
		}
	}
	if _, err := e.journal(); err != nil {
		return err
	}
	e.jmu.Lock()
	was, ok := e.unpaired.paired[id]
	e.jmu.Unlock()
	if ok && was.Name == name && was.Role == role {
		return nil // said already (a code scanned again)
	}
	// Every pairing, not only one after an unpairing: a database restored
	// from a backup made before it has lost it, and the journal says so
	// (LostPairings).
	if err := backup.AppendPairing(journalPath(e.st.Path()), id, e.st.Clock().WallNow().UTC().Format(time.RFC3339), e.Self(), name, role); err != nil {
		return err
	}
	// The copies on the sticks too: restored onto a new PC, an older copy
	// would unpair the device again, or not know it was paired.
	copyJournal(ctx, e.st, e.log)
	return nil
}

// LostPairings lists the devices the journal says this database paired
// and never unpaired that the database does not trust: it was restored
// from a backup made before the pairing (or between an unpairing and
// pairing again). The peer still holds this device and its work, this
// one knows nothing of it: until the device is paired again or unpaired
// on purpose, the two are apart, and the status says so (status.Lost).
func (e *Engine) LostPairings(ctx context.Context) ([]status.Lost, error) {
	if _, err := e.journal(); err != nil {
		return nil, err
	}
	e.jmu.Lock()
	paired := make([]backup.Pairing, 0, len(e.unpaired.paired))
	for _, p := range e.unpaired.paired {
		paired = append(paired, p)
	}
	e.jmu.Unlock()
	var out []status.Lost
	for _, p := range paired {
		peer, err := e.book.Peer(ctx, p.ID)
		switch {
		case errors.Is(err, syncbook.ErrNotFound):
		case err != nil:
			return nil, err
		case peer.RevokedAt == "":
			continue
		}
		out = append(out, status.Lost{Peer: p.ID, Name: p.Name, Role: p.Role, PairedAt: p.At})
	}
	slices.SortFunc(out, func(a, b status.Lost) int { return strings.Compare(a.PairedAt+a.Peer, b.PairedAt+b.Peer) })
	return out, nil
}

// Revoked says whether a device is unpaired here, by the database or by
// the journal (a device unpaired before the database was restored); an
// unreadable journal counts as revoked.
func (e *Engine) Revoked(ctx context.Context, id string) bool {
	if p, err := e.book.Peer(ctx, id); err == nil && p.RevokedAt != "" {
		return true
	}
	at, err := e.journalRevoked(id)
	return err != nil || at != ""
}

// CutBeforeRestore packs what st holds of its own that no changeset
// carries yet, before st's file is replaced by a backup, and returns how
// many changes it packed. Everything this device cut comes back into a
// database restored from an older backup (its changesets are in its
// folders and at its peers: "own changesets come back"), so what it had
// saved and not cut yet — the minute between two of a node's cuts — must
// not be the one thing a restore loses (it was kept only in the replaced
// file). A device paired with no one has no stream and packs nothing.
func CutBeforeRestore(ctx context.Context, st *store.Store, log *slog.Logger) (int, error) {
	e, err := New(ctx, st, Options{Log: log})
	if err != nil {
		return 0, err
	}
	r, err := e.Cut(ctx)
	return r.Changes, err
}
