package syncbook

// Sync bookkeeping for healing splits between a device and its peers
// (migration 0005): peers' clock offsets, notes owed to peers, taking back
// changesets this device cut before a restore, and taking up a stream again
// after the head a peer holds. Package sync decides when; this file only
// keeps the records consistent, each change in one transaction.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Clock measurements of a peer (Peer.ClockBy).
const (
	ClockByHello  = "hello"  // a BEP handshake's timestamp
	ClockByStamps = "stamps" // its changes arrived stamped ahead of this PC's clock
	ClockByNote   = "note"   // the peer measured this PC's changes against its clock
)

// SetPeerClock records a peer's clock minus this PC's (ms; 0: within a
// day) as measured by by.
func (b *Book) SetPeerClock(ctx context.Context, id string, ms int64, by string) error {
	_, err := b.q.ExecContext(ctx, "UPDATE sync_peers SET clock_ms = ?, clock_at = ?, clock_by = ? WHERE device_id = ?", ms, b.nowText(), by, id)
	if err != nil {
		return fmt.Errorf("note clock of %s: %w", id, err)
	}
	return nil
}

// OutAt returns this device's changeset number seq of stream (without its
// data); false if it has none.
func (b *Book) OutAt(ctx context.Context, stream string, seq uint64) (OutChangeset, bool, error) {
	c := OutChangeset{Stream: stream, Seq: seq}
	var blobs string
	err := b.q.QueryRowContext(ctx, "SELECT name, digest, changes, blobs, at, change_seq FROM sync_out WHERE stream = ? AND seq = ?", stream, seq).
		Scan(&c.Name, &c.Digest, &c.Changes, &blobs, &c.At, &c.ChangeSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read changeset %s/%d: %w", stream, seq, err)
	}
	if err := json.Unmarshal([]byte(blobs), &c.Blobs); err != nil {
		return c, false, fmt.Errorf("changeset %s blobs: %w", c.Name, err)
	}
	return c, true, nil
}

// AdoptCut takes back into this device's stream a changeset it cut before
// its database was restored from an older backup (it came back from a
// peer, or was still in the folder): if it follows the stream's head (its
// number is next and prev is the head's digest), it is stored as cut and
// the stream moves to it, so the next cut continues after it and no number
// is used twice. Its changes were applied in this transaction between
// change-log positions before and after; when the stream had cut
// everything up to before, it now has up to after (they need not go out
// again). It reports whether the changeset was taken. Call it on the book
// of the transaction that applies those changes (store.Tx.SyncBook).
func (b *Book) AdoptCut(ctx context.Context, c OutChangeset, prev string, before, after int64) (bool, error) {
	adopted := false
	err := b.inTx(ctx, func(t *Book) error {
		var seq uint64
		var digest string
		var cursor int64
		err := t.q.QueryRowContext(ctx, "SELECT seq, digest, change_seq FROM sync_streams WHERE stream = ?", c.Stream).Scan(&seq, &digest, &cursor)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read stream %s: %w", c.Stream, err)
		}
		if c.Seq != seq+1 || prev != digest {
			return nil
		}
		if cursor >= before {
			cursor = after
		}
		blobs, err := json.Marshal(nonNil(c.Blobs))
		if err != nil {
			return err
		}
		if c.At == "" {
			c.At = t.nowText()
		}
		if _, err := t.q.ExecContext(ctx, "INSERT INTO sync_out (stream, seq, name, digest, changes, blobs, at, data, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			c.Stream, c.Seq, c.Name, c.Digest, c.Changes, string(blobs), c.At, c.Data, cursor); err != nil {
			return fmt.Errorf("take back changeset %s: %w", c.Name, err)
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO sync_streams (stream, seq, digest, change_seq) VALUES (?, ?, ?, ?)
ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, digest = excluded.digest, change_seq = excluded.change_seq`,
			c.Stream, c.Seq, c.Digest, cursor); err != nil {
			return fmt.Errorf("advance stream %s: %w", c.Stream, err)
		}
		if _, err := t.q.ExecContext(ctx, "INSERT INTO sync_seen (name, outcome) VALUES (?, 'own') ON CONFLICT (name) DO UPDATE SET outcome = excluded.outcome", c.Name); err != nil {
			return fmt.Errorf("mark %s: %w", c.Name, err)
		}
		adopted = true
		return nil
	})
	return adopted, err
}

// RebaseResult says what Rebase did.
type RebaseResult struct {
	Done    bool     // false: already done for this head
	Dropped []string // this device's changesets the peer will never take
	Cursor  int64    // change-log position the stream cuts again from
}

// Superseded marks, in sync_seen, a changeset of this device that Rebase
// dropped: if it turns up again it is neither imported nor adopted.
const Superseded = "superseded"

// Rebase takes up stream again after the head a peer holds of it (seq
// head, digest digest), when the peer refused changesets this device cut
// (after a restore from an older backup, this device reused numbers the
// peer already had). The two chains agree up to agreed (0: nowhere known):
// this device's changesets after it are dropped (marked Superseded) and
// the changes they carried are cut again, numbered after head. Repeated
// for the same head it does nothing.
func (b *Book) Rebase(ctx context.Context, stream string, head uint64, digest string, agreed uint64) (RebaseResult, error) {
	var r RebaseResult
	err := b.inTx(ctx, func(t *Book) error {
		var n int
		if err := t.q.QueryRowContext(ctx, "SELECT count(*) FROM sync_rebased WHERE stream = ? AND seq = ? AND digest = ?", stream, head, digest).Scan(&n); err != nil {
			return fmt.Errorf("read rebases of %s: %w", stream, err)
		}
		if n > 0 {
			return nil
		}
		r = RebaseResult{Done: true}
		if agreed > 0 {
			err := t.q.QueryRowContext(ctx, "SELECT change_seq FROM sync_out WHERE stream = ? AND seq = ?", stream, agreed).Scan(&r.Cursor)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("read changeset %s/%d: %w", stream, agreed, err)
			}
		}
		rows, err := t.q.QueryContext(ctx, "SELECT name FROM sync_out WHERE stream = ? AND seq > ? ORDER BY seq", stream, agreed)
		if err != nil {
			return fmt.Errorf("list changesets of %s: %w", stream, err)
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			r.Dropped = append(r.Dropped, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, name := range r.Dropped {
			if _, err := t.q.ExecContext(ctx, "INSERT INTO sync_seen (name, outcome) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET outcome = excluded.outcome", name, Superseded); err != nil {
				return fmt.Errorf("mark %s: %w", name, err)
			}
		}
		if _, err := t.q.ExecContext(ctx, "DELETE FROM sync_out WHERE stream = ? AND seq > ?", stream, agreed); err != nil {
			return fmt.Errorf("drop changesets of %s: %w", stream, err)
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO sync_streams (stream, seq, digest, change_seq) VALUES (?, ?, ?, ?)
ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, digest = excluded.digest, change_seq = excluded.change_seq`,
			stream, head, digest, r.Cursor); err != nil {
			return fmt.Errorf("take up stream %s: %w", stream, err)
		}
		if _, err := t.q.ExecContext(ctx, "INSERT INTO sync_rebased (stream, seq, digest, at) VALUES (?, ?, ?, ?)", stream, head, digest, b.nowText()); err != nil {
			return fmt.Errorf("record rebase of %s: %w", stream, err)
		}
		return nil
	})
	return r, err
}

