package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"cunjing/store/change"
	"cunjing/store/heldnewer"
	"cunjing/store/internal/table"
)

// Change is one field change, the unit of the change log and of sync (see
// change.Change).
type Change = change.Change

// ApplyResult counts what Apply did.
type ApplyResult struct {
	Applied    int // new changes stored (won or lost)
	Duplicates int // already known, ignored
	Won        int // changes that became the current value
	// Held counts new changes of tables or fields this version does not
	// know, held aside until it is upgraded (held.go); a held change
	// already held counts as a duplicate.
	Held int
	// Ahead is, per device whose changes were stored, how far its newest
	// timestamp of its own time lies past this PC's clock (negative:
	// behind). An edit stamped just after a far-ahead value it replaced
	// (Tx.Save) carries no news of its maker's clock and is not counted.
	// Far ahead means that device's clock runs fast (or this one's slow).
	Ahead map[string]time.Duration
}

// noteStamp advances the clock past a stored change (within reach, see
// Clock.Observe) and notes its maker's clock in res.
func (tx *Tx) noteStamp(p *preparedChange, res *ApplyResult) {
	if tx.s.clock.Observe(p.h) {
		tx.clockMoved = true
	}
	if p.c.Base != "" {
		if b, err := ParseHLC(p.c.Base); err == nil && After(b, p.h.Device) == p.h {
			return // stamped after the value it replaced, not by its maker's clock
		}
	}
	d := time.UnixMilli(p.h.Wall).Sub(tx.s.clock.WallNow())
	if res.Ahead == nil {
		res.Ahead = map[string]time.Duration{}
	}
	if cur, ok := res.Ahead[p.h.Device]; !ok || d > cur {
		res.Ahead[p.h.Device] = d
	}
}

// ValidateChange checks a change received from outside against the schema.
// A change that is well formed but names a table or field this version does
// not know (a newer version added it) fails with an *UnknownSchemaError
// (errors.Is(err, ErrUnknownSchema)): a receiver holds such a change aside
// (see held.go) instead of refusing its changeset.
func ValidateChange(c Change) error {
	_, err := prepareChange(c, nil)
	return err
}

// prepareChange makes every check ValidateChange promises (schema, record id, clock
// range, base older than the change), and canonicalises and decodes the
// value. A change of a table or field unknown to this schema whose names
// are well formed and that passes every other check is returned prepared
// for holding (col nil, the value as it came, checked to be JSON) with an
// *UnknownSchemaError. unknown names tables and fields to take as unknown
// (Options.unknown; nil in the app).
func prepareChange(c Change, unknown map[string]bool) (preparedChange, error) {
	ti, known := table.Tables[c.Table]
	if !known && !heldnewer.SaneTable(c.Table) {
		return preparedChange{}, fmt.Errorf("unknown table %q", clip(c.Table))
	}
	var col *table.Column
	if known {
		col = ti.ByName[c.Field]
		if unknown[c.Table] || unknown[c.Table+"."+c.Field] {
			known, col = !unknown[c.Table], nil
		}
	}
	if heldnewer.ReservedField(c.Field) || (col == nil && !heldnewer.SaneName(c.Field)) {
		return preparedChange{}, fmt.Errorf("unknown field %s.%s", c.Table, clip(c.Field))
	}
	h, err := ParseHLC(c.HLC)
	if err != nil || h.IsZero() {
		return preparedChange{}, fmt.Errorf("%s.%s: bad hlc %q", c.Table, c.Field, clip(c.HLC))
	}
	if c.Record == "" || len(c.Record) > 64 {
		return preparedChange{}, fmt.Errorf("%s: bad record id %q", c.Table, clip(c.Record))
	}
	if h.Wall > maxWall {
		return preparedChange{}, fmt.Errorf("%s.%s: hlc beyond the year 2286", c.Table, c.Field)
	}
	if _, err := ParseHLC(c.Base); err != nil {
		return preparedChange{}, fmt.Errorf("%s.%s: bad base: %w", c.Table, c.Field, err)
	}
	if c.Base != "" && c.Base >= c.HLC {
		return preparedChange{}, fmt.Errorf("%s.%s: base %s is not older than the change %s", c.Table, c.Field, clip(c.Base), c.HLC)
	}
	if col == nil {
		if !json.Valid([]byte(c.Value)) {
			return preparedChange{}, fmt.Errorf("%s.%s: value is not JSON", c.Table, c.Field)
		}
		return preparedChange{c: c, val: c.Value, h: h, ti: ti}, &UnknownSchemaError{Table: c.Table, Field: c.Field, TableKnown: known}
	}
	val, dec, err := table.CanonicalDecoded(col, c.Value)
	if err != nil {
		return preparedChange{}, fmt.Errorf("%s.%s: %w", c.Table, c.Field, err)
	}
	return preparedChange{c: c, val: val, dec: dec, h: h, ti: ti, col: col}, nil
}

