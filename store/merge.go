package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Change is one field change: the unit of the change log and of sync. Value
// is the canonical JSON of the new value; Base is the HLC of the value the
// writer replaced (empty for a first write), which tells a sequential edit
// from a concurrent one.
type Change struct {
	Table  string `json:"t"`
	Record string `json:"r"`
	Field  string `json:"f"`
	Value  string `json:"v"`
	HLC    string `json:"h"`
	Base   string `json:"b,omitempty"`
}

// Origin is the device that made the change (carried in its HLC).
func (c Change) Origin() string {
	h, err := ParseHLC(c.HLC)
	if err != nil {
		return ""
	}
	return h.Device
}

// ApplyResult counts what Apply did.
type ApplyResult struct {
	Applied    int // new changes stored (won or lost)
	Duplicates int // already known, ignored
	Won        int // changes that became the current value
}

// Validate checks a change received from outside against the schema.
func (c Change) Validate() error {
	ti, err := tableOf(c.Table)
	if err != nil {
		return err
	}
	col, ok := ti.byName[c.Field]
	if !ok || c.Field == "id" {
		return fmt.Errorf("unknown field %s.%s", c.Table, c.Field)
	}
	if c.Record == "" || len(c.Record) > 64 {
		return fmt.Errorf("%s: bad record id %q", c.Table, c.Record)
	}
	h, err := ParseHLC(c.HLC)
	if err != nil || h.IsZero() {
		return fmt.Errorf("%s.%s: bad hlc %q", c.Table, c.Field, c.HLC)
	}
	if h.Wall > maxWall {
		return fmt.Errorf("%s.%s: hlc beyond the year 2286", c.Table, c.Field)
	}
	if _, err := ParseHLC(c.Base); err != nil {
		return fmt.Errorf("%s.%s: bad base: %w", c.Table, c.Field, err)
	}
	if c.Base != "" && c.Base >= c.HLC {
		return fmt.Errorf("%s.%s: base %s is not older than the change %s", c.Table, c.Field, c.Base, c.HLC)
	}
	if _, err := canonicalValue(col, c.Value); err != nil {
		return fmt.Errorf("%s.%s: %w", c.Table, c.Field, err)
	}
	return nil
}