// AppliedSeq returns the number of the applied changeset of origin's
// stream whose digest is digest; false if none.
func (b *Book) AppliedSeq(ctx context.Context, origin, stream, digest string) (uint64, bool, error) {
	var seq uint64
	err := b.q.QueryRowContext(ctx, "SELECT seq FROM sync_in WHERE origin = ? AND stream = ? AND digest = ? AND state = 'applied'", origin, stream, digest).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look up changeset of %s: %w", origin, err)
	}
	return seq, true, nil
}

// NoteRow is a note owed to (or sent to) a peer about itself; Body is
// package sync's encoding.
type NoteRow struct {
	About, Kind, Stream string
	Body                string
	At                  string
	Sent, Open          bool
}

// PutNote records a note for a peer, replacing an earlier one of the same
// kind and stream: it is to be sent (again) and is open. The same note
// again changes nothing.
func (b *Book) PutNote(ctx context.Context, n NoteRow) error {
	if n.At == "" {
		n.At = b.nowText()
	}
	_, err := b.q.ExecContext(ctx, `INSERT INTO sync_notes (about, kind, stream, body, at, sent, open) VALUES (?, ?, ?, ?, ?, 0, 1)
ON CONFLICT (about, kind, stream) DO UPDATE SET body = excluded.body, at = excluded.at, sent = 0, open = 1
  WHERE sync_notes.body != excluded.body`,
		n.About, n.Kind, n.Stream, n.Body, n.At)
	if err != nil {
		return fmt.Errorf("note for %s: %w", n.About, err)
	}
	return nil
}