// Apply merges changes from other devices: per field, last writer wins by
// (HLC, device); a tombstone is a field like any other. It is idempotent and
// order-independent: applying the same changes in any order, any number of
// times, leaves the same database. All changes are applied in one
// transaction, or none if one is invalid; a well-formed change of a table
// or field this version does not know is held aside (held.go).
func (s *Store) Apply(ctx context.Context, changes []Change) (ApplyResult, error) {
	var res ApplyResult
	err := s.Update(ctx, func(tx *Tx) error {
		r, err := tx.Apply(changes)
		res = r
		return err
	})
	if err != nil {
		return ApplyResult{}, err
	}
	return res, nil
}

// Apply merges changes inside an open transaction (see Store.Apply).
func (tx *Tx) Apply(changes []Change) (ApplyResult, error) {
	b, err := prepareBatch(changes, tx.s.unknown)
	if err != nil {
		return ApplyResult{}, err
	}
	return tx.ApplyBatch(b)
}

// Batch is changes from outside checked against the schema, with their
// values canonicalised and decoded: everything a merge does that needs no
// database. Preparing is CPU work a receiver does before it takes the
// write lock, so a station checks one post's changeset while it applies
// another's.
type Batch struct {
	ps []preparedChange
	// held counts the changes unknown to this schema (col nil), which
	// ApplyBatch holds aside instead of merging (held.go).
	held int
	// origin and file name the changeset the batch came in (From), noted
	// with the changes held aside.
	origin, file string
}

// PrepareBatch checks every change as ValidateChange does and prepares
// them for Tx.ApplyBatch; the first bad change fails the whole batch. A
// change that fails only because its table or field is unknown to this
// version (an *UnknownSchemaError) is kept in the batch, to be held aside
// by ApplyBatch (Held, HeldCount).
func PrepareBatch(changes []Change) (*Batch, error) {
	return prepareBatch(changes, nil)
}

func prepareBatch(changes []Change, unknown map[string]bool) (*Batch, error) {
	b := &Batch{ps: make([]preparedChange, len(changes))}
	for i, c := range changes {
		p, err := prepareChange(c, unknown)
		if err != nil {
			var u *UnknownSchemaError
			if !errors.As(err, &u) {
				return nil, fmt.Errorf("change %d: %w", i+1, err)
			}
			b.held++
		}
		b.ps[i] = p
	}
	return b, nil
}

// Len is the number of changes in the batch.
func (b *Batch) Len() int { return len(b.ps) }

// Change returns the i-th change, its value canonicalised.
func (b *Batch) Change(i int) Change {
	c := b.ps[i].c
	c.Value = b.ps[i].val
	return c
}

// Origin is the device that made the i-th change.
func (b *Batch) Origin(i int) string { return b.ps[i].h.Device }

// Subset returns a batch of the changes at the given indexes, in their
// order (a receiver drops those its ownership rule refuses).
func (b *Batch) Subset(keep []int) *Batch {
	out := &Batch{ps: make([]preparedChange, len(keep)), origin: b.origin, file: b.file}
	for j, i := range keep {
		out.ps[j] = b.ps[i]
		if b.ps[i].col == nil {
			out.held++
		}
	}
	return out
}

// ApplyBatch merges a prepared batch (see Store.Apply).
//
// Changes are grouped by record. A record this database has never seen (a
// post's first upload, a new household) is written with one row insert
// from the winning value of each field, its change-log rows in multi-row
// inserts; a known record goes field by field through the change log's
// winner. Both give the same result; the first is what makes a station's
// import of many posts fast.
//
// Changes of tables or fields this version does not know (Held) are not
// merged: they are written to the local held_newer table in the same
// transaction (ApplyResult.Held), to be merged when an upgraded cunjing
// opens the file.
func (tx *Tx) ApplyBatch(b *Batch) (ApplyResult, error) {
	merge, held := tx.s.splitHeld(b)
	res, err := tx.apply(merge)
	if err != nil {
		return res, err
	}
	if err := tx.hold(held, b.origin, b.file, &res); err != nil {
		return res, err
	}
	return res, nil
}

