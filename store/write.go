package store

import (
	"context"
	"cunjing/store/internal/table"
	"cunjing/store/record"
	"cunjing/store/searchindex"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"
)

// Tx is one write transaction. Every record saved through it appends its
// field changes to the change log in the same SQLite transaction, so a crash
// never leaves data without its change or a change without its data.
type Tx struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
	hlc HLC // issued lazily: one timestamp for all writes of the transaction
	// stmts caches prepared statements for the life of the transaction:
	// bulk imports save thousands of records through the same few queries.
	stmts map[string]*sql.Stmt
	// origins maps the devices whose changes this transaction logs to their
	// local numbers, with the newest HLC logged for each.
	origins map[string]*txOrigin
	// clockRead: the file's clock (meta 'hlc') has been read in this
	// transaction; clockMoved: a timestamp was issued or observed, so the
	// clock is written back at commit.
	clockRead, clockMoved bool
	// unlocked: this transaction may write a post's records in an
	// approved month (holding a late edit back, applying a request the
	// station granted); see approval.go.
	unlocked bool
}

type txOrigin struct {
	n    int64
	last string
	// stored: a change of this device was stored (not a duplicate); its
	// arrival time is noted for the data freshness.
	stored bool
}

// origin returns the local number of a device for the change log (adding
// the device on its first change) and notes hlc as its newest if it is.
func (tx *Tx) origin(device, hlc string) (int64, error) {
	o := tx.origins[device]
	if o == nil {
		if _, err := tx.exec("INSERT OR IGNORE INTO origins (device) VALUES (?)", device); err != nil {
			return 0, fmt.Errorf("add origin %s: %w", device, err)
		}
		o = &txOrigin{}
		if err := tx.queryRow("SELECT n FROM origins WHERE device = ?", device).Scan(&o.n); err != nil {
			return 0, fmt.Errorf("look up origin %s: %w", device, err)
		}
		if tx.origins == nil {
			tx.origins = map[string]*txOrigin{}
		}
		tx.origins[device] = o
	}
	o.last = max(o.last, hlc)
	return o.n, nil
}

// flushOrigins records each origin's newest change and, when something of
// it was stored, the time it arrived here (by this PC's clock), once per
// transaction.
func (tx *Tx) flushOrigins() error {
	now := tx.s.clock.WallNow().UnixMilli()
	for _, o := range tx.origins {
		if !o.stored {
			continue
		}
		// An arrival is noted by this PC's clock, but never before what
		// the file has already seen: a clock fallen back years (a flat
		// battery) noted it years back, and the post showed years stale.
		high, err := tx.highWater()
		if err != nil {
			return fmt.Errorf("note arrival: %w", err)
		}
		if high.Wall > now+MaxAhead.Milliseconds() {
			now = high.Wall
		}
		break
	}
	for device, o := range tx.origins {
		if _, err := tx.exec("UPDATE origins SET last_hlc = ? WHERE n = ? AND last_hlc < ?", o.last, o.n, o.last); err != nil {
			return fmt.Errorf("note newest change of %s: %w", device, err)
		}
		if o.stored {
			if _, err := tx.exec("UPDATE origins SET arrived_ms = ? WHERE n = ?", now, o.n); err != nil {
				return fmt.Errorf("note arrival from %s: %w", device, err)
			}
		}
	}
	return nil
}

// syncClock moves this process's clock past the file's, once per
// transaction. meta('hlc') holds the newest timestamp any process issued or
// observed in this file, and writes run in BEGIN IMMEDIATE transactions,
// so reading it here (no other writer can commit meanwhile) gives a window
// and a command-line sync writing the same file one clock: every edit is
// stamped after every change the file holds. A file clock more than
// MaxAhead past this PC's (the PC ran fast and has been set right) is not
// followed; edits on top of such values are stamped just after them (Save).
func (tx *Tx) syncClock() error {
	if tx.clockRead {
		return nil
	}
	var v string
	err := tx.queryRow("SELECT value FROM meta WHERE key = 'hlc'").Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read clock: %w", err)
	}
	if h, perr := ParseHLC(v); perr == nil {
		tx.s.clock.Observe(h)
	} // a damaged value is overwritten at commit
	tx.clockRead = true
	return nil
}

