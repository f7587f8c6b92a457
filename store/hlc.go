package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cunjing/store/change"
)

// maxWall bounds an HLC's wall time (see change.MaxWall).
const maxWall = change.MaxWall

// The device's hybrid logical clock is change's (a pure leaf); the store
// keeps its state in the file (meta('hlc')) and re-exports it.
type Clock = change.Clock

// MaxAhead is how far past this PC's wall clock a timestamp may lie and
// still move the clock (change.MaxAhead).
const MaxAhead = change.MaxAhead

// NewClock returns a clock for device (change.NewClock).
func NewClock(device string, now func() time.Time, last HLC) *Clock {
	return change.NewClock(device, now, last)
}

// After returns the smallest timestamp of device that sorts after h
// (change.After).
func After(h HLC, device string) HLC { return change.After(h, device) }

// HLC is a hybrid logical clock timestamp (see change.HLC).
type HLC = change.HLC

// ParseHLC decodes the string form produced by HLC.String. The empty
// string is the zero HLC.
func ParseHLC(s string) (HLC, error) { return change.ParseHLC(s) }

// HighWater is the newest timestamp any program ever issued or observed
// in this file (meta 'hlc_high', or the clock itself, meta 'hlc', in a
// file no write has marked yet; zero in a new file). The clock itself
// comes back to the PC's time when it lay more than MaxAhead past it (a
// PC that ran fast and was set right: syncClock), so it runs back too
// when the PC's clock falls back years (a flat clock battery); the mark
// never does. A peer's timestamp moved it only when it lay within
// MaxAhead of the clock of the PC that took it in, so it is how far this
// database has certainly seen, whatever the PC's clock says now.
func (s *Store) HighWater(ctx context.Context) (HLC, error) {
	var high HLC
	rows, err := s.db.QueryContext(ctx, "SELECT value FROM meta WHERE key IN ('hlc', 'hlc_high')")
	if err != nil {
		return high, fmt.Errorf("read the clock: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return high, fmt.Errorf("read the clock: %w", err)
		}
		if h, err := ParseHLC(v); err == nil && h.Compare(high) > 0 {
			high = h
		} // a damaged value is rewritten by the next write
	}
	if err := rows.Err(); err != nil {
		return high, fmt.Errorf("read the clock: %w", err)
	}
	return high, nil
}

// highWater is HighWater inside tx, as the file holds it before tx
// writes the clock back (no other writer commits meanwhile).
func (tx *Tx) highWater() (HLC, error) {
	var high HLC
	for _, key := range []string{"hlc", "hlc_high"} {
		var v string
		if err := tx.queryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return high, fmt.Errorf("read the clock: %w", err)
		}
		if h, perr := ParseHLC(v); perr == nil && h.Compare(high) > 0 {
			high = h
		} // a damaged value is overwritten by the next write
	}
	return high, nil
}
