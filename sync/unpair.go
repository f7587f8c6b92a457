package sync

// Unpairing that a restore cannot undo, and pairing that a restore loses.
// Pairing lives in the database (sync_peers); every unpairing and pairing
// is also appended to a journal beside the database file (DB.unpaired,
// store/backup/unpaired.go: its format, its signed copies beside the
// backups), which a restore leaves alone. Opening the engine revokes again
// what the journal says is unpaired and the database has forgotten, and
// the two checks of trust (a session's device after the TLS handshake, a
// changeset's signer) ask the journal as well. The journal only ever
// takes trust away; a device it says is paired that the database does
// not trust (restored from before the pairing) is said, not trusted
// (LostPairings).

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/syncbook"
	"cunjing/sync/quarantine"
	"cunjing/sync/status"
)

// UnpairedExt is the suffix of the unpairing journal beside a database.
const UnpairedExt = backup.JournalExt

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
		lost, jerr := status.LostOf(ctx, st.SyncBook(), backup.NewJournalFile(st.Path(), st.DeviceID()), st.Path()+".sync", st.Role(), st.DeviceID())
		if jerr != nil || !slices.ContainsFunc(lost, func(l status.Lost) bool { return l.Peer == id }) {
			return errors.Join(fmt.Errorf("peer %s: %w", id, syncbook.ErrNotFound), jerr)
		}
		if err := backup.AppendJournal(journalPath(st.Path()), "unpair", id, at, st.DeviceID()); err != nil {
			return err
		}
		backup.CopyJournal(ctx, st, slog.Default())
		return nil
	}
	if err != nil {
		return err
	}
	// The journal first: a revocation recorded only in the database is
	// the one a restore loses.
	if err := backup.AppendJournal(journalPath(st.Path()), "unpair", id, at, st.DeviceID()); err != nil {
		return err
	}
	if _, err := st.SyncBook().KeepRevoked(ctx, id, at); err != nil {
		return err
	}
	backup.CopyJournal(ctx, st, slog.Default())
	return nil
}

// journalRevoked returns when the journal says id was unpaired ("": it
// does not). A journal that cannot be read is an error: trust is not given
// when the record of taking it away is unreadable.
func (e *Engine) journalRevoked(id string) (string, error) {
	m, err := e.unpaired.Revoked()
	if err != nil {
		return "", err
	}
	return m[id], nil
}

// applyJournal revokes again every device the journal says is unpaired
// and the database trusts (restored from before the unpairing).
func (e *Engine) applyJournal(ctx context.Context) error {
	if err := backup.AdoptJournals(ctx, e.st, e.log); err != nil {
		return err
	}
	m, err := e.unpaired.Revoked()
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
	paired, err := e.unpaired.Paired()
	if err != nil {
		return err
	}
	if was, ok := paired[id]; ok && was.Name == name && was.Role == role {
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
	backup.CopyJournal(ctx, e.st, e.log)
	return nil
}

// LostPairings lists the pairings a restore lost (status.LostOf).
func (e *Engine) LostPairings(ctx context.Context) ([]status.Lost, error) {
	return status.LostOf(ctx, e.book, e.unpaired, e.dir, e.st.Role(), e.Self())
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