// persistClock writes the clock back to the file: after the file's own
// value, or instead of it when that was out of reach.
func (tx *Tx) persistClock() error {
	if !tx.clockMoved {
		return nil
	}
	if err := tx.syncClock(); err != nil {
		return err
	}
	// The high-water mark first, from what the file holds before the
	// clock is written over (HighWater).
	high, err := tx.highWater()
	if err != nil {
		return fmt.Errorf("persist clock: %w", err)
	}
	if last := tx.s.clock.Last(); last.Compare(high) > 0 {
		high = last
	}
	for key, h := range map[string]HLC{"hlc": tx.s.clock.Last(), "hlc_high": high} {
		if _, err := tx.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, h.String()); err != nil {
			return fmt.Errorf("persist clock: %w", err)
		}
	}
	return nil
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	st, ok := tx.stmts[q]
	if !ok {
		var err error
		st, err = tx.tx.PrepareContext(tx.ctx, q)
		if err != nil {
			return nil, err
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[q] = st
	}
	return st.ExecContext(tx.ctx, args...)
}

// queryRow runs a cached single-row query.
func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	st, ok := tx.stmts[q]
	if !ok {
		var err error
		st, err = tx.tx.PrepareContext(tx.ctx, q)
		if err != nil {
			// Let the error surface through Scan, as QueryRow does.
			return tx.tx.QueryRowContext(tx.ctx, q, args...)
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[q] = st
	}
	return st.QueryRowContext(tx.ctx, args...)
}

func (tx *Tx) closeStmts() {
	for _, st := range tx.stmts {
		st.Close()
	}
}

// Update runs fn in a write transaction and commits it if fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{s: s, ctx: ctx, tx: sqlTx}
	defer tx.closeStmts()
	if err := fn(tx); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil {
			return classify(fmt.Errorf("%w (rollback: %v)", err, rbErr))
		}
		return classify(err)
	}
	if err := searchindex.Reindex(ctx, sqlTx); err != nil {
		sqlTx.Rollback()
		return classify(err)
	}
	if err := tx.flushOrigins(); err != nil {
		sqlTx.Rollback()
		return classify(err)
	}
	if err := tx.persistClock(); err != nil {
		sqlTx.Rollback()
		return classify(err)
	}
	if err := sqlTx.Commit(); err != nil {
		sqlTx.Rollback()
		return classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// classify marks a full disk so the UI can say so plainly: the whole
// transaction was rolled back, nothing of this edit was saved, everything
// saved before is intact.
func classify(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
		return fmt.Errorf("%w: %v", ErrDiskFull, err)
	}
	return err
}

// Save validates and stores records in one transaction (see Tx.Save).
func (s *Store) Save(ctx context.Context, recs ...Record) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.SaveAll(recs...) })
}

// SaveAll is Tx.Save of each record in turn; an error names the record's
// place when there are several.
func (tx *Tx) SaveAll(recs ...Record) error {
	for i, r := range recs {
		if err := tx.Save(r); err != nil {
			if len(recs) > 1 {
				return fmt.Errorf("record %d: %w", i+1, err)
			}
			return err
		}
	}
	return nil
}

// stamp returns the transaction's timestamp, issuing it on first use after
// the file's clock.
func (tx *Tx) stamp() (HLC, error) {
	if tx.hlc.IsZero() {
		if err := tx.syncClock(); err != nil {
			return HLC{}, err
		}
		tx.hlc = tx.s.clock.Now()
		tx.clockMoved = true
	}
	return tx.hlc, nil
}

