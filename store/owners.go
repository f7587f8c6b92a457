package store

// Who owns a synced record: what import checks before it applies a change
// of another device (a post may write only its own records).

import (
	"context"
	"cunjing/store/internal/table"
	"cunjing/store/record"
	"database/sql"
	"errors"
	"fmt"
)

// RecordOwner returns the owner of a synced record, and whether the record
// exists at all, inside a transaction (import checks ownership with it).
func (tx *Tx) RecordOwner(tbl, id string) (string, bool, error) {
	if _, err := table.Of(tbl); err != nil {
		return "", false, err
	}
	var o string
	err := tx.tx.QueryRowContext(tx.ctx, "SELECT owner FROM "+tbl+" WHERE id = ?", id).Scan(&o)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("owner of %s %s: %w", tbl, id, err)
	}
	return o, true, nil
}

// ownerBatch is how many ids one RecordOwners query asks for: well under
// SQLite's variable limit, and one prepared statement serves every batch.
const ownerBatch = 256

// RecordOwners returns the stored owner of each of ids that exists in
// table (ids missing from the map do not exist). It asks in batches, so a
// station importing a post's 10,000 records makes 40 queries, not 10,000.
func (tx *Tx) RecordOwners(tbl string, ids []string) (map[string]string, error) {
	if _, err := table.Of(tbl); err != nil {
		return nil, err
	}
	q := "SELECT id, owner FROM " + tbl + " WHERE id IN (" + table.Placeholders(ownerBatch) + ")"
	st, ok := tx.stmts[q]
	if !ok {
		var err error
		if st, err = tx.tx.PrepareContext(tx.ctx, q); err != nil {
			return nil, fmt.Errorf("owners in %s: %w", tbl, err)
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[q] = st
	}
	out := make(map[string]string, len(ids))
	args := make([]any, ownerBatch)
	for start := 0; start < len(ids); start += ownerBatch {
		chunk := ids[start:min(start+ownerBatch, len(ids))]
		for i := range args {
			args[i] = "" // no record has an empty id: padding matches nothing
			if i < len(chunk) {
				args[i] = chunk[i]
			}
		}
		rows, err := st.QueryContext(tx.ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("owners in %s: %w", tbl, err)
		}
		for rows.Next() {
			var id, o string
			if err := rows.Scan(&id, &o); err != nil {
				rows.Close()
				return nil, fmt.Errorf("owners in %s: %w", tbl, err)
			}
			out[id] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("owners in %s: %w", tbl, err)
		}
	}
	return out, nil
}

// RecordOwner is Tx.RecordOwner outside a transaction (for cutting).
func (s *Store) RecordOwner(ctx context.Context, tbl, id string) (string, bool, error) {
	if _, err := table.Of(tbl); err != nil {
		return "", false, err
	}
	var o string
	err := s.db.QueryRowContext(ctx, "SELECT owner FROM "+tbl+" WHERE id = ?", id).Scan(&o)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("owner of %s %s: %w", tbl, id, err)
	}
	return o, true, nil
}

// DevicesOfRole returns the devices whose profile (posts) has role, live
// ones only: a post learns its station's county from the county's
// profile, which the station carries down.
func (tx *Tx) DevicesOfRole(role string) (map[string]bool, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT id FROM posts WHERE role = ? AND "+record.LiveSQL(""), role)
	if err != nil {
		return nil, fmt.Errorf("devices of role %s: %w", role, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("devices of role %s: %w", role, err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// aboutOwner is the owner of a new record a station makes about one of its
// posts' houses or venues (an emergency card, a board's print record):
// that post, as for its corrections, so the record goes to that post alone
// and counts as its (ARCHITECTURE.md, "Whose record a station makes").
// Anything else, and everything a post writes, is this device's.
func (tx *Tx) aboutOwner(rec Record) (string, error) {
	tbl, id := "", ""
	switch r := rec.(type) {
	case *record.Emergency:
		tbl, id = "houses", r.HouseID
	case *record.PrintRecord:
		tbl, id = "venues", r.VenueID
	}
	if tx.s.role != RoleStation || id == "" {
		return tx.s.device, nil
	}
	var owner string
	err := tx.queryRow("SELECT t.owner FROM "+tbl+" t JOIN posts p ON p.id = t.owner AND p.role = ? WHERE t.id = ?", RolePost, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return tx.s.device, nil
	}
	if err != nil {
		return "", fmt.Errorf("owner of %s %s: %w", tbl, id, err)
	}
	return owner, nil
}
