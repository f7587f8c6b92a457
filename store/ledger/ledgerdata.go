package ledger

import (
	"context"
	"cunjing/store"
	"cunjing/store/internal/table"
	"cunjing/store/record"
	"fmt"
)

// LedgerData is the part of a post's records a household ledger is matched
// against (import) or written from (export, per-house sheets).
type LedgerData struct {
	Villages   []store.Village   // every live village
	Houses     []store.House     // live houses of the villages asked for
	Households []store.Household // live households of the villages asked for
	// Residents are the live residents of those households plus live
	// residents anywhere whose ID number was asked for (a person a ledger
	// lists may be recorded in another village already).
	Residents []store.Resident
	Visits    []store.Visit // live visits of those households
}

// Data reads the records of the given villages (all villages when
// villageIDs is nil) and the residents holding any of idNumbers.
func Data(ctx context.Context, s *store.Store, villageIDs, idNumbers []string) (LedgerData, error) {
	return ledgerData(ctx, s, villageIDs, idNumbers)
}

// DataTx is Data inside a write transaction: an import matches against
// exactly the snapshot it then writes to.
func DataTx(tx *store.Tx, villageIDs, idNumbers []string) (LedgerData, error) {
	return ledgerData(context.Background(), tx, villageIDs, idNumbers)
}

// maxInArgs keeps IN lists far below SQLite's bound-parameter limit.
const maxInArgs = 500

func ledgerData(ctx context.Context, q store.Reader, villageIDs, idNumbers []string) (LedgerData, error) {
	var d LedgerData
	var err error
	if d.Villages, err = store.Live[store.Village](ctx, q, "ORDER BY name, id"); err != nil {
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
		in, args := table.In(ids)
		hs, err := store.Live[store.House](ctx, q, "AND village_id IN ("+in+") ORDER BY village_id, CAST(number AS INTEGER), number, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger houses: %w", err)
		}
		d.Houses = append(d.Houses, hs...)
		hhs, err := store.Live[store.Household](ctx, q, "AND village_id IN ("+in+") ORDER BY village_id, door_number, owner_name, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger households: %w", err)
		}
		d.Households = append(d.Households, hhs...)
		sub := "SELECT id FROM households WHERE " + record.LiveSQL("") + " AND village_id IN (" + in + ")"
		rs, err := store.Live[store.Resident](ctx, q, "AND household_id IN ("+sub+") ORDER BY household_id, relation != '户主', birth_date, name, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger residents: %w", err)
		}
		for _, r := range rs {
			seen[r.ID] = true
		}
		d.Residents = append(d.Residents, rs...)
		vs, err := store.Live[store.Visit](ctx, q, "AND household_id IN ("+sub+") ORDER BY household_id, date DESC, id", args...)
		if err != nil {
			return d, fmt.Errorf("ledger visits: %w", err)
		}
		d.Visits = append(d.Visits, vs...)
	}
	for start := 0; start < len(idNumbers); start += maxInArgs {
		in, args := table.In(idNumbers[start:min(start+maxInArgs, len(idNumbers))])
		rs, err := store.Live[store.Resident](ctx, q, "AND id_number IN ("+in+") ORDER BY id", args...)
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