// stampOn returns the timestamp of an edit replacing the value stamped
// base: the transaction's, or just after base when base lies beyond it (a
// value stamped by a PC whose clock runs ahead, which the clock does not
// follow). So a change is always newer than the value it replaces.
func (tx *Tx) stampOn(base string) (string, error) {
	h, err := tx.stamp()
	if err != nil {
		return "", err
	}
	hs := h.String()
	if base == "" || base < hs {
		return hs, nil
	}
	b, err := ParseHLC(base)
	if err != nil {
		return "", fmt.Errorf("stored clock %q: %w", base, err)
	}
	a := After(b, h.Device)
	if a.Compare(b) <= 0 {
		return "", fmt.Errorf("the stored value is stamped %s, the last time a clock can carry (a PC whose clock is past the year 2286 made it): this device cannot stamp an edit after it", base)
	}
	return a.String(), nil
}

// NewID returns a fresh UUIDv7 (time-ordered, so ids made on one device
// index well and never collide across devices).
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 only fails when the system random source fails.
		return uuid.NewString()
	}
	return id.String()
}

// Save validates rec and writes only the fields that differ from what is
// stored, each as one change. A new record (empty ID) gets a fresh ID and
// this device as owner. A post may not change another device's records; a
// station may correct its posts' records (the owner stays the post).
func (tx *Tx) Save(rec Record) error {
	if err := rec.Validate(); err != nil {
		return err
	}
	if c, ok := rec.(record.CheckedAtNow); ok {
		if err := c.ValidateAt(tx.s.wall()); err != nil {
			return err
		}
	}
	ti, err := table.Of(rec.Table())
	if err != nil {
		return err
	}
	m := rec.RecordMeta()
	isNew := m.ID == ""
	if isNew {
		m.ID = NewID()
	}
	old := reflect.New(ti.Typ)
	oldRec := old.Interface().(Record)
	exists := !isNew // a fresh UUIDv7 cannot be in the table yet
	if exists {
		if err := tx.get(ti, m.ID, old); err != nil {
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			exists = false
		}
	}
	if m.Owner == "" {
		m.Owner = tx.s.device
		if exists {
			m.Owner = oldRec.RecordMeta().Owner
		} else if m.Owner, err = tx.aboutOwner(rec); err != nil {
			return err
		}
	}
	if exists {
		if err := tx.mayWrite(oldRec.RecordMeta().Owner); err != nil {
			return fmt.Errorf("%s %s: %w", ti.Name, m.ID, err)
		}
		if m.Owner != oldRec.RecordMeta().Owner {
			return fmt.Errorf("%s %s: owner cannot change", ti.Name, m.ID)
		}
	} else if err := tx.mayWrite(m.Owner); err != nil {
		return fmt.Errorf("%s %s: %w", ti.Name, m.ID, err)
	}
	var oldLock Record
	if exists {
		oldLock = oldRec
	}
	if err := tx.checkMonthLock(m.Owner, rec, oldLock); err != nil {
		return err
	}
	bases := map[string]string{}
	if exists {
		if bases, err = tx.fieldClocks(ti.Name, m.ID); err != nil {
			return err
		}
	}
	nv := reflect.ValueOf(rec).Elem()
	// A record read from the database is compared with what was read (the
	// user's edits); one built by the caller, with the stored row.
	loaded := m.Loaded()
	if len(loaded) != len(ti.Cols) || !exists {
		loaded = nil
	}
	var changed []*table.Column
	for i := range ti.Cols {
		c := &ti.Cols[i]
		if c.Name == "id" {
			continue
		}
		newVal := table.Encode(c, nv.FieldByIndex(c.Index))
		switch {
		case loaded != nil:
			if newVal == loaded[i] {
				continue
			}
		case exists:
			if newVal == table.Encode(c, old.Elem().FieldByIndex(c.Index)) {
				continue
			}
		case newVal == table.Encode(c, reflect.Zero(c.Type(ti))) && c.Name != "owner":
			continue // a new record ships only what is set; defaults are implied
		}
		if exists && newVal == table.Encode(c, old.Elem().FieldByIndex(c.Index)) {
			continue // already the stored value (someone made the same edit)
		}
		changed = append(changed, c)
	}
	if len(changed) == 0 {
		m.SetLoaded(table.Snapshot(ti, nv))
		return nil
	}
	rowHLC, err := tx.logChanged(ti, m.ID, nv, changed, bases)
	if err != nil {
		return err
	}
	if err := tx.writeRow(ti, m.ID, nv, changed, rowHLC, !exists); err != nil {
		return err
	}
	if exists {
		for _, c := range changed {
			if bases[c.Name] != "" {
				if err := tx.recomputeConflicts(ti.Name, m.ID, c.Name); err != nil {
					return err
				}
			}
		}
	}
	m.SetLoaded(table.Snapshot(ti, nv))
	return nil
}

