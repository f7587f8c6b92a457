package ledger

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"cunjing/store"
)

// Errors of an import as a whole.
var (
	// ErrNoVillage: the ledger has no 村 column and the post has several
	// villages, so the user must choose one.
	ErrNoVillage = errors.New("choose the village this ledger is for")
	// ErrStale: records changed between Preview and Commit (another
	// window, a sync); nothing was written, preview again.
	ErrStale = errors.New("the records changed since the preview; nothing was saved, preview the import again")
)

// Options tune an import.
type Options struct {
	// VillageID is the village of rows that name none (no 村 column, or
	// an empty cell). Empty: the post's only village, if it has one.
	VillageID string
}

// Plan is a previewed import: what every row will do. Nothing is saved
// until Commit.
type Plan struct {
	Table   *Table
	Mapping Mapping
	Entries []Entry
	// Rows is the outcome of every data row, in file order.
	Rows   []RowResult
	Report Report

	env        env
	villageIDs []string
	idNumbers  []string
}

// Preview maps, normalises and validates every row of t and matches it
// against the records, reading only. Call it again whenever the mapping
// changes; show Plan.Rows and Plan.Report; then Commit.
func Preview(ctx context.Context, s *store.Store, t *Table, m Mapping, opt Options) (*Plan, error) {
	entries, err := Parse(t, m)
	if err != nil {
		return nil, err
	}
	villages, err := s.Villages(ctx)
	if err != nil {
		return nil, fmt.Errorf("preview import: %w", err)
	}
	if len(villages) == 0 {
		return nil, fmt.Errorf("preview import: the post has no village yet; create one first")
	}
	e := env{device: s.DeviceID(), station: s.Role() == store.RoleStation, villageID: opt.VillageID}
	if e.villageID != "" {
		found := false
		for _, v := range villages {
			found = found || v.ID == e.villageID
		}
		if !found {
			return nil, fmt.Errorf("preview import: village %s: %w", e.villageID, store.ErrNotFound)
		}
	}
	needDefault := false
	for _, en := range entries {
		needDefault = needDefault || (len(en.Skip) == 0 && en.Village == "")
	}
	if needDefault && e.villageID == "" {
		if len(villages) > 1 {
			return nil, ErrNoVillage
		}
		e.villageID = villages[0].ID
	}
	p := &Plan{Table: t, Mapping: m, Entries: entries, env: e}
	p.villageIDs, p.idNumbers = scope(entries, villages, e.villageID)
	d, err := Data(ctx, s, p.villageIDs, p.idNumbers)
	if err != nil {
		return nil, fmt.Errorf("preview import: %w", err)
	}
	out := plan(entries, &d, e)
	p.Rows, p.Report = out.rows, out.report
	return p, nil
}

// scope is which villages and ID numbers the import reads.
func scope(entries []Entry, villages []store.Village, def string) (vids, ids []string) {
	byName := map[string]string{}
	for _, v := range villages {
		byName[strings.ReplaceAll(cleanText(v.Name), " ", "")] = v.ID
	}
	seenV, seenI := map[string]bool{}, map[string]bool{}
	add := func(id string) {
		if id != "" && !seenV[id] {
			seenV[id] = true
			vids = append(vids, id)
		}
	}
	add(def)
	for _, e := range entries {
		if len(e.Skip) > 0 {
			continue
		}
		if e.Village != "" {
			add(byName[e.Village])
		}
		if id := e.Resident.IDNumber; id != "" && !seenI[id] {
			seenI[id] = true
			ids = append(ids, id)
		}
	}
	if vids == nil {
		vids = []string{} // not nil: nil means every village
	}
	return vids, ids
}

// Commit writes the plan in one transaction. It matches the rows again
// against the records inside the transaction and refuses (ErrStale,
// nothing written) if the outcome differs from the preview, so what is
// saved is exactly what the user confirmed.
func Commit(ctx context.Context, s *store.Store, p *Plan) (Report, error) {
	var rep Report
	err := s.Update(ctx, func(tx *store.Tx) error {
		d, err := DataTx(tx, p.villageIDs, p.idNumbers)
		if err != nil {
			return err
		}
		out := plan(p.Entries, &d, p.env)
		if !reflect.DeepEqual(out.rows, p.Rows) || !reflect.DeepEqual(out.report, p.Report) {
			return ErrStale
		}
		if err := write(ctx, tx, out); err != nil {
			return err
		}
		rep = out.report
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("import: %w", err)
	}
	rep.Committed = true
	return rep, nil
}

// write saves what changed: households first (new ones get their IDs),
// then their residents and visits.
func write(ctx context.Context, tx *store.Tx, out *planned) error {
	for i, hp := range out.households {
		if i%512 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if hp.rows == 0 || (hp.orig != nil && sameHousehold(&hp.rec, hp.orig)) {
			continue
		}
		if err := tx.Save(&hp.rec); err != nil {
			return fmt.Errorf("row %d: save household %s: %w", hp.lead, hp.label, err)
		}
	}
	for i, rp := range out.residents {
		if i%512 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if rp.hh == nil || rp.first == 0 {
			continue
		}
		rp.rec.HouseholdID = rp.hh.rec.ID
		if rp.orig != nil && sameResident(&rp.rec, rp.orig) {
			continue
		}
		if err := tx.Save(&rp.rec); err != nil {
			return fmt.Errorf("row %d: save resident %s: %w", rp.first, rp.rec.Name, err)
		}
	}
	for _, vp := range out.visits {
		vp.rec.HouseholdID = vp.hh.rec.ID
		if vp.orig != nil && reflect.DeepEqual(vp.rec, *vp.orig) {
			continue
		}
		if err := tx.Save(&vp.rec); err != nil {
			return fmt.Errorf("save visit %s of %s: %w", vp.rec.Date, vp.hh.label, err)
		}
	}
	return nil
}