type preparedChange struct {
	c   Change
	val string // canonical JSON, as logged
	dec any    // val as bound in SQL
	h   HLC
	ti  *table.Info
	col *table.Column
}

// changeRowsPerInsert bounds a multi-row INSERT (7 values a row, well under
// SQLite's 32,766 variables).
const changeRowsPerInsert = 64

func (tx *Tx) apply(ps []preparedChange) (ApplyResult, error) {
	var res ApplyResult
	type recKey struct{ table, id string }
	groups := map[recKey][]int{}
	var order []recKey
	idsByTable := map[string][]string{}
	for i := range ps {
		c := &ps[i].c
		k := recKey{c.Table, c.Record}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
			idsByTable[c.Table] = append(idsByTable[c.Table], c.Record)
		}
		groups[k] = append(groups[k], i)
	}
	known := map[recKey]bool{}
	for table, ids := range idsByTable {
		found, err := tx.existing(table, ids)
		if err != nil {
			return res, err
		}
		for id := range found {
			known[recKey{table, id}] = true
		}
	}

	// Records new to this database: deduplicate in memory (none of their
	// changes can be in the log yet), log them in bulk, insert each row.
	var fresh []*preparedChange
	type newRow struct {
		k       recKey
		winners map[string]*preparedChange
		counts  map[string]int
	}
	var rowsToInsert []newRow
	for _, k := range order {
		if known[k] {
			continue
		}
		seen := map[string]bool{}
		nr := newRow{k: k, winners: map[string]*preparedChange{}, counts: map[string]int{}}
		for _, i := range groups[k] {
			p := &ps[i]
			key := p.c.Field + "\x00" + p.c.HLC
			if seen[key] {
				res.Duplicates++
				continue
			}
			seen[key] = true
			fresh = append(fresh, p)
			nr.counts[p.c.Field]++
			if w := nr.winners[p.c.Field]; w == nil || p.c.HLC > w.c.HLC {
				nr.winners[p.c.Field] = p
			}
		}
		rowsToInsert = append(rowsToInsert, nr)
	}
	if err := tx.logChanges(fresh); err != nil {
		return res, err
	}
	res.Applied += len(fresh)
	for _, p := range fresh {
		tx.noteStamp(p, &res)
		tx.origins[p.h.Device].stored = true
	}
	for _, nr := range rowsToInsert {
		ti := table.Tables[nr.k.table]
		names := []string{`"id"`, "hlc"}
		args := []any{nr.k.id, ""}
		rowHLC := ""
		for _, c := range ti.Cols {
			w := nr.winners[c.Name]
			if w == nil {
				continue
			}
			names = append(names, `"`+c.Name+`"`)
			args = append(args, w.dec)
			rowHLC = max(rowHLC, w.c.HLC)
		}
		args[1] = rowHLC
		q := "INSERT INTO " + ti.Name + " (" + strings.Join(names, ", ") + ") VALUES (" + table.Placeholders(len(names)) + ")"
		if _, err := tx.exec(q, args...); err != nil {
			return res, fmt.Errorf("create %s %s: %w", ti.Name, nr.k.id, err)
		}
		res.Won += len(nr.winners)
		for f, n := range nr.counts {
			if n > 1 {
				if err := tx.recomputeConflicts(nr.k.table, nr.k.id, f); err != nil {
					return res, err
				}
			}
		}
	}

	// Known records: each change through the change log's winner.
	const insChange = "INSERT OR IGNORE INTO changes (origin, hlc, tbl, rec, field, value, base) VALUES (?, ?, ?, ?, ?, ?, ?)"
	for _, k := range order {
		if !known[k] {
			continue
		}
		for _, i := range groups[k] {
			p := &ps[i]
			origin, err := tx.origin(p.h.Device, p.c.HLC)
			if err != nil {
				return res, err
			}
			r, err := tx.exec(insChange, origin, p.c.HLC, p.c.Table, p.c.Record, p.c.Field, p.val, p.c.Base)
			if err != nil {
				return res, fmt.Errorf("store change to %s.%s: %w", p.c.Table, p.c.Field, err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				res.Duplicates++
				continue
			}
			res.Applied++
			tx.noteStamp(p, &res)
			tx.origins[p.h.Device].stored = true
			var winner string
			var count int
			if err := tx.queryRow("SELECT max(hlc), count(*) FROM changes WHERE tbl = ? AND rec = ? AND field = ?", p.c.Table, p.c.Record, p.c.Field).Scan(&winner, &count); err != nil {
				return res, fmt.Errorf("change %d: %w", i+1, err)
			}
			if winner == p.c.HLC {
				res.Won++
				if err := tx.setField(p.ti, p.col, p.c.Record, p.dec, p.c.HLC); err != nil {
					return res, fmt.Errorf("change %d: %w", i+1, err)
				}
			}
			if count > 1 {
				if err := tx.recomputeConflicts(p.c.Table, p.c.Record, p.c.Field); err != nil {
					return res, fmt.Errorf("change %d: %w", i+1, err)
				}
			}
		}
	}
	return res, nil
}

