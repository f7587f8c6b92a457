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

// FileClock is the newest timestamp any program issued or observed in
// this file (meta('hlc'); zero in a file that has none yet). It never
// runs back when this PC's clock is set back, and a peer's timestamp
// moved it only when it lay at most MaxAhead past the clock of the PC
// that took it in: so it is how far this database has certainly seen,
// whatever the PC's clock says now.
func (s *Store) FileClock(ctx context.Context) (HLC, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'hlc'").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return HLC{}, nil
	}
	if err != nil {
		return HLC{}, fmt.Errorf("read the clock: %w", err)
	}
	h, err := ParseHLC(v)
	if err != nil {
		return HLC{}, fmt.Errorf("read the clock: %w", err)
	}
	return h, nil
}
