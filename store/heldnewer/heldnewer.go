// Package heldnewer owns the local table of changes held aside for a newer
// version (held_newer, migration 0017; issue #22): a well-formed change of
// a table or field this version does not know is kept there, never merged
// and never a reason to refuse its changeset, until an upgraded cunjing
// knows it. It reads the table for people and for sync (List: per origin,
// what waits and what the upgraded schema refused; Owners: the owner held
// changes name for records known here only through them) and for the
// merge after an upgrade (Ready, Read, Refuse, Drop). It also says what
// such a change is (UnknownSchemaError) and which table and field names a
// newer version could use (SaneName, SaneTable, ReservedField).
//
// It sits below store's root, which holds the changes in its write
// transactions (Tx.ApplyBatch) and merges them through the normal merge on
// open (mergeHeld); the root hands it its database handle or write
// transaction.
package heldnewer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"cunjing/store/change"
	"cunjing/store/internal/table"
)

// Insert is the statement that holds one change (tbl, field, rec, hlc,
// value, base, origin, file, held_ms); a change held before (the same
// table, field, record and stamp) is ignored.
const Insert = `INSERT OR IGNORE INTO held_newer (tbl, field, rec, hlc, value, base, origin, file, held_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

// ownerBatch is how many ids one Owners query asks for.
const ownerBatch = 256

// Owners returns the owner that held changes name for records of a table
// this version does not know (ids missing from the map have none), so the
// ownership rule holds for records that exist here only as held changes
// as it does for stored ones: the owner of a record cannot change.
func Owners(ctx context.Context, q table.Queryer, tbl string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += ownerBatch {
		chunk := ids[start:min(start+ownerBatch, len(ids))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, tbl)
		for _, id := range chunk {
			args = append(args, id)
		}
		// The newest last: the ownership rule lets only one owner in.
		err := scan(ctx, q, "SELECT rec, value FROM held_newer WHERE tbl = ? AND field = 'owner' AND rec IN ("+
			table.Placeholders(len(chunk))+") ORDER BY hlc", args, func(rows *sql.Rows) error {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			var o string
			if json.Unmarshal([]byte(v), &o) == nil && o != "" {
				out[id] = o
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("held owners in %s: %w", tbl, err)
		}
	}
	return out, nil
}

// Origin is what one device sent that waits here for a newer version.
type Origin struct {
	// Origin is the device whose changesets brought the changes.
	Origin string
	// Waiting counts changes this version does not know yet: an upgrade
	// merges them. Unusable counts changes the upgraded schema knows but
	// refused (their value does not fit it); they stay, with the reason.
	Waiting, Unusable int
	// Since is when the oldest of them was held (this device's clock).
	Since time.Time
	// Problem is the reason of one unusable change ("" when none).
	Problem string
}

// List lists, per origin device, the changes held aside, in origin order.
func List(ctx context.Context, q table.Queryer) ([]Origin, error) {
	var out []Origin
	err := scan(ctx, q, `SELECT origin, sum(problem = ''), sum(problem <> ''), min(held_ms), max(problem)
		FROM held_newer GROUP BY origin ORDER BY origin`, nil, func(rows *sql.Rows) error {
		var h Origin
		var since int64
		if err := rows.Scan(&h.Origin, &h.Waiting, &h.Unusable, &since, &h.Problem); err != nil {
			return err
		}
		h.Since = time.UnixMilli(since)
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read changes held for a newer version: %w", err)
	}
	return out, nil
}

// Field is a table and field of held changes.
type Field struct{ Table, Field string }

// Ready lists the fields of held changes that knows says this version
// merges and that have changes waiting (not refused after an upgrade).
// It seeks each distinct field once: a station may hold many changes, and
// this runs at every start.
func Ready(ctx context.Context, q table.Queryer, knows func(table, field string) bool) ([]Field, error) {
	var ready []Field
	var k Field
	for {
		err := q.QueryRowContext(ctx, "SELECT tbl, field FROM held_newer WHERE (tbl, field) > (?, ?) ORDER BY tbl, field LIMIT 1",
			k.Table, k.Field).Scan(&k.Table, &k.Field)
		if errors.Is(err, sql.ErrNoRows) {
			return ready, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read changes held for a newer version: %w", err)
		}
		if !knows(k.Table, k.Field) {
			continue
		}
		// Known now; those the schema refused after an upgrade stay.
		var waiting int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM held_newer WHERE tbl = ? AND field = ? AND problem = '' LIMIT 1)",
			k.Table, k.Field).Scan(&waiting); err != nil {
			return nil, fmt.Errorf("read changes held for a newer version: %w", err)
		}
		if waiting > 0 {
			ready = append(ready, k)
		}
	}
}

// Read returns the waiting held changes of f.
func Read(ctx context.Context, q table.Queryer, f Field) ([]change.Change, error) {
	var out []change.Change
	err := scan(ctx, q, "SELECT rec, hlc, value, base FROM held_newer WHERE tbl = ? AND field = ? AND problem = ''",
		[]any{f.Table, f.Field}, func(rows *sql.Rows) error {
			c := change.Change{Table: f.Table, Field: f.Field}
			err := rows.Scan(&c.Record, &c.HLC, &c.Value, &c.Base)
			out = append(out, c)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read held changes of %s.%s: %w", f.Table, f.Field, err)
	}
	return out, nil
}

// Execer writes in a write transaction: its *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Refuse notes why (already clipped) the upgraded schema refuses a held
// change: it stays, with the reason, no longer waiting.
func Refuse(ctx context.Context, x Execer, c change.Change, why string) error {
	if _, err := x.ExecContext(ctx, "UPDATE held_newer SET problem = ? WHERE tbl = ? AND field = ? AND rec = ? AND hlc = ?",
		why, c.Table, c.Field, c.Record, c.HLC); err != nil {
		return fmt.Errorf("note a held change that does not fit: %w", err)
	}
	return nil
}

// Drop removes the waiting held changes of f, once merged.
func Drop(ctx context.Context, x Execer, f Field) error {
	if _, err := x.ExecContext(ctx, "DELETE FROM held_newer WHERE tbl = ? AND field = ? AND problem = ''", f.Table, f.Field); err != nil {
		return fmt.Errorf("drop merged held changes of %s.%s: %w", f.Table, f.Field, err)
	}
	return nil
}

// scan runs q and hands each row to row.
func scan(ctx context.Context, q table.Queryer, query string, args []any, row func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
