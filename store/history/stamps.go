package history

import (
	"context"
	"database/sql"
	"fmt"

	"cunjing/store/change"
	"cunjing/store/internal/table"
)

// FieldStamps are when record id of tbl was created here — the earliest
// change of it held — and when its field was last set (the greatest stamp
// of the field's changes); zero when none.
func FieldStamps(ctx context.Context, q table.Queryer, tbl, id, field string) (created, set change.HLC, err error) {
	var c, f sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT min(hlc), max(CASE WHEN field = ? THEN hlc END) FROM changes WHERE tbl = ? AND rec = ?", field, tbl, id).Scan(&c, &f); err != nil {
		return created, set, fmt.Errorf("%s %s: when it was made: %w", tbl, id, err)
	}
	if c.Valid {
		created, _ = change.ParseHLC(c.String)
	}
	if f.Valid {
		set, _ = change.ParseHLC(f.String)
	}
	return created, set, nil
}
