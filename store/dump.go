package store

import (
	"context"
	"io"

	"cunjing/store/dump"
)

// Dump writes the canonical dump of every synced record and conflict: one
// line per set field, "table<TAB>id<TAB>field<TAB>value<TAB>hlc", sorted by
// table, id and field, then one line per conflict (dump.Write). Replicas
// that have seen the same changes produce byte-identical dumps, so `diff`
// compares them. A non-empty owner limits the dump to records that device
// owns.
func (s *Store) Dump(ctx context.Context, w io.Writer, owner string) error {
	return dump.Write(ctx, s.db, w, owner)
}
