package syncbook

// The bookkeeping of migration 0002: paired peers, this device's secrets,
// the changesets cut and received, the files seen, the rejection log and
// the BEP index state.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Peer is a device this one is paired with.
type Peer struct {
	DeviceID    string
	Name        string
	Role        string // post, station or carrier
	Addresses   []string
	SignKey     []byte // ed25519 public key (empty for a carrier)
	Recipient   string // age X25519 recipient (empty for a carrier)
	Cert        []byte // DER certificate from the pairing code
	PairedAt    string
	RevokedAt   string
	LastContact string
	LastError   string
	// LastPath is how the last network session went: "direct" or
	// "relay" ("" before the first).
	LastPath string
	BytesIn  int64
	BytesOut int64
	// Catchup asks the next cut to send this post everything the station
	// published before it was paired (it cannot read older broadcasts).
	Catchup bool
	// ClockMs is the peer's clock minus this PC's, in ms, as last measured
	// (0: within a day, or not known); ClockAt when, ClockBy how ("hello",
	// "stamps" or "note", see SetPeerClock).
	ClockMs int64
	ClockAt string
	ClockBy string
}

// PutPeer pairs with a device or updates its pairing (un-revoking it).
func (b *Book) PutPeer(ctx context.Context, p Peer) error {
	addrs, err := json.Marshal(nonNil(p.Addresses))
	if err != nil {
		return err
	}
	if p.PairedAt == "" {
		p.PairedAt = b.nowText()
	}
	_, err = b.q.ExecContext(ctx, `INSERT INTO sync_peers (device_id, name, role, addresses, sign_key, recipient, cert, paired_at, catchup)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (device_id) DO UPDATE SET name = excluded.name, role = excluded.role, addresses = excluded.addresses,
  sign_key = excluded.sign_key, recipient = excluded.recipient, cert = excluded.cert, revoked_at = '',
  catchup = max(catchup, excluded.catchup)`,
		p.DeviceID, p.Name, p.Role, string(addrs), nonNilBytes(p.SignKey), p.Recipient, nonNilBytes(p.Cert), p.PairedAt, p.Catchup)
	if err != nil {
		return fmt.Errorf("save peer %s: %w", p.DeviceID, err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// RevokePeer unpairs a device: it is refused from now on.
func (b *Book) RevokePeer(ctx context.Context, id string) error {
	r, err := b.q.ExecContext(ctx, "UPDATE sync_peers SET revoked_at = ? WHERE device_id = ? AND revoked_at = ''", b.nowText(), id)
	if err != nil {
		return fmt.Errorf("revoke peer %s: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("peer %s: %w", id, ErrNotFound)
	}
	return nil
}

// KeepRevoked revokes a device again with the time it was first revoked
// (at), unless it is revoked already or was never paired: a database
// restored from before an unpairing learns it again from the journal the
// sync engine keeps beside the file. It says whether it changed anything.
func (b *Book) KeepRevoked(ctx context.Context, id, at string) (bool, error) {
	r, err := b.q.ExecContext(ctx, "UPDATE sync_peers SET revoked_at = ? WHERE device_id = ? AND revoked_at = ''", at, id)
	if err != nil {
		return false, fmt.Errorf("revoke peer %s again: %w", id, err)
	}
	n, _ := r.RowsAffected()
	return n > 0, nil
}

const peerCols = "device_id, name, role, addresses, sign_key, recipient, cert, paired_at, revoked_at, last_contact, last_error, last_path, bytes_in, bytes_out, catchup, clock_ms, clock_at, clock_by"

type rowScanner interface{ Scan(dest ...any) error }

func scanPeer(r rowScanner) (Peer, error) {
	var p Peer
	var addrs string
	if err := r.Scan(&p.DeviceID, &p.Name, &p.Role, &addrs, &p.SignKey, &p.Recipient, &p.Cert, &p.PairedAt,
		&p.RevokedAt, &p.LastContact, &p.LastError, &p.LastPath, &p.BytesIn, &p.BytesOut, &p.Catchup, &p.ClockMs, &p.ClockAt, &p.ClockBy); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(addrs), &p.Addresses); err != nil {
		return p, fmt.Errorf("peer %s addresses: %w", p.DeviceID, err)
	}
	return p, nil
}

// Peer returns one peer (revoked ones too); ErrNotFound if never paired.
func (b *Book) Peer(ctx context.Context, id string) (Peer, error) {
	p, err := scanPeer(b.q.QueryRowContext(ctx, "SELECT "+peerCols+" FROM sync_peers WHERE device_id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("peer %s: %w", id, ErrNotFound)
	}
	return p, err
}

// Peers lists paired devices by name; revoked ones only if asked.
func (b *Book) Peers(ctx context.Context, withRevoked bool) ([]Peer, error) {
	q := "SELECT " + peerCols + " FROM sync_peers"
	if !withRevoked {
		q += " WHERE revoked_at = ''"
	}
	rows, err := b.q.QueryContext(ctx, q+" ORDER BY name, device_id")
	if err != nil {
		return nil, fmt.Errorf("list peers: %w", err)
	}
	defer rows.Close()
	var out []Peer
	for rows.Next() {
		p, err := scanPeer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// NotePeerContact records a session with a peer: when, how it went (path:
// "direct" or "relay"; "" keeps the last one, for a session that never
// connected), bytes moved, and the
// error that ended it ("" when it went well).
func (b *Book) NotePeerContact(ctx context.Context, id, path string, in, out int64, errText string) error {
	_, err := b.q.ExecContext(ctx, `UPDATE sync_peers SET last_contact = ?, bytes_in = bytes_in + ?, bytes_out = bytes_out + ?, last_error = ?,
		last_path = CASE WHEN ? = '' THEN last_path ELSE ? END WHERE device_id = ?`,
		b.nowText(), in, out, errText, path, path, id)
	if err != nil {
		return fmt.Errorf("note contact with %s: %w", id, err)
	}
	return nil
}

// NoteHeardFrom records that a changeset of a paired device was applied,
// whatever carried it: a USB stick or a phone brings news of a post as
// surely as a network session does, and the station's 上次联系 should say
// so. It never moves last_contact back, except from more than a day past
// this PC's clock (noted while the clock ran ahead and since set right:
// a date in the future reads 刚刚, and a post that stopped sending would
// look in touch until then). Call it on the book of the transaction that
// applies the changeset (store.Tx.SyncBook).
func (b *Book) NoteHeardFrom(ctx context.Context, id string) error {
	t := b.now().UTC()
	now, far := t.Format(time.RFC3339), t.Add(contactAhead).Format(time.RFC3339)
	if _, err := b.q.ExecContext(ctx, "UPDATE sync_peers SET last_contact = ? WHERE device_id = ? AND (last_contact < ? OR last_contact > ?)", now, id, now, far); err != nil {
		return fmt.Errorf("note news from %s: %w", id, err)
	}
	return nil
}

// contactAhead is how far past this PC's clock a last contact may lie and
// still be kept (store.MaxAhead, which this package does not import).
const contactAhead = 24 * time.Hour

// SetPeerCatchup sets or clears the catch-up flag of a peer.
func (b *Book) SetPeerCatchup(ctx context.Context, id string, on bool) error {
	_, err := b.q.ExecContext(ctx, "UPDATE sync_peers SET catchup = ? WHERE device_id = ?", on, id)
	return err
}

// PutSecrets stores this device's key material.
func (b *Book) PutSecrets(ctx context.Context, secrets map[string][]byte) error {
	return b.inTx(ctx, func(t *Book) error {
		for k, v := range secrets {
			if _, err := t.q.ExecContext(ctx, "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return fmt.Errorf("save secret %s: %w", k, err)
			}
		}
		return nil
	})
}

// Secrets returns this device's key material.
func (b *Book) Secrets(ctx context.Context) (map[string][]byte, error) {
	rows, err := b.q.QueryContext(ctx, "SELECT name, value FROM secrets")
	if err != nil {
		return nil, fmt.Errorf("read secrets: %w", err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// StreamState is how far an outgoing stream has been cut.
type StreamState struct {
	Stream    string
	Seq       uint64 // last changeset sequence number
	Digest    string // its digest (the next one's prev)
	ChangeSeq int64  // change-log position cut so far
}

// StreamState returns the state of an outgoing stream (zero if new).
func (b *Book) StreamState(ctx context.Context, stream string) (StreamState, error) {
	st := StreamState{Stream: stream}
	err := b.q.QueryRowContext(ctx, "SELECT seq, digest, change_seq FROM sync_streams WHERE stream = ?", stream).Scan(&st.Seq, &st.Digest, &st.ChangeSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read stream %s: %w", stream, err)
	}
	return st, nil
}

// SetChangeSeq moves a stream's change-log position without a changeset
// (when there was nothing for it in the range).
func (b *Book) SetChangeSeq(ctx context.Context, stream string, changeSeq int64) error {
	_, err := b.q.ExecContext(ctx, `INSERT INTO sync_streams (stream, change_seq) VALUES (?, ?)
ON CONFLICT (stream) DO UPDATE SET change_seq = max(change_seq, excluded.change_seq)`, stream, changeSeq)
	if err != nil {
		return fmt.Errorf("advance stream %s: %w", stream, err)
	}
	return nil
}

// OutChangeset is a changeset this device cut.
type OutChangeset struct {
	Stream  string
	Seq     uint64
	Name    string
	Digest  string
	Changes int
	Blobs   []string
	At      string
	Data    []byte
	// ChangeSeq is the change-log position the stream had reached once
	// this changeset was cut (0: not known).
	ChangeSeq int64
}

// ErrStreamMoved is RecordCut's refusal of a changeset sealed after a
// head that is no longer the stream's: another cut (another program on
// the same database) ran meanwhile, and the changeset must be sealed again.
var ErrStreamMoved = errors.New("another cut ran meanwhile")

// RecordCut stores a new changeset and advances its stream in one
// transaction; it fails with ErrStreamMoved if the stream moved meanwhile
// (seq must be next).
func (b *Book) RecordCut(ctx context.Context, c OutChangeset, changeSeq int64) error {
	blobs, err := json.Marshal(nonNil(c.Blobs))
	if err != nil {
		return err
	}
	if c.At == "" {
		c.At = b.nowText()
	}
	return b.inTx(ctx, func(t *Book) error {
		var cur uint64
		err := t.q.QueryRowContext(ctx, "SELECT seq FROM sync_streams WHERE stream = ?", c.Stream).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read stream %s: %w", c.Stream, err)
		}
		if c.Seq != cur+1 {
			return fmt.Errorf("cut %s: sequence %d, want %d: %w", c.Stream, c.Seq, cur+1, ErrStreamMoved)
		}
		if _, err := t.q.ExecContext(ctx, "INSERT INTO sync_out (stream, seq, name, digest, changes, blobs, at, data, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			c.Stream, c.Seq, c.Name, c.Digest, c.Changes, string(blobs), c.At, c.Data, changeSeq); err != nil {
			return fmt.Errorf("store changeset %s: %w", c.Name, err)
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO sync_streams (stream, seq, digest, change_seq) VALUES (?, ?, ?, ?)
ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, digest = excluded.digest, change_seq = max(change_seq, excluded.change_seq)`,
			c.Stream, c.Seq, c.Digest, changeSeq); err != nil {
			return fmt.Errorf("advance stream %s: %w", c.Stream, err)
		}
		return nil
	})
}

// OutChangesets lists the changesets cut for a stream ("" for all) after
// sequence number after, without their data.
func (b *Book) OutChangesets(ctx context.Context, stream string, after uint64) ([]OutChangeset, error) {
	q := "SELECT stream, seq, name, digest, changes, blobs, at, length(data), change_seq FROM sync_out WHERE seq > ?"
	args := []any{after}
	if stream != "" {
		q += " AND stream = ?"
		args = append(args, stream)
	}
	rows, err := b.q.QueryContext(ctx, q+" ORDER BY stream, seq", args...)
	if err != nil {
		return nil, fmt.Errorf("list cut changesets: %w", err)
	}
	defer rows.Close()
	var out []OutChangeset
	for rows.Next() {
		var c OutChangeset
		var blobs string
		var n int
		if err := rows.Scan(&c.Stream, &c.Seq, &c.Name, &c.Digest, &c.Changes, &blobs, &c.At, &n, &c.ChangeSeq); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(blobs), &c.Blobs); err != nil {
			return nil, fmt.Errorf("changeset %s blobs: %w", c.Name, err)
		}
		c.Data = make([]byte, 0, n) // only the size; OutData reads the bytes
		out = append(out, c)
	}
	return out, rows.Err()
}

// OutData returns the bytes of a changeset this device cut.
func (b *Book) OutData(ctx context.Context, name string) ([]byte, error) {
	var data []byte
	err := b.q.QueryRowContext(ctx, "SELECT data FROM sync_out WHERE name = ?", name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("changeset %s: %w", name, ErrNotFound)
	}
	return data, err
}

// InChangeset is a received, verified changeset.
type InChangeset struct {
	Origin  string
	Stream  string
	Seq     uint64
	Digest  string
	Prev    string
	Name    string
	State   string // InApplied or InWaiting
	Changes int
	Bytes   int64
	At      string
}

// States of a received changeset.
const (
	InApplied = "applied"
	InWaiting = "waiting"
)

// ChainHead returns the last applied changeset of an origin's stream: its
// sequence number and digest (0, "" before the first).
func (b *Book) ChainHead(ctx context.Context, origin, stream string) (uint64, string, error) {
	var seq uint64
	var d string
	err := b.q.QueryRowContext(ctx, "SELECT seq, digest FROM sync_in WHERE origin = ? AND stream = ? AND state = 'applied' ORDER BY seq DESC LIMIT 1", origin, stream).Scan(&seq, &d)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("read chain %s/%s: %w", origin, stream, err)
	}
	return seq, d, nil
}

// InChangeset returns what is known of one received changeset, with its
// data if it is still waiting.
func (b *Book) InChangeset(ctx context.Context, origin, stream string, seq uint64) (InChangeset, []byte, bool, error) {
	c := InChangeset{Origin: origin, Stream: stream, Seq: seq}
	var data []byte
	err := b.q.QueryRowContext(ctx, "SELECT digest, prev, name, state, changes, bytes, at, data FROM sync_in WHERE origin = ? AND stream = ? AND seq = ?",
		origin, stream, seq).Scan(&c.Digest, &c.Prev, &c.Name, &c.State, &c.Changes, &c.Bytes, &c.At, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, false, nil
	}
	if err != nil {
		return c, nil, false, fmt.Errorf("read changeset %s/%d: %w", origin, seq, err)
	}
	return c, data, true, nil
}

// RecordIn records a received changeset inside the transaction that applies
// it (state applied, no data) or parks it (state waiting, with data):
// call it on that transaction's book (store.Tx.SyncBook).
func (b *Book) RecordIn(ctx context.Context, c InChangeset, data []byte) error {
	if c.At == "" {
		c.At = b.nowText()
	}
	_, err := b.q.ExecContext(ctx, `INSERT INTO sync_in (origin, stream, seq, digest, prev, name, state, changes, bytes, at, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (origin, stream, seq) DO UPDATE SET state = excluded.state, data = excluded.data, at = excluded.at`,
		c.Origin, c.Stream, c.Seq, c.Digest, c.Prev, c.Name, c.State, c.Changes, c.Bytes, c.At, data)
	if err != nil {
		return fmt.Errorf("record changeset %s/%d: %w", c.Origin, c.Seq, err)
	}
	return nil
}

// InChangesets lists received changesets of one state ("" for all).
func (b *Book) InChangesets(ctx context.Context, state string) ([]InChangeset, error) {
	q := "SELECT origin, stream, seq, digest, prev, name, state, changes, bytes, at FROM sync_in"
	var args []any
	switch state {
	case "":
	case InWaiting:
		// Spelled out, so the partial index of the waiting ones
		// (migration 0020) serves it.
		q += " WHERE state = 'waiting'"
	default:
		q += " WHERE state = ?"
		args = append(args, state)
	}
	rows, err := b.q.QueryContext(ctx, q+" ORDER BY origin, stream, seq", args...)
	if err != nil {
		return nil, fmt.Errorf("list received changesets: %w", err)
	}
	defer rows.Close()
	var out []InChangeset
	for rows.Next() {
		var c InChangeset
		if err := rows.Scan(&c.Origin, &c.Stream, &c.Seq, &c.Digest, &c.Prev, &c.Name, &c.State, &c.Changes, &c.Bytes, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HasReceivedName reports whether a changeset file of this name was
// verified before (applied or waiting).
func (b *Book) HasReceivedName(ctx context.Context, name string) (bool, error) {
	var n int
	err := b.q.QueryRowContext(ctx, "SELECT count(*) FROM sync_in WHERE name = ?", name).Scan(&n)
	return n > 0, err
}

// Seen returns the outcome recorded for a file name, if any.
func (b *Book) Seen(ctx context.Context, name string) (string, bool, error) {
	var o string
	err := b.q.QueryRowContext(ctx, "SELECT outcome FROM sync_seen WHERE name = ?", name).Scan(&o)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read seen %s: %w", name, err)
	}
	return o, true, nil
}

// MarkSeen records the outcome of looking at a file.
func (b *Book) MarkSeen(ctx context.Context, name, outcome string) error {
	_, err := b.q.ExecContext(ctx, "INSERT INTO sync_seen (name, outcome) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET outcome = excluded.outcome", name, outcome)
	if err != nil {
		return fmt.Errorf("mark seen %s: %w", name, err)
	}
	return nil
}

// Reject is one refused file or change, with its reason.
type Reject struct {
	ID      int64
	At      string
	Carrier string // bep, exchange folder path, ...
	File    string
	Origin  string
	// Kind names the refusal for the window (the sync package's
	// RejectKind: "damaged", "unverified", "chain" …); "" in entries
	// logged before kinds were kept.
	Kind   string
	Reason string // the engine's own words, for whoever helps
}

// LogReject appends to the rejection log; the same file refused for the
// same reason is logged once. It reports whether the entry is new.
func (b *Book) LogReject(ctx context.Context, r Reject) (bool, error) {
	if r.At == "" {
		r.At = b.nowText()
	}
	res, err := b.q.ExecContext(ctx, "INSERT OR IGNORE INTO sync_rejects (at, carrier, file, origin, kind, reason) VALUES (?, ?, ?, ?, ?, ?)",
		r.At, r.Carrier, r.File, r.Origin, r.Kind, r.Reason)
	if err != nil {
		return false, fmt.Errorf("log rejection of %s: %w", r.File, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Rejects lists the newest rejections first, at most limit.
func (b *Book) Rejects(ctx context.Context, limit int) ([]Reject, error) {
	return b.rejects(ctx, "rejections", "ORDER BY id DESC LIMIT ?", limit)
}

// rejects lists the rejections the SQL after FROM sync_rejects picks
// (what names them in an error).
func (b *Book) rejects(ctx context.Context, what, where string, args ...any) ([]Reject, error) {
	rows, err := b.q.QueryContext(ctx, "SELECT id, at, carrier, file, origin, kind, reason FROM sync_rejects "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	defer rows.Close()
	var out []Reject
	for rows.Next() {
		var r Reject
		if err := rows.Scan(&r.ID, &r.At, &r.Carrier, &r.File, &r.Origin, &r.Kind, &r.Reason); err != nil {
			return nil, fmt.Errorf("list %s: %w", what, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// BEPFile is one file of a BEP folder as announced in an index. Version
// and Blocks are opaque to the store (encoded by the transport).
type BEPFile struct {
	Name       string
	Size       int64
	ModifiedNs int64
	Sequence   int64
	Version    []byte
	BlockSize  int
	Blocks     []byte
	Deleted    bool
}

// BEPFolder returns our IndexID and last sequence for a folder, creating a
// fresh random IndexID the first time.
func (b *Book) BEPFolder(ctx context.Context, folder string) (uint64, int64, error) {
	var id uint64
	var seq int64
	err := b.q.QueryRowContext(ctx, "SELECT index_id, sequence FROM bep_folders WHERE folder = ?", folder).Scan(&id, &seq)
	if err == nil {
		return id, seq, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("read folder %s: %w", folder, err)
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return 0, 0, fmt.Errorf("new index id: %w", err)
	}
	id = binary.BigEndian.Uint64(rnd[:])>>1 | 1 // non-zero, and fits SQLite's signed integer
	if _, err := b.q.ExecContext(ctx, "INSERT OR IGNORE INTO bep_folders (folder, index_id) VALUES (?, ?)", folder, id); err != nil {
		return 0, 0, fmt.Errorf("create folder %s: %w", folder, err)
	}
	return b.BEPFolder(ctx, folder)
}

// AddBEPFile adds a file to our index of a folder with the next sequence
// number, unless a file of that name is already there. It returns the file
// as stored.
func (b *Book) AddBEPFile(ctx context.Context, folder string, f BEPFile) (BEPFile, bool, error) {
	if _, _, err := b.BEPFolder(ctx, folder); err != nil {
		return f, false, err
	}
	added := false
	err := b.inTx(ctx, func(t *Book) error {
		var n int
		if err := t.q.QueryRowContext(ctx, "SELECT count(*) FROM bep_files WHERE folder = ? AND name = ?", folder, f.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := t.q.QueryRowContext(ctx, "UPDATE bep_folders SET sequence = sequence + 1 WHERE folder = ? RETURNING sequence", folder).Scan(&f.Sequence); err != nil {
			return fmt.Errorf("next sequence of %s: %w", folder, err)
		}
		if _, err := t.q.ExecContext(ctx, "INSERT INTO bep_files (folder, name, size, modified_ns, sequence, version, block_size, blocks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			folder, f.Name, f.Size, f.ModifiedNs, f.Sequence, nonNilBytes(f.Version), f.BlockSize, nonNilBytes(f.Blocks)); err != nil {
			return fmt.Errorf("add %s to %s: %w", f.Name, folder, err)
		}
		added = true
		return nil
	})
	if err != nil {
		return f, false, err
	}
	if !added {
		got, err := b.bepFiles(ctx, "SELECT name, size, modified_ns, sequence, version, block_size, blocks, 0 FROM bep_files WHERE folder = ? AND name = ?", folder, f.Name)
		if err != nil || len(got) == 0 {
			return f, false, err
		}
		return got[0], false, nil
	}
	return f, true, nil
}

// BEPFiles lists our files of a folder with sequence > after, in order.
func (b *Book) BEPFiles(ctx context.Context, folder string, after int64) ([]BEPFile, error) {
	return b.bepFiles(ctx, "SELECT name, size, modified_ns, sequence, version, block_size, blocks, 0 FROM bep_files WHERE folder = ? AND sequence > ? ORDER BY sequence", folder, after)
}

func (b *Book) bepFiles(ctx context.Context, q string, args ...any) ([]BEPFile, error) {
	rows, err := b.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list index: %w", err)
	}
	defer rows.Close()
	var out []BEPFile
	for rows.Next() {
		var f BEPFile
		if err := rows.Scan(&f.Name, &f.Size, &f.ModifiedNs, &f.Sequence, &f.Version, &f.BlockSize, &f.Blocks, &f.Deleted); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// BEPRemote returns the IndexID and highest sequence we hold of a peer's
// index of a folder (zero when we hold none).
func (b *Book) BEPRemote(ctx context.Context, folder, device string) (uint64, int64, error) {
	var id, seq int64
	err := b.q.QueryRowContext(ctx, "SELECT index_id, max_sequence FROM bep_remote WHERE folder = ? AND device = ?", folder, device).Scan(&id, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read remote index of %s: %w", folder, err)
	}
	return uint64(id), seq, nil
}

// PutBEPRemote stores (part of) a peer's index of a folder. A full index
// (reset) replaces what we held; an update adds to it.
func (b *Book) PutBEPRemote(ctx context.Context, folder, device string, indexID uint64, files []BEPFile, lastSeq int64, reset bool) error {
	return b.inTx(ctx, func(t *Book) error {
		if reset {
			if _, err := t.q.ExecContext(ctx, "DELETE FROM bep_remote_files WHERE folder = ? AND device = ?", folder, device); err != nil {
				return err
			}
		}
		// One statement for every file: an index holds thousands.
		ins, err := t.q.PrepareContext(ctx, `INSERT INTO bep_remote_files (folder, device, name, size, modified_ns, sequence, version, block_size, blocks, deleted)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (folder, device, name) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
  sequence = excluded.sequence, version = excluded.version, block_size = excluded.block_size, blocks = excluded.blocks, deleted = excluded.deleted`)
		if err != nil {
			return fmt.Errorf("store remote index of %s: %w", folder, err)
		}
		defer ins.Close()
		for _, f := range files {
			if _, err := ins.ExecContext(ctx,
				folder, device, f.Name, f.Size, f.ModifiedNs, f.Sequence, nonNilBytes(f.Version), f.BlockSize, nonNilBytes(f.Blocks), f.Deleted); err != nil {
				return fmt.Errorf("store remote index of %s: %w", folder, err)
			}
			if f.Sequence > lastSeq {
				lastSeq = f.Sequence
			}
		}
		_, err = t.q.ExecContext(ctx, `INSERT INTO bep_remote (folder, device, index_id, max_sequence) VALUES (?, ?, ?, ?)
ON CONFLICT (folder, device) DO UPDATE SET index_id = excluded.index_id,
  max_sequence = CASE WHEN ? THEN excluded.max_sequence ELSE max(max_sequence, excluded.max_sequence) END`,
			folder, device, int64(indexID), lastSeq, reset) // stock Syncthing's IDs use all 64 bits; SQLite's are signed
		return err
	})
}

// BEPRemoteCount is how many files a peer has announced in a folder.
func (b *Book) BEPRemoteCount(ctx context.Context, folder, device string) (int, error) {
	var n int
	if err := b.q.QueryRowContext(ctx, "SELECT count(*) FROM bep_remote_files WHERE folder = ? AND device = ?", folder, device).Scan(&n); err != nil {
		return 0, fmt.Errorf("count remote index of %s: %w", folder, err)
	}
	return n, nil
}

// BEPRemoteFiles lists the files a peer has announced in a folder.
func (b *Book) BEPRemoteFiles(ctx context.Context, folder, device string) ([]BEPFile, error) {
	return b.bepFiles(ctx, "SELECT name, size, modified_ns, sequence, version, block_size, blocks, deleted FROM bep_remote_files WHERE folder = ? AND device = ? ORDER BY sequence", folder, device)
}

// DeleteSecret removes one entry of the secrets table (a short pairing
// code's one-time secret once it is used, expired or guessed at too
// often). Removing a name that is not there is not an error.
func (b *Book) DeleteSecret(ctx context.Context, name string) error {
	if _, err := b.q.ExecContext(ctx, "DELETE FROM secrets WHERE name = ?", name); err != nil {
		return fmt.Errorf("delete secret %s: %w", name, err)
	}
	return nil
}

// NoteArrival records that the change-log entries seqFrom..seqTo (changes.seq)
// arrived now, from another device: the month report counts them in the
// month they arrived, by this PC's clock (arrivalMs: never before an
// earlier arrival). Call it on the book of the transaction that applied
// them (store.Tx.SyncBook).
func (b *Book) NoteArrival(ctx context.Context, seqFrom, seqTo int64) error {
	if seqTo < seqFrom {
		return nil
	}
	at, err := b.arrivalMs(ctx, seqFrom, seqTo)
	if err != nil {
		return fmt.Errorf("note arrival of changes %d..%d: %w", seqFrom, seqTo, err)
	}
	if _, err := b.q.ExecContext(ctx, "INSERT INTO change_arrivals (seq_to, seq_from, arrived_ms) VALUES (?, ?, ?)",
		seqTo, seqFrom, at); err != nil {
		return fmt.Errorf("note arrival of changes %d..%d: %w", seqFrom, seqTo, err)
	}
	if err := b.setMeta(ctx, metaArrival, strconv.FormatInt(at, 10)); err != nil {
		return fmt.Errorf("note arrival of changes %d..%d: %w", seqFrom, seqTo, err)
	}
	return nil
}