// Apply merges changes from other devices: per field, last writer wins by
// (HLC, device); a tombstone is a field like any other. It is idempotent and
// order-independent: applying the same changes in any order, any number of
// times, leaves the same database. All changes are applied in one
// transaction, or none if one is invalid.
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
//
// Changes are grouped by record. A record this database has never seen (a
// post's first upload, a new household) is written with one row insert
// from the winning value of each field; a known record goes field by
// field through the change log's winner. Both give the same result; the
// first is what makes a station's import of many posts fast.
func (tx *Tx) Apply(changes []Change) (ApplyResult, error) {
	var res ApplyResult
	type prepared struct {
		c   Change
		val string
		h   HLC
		ti  *tableInfo
		col *column
	}
	ps := make([]prepared, len(changes))
	type recKey struct{ table, id string }
	groups := map[recKey][]int{}
	var order []recKey
	for i, c := range changes {
		if err := c.Validate(); err != nil {
			return res, fmt.Errorf("change %d: %w", i+1, err)
		}
		ti := tables[c.Table]
		col := ti.byName[c.Field]
		val, _ := canonicalValue(col, c.Value) // validated above
		h, _ := ParseHLC(c.HLC)
		ps[i] = prepared{c: c, val: val, h: h, ti: ti, col: col}
		k := recKey{c.Table, c.Record}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	const insChange = "INSERT OR IGNORE INTO changes (origin, hlc, tbl, rec, field, value, base) VALUES (?, ?, ?, ?, ?, ?, ?)"
	logChange := func(p *prepared) (bool, error) {
		r, err := tx.exec(insChange, p.h.Device, p.c.HLC, p.c.Table, p.c.Record, p.c.Field, p.val, p.c.Base)
		if err != nil {
			return false, fmt.Errorf("store change to %s.%s: %w", p.c.Table, p.c.Field, err)
		}
		n, _ := r.RowsAffected()
		if n == 0 {
			res.Duplicates++
			return false, nil
		}
		res.Applied++
		tx.s.clock.Observe(p.h)
		return true, nil
	}
	for _, k := range order {
		idx := groups[k]
		ti := tables[k.table]
		var one int
		err := tx.queryRow("SELECT 1 FROM "+ti.name+" WHERE id = ?", k.id).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// A record new to this database: the winners go in as one row.
			winners := map[string]*prepared{}
			counts := map[string]int{}
			for _, i := range idx {
				p := &ps[i]
				fresh, err := logChange(p)
				if err != nil {
					return res, err
				}
				if !fresh {
					continue
				}
				counts[p.c.Field]++
				if w := winners[p.c.Field]; w == nil || p.c.HLC > w.c.HLC {
					winners[p.c.Field] = p
				}
			}
			if len(winners) == 0 {
				continue
			}
			names := []string{`"id"`, "hlc"}
			args := []any{k.id, ""}
			rowHLC := ""
			for _, c := range ti.cols {
				w := winners[c.name]
				if w == nil {
					continue
				}
				v, err := decodeValue(w.col, w.val)
				if err != nil {
					return res, err
				}
				names = append(names, `"`+c.name+`"`)
				args = append(args, v)
				rowHLC = max(rowHLC, w.c.HLC)
			}
			args[1] = rowHLC
			q := "INSERT INTO " + ti.name + " (" + strings.Join(names, ", ") + ") VALUES (" + placeholders(len(names)) + ")"
			if _, err := tx.exec(q, args...); err != nil {
				return res, fmt.Errorf("create %s %s: %w", ti.name, k.id, err)
			}
			res.Won += len(winners)
			for f, n := range counts {
				if n > 1 {
					if err := tx.recomputeConflicts(k.table, k.id, f); err != nil {
						return res, err
					}
				}
			}
		case err != nil:
			return res, fmt.Errorf("look up %s %s: %w", k.table, k.id, err)
		default:
			for _, i := range idx {
				p := &ps[i]
				fresh, err := logChange(p)
				if err != nil {
					return res, err
				}
				if !fresh {
					continue
				}
				var winner string
				var count int
				if err := tx.queryRow("SELECT max(hlc), count(*) FROM changes WHERE tbl = ? AND rec = ? AND field = ?", p.c.Table, p.c.Record, p.c.Field).Scan(&winner, &count); err != nil {
					return res, fmt.Errorf("change %d: %w", i+1, err)
				}
				if winner == p.c.HLC {
					res.Won++
					if err := tx.setField(p.ti, p.col, p.c.Record, p.val, p.c.HLC); err != nil {
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
	}
	return res, nil
}

func (tx *Tx) setField(ti *tableInfo, col *column, id, val, hlc string) error {
	v, err := decodeValue(col, val)
	if err != nil {
		return err
	}
	if _, err := tx.exec("INSERT OR IGNORE INTO "+ti.name+" (id) VALUES (?)", id); err != nil {
		return fmt.Errorf("create %s %s: %w", ti.name, id, err)
	}
	q := "UPDATE " + ti.name + ` SET "` + col.name + `" = ?, hlc = max(hlc, ?) WHERE id = ?`
	if _, err := tx.exec(q, v, hlc, id); err != nil {
		return fmt.Errorf("set %s.%s: %w", ti.name, col.name, err)
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
	rows, err := s.db.QueryContext(ctx, "SELECT seq, tbl, rec, field, value, hlc, base FROM changes WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?", origin, after, limit)
	if err != nil {
		return nil, after, fmt.Errorf("read changes of %s: %w", origin, err)
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
	rows, err := s.db.QueryContext(ctx, "SELECT seq, tbl, rec, field, value, hlc, base FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
	if err != nil {
		return nil, after, fmt.Errorf("read changes: %w", err)
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
