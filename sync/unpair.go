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

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
)

// UnpairedExt is the suffix of the unpairing journal beside a database.
const UnpairedExt = ".unpaired"

// maxJournal bounds how much of the journal is read (a line is ~90 bytes:
// ten thousand unpairings and more).
const maxJournal = 1 << 20

// unpairJournal is the journal of one database file, read again when it
// changes.
type unpairJournal struct {
	path    string
	size    int64
	mod     time.Time
	revoked map[string]string // device ID → when it was unpaired
}

// journalPath is the journal of the database at dbPath.
func journalPath(dbPath string) string { return dbPath + UnpairedExt }

// Unpair revokes a paired device: it is refused from now on, also after
// the database is restored from a backup made before (the journal).
func (e *Engine) Unpair(ctx context.Context, id string) error {
	return Unpair(ctx, e.st, id)
}

// Unpair is Engine.Unpair for a store without an engine (`cunjing unpair`).
func Unpair(ctx context.Context, st *store.Store, id string) error {
	p, err := st.SyncBook().Peer(ctx, id)
	if err != nil {
		return err
	}
	if p.RevokedAt != "" {
		return fmt.Errorf("peer %s: %w", id, syncbook.ErrNotFound)
	}
	// The journal first: a revocation recorded only in the database is
	// the one a restore loses.
	at := st.Clock().WallNow().UTC().Format(time.RFC3339)
	if err := appendJournal(journalPath(st.Path()), "unpair", id, at, st.DeviceID()); err != nil {
		return err
	}
	if _, err := st.SyncBook().KeepRevoked(ctx, id, at); err != nil {
		return err
	}
	return nil
}

// appendJournal adds one line to the journal and syncs it to disk: what
// self (this database's device) did about the device id, and when.
func appendJournal(path, verb, id, at, self string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("unpairing journal: %w", err)
	}
	// A power cut while a line was written leaves it torn (no newline)
	// or followed by zero bytes: start on a line of its own, or this line
	// is read as part of that one and the unpairing is lost.
	line := fmt.Sprintf("%s %s %s %s\n", verb, id, at, self)
	var last [1]byte
	fi, err := f.Stat()
	if err == nil && fi.Size() > 0 {
		if _, err = f.ReadAt(last[:], fi.Size()-1); err == nil && last[0] != '\n' {
			line = "\n" + line
		}
	}
	if err == nil {
		_, err = io.WriteString(f, line)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unpairing journal %s: %w", filepath.Base(path), err)
	}
	return nil
}

// parseJournal reads the lines self wrote in the journal: the devices
// whose last line unpairs them, with when. Lines it cannot read are
// skipped (a torn last line after a power cut), never a reason to trust
// anyone.
func parseJournal(data []byte, self string) map[string]string {
	out := map[string]string{}
	// Line by line, whatever their length: a long run of junk (zero
	// bytes a power cut left) is one line skipped, not the end of the
	// reading (a bufio.Scanner stops at its longest token).
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if len(line) > 4096 {
			continue
		}
		f := strings.Fields(string(line))
		if len(f) != 4 || f[3] != self || len(f[1]) > 80 || len(f[2]) > 40 {
			continue
		}
		switch f[0] {
		case "unpair":
			if _, err := time.Parse(time.RFC3339, f[2]); err == nil {
				out[f[1]] = f[2]
			}
		case "pair":
			delete(out, f[1])
		}
	}
	return out
}

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
		j.size, j.mod, j.revoked = 0, time.Time{}, nil
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
	data, err := io.ReadAll(io.LimitReader(f, maxJournal))
	if err != nil {
		return nil, fmt.Errorf("unpairing journal: %w", err)
	}
	j.size, j.mod, j.revoked = fi.Size(), fi.ModTime(), parseJournal(data, e.Self())
	return j.revoked, nil
}

// applyJournal revokes again every device the journal says is unpaired
// and the database trusts (restored from before the unpairing).
func (e *Engine) applyJournal(ctx context.Context) error {
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

// notePaired ends an unpairing in the journal when a device unpaired here
// is paired again on purpose.
func (e *Engine) notePaired(id string) error {
	at, err := e.journalRevoked(id)
	if err != nil || at == "" {
		return err
	}
	return appendJournal(journalPath(e.st.Path()), "pair", id, e.st.Clock().WallNow().UTC().Format(time.RFC3339), e.Self())
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
