// Package history reads the change log for people: a record's edits in
// words (Of: which field, set to what, when, by which device, a station's
// correction marked; ID numbers masked and health fields hidden for a role
// that may not see them) and when each house's door number last changed
// (NumbersChangedAt, for the door plates to replace). It sits below store,
// over its database handle (a table.Queryer); Store.History and
// Store.NumbersChangedAt hand them out.
package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cunjing/store/change"
	"cunjing/store/internal/table"
	"cunjing/store/record"
)

// Edit is one change of a record's field, as the record's history (修改记录)
// shows it.
type Edit struct {
	Field string
	// Value is what the field was set to, in words: a text as written, a
	// list joined with 、, a yes/no as 是/否; an ID number masked and
	// health fields hidden for a role that may not see them.
	Value string
	// At is when the edit was made by the clock of the PC that made it,
	// as the hybrid logical clock carried it (never later than the
	// receiving PC's own clock allowed).
	At time.Time
	// Device made the edit; Name is its name as paired ("" for this
	// device or an unknown one).
	Device, Name string
	// Own: made on this device.
	Own bool
	// ByStation: a station's correction of a post's record (派出所更正): a
	// station made it and the record belongs to another device.
	ByStation bool
}

// historyLimit bounds the edits a history lists (newest first).
const historyLimit = 500

// Hidden stands for a health field's value a role may not see.
const Hidden = "（不显示）"

// Of is the edits of the record id of table, owned by owner, newest first
// (at most historyLimit), from the change log every replica holds the
// same: which field, set to what, when, by which device (self is this
// one, of role selfRole), and whether it was the station's correction of
// a post's record. fullIDs false masks ID numbers and hides health fields
// (残疾, 行动) as the role's screens do.
func Of(ctx context.Context, q table.Queryer, self, selfRole, table, id, owner string, fullIDs bool) ([]Edit, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.field, c.value, c.hlc, o.device, coalesce(p.name, ''), coalesce(p.role, '')
		FROM changes c JOIN origins o ON o.n = c.origin LEFT JOIN sync_peers p ON p.device_id = o.device
		WHERE c.tbl = ? AND c.rec = ? ORDER BY c.hlc DESC LIMIT ?`, table, id, historyLimit)
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", table, id, err)
	}
	defer rows.Close()
	var out []Edit
	for rows.Next() {
		var e Edit
		var value, hlc, role string
		if err := rows.Scan(&e.Field, &value, &hlc, &e.Device, &e.Name, &role); err != nil {
			return nil, fmt.Errorf("history of %s %s: %w", table, id, err)
		}
		if e.Field == "owner" {
			continue // which device the record belongs to: bookkeeping, set once
		}
		if h, err := change.ParseHLC(hlc); err == nil {
			e.At = time.UnixMilli(h.Wall)
		}
		e.Own = e.Device == self
		if e.Own {
			role = selfRole
		}
		e.ByStation = role == record.RoleStation && owner != "" && e.Device != owner
		e.Value = editWords(table, e.Field, value, fullIDs)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", table, id, err)
	}
	rows.Close()
	for i := range out {
		if ref, ok := refNames[out[i].Field]; ok && out[i].Value != "" {
			var name string
			err := q.QueryRowContext(ctx, ref, out[i].Value).Scan(&name)
			switch {
			case err == nil && name != "":
				out[i].Value = name
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return nil, fmt.Errorf("history of %s %s: %w", table, id, err)
			}
		}
	}
	return out, nil
}

// refNames names the record a reference field points at, the way a person
// knows it: a village by its name, a house by its number, a household by
// its householder.
var refNames = map[string]string{
	"village_id":   `SELECT name FROM villages WHERE id = ?`,
	"house_id":     `SELECT number || '号' FROM houses WHERE id = ? AND number != ''`,
	"household_id": `SELECT owner_name FROM households WHERE id = ?`,
}

// editWords is a change-log value (canonical JSON) in words, masked for a
// role that may not see it.
func editWords(table, field, value string, fullIDs bool) string {
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		return value
	}
	if !fullIDs && table == "residents" {
		switch field {
		case "disabled", "mobility":
			return Hidden
		case "id_number":
			if s, ok := v.(string); ok {
				return record.MaskIDNumber(s)
			}
		}
	}
	return jsonWords(v)
}

// jsonWords says a decoded JSON value plainly.
func jsonWords(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, jsonWords(e))
		}
		return strings.Join(parts, "、")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
