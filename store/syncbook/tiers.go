package syncbook

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// TierOwner is, at a county, one owner of records a station brought up:
// one of that station's posts (or the station itself), with when its
// records first and last arrived here (this device's clock, ms) and how
// many of its changes did.
type TierOwner struct {
	Owner   string
	Station string
	FirstMs int64
	LastMs  int64
	Changes int64
}

// OwnerStations returns, for each of owners, the station that speaks for
// it at this county ("" for an owner no station has brought yet).
func (b *Book) OwnerStations(ctx context.Context, owners []string) (map[string]string, error) {
	out := make(map[string]string, len(owners))
	for len(owners) > 0 {
		n := min(len(owners), 500)
		part := owners[:n]
		owners = owners[n:]
		args := make([]any, len(part))
		for i, o := range part {
			args[i] = o
		}
		rows, err := b.q.QueryContext(ctx, "SELECT owner, station FROM tier_owners WHERE owner IN (?"+strings.Repeat(", ?", n-1)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("read which station speaks for which post: %w", err)
		}
		for rows.Next() {
			var o, s string
			if err := rows.Scan(&o, &s); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read which station speaks for which post: %w", err)
			}
			out[o] = s
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// NoteTierOwners records, at a county, that station brought changes of
// these owners (counts by owner): an owner not known yet is claimed for
// that station. It never moves an owner another station claimed (the
// caller refuses those changes first).
func (b *Book) NoteTierOwners(ctx context.Context, station string, counts map[string]int) error {
	if len(counts) == 0 {
		return nil
	}
	now := b.now().UnixMilli()
	owners := make([]string, 0, len(counts))
	for o := range counts {
		owners = append(owners, o)
	}
	sort.Strings(owners)
	return b.inTx(ctx, func(t *Book) error {
		for _, o := range owners {
			if _, err := t.q.ExecContext(ctx, `INSERT INTO tier_owners (owner, station, first_ms, last_ms, changes) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (owner) DO UPDATE SET last_ms = max(last_ms, excluded.last_ms), changes = changes + excluded.changes
				WHERE station = excluded.station`, o, station, now, now, counts[o]); err != nil {
				return fmt.Errorf("note the records of %s brought by %s: %w", o, station, err)
			}
		}
		return nil
	})
}

// TierOwners lists every owner stations brought records of, by station
// then owner.
func (b *Book) TierOwners(ctx context.Context) ([]TierOwner, error) {
	rows, err := b.q.QueryContext(ctx, "SELECT owner, station, first_ms, last_ms, changes FROM tier_owners ORDER BY station, owner")
	if err != nil {
		return nil, fmt.Errorf("list the posts each station brought: %w", err)
	}
	defer rows.Close()
	var out []TierOwner
	for rows.Next() {
		var t TierOwner
		if err := rows.Scan(&t.Owner, &t.Station, &t.FirstMs, &t.LastMs, &t.Changes); err != nil {
			return nil, fmt.Errorf("list the posts each station brought: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
