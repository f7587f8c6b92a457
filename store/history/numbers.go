package history

import (
	"context"
	"cunjing/store/change"
	"cunjing/store/internal/table"
	"fmt"
	"time"
)

// NumbersChangedAt says when each house of a village last had its door
// number changed: the wall time of the newest change of its history (a
// renumbering appends the old number there, and nothing else writes it),
// by that change's hybrid logical clock, so every replica answers the same.
// Houses whose history was never written are absent. The door plates'
// `--changed-since` (the plates to replace after a renumbering) reads it.
func NumbersChangedAt(ctx context.Context, q table.Queryer, villageID string) (map[string]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.rec, max(c.hlc) FROM changes c JOIN houses h ON h.id = c.rec
		WHERE c.tbl = 'houses' AND c.field = 'history' AND h.village_id = ? GROUP BY c.rec`, villageID)
	if err != nil {
		return nil, fmt.Errorf("numbers changed in village %s: %w", villageID, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id, stamp string
		if err := rows.Scan(&id, &stamp); err != nil {
			return nil, fmt.Errorf("numbers changed in village %s: %w", villageID, err)
		}
		h, err := change.ParseHLC(stamp)
		if err != nil {
			return nil, fmt.Errorf("numbers changed: house %s: %w", id, err)
		}
		out[id] = time.UnixMilli(h.Wall)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("numbers changed in village %s: %w", villageID, err)
	}
	return out, nil
}