// Notes lists notes: to send (unsent) or all open ones.
func (b *Book) Notes(ctx context.Context, unsentOnly bool) ([]NoteRow, error) {
	q := "SELECT about, kind, stream, body, at, sent, open FROM sync_notes WHERE open = 1"
	if unsentOnly {
		q = "SELECT about, kind, stream, body, at, sent, open FROM sync_notes WHERE sent = 0"
	}
	rows, err := b.q.QueryContext(ctx, q+" ORDER BY about, kind, stream")
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	var out []NoteRow
	for rows.Next() {
		var n NoteRow
		if err := rows.Scan(&n.About, &n.Kind, &n.Stream, &n.Body, &n.At, &n.Sent, &n.Open); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkNoteSent records that a note went out in a changeset (unless it was
// replaced meanwhile: body must still be the one sent).
func (b *Book) MarkNoteSent(ctx context.Context, n NoteRow) error {
	// A clock note has nothing to follow up once sent.
	_, err := b.q.ExecContext(ctx, "UPDATE sync_notes SET sent = 1, open = (kind != 'clock' AND open) WHERE about = ? AND kind = ? AND stream = ? AND body = ?", n.About, n.Kind, n.Stream, n.Body)
	if err != nil {
		return fmt.Errorf("note sent to %s: %w", n.About, err)
	}
	return nil
}

// CloseNote marks a note resolved (a chain note: the peer's chain went on
// from the head it named); a clock note with nothing to tell is closed once
// sent.
func (b *Book) CloseNote(ctx context.Context, about, kind, stream string) error {
	if _, err := b.q.ExecContext(ctx, "UPDATE sync_notes SET open = 0 WHERE about = ? AND kind = ? AND stream = ?", about, kind, stream); err != nil {
		return fmt.Errorf("close note for %s: %w", about, err)
	}
	return nil
}

// ResetBEPIndex gives our index of a folder a fresh IndexID, keeping its
// files and sequences: a peer that holds more of our index than we
// announced (we were restored from an older backup) then takes our whole
// index anew instead of waiting for sequences we number differently.
func (b *Book) ResetBEPIndex(ctx context.Context, folder string) error {
	if _, err := b.q.ExecContext(ctx, "DELETE FROM bep_folders WHERE folder = ?", folder); err != nil {
		return fmt.Errorf("reset index of %s: %w", folder, err)
	}
	_, _, err := b.bepFolderKeepSeq(ctx, folder)
	return err
}

// NoteBEPAnnounced records that our index of a folder, under indexID, is
// being announced up to seq (before it goes out: a crash in between then
// leaves the record ahead of the peer, never behind it). A record for
// another IndexID (the index was reset meanwhile) is left alone.
func (b *Book) NoteBEPAnnounced(ctx context.Context, folder string, indexID uint64, seq int64) error {
	if _, err := b.q.ExecContext(ctx, "UPDATE bep_folders SET announced = max(announced, ?) WHERE folder = ? AND index_id = ?", seq, folder, int64(indexID)); err != nil {
		return fmt.Errorf("note index of %s announced: %w", folder, err)
	}
	return nil
}

// BEPAnnounced returns our index of a folder, its IndexID and how far it
// was announced to peers (NoteBEPAnnounced).
func (b *Book) BEPAnnounced(ctx context.Context, folder string) (uint64, int64, error) {
	id, _, err := b.BEPFolder(ctx, folder)
	if err != nil {
		return 0, 0, err
	}
	var n int64
	if err := b.q.QueryRowContext(ctx, "SELECT announced FROM bep_folders WHERE folder = ?", folder).Scan(&n); err != nil {
		return 0, 0, fmt.Errorf("read folder %s: %w", folder, err)
	}
	return id, n, nil
}

// bepFolderKeepSeq recreates a folder's row with a fresh IndexID and its
// sequence at the highest of its files.
func (b *Book) bepFolderKeepSeq(ctx context.Context, folder string) (uint64, int64, error) {
	if _, _, err := b.BEPFolder(ctx, folder); err != nil {
		return 0, 0, err
	}
	if _, err := b.q.ExecContext(ctx, "UPDATE bep_folders SET sequence = (SELECT coalesce(max(sequence), 0) FROM bep_files WHERE folder = ?) WHERE folder = ?", folder, folder); err != nil {
		return 0, 0, fmt.Errorf("reset index of %s: %w", folder, err)
	}
	return b.BEPFolder(ctx, folder)
}

// DropWaiting forgets a waiting changeset that can never follow its chain
// (it was refused its place, and its changes merged).
func (b *Book) DropWaiting(ctx context.Context, origin, stream string, seq uint64) error {
	if _, err := b.q.ExecContext(ctx, "DELETE FROM sync_in WHERE origin = ? AND stream = ? AND seq = ? AND state = 'waiting'", origin, stream, seq); err != nil {
		return fmt.Errorf("drop waiting %s/%d: %w", stream, seq, err)
	}
	return nil
}

// Rebased reports whether a stream was taken up again after a peer's head
// (seq, digest), so the head it stands at now is that one: a changeset is
// owed, even an empty one, to tell the peer.
func (b *Book) Rebased(ctx context.Context, stream string, seq uint64, digest string) (bool, error) {
	var n int
	if err := b.q.QueryRowContext(ctx, "SELECT count(*) FROM sync_rebased WHERE stream = ? AND seq = ? AND digest = ?", stream, seq, digest).Scan(&n); err != nil {
		return false, fmt.Errorf("read rebases of %s: %w", stream, err)
	}
	return n > 0, nil
}

// Note returns the note of a kind about a peer's stream, open or not.
func (b *Book) Note(ctx context.Context, about, kind, stream string) (NoteRow, bool, error) {
	n := NoteRow{About: about, Kind: kind, Stream: stream}
	err := b.q.QueryRowContext(ctx, "SELECT body, at, sent, open FROM sync_notes WHERE about = ? AND kind = ? AND stream = ?", about, kind, stream).
		Scan(&n.Body, &n.At, &n.Sent, &n.Open)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	if err != nil {
		return n, false, fmt.Errorf("read note for %s: %w", about, err)
	}
	return n, true, nil
}
