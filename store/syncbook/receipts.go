package syncbook

// Receipts (migration 0008): the latest one each peer sent this device,
// and the latest one this device made for each peer.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ReceiptIn is the latest verified receipt a peer sent this device
// (migration 0008): how far the peer has applied this device's streams.
// Heads is the receipt's JSON list of heads, as the sync package wrote it;
// Held the number of this device's receipts the peer said it holds.
type ReceiptIn struct {
	Peer    string
	Number  uint64
	AtMs    int64
	Arrived string
	Heads   string
	Held    uint64
}

// ReceiptIn returns the latest receipt of a peer (ok false: none yet).
func (b *Book) ReceiptIn(ctx context.Context, peer string) (ReceiptIn, bool, error) {
	r := ReceiptIn{Peer: peer}
	err := b.q.QueryRowContext(ctx, "SELECT number, at_ms, arrived, heads, held FROM sync_receipts_in WHERE peer = ?", peer).
		Scan(&r.Number, &r.AtMs, &r.Arrived, &r.Heads, &r.Held)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read receipt of %s: %w", peer, err)
	}
	return r, true, nil
}

// PutReceiptIn stores a verified receipt if its number is newer than the
// one held; it reports whether it did (false: a replay or an old copy).
func (b *Book) PutReceiptIn(ctx context.Context, r ReceiptIn) (bool, error) {
	if r.Arrived == "" {
		r.Arrived = b.nowText()
	}
	res, err := b.q.ExecContext(ctx, `INSERT INTO sync_receipts_in (peer, number, at_ms, arrived, heads, held) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (peer) DO UPDATE SET number = excluded.number, at_ms = excluded.at_ms, arrived = excluded.arrived, heads = excluded.heads, held = excluded.held
WHERE excluded.number > sync_receipts_in.number`, r.Peer, r.Number, r.AtMs, r.Arrived, r.Heads, r.Held)
	if err != nil {
		return false, fmt.Errorf("store receipt of %s: %w", r.Peer, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ReceiptOut is the latest receipt this device made for a peer.
type ReceiptOut struct {
	Peer   string
	Number uint64
	Heads  string
	Name   string
	Data   []byte
}

// ReceiptOut returns the latest receipt made for a peer (ok false: none).
func (b *Book) ReceiptOut(ctx context.Context, peer string) (ReceiptOut, bool, error) {
	r := ReceiptOut{Peer: peer}
	err := b.q.QueryRowContext(ctx, "SELECT number, heads, name, data FROM sync_receipts_out WHERE peer = ?", peer).
		Scan(&r.Number, &r.Heads, &r.Name, &r.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read receipt for %s: %w", peer, err)
	}
	return r, true, nil
}

// PutReceiptOut records a receipt made for a peer, replacing the last.
func (b *Book) PutReceiptOut(ctx context.Context, r ReceiptOut) error {
	_, err := b.q.ExecContext(ctx, `INSERT INTO sync_receipts_out (peer, number, heads, name, data) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (peer) DO UPDATE SET number = excluded.number, heads = excluded.heads, name = excluded.name, data = excluded.data`,
		r.Peer, r.Number, r.Heads, r.Name, r.Data)
	if err != nil {
		return fmt.Errorf("store receipt for %s: %w", r.Peer, err)
	}
	return nil
}

// AppliedHeads lists, per stream, the head of origin's chains applied
// here: what a receipt to origin says.
func (b *Book) AppliedHeads(ctx context.Context, origin string) ([]InChangeset, error) {
	rows, err := b.q.QueryContext(ctx, `SELECT i.stream, i.seq, i.digest FROM sync_in i
JOIN (SELECT stream, max(seq) AS seq FROM sync_in WHERE origin = ? AND state = 'applied' GROUP BY stream) h
  ON h.stream = i.stream AND h.seq = i.seq
WHERE i.origin = ? ORDER BY i.stream`, origin, origin)
	if err != nil {
		return nil, fmt.Errorf("applied heads of %s: %w", origin, err)
	}
	defer rows.Close()
	var out []InChangeset
	for rows.Next() {
		c := InChangeset{Origin: origin, State: InApplied}
		if err := rows.Scan(&c.Stream, &c.Seq, &c.Digest); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// NoteBytes adds bytes carried by a stick to a peer's counters without
// touching its last contact (a stick written is not a contact).
func (b *Book) NoteBytes(ctx context.Context, id string, in, out int64) error {
	if in == 0 && out == 0 {
		return nil
	}
	_, err := b.q.ExecContext(ctx, "UPDATE sync_peers SET bytes_in = bytes_in + ?, bytes_out = bytes_out + ? WHERE device_id = ?", in, out, id)
	if err != nil {
		return fmt.Errorf("count bytes of %s: %w", id, err)
	}
	return nil
}