// existing returns which of ids have a row in table, asking in batches.
func (tx *Tx) existing(tbl string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		in, args := table.In(chunk)
		rows, err := tx.tx.QueryContext(tx.ctx, "SELECT id FROM "+tbl+" WHERE id IN ("+in+")", args...)
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", tbl, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// logChanges appends changes of records new to this database to the change
// log, many rows per statement.
func (tx *Tx) logChanges(ps []*preparedChange) error {
	for start := 0; start < len(ps); start += changeRowsPerInsert {
		chunk := ps[start:min(start+changeRowsPerInsert, len(ps))]
		q := "INSERT INTO changes (origin, hlc, tbl, rec, field, value, base) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 7*len(chunk))
		for _, p := range chunk {
			origin, err := tx.origin(p.h.Device, p.c.HLC)
			if err != nil {
				return err
			}
			args = append(args, origin, p.c.HLC, p.c.Table, p.c.Record, p.c.Field, p.val, p.c.Base)
		}
		if _, err := tx.exec(q, args...); err != nil {
			return fmt.Errorf("store changes: %w", err)
		}
	}
	return nil
}

func (tx *Tx) setField(ti *table.Info, col *table.Column, id string, v any, hlc string) error {
	if _, err := tx.exec("INSERT OR IGNORE INTO "+ti.Name+" (id) VALUES (?)", id); err != nil {
		return fmt.Errorf("create %s %s: %w", ti.Name, id, err)
	}
	q := "UPDATE " + ti.Name + ` SET "` + col.Name + `" = ?, hlc = max(hlc, ?) WHERE id = ?`
	if _, err := tx.exec(q, v, hlc, id); err != nil {
		return fmt.Errorf("set %s.%s: %w", ti.Name, col.Name, err)
	}
	return nil
}

// recomputeConflicts rebuilds the conflicts of one field from the change
// log: a conflict is a value that no later change was made on top of (a
// head) and that lost to the winner with a different value. Because it is a
// function of the set of changes alone, every replica derives the same rows
// whatever order the changes came in.
func (tx *Tx) recomputeConflicts(table, rec, field string) error {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT hlc, value, base FROM changes WHERE tbl = ? AND rec = ? AND field = ?", table, rec, field)
	if err != nil {
		return fmt.Errorf("read history of %s.%s: %w", table, field, err)
	}
	type ch struct{ hlc, value, base string }
	var all []ch
	superseded := map[string]bool{}
	for rows.Next() {
		var c ch
		if err := rows.Scan(&c.hlc, &c.value, &c.base); err != nil {
			rows.Close()
			return err
		}
		all = append(all, c)
		if c.base != "" {
			superseded[c.base] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM conflicts WHERE tbl = ? AND rec = ? AND field = ?", table, rec, field); err != nil {
		return fmt.Errorf("clear conflicts: %w", err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].hlc > all[j].hlc })
	winner := all[0]
	for _, c := range all[1:] {
		if superseded[c.hlc] || c.value == winner.value {
			continue
		}
		if _, err := tx.exec("INSERT INTO conflicts (tbl, rec, field, hlc, value) VALUES (?, ?, ?, ?, ?)", table, rec, field, c.hlc, c.value); err != nil {
			return fmt.Errorf("record conflict: %w", err)
		}
	}
	return nil
}

// ChangesSince returns up to limit changes that origin made, in the order
// this database received them, after local sequence number after; and the
// sequence number to resume from.
func (s *Store) ChangesSince(ctx context.Context, origin string, after int64, limit int) ([]Change, int64, error) {
	out, last, err := s.readChanges(ctx, "origin = (SELECT n FROM origins WHERE device = ?) AND ", after, limit, origin)
	if err != nil {
		return nil, after, fmt.Errorf("read changes of %s: %w", origin, err)
	}
	return out, last, nil
}

// readChanges reads up to limit changes of the change log after local
// sequence number after, in arrival order, those that where (a condition
// followed by AND, with its args) holds; and the sequence to resume from.
func (s *Store) readChanges(ctx context.Context, where string, after int64, limit int, args ...any) ([]Change, int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, tbl, rec, field, value, hlc, base FROM changes WHERE "+where+
		"seq > ? ORDER BY seq LIMIT ?", append(args, after, limit)...)
	if err != nil {
		return nil, after, err
	}
	defer rows.Close()
	var out []Change
	last := after
	for rows.Next() {
		var c Change
		if err := rows.Scan(&last, &c.Table, &c.Record, &c.Field, &c.Value, &c.HLC, &c.Base); err != nil {
			return nil, after, err
		}
		out = append(out, c)
	}
	return out, last, rows.Err()
}