// logChanged appends one change per changed field of record id (values
// from nv, each made on the field's current value in bases) to the change
// log, and returns the newest stamp it used.
func (tx *Tx) logChanged(ti *table.Info, id string, nv reflect.Value, changed []*table.Column, bases map[string]string) (string, error) {
	stamps := make([]string, len(changed))
	newest := ""
	for i, c := range changed {
		hs, err := tx.stampOn(bases[c.Name])
		if err != nil {
			return "", err
		}
		stamps[i] = hs
		newest = max(newest, hs)
	}
	origin, err := tx.origin(tx.hlc.Device, newest)
	if err != nil {
		return "", err
	}
	tx.origins[tx.hlc.Device].stored = true
	for i, c := range changed {
		val := table.Encode(c, nv.FieldByIndex(c.Index))
		if _, err := tx.exec(
			"INSERT INTO changes (origin, hlc, tbl, rec, field, value, base) VALUES (?, ?, ?, ?, ?, ?, ?)",
			origin, stamps[i], ti.Name, id, c.Name, val, bases[c.Name]); err != nil {
			return "", fmt.Errorf("log %s.%s: %w", ti.Name, c.Name, err)
		}
	}
	return newest, nil
}

// mayWrite is the role rule alone: a device writes its own records, and
// a station may also write (correct) others'.
func (s *Store) mayWrite(owner string) error {
	if owner == s.device || s.role == RoleStation {
		return nil
	}
	return ErrNotOwner
}

// mayWrite is the rule for a write in this transaction: the role rule, and
// a station never writes its county's records (it only carries them).
func (tx *Tx) mayWrite(owner string) error {
	if err := tx.s.mayWrite(owner); err != nil || owner == tx.s.device {
		return err
	}
	var role string
	err := tx.queryRow("SELECT role FROM posts WHERE id = ?", owner).Scan(&role)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("look up the role of %s: %w", owner, err)
	}
	if role == RoleCounty {
		return ErrNotOwner
	}
	return nil
}

func (tx *Tx) writeRow(ti *table.Info, id string, nv reflect.Value, changed []*table.Column, hs string, insert bool) error {
	if insert {
		names := []string{`"id"`, "hlc"}
		args := []any{id, hs}
		for _, c := range changed {
			names = append(names, `"`+c.Name+`"`)
			args = append(args, table.SQLValue(c, nv.FieldByIndex(c.Index)))
		}
		q := "INSERT INTO " + ti.Name + " (" + strings.Join(names, ", ") + ") VALUES (" + table.Placeholders(len(names)) + ")"
		if _, err := tx.exec(q, args...); err != nil {
			return fmt.Errorf("insert %s: %w", ti.Name, err)
		}
		return nil
	}
	sets := []string{"hlc = max(hlc, ?)"}
	args := []any{hs}
	for _, c := range changed {
		sets = append(sets, `"`+c.Name+`" = ?`)
		args = append(args, table.SQLValue(c, nv.FieldByIndex(c.Index)))
	}
	args = append(args, id)
	q := "UPDATE " + ti.Name + " SET " + strings.Join(sets, ", ") + " WHERE id = ?"
	if _, err := tx.exec(q, args...); err != nil {
		return fmt.Errorf("update %s: %w", ti.Name, err)
	}
	return nil
}

