package store

// Changes held aside for a newer version (issue #22: new versions carried
// down the tree). In the field a station is upgraded before its posts, a
// county before its stations; a newer version adds synced tables and
// fields. A change of a table or field this version does not know is not
// a reason to refuse its changeset (that would stop its origin's chain and
// split the two devices until someone upgrades): PrepareBatch keeps it in
// the batch, ApplyBatch writes it to the local table held_newer (migration
// 0017) in the same transaction instead of merging it, and the rest of the
// changeset applies as usual. When an upgraded cunjing opens the file, the
// held changes its schema now knows are merged through the normal merge in
// one transaction (mergeHeld). Last writer wins by (hlc, device) does not
// depend on the order changes arrive in, so merging late gives what
// merging on arrival would have.

import (
	"context"
	"fmt"

	"cunjing/store/heldnewer"
	"cunjing/store/internal/table"
)

// ErrUnknownSchema marks a well-formed change of a table or field this
// version does not know (heldnewer.ErrUnknownSchema).
var ErrUnknownSchema = heldnewer.ErrUnknownSchema

// UnknownSchemaError is such a change (heldnewer.UnknownSchemaError).
type UnknownSchemaError = heldnewer.UnknownSchemaError

// clip shortens outside text quoted in an error.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// KnownTable says whether this version's schema has the synced table.
func KnownTable(name string) bool {
	_, ok := table.Tables[name]
	return ok
}

// Held says whether the i-th change names a table or field this version
// does not know: ApplyBatch holds it aside instead of merging it.
func (b *Batch) Held(i int) bool { return b.ps[i].col == nil }

// HeldCount is how many changes of the batch are held aside (Held).
func (b *Batch) HeldCount() int { return b.held }

// Known returns the batch without the changes held aside.
func (b *Batch) Known() *Batch {
	if b.held == 0 {
		return b
	}
	keep := make([]int, 0, len(b.ps)-b.held)
	for i := range b.ps {
		if b.ps[i].col != nil {
			keep = append(keep, i)
		}
	}
	return b.Subset(keep)
}

// From returns the batch noting the device whose changeset brought it and
// the changeset's name: what a change held aside records of where it came
// from. Without it the origin is the change's maker (its HLC's device).
func (b *Batch) From(origin, file string) *Batch {
	out := *b
	out.origin, out.file = origin, file
	return &out
}

// knows says whether this store merges changes of table.field: its schema
// has them and (tests) it was not opened as a version without them.
func (s *Store) knows(tbl, field string) bool {
	ti, ok := table.Tables[tbl]
	if !ok || ti.ByName[field] == nil || heldnewer.ReservedField(field) {
		return false
	}
	return !s.unknown[tbl] && !s.unknown[tbl+"."+field]
}

// splitHeld divides a batch into the changes to merge and those to hold.
func (s *Store) splitHeld(b *Batch) (merge, held []preparedChange) {
	if b.held == 0 && len(s.unknown) == 0 {
		return b.ps, nil
	}
	merge = make([]preparedChange, 0, len(b.ps))
	for _, p := range b.ps {
		if p.col == nil || !s.knows(p.c.Table, p.c.Field) {
			held = append(held, p)
			continue
		}
		merge = append(merge, p)
	}
	return merge, held
}

// hold writes changes unknown to this version to held_newer. A change held
// before (the same table, field, record and stamp) is a duplicate; the
// clock observes each new one, as it does every change received.
func (tx *Tx) hold(ps []preparedChange, origin, file string, res *ApplyResult) error {
	if len(ps) == 0 {
		return nil
	}
	now := tx.s.clock.WallNow().UnixMilli()
	for i := range ps {
		p := &ps[i]
		from := origin
		if from == "" {
			from = p.h.Device
		}
		r, err := tx.exec(heldnewer.Insert, p.c.Table, p.c.Field, p.c.Record, p.c.HLC, p.val, p.c.Base, from, file, now)
		if err != nil {
			return fmt.Errorf("hold change to %s.%s for a newer version: %w", p.c.Table, p.c.Field, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			res.Duplicates++
			continue
		}
		res.Held++
		tx.noteStamp(p, res)
	}
	return nil
}

// HeldOwners returns the owner that held changes name for records of a
// table this version does not know (heldnewer.Owners).
func (tx *Tx) HeldOwners(table string, ids []string) (map[string]string, error) {
	return heldnewer.Owners(tx.ctx, tx.tx, table, ids)
}

// HeldNewer is what one device sent that waits here for a newer version.
type HeldNewer = heldnewer.Origin

// HeldNewer lists, per origin device, the changes held aside for a newer
// version (see held.go), in origin order.
func (s *Store) HeldNewer(ctx context.Context) ([]HeldNewer, error) { return heldnewer.List(ctx, s.db) }

// mergeHeld merges, in one transaction, the held changes whose table and
// field this version knows (it was upgraded since they came), through the
// normal merge, and removes them from held_newer; the rest stay. A change
// whose value the schema now refuses stays too, with the reason. It returns
// how many changes it merged. Open calls it after the migrations.
func (s *Store) mergeHeld(ctx context.Context) (int, error) {
	ready, err := heldnewer.Ready(ctx, s.db, s.knows)
	if err != nil || len(ready) == 0 {
		return 0, err
	}
	merged := 0
	err = s.Update(ctx, func(tx *Tx) error {
		merged = 0
		var ps []preparedChange
		for _, k := range ready {
			cs, err := heldnewer.Read(ctx, tx.tx, k)
			if err != nil {
				return err
			}
			for _, c := range cs {
				p, err := prepareChange(c, s.unknown)
				if err != nil {
					// The upgraded schema refuses its value: it stays, with the reason.
					if err := heldnewer.Refuse(ctx, tx.tx, c, clip(err.Error())); err != nil {
						return err
					}
					continue
				}
				ps = append(ps, p)
			}
		}
		if _, err := tx.apply(ps); err != nil {
			return fmt.Errorf("merge changes held for this version: %w", err)
		}
		// A post's edit of a month this station approved is held back as
		// a request to unlock, as it would have been on arrival (the
		// rule looks only at changes the record's owner made).
		if _, err := tx.HoldLateEdits(&Batch{ps: ps}); err != nil {
			return fmt.Errorf("merge changes held for this version: %w", err)
		}
		for _, k := range ready {
			if err := heldnewer.Drop(ctx, tx.tx, k); err != nil {
				return err
			}
		}
		merged = len(ps)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return merged, nil
}
