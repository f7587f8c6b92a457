package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cunjing/store/history"
	"cunjing/store/internal/table"
)

// Edit is one change of a record's field, as the record's history (修改记录)
// shows it (history.Edit).
type Edit = history.Edit

// History is a record's edits, newest first, from the change log every
// replica holds the same (history.Of). fullIDs false masks ID numbers and
// hides health fields as the role's screens do.
func (s *Store) History(ctx context.Context, tbl, id string, fullIDs bool) ([]Edit, error) {
	ti, err := table.Of(tbl)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var owner string
	err = s.db.QueryRowContext(ctx, `SELECT owner FROM "`+ti.Name+`" WHERE id = ?`, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("history of %s %s: %w", tbl, id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", tbl, id, err)
	}
	return history.Of(ctx, s.db, s.device, s.role, tbl, id, owner, fullIDs)
}

// NumbersChangedAt says when each house of a village last had its door
// number changed, by the hybrid logical clock of the newest change of its
// history (history.NumbersChangedAt): the door plates' `--changed-since`.
func (s *Store) NumbersChangedAt(ctx context.Context, villageID string) (map[string]time.Time, error) {
	return history.NumbersChangedAt(ctx, s.db, villageID)
}
