package syncbook

import (
	"context"
	"cunjing/store/internal/table"
	"fmt"
)

// What a post does not keep of another device's records (sync_withheld,
// migration 0025): a station's or county's own record of a table no
// station publishes (a household, a resident, an emergency card, an audit
// entry made at the station), which an older station's broadcast carried
// to every post. Those a post held were removed by the migration
// (Removed); those that arrive since are withheld by the receive path
// (sync/admit), and noted here so that a later change of the same record,
// which names no owner, is withheld as well. Only the table and id are
// kept, never a value.

// Withheld counts what this post did not keep of other devices' records.
type Withheld struct {
	// Removed records (and their changes) were held here and removed
	// when this post was upgraded, locally (no change was logged).
	Removed, RemovedChanges int
	// Refused records (and their changes) arrived since and were not
	// kept.
	Refused, RefusedChanges int
}

// Any says whether anything was withheld at all.
func (w Withheld) Any() bool { return w.Removed+w.Refused > 0 }

// WithheldCounts counts the records this post did not keep.
func (b *Book) WithheldCounts(ctx context.Context) (Withheld, error) {
	var w Withheld
	err := b.q.QueryRowContext(ctx, `SELECT
  coalesce(sum(removed = 1), 0), coalesce(sum(CASE WHEN removed = 1 THEN changes END), 0),
  coalesce(sum(removed = 0), 0), coalesce(sum(CASE WHEN removed = 0 THEN changes END), 0)
FROM sync_withheld`).Scan(&w.Removed, &w.RemovedChanges, &w.Refused, &w.RefusedChanges)
	if err != nil {
		return w, fmt.Errorf("records withheld: %w", err)
	}
	return w, nil
}

// IsWithheld returns which of ids of table tbl this post withheld (removed
// or refused), asking in batches.
func (b *Book) IsWithheld(ctx context.Context, tbl string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		in, args := table.In(chunk)
		rows, err := b.q.QueryContext(ctx, "SELECT rec FROM sync_withheld WHERE tbl = ? AND rec IN ("+in+")", append([]any{tbl}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("records withheld: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("records withheld: %w", err)
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("records withheld: %w", err)
		}
	}
	return out, nil
}

// NoteWithheld notes that changes changes of record rec of table, owned
// by owner, arrived and were not kept.
func (b *Book) NoteWithheld(ctx context.Context, table, rec, owner string, changes int) error {
	_, err := b.q.ExecContext(ctx, `INSERT INTO sync_withheld (tbl, rec, owner, changes) VALUES (?, ?, ?, ?)
ON CONFLICT (tbl, rec) DO UPDATE SET changes = changes + excluded.changes`, table, rec, owner, changes)
	if err != nil {
		return fmt.Errorf("note a record withheld: %w", err)
	}
	return nil
}

// RemovedUnlogged returns how many records (and changes) the upgrade
// removed that no log has said yet, and marks them said: the sync engine
// logs them once.
func (b *Book) RemovedUnlogged(ctx context.Context) (records, changes int, err error) {
	const count = "SELECT count(*), coalesce(sum(changes), 0) FROM sync_withheld WHERE removed = 1 AND logged = 0"
	if err := b.q.QueryRowContext(ctx, count).Scan(&records, &changes); err != nil || records == 0 {
		return 0, 0, err
	}
	err = b.inTx(ctx, func(t *Book) error {
		if err := t.q.QueryRowContext(ctx, count).Scan(&records, &changes); err != nil {
			return err
		}
		_, err := t.q.ExecContext(ctx, "UPDATE sync_withheld SET logged = 1 WHERE removed = 1 AND logged = 0")
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("records removed at the upgrade: %w", err)
	}
	return records, changes, nil
}