// fieldClocks returns, per field, the HLC of the value currently stored:
// the base a new change to that field is made on.
func (tx *Tx) fieldClocks(table, id string) (map[string]string, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT field, max(hlc) FROM changes WHERE tbl = ? AND rec = ? GROUP BY field", table, id)
	if err != nil {
		return nil, fmt.Errorf("read clocks of %s %s: %w", table, id, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var f, h string
		if err := rows.Scan(&f, &h); err != nil {
			return nil, err
		}
		out[f] = h
	}
	return out, rows.Err()
}

// Delete marks a record deleted (a tombstone that syncs like any field).
func (tx *Tx) Delete(rec Record, id string) error {
	return tx.setDeleted(rec, id, true)
}

// Restore undeletes a record; the newer restore wins over the delete.
func (tx *Tx) Restore(rec Record, id string) error {
	return tx.setDeleted(rec, id, false)
}

func (tx *Tx) setDeleted(rec Record, id string, del bool) error {
	ti, err := table.Of(rec.Table())
	if err != nil {
		return err
	}
	if err := tx.get(ti, id, reflect.ValueOf(rec)); err != nil {
		return err
	}
	if rec.RecordMeta().Deleted == del {
		return nil
	}
	if err := tx.checkMonthLock(rec.RecordMeta().Owner, rec, nil); err != nil {
		return err
	}
	rec.RecordMeta().Deleted = del
	// A tombstone is written even if the record no longer validates: an
	// old record must stay deletable after validation rules get stricter.
	return tx.saveUnchecked(ti, rec)
}

func (tx *Tx) saveUnchecked(ti *table.Info, rec Record) error {
	m := rec.RecordMeta()
	if err := tx.mayWrite(m.Owner); err != nil {
		return fmt.Errorf("%s %s: %w", ti.Name, m.ID, err)
	}
	bases, err := tx.fieldClocks(ti.Name, m.ID)
	if err != nil {
		return err
	}
	nv := reflect.ValueOf(rec).Elem()
	changed := []*table.Column{ti.ByName["deleted"]}
	if m.Deleted {
		// A delete restates every field as this device has it, each made
		// on the value it replaces. An edit of the record made meanwhile
		// elsewhere, unseen here, is then a second value made on the same
		// base: a conflict kept for review on every replica, instead of
		// an edit buried silently under the tombstone. An edit made after
		// seeing the delete is made on the restated value and is none.
		for i := range ti.Cols {
			if c := &ti.Cols[i]; c.Name != "id" && c.Name != "owner" && c.Name != "deleted" {
				changed = append(changed, c)
			}
		}
	}
	hs, err := tx.logChanged(ti, m.ID, nv, changed, bases)
	if err != nil {
		return err
	}
	if err := tx.writeRow(ti, m.ID, nv, changed, hs, false); err != nil {
		return err
	}
	for _, c := range changed {
		if bases[c.Name] != "" {
			if err := tx.recomputeConflicts(ti.Name, m.ID, c.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) get(ti *table.Info, id string, dst reflect.Value) error {
	return table.GetRow(tx.ctx, tx.tx, ti, id, dst)
}

// Get is Store.Get inside the transaction.
func (tx *Tx) Get(rec Record, id string) error { return table.Get(tx.ctx, tx.tx, rec, id) }

// Get reads the record with id into rec (a pointer to an empty record of
// the right type). Deleted records are returned too; check rec's Deleted.
func (s *Store) Get(ctx context.Context, rec Record, id string) error {
	return table.Get(ctx, s.db, rec, id)
}

// DeleteHousehold tombstones a household with its residents and visits, in
// this transaction (a household gone from the village takes its people's
// entries with it; all of them stay restorable and sync as tombstones).
func (tx *Tx) DeleteHousehold(id string) error {
	residents, err := liveTx[Resident](tx, "AND household_id = ?", id)
	if err != nil {
		return err
	}
	for _, r := range residents {
		if err := tx.Delete(&Resident{}, r.ID); err != nil {
			return fmt.Errorf("delete resident %s: %w", r.Name, err)
		}
	}
	visits, err := liveTx[Visit](tx, "AND household_id = ?", id)
	if err != nil {
		return err
	}
	for _, v := range visits {
		if err := tx.Delete(&Visit{}, v.ID); err != nil {
			return fmt.Errorf("delete visit of %s: %w", v.Date, err)
		}
	}
	return tx.Delete(&Household{}, id)
}
