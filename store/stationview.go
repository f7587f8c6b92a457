package store

// Aggregates for the township station's dashboards (package sync/station
// presents them). Written by the sync engineer in a separate file, as the
// station view is part of the sync issue.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PostStats are one owner's live records, counted for a dashboard.
type PostStats struct {
	Owner        string         `json:"owner"`
	Houses       int            `json:"houses"`
	Households   int            `json:"households"`
	Residents    int            `json:"residents"`
	ByCategory   map[string]int `json:"households_by_category"`
	ByWarning    map[string]int `json:"households_by_warning"`
	Patrols      int            `json:"patrols_done"`
	ShiftRules   int            `json:"shift_rules"`
	BoardsPrint  int            `json:"boards_printed"`
	BoardsVenues map[string]int `json:"boards_by_venue"` // venue name -> copies
	LastChange   string         `json:"last_change_hlc"` // newest change this owner made
}

// OwnerStats counts the live records of one owner; patrols are those dated
// from..to inclusive (empty bounds: all).
func (s *Store) OwnerStats(ctx context.Context, owner, from, to string) (PostStats, error) {
	ps := PostStats{Owner: owner, ByCategory: map[string]int{}, ByWarning: map[string]int{}, BoardsVenues: map[string]int{}}
	one := func(q string, dst *int, args ...any) error {
		if err := s.db.QueryRowContext(ctx, q, args...).Scan(dst); err != nil {
			return fmt.Errorf("station stats: %w", err)
		}
		return nil
	}
	if err := one("SELECT count(*) FROM houses WHERE deleted = 0 AND owner = ?", &ps.Houses, owner); err != nil {
		return ps, err
	}
	if err := one("SELECT count(*) FROM households WHERE deleted = 0 AND owner = ?", &ps.Households, owner); err != nil {
		return ps, err
	}
	if err := one("SELECT count(*) FROM residents WHERE deleted = 0 AND owner = ?", &ps.Residents, owner); err != nil {
		return ps, err
	}
	if err := one("SELECT count(*) FROM shift_rules WHERE deleted = 0 AND owner = ?", &ps.ShiftRules, owner); err != nil {
		return ps, err
	}
	if to == "" {
		to = "9999-12-31"
	}
	if err := one("SELECT count(*) FROM patrols WHERE deleted = 0 AND owner = ? AND date >= ? AND date <= ?", &ps.Patrols, owner, from, to); err != nil {
		return ps, err
	}
	if err := one("SELECT coalesce(sum(copies), 0) FROM print_records WHERE deleted = 0 AND owner = ? AND kind = 'board'", &ps.BoardsPrint, owner); err != nil {
		return ps, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT last_hlc FROM origins WHERE device = ?", owner).Scan(&ps.LastChange); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return ps, fmt.Errorf("station stats: %w", err)
	}
	groups := []struct {
		q   string
		dst map[string]int
	}{
		{"SELECT j.value, count(*) FROM households h, json_each(h.categories) j WHERE h.deleted = 0 AND h.owner = ? GROUP BY j.value", ps.ByCategory},
		{"SELECT warning, count(*) FROM households WHERE deleted = 0 AND owner = ? AND warning != '' GROUP BY warning", ps.ByWarning},
		{`SELECT coalesce(v.name, p.venue_id), sum(p.copies) FROM print_records p LEFT JOIN venues v ON v.id = p.venue_id
		  WHERE p.deleted = 0 AND p.owner = ? AND p.kind = 'board' AND p.venue_id != '' GROUP BY 1`, ps.BoardsVenues},
	}
	for _, g := range groups {
		rows, err := s.db.QueryContext(ctx, g.q, owner)
		if err != nil {
			return ps, fmt.Errorf("station stats: %w", err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return ps, err
			}
			g.dst[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return ps, err
		}
	}
	return ps, nil
}