// Conflict is a value that lost a concurrent edit.
type Conflict struct {
	Table, Record, Field string
	HLC, Value           string
	Winner, WinnerHLC    string
	Reviewed             bool
}

// Conflicts lists conflicts, unreviewed first.
func (s *Store) Conflicts(ctx context.Context) ([]Conflict, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT c.tbl, c.rec, c.field, c.hlc, c.value,
       (SELECT value FROM changes w WHERE w.tbl = c.tbl AND w.rec = c.rec AND w.field = c.field ORDER BY w.hlc DESC LIMIT 1),
       (SELECT max(hlc) FROM changes w WHERE w.tbl = c.tbl AND w.rec = c.rec AND w.field = c.field),
       r.hlc IS NOT NULL
FROM conflicts c LEFT JOIN conflict_reviews r USING (tbl, rec, field, hlc)
ORDER BY r.hlc IS NOT NULL, c.hlc DESC`)
	if err != nil {
		return nil, fmt.Errorf("list conflicts: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		if err := rows.Scan(&c.Table, &c.Record, &c.Field, &c.HLC, &c.Value, &c.Winner, &c.WinnerHLC, &c.Reviewed); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkReviewed records that a person has looked at a conflict.
func (s *Store) MarkReviewed(ctx context.Context, c Conflict, by string) error {
	return s.Update(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, `INSERT OR REPLACE INTO conflict_reviews (tbl, rec, field, hlc, reviewed_at, reviewed_by) VALUES (?, ?, ?, ?, datetime('now'), ?)`,
			c.Table, c.Record, c.Field, c.HLC, by)
		if err != nil {
			return fmt.Errorf("mark conflict reviewed: %w", err)
		}
		return nil
	})
}

// ChangesAfter returns up to limit changes of any origin after local
// sequence number after, in arrival order, and the sequence to resume from.
// A station relays its posts' changes upward with it.
func (s *Store) ChangesAfter(ctx context.Context, after int64, limit int) ([]Change, int64, error) {
	out, last, err := s.readChanges(ctx, "", after, limit)
	if err != nil {
		return nil, after, fmt.Errorf("read changes: %w", err)
	}
	return out, last, nil
}

// MaxChangeSeq is the newest local change-log position.
func (s *Store) MaxChangeSeq(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT max(seq) FROM changes").Scan(&n); err != nil {
		return 0, fmt.Errorf("read change log position: %w", err)
	}
	return n.Int64, nil
}

// MaxChangeSeq is the newest change-log position, inside a transaction.
func (tx *Tx) MaxChangeSeq() (int64, error) {
	var n sql.NullInt64
	if err := tx.queryRow("SELECT max(seq) FROM changes").Scan(&n); err != nil {
		return 0, fmt.Errorf("read change log position: %w", err)
	}
	return n.Int64, nil
}
