package store

import (
	"context"
	"fmt"
	"strings"
)

// LedgerData is the part of a post's records a household ledger is matched
// against (import) or written from (export, per-house sheets).
type LedgerData struct {
	Villages   []Village   // every live village
	Houses     []House     // live houses of the villages asked for
	Households []Household // live households of the villages asked for
	// Residents are the live residents of those households plus live
	// residents anywhere whose ID number was asked for (a person a ledger
	// lists may be recorded in another village already).
	Residents []Resident
	Visits    []Visit // live visits of those households
}

// LedgerData reads the records of the given villages (all villages when
// villageIDs is nil) and the residents holding any of idNumbers.
func (s *Store) LedgerData(ctx context.Context, villageIDs, idNumbers []string) (LedgerData, error) {
	return ledgerData(ctx, s.db, villageIDs, idNumbers)
}

// LedgerData is Store.LedgerData inside a write transaction: an import
// matches against exactly the snapshot it then writes to.
func (tx *Tx) LedgerData(villageIDs, idNumbers []string) (LedgerData, error) {
	return ledgerData(tx.ctx, tx.tx, villageIDs, idNumbers)
}

// maxInArgs keeps IN lists far below SQLite's bound-parameter limit.
const maxInArgs = 500

func ledgerData(ctx context.Context, q rowsQueryer, villageIDs, idNumbers []string) (LedgerData, error) {
	var d LedgerData
	var err error
	if d.Villages, err = listQ[Village](ctx, q, "WHERE deleted = 0 ORDER BY name, id"); err != nil {
		return d, fmt.Errorf("ledger villages: %w", err)
	}
	if villageIDs == nil {
		for _, v := range d.Villages {
			villageIDs = append(villageIDs, v.ID)
		}
	}
	seen := map[string]bool{}
	for start := 0; start < len(villageIDs); start += maxInArgs {
		ids := villageIDs[start:min(start+maxInArgs, len(villageIDs))]
		in, args := inList(ids)
		hs, err := listQ[House](ctx, q, "WHERE deleted = 0 AND village_id IN ("+in+") ORDER BY village_id, CAST(number AS INTEGER), number, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger houses: %w", err)
		}
		d.Houses = append(d.Houses, hs...)
		hhs, err := listQ[Household](ctx, q, "WHERE deleted = 0 AND village_id IN ("+in+") ORDER BY village_id, door_number, owner_name, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger households: %w", err)
		}
		d.Households = append(d.Households, hhs...)
		sub := "SELECT id FROM households WHERE deleted = 0 AND village_id IN (" + in + ")"
		rs, err := listQ[Resident](ctx, q, "WHERE deleted = 0 AND household_id IN ("+sub+") ORDER BY household_id, relation != '户主', birth_date, name, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger residents: %w", err)
		}
		for _, r := range rs {
			seen[r.ID] = true
		}
		d.Residents = append(d.Residents, rs...)
		vs, err := listQ[Visit](ctx, q, "WHERE deleted = 0 AND household_id IN ("+sub+") ORDER BY household_id, date DESC, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger visits: %w", err)
		}
		d.Visits = append(d.Visits, vs...)
	}
	for start := 0; start < len(idNumbers); start += maxInArgs {
		in, args := inList(idNumbers[start:min(start+maxInArgs, len(idNumbers))])
		rs, err := listQ[Resident](ctx, q, "WHERE deleted = 0 AND id_number IN ("+in+") ORDER BY id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger residents by ID number: %w", err)
		}
		for _, r := range rs {
			if !seen[r.ID] {
				seen[r.ID] = true
				d.Residents = append(d.Residents, r)
			}
		}
	}
	return d, nil
}

func inList(vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return strings.TrimSuffix(strings.Repeat("?,", len(vals)), ","), args
}
