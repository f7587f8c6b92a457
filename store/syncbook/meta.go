package syncbook

import (
	"context"
	"encoding/json"
)

// setMeta sets the local meta row key to value (sync bookkeeping kept
// beside the records, never synced).
func (b *Book) setMeta(ctx context.Context, key, value string) error {
	_, err := b.q.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// setMetaJSON sets the meta row key to v as JSON.
func (b *Book) setMetaJSON(ctx context.Context, key string, v any) error {
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.setMeta(ctx, key, string(js))
}
