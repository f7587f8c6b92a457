package syncbook

// Devices not paired here that sent this device files encrypted to it
// (sync/status.NoteUnknownSender): a hint that a restore lost a pairing.
// Kept in the local meta table, "heard.unpaired.<device>" = "<role> <time>",
// at most MaxUnknownSenders of them (a stick may be planted with files
// claiming any number of devices).

import (
	"context"
	"fmt"
	"strings"
)

const metaUnknownSender = "heard.unpaired."

// MaxUnknownSenders bounds how many devices not paired here are kept.
const MaxUnknownSenders = 16

// UnknownSender is a device not paired here that sent this device files:
// the role its files claim and when they first came.
type UnknownSender struct {
	Device, Role, At string
}

// NoteUnknownSender records a device not paired here that sent files
// encrypted to this device (once; the first time is kept), unless
// MaxUnknownSenders are kept already.
func (b *Book) NoteUnknownSender(ctx context.Context, device, role string) error {
	if device == "" || strings.ContainsAny(role, " ") {
		return nil
	}
	_, err := b.q.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value)
SELECT ?, ? WHERE (SELECT COUNT(*) FROM meta WHERE key LIKE ?) < ?`,
		metaUnknownSender+device, role+" "+b.nowText(), metaUnknownSender+"%", MaxUnknownSenders)
	if err != nil {
		return fmt.Errorf("note files from %s, not paired here: %w", device, err)
	}
	return nil
}

// UnknownSenders lists the devices NoteUnknownSender recorded.
func (b *Book) UnknownSenders(ctx context.Context) ([]UnknownSender, error) {
	rows, err := b.q.QueryContext(ctx, "SELECT key, value FROM meta WHERE key LIKE ? ORDER BY key", metaUnknownSender+"%")
	if err != nil {
		return nil, fmt.Errorf("list devices not paired here that sent files: %w", err)
	}
	defer rows.Close()
	var out []UnknownSender
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		role, at, _ := strings.Cut(v, " ")
		out = append(out, UnknownSender{Device: strings.TrimPrefix(k, metaUnknownSender), Role: role, At: at})
	}
	return out, rows.Err()
}
