package syncbook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"cunjing/store/change"
)

// The arrival clock (change_arrivals, migration 0022). A change from
// another device counts in the month report in the month it reached this
// PC, by this PC's clock, which no post's clock moves. But this PC's clock
// falls back too (a dead BIOS battery resets it to 2009): that day's
// arrivals were counted years before the month they belong to. So an
// arrival is never stamped before the last one (kept in meta as
// metaArrival; at first the newest of change_arrivals and of the device's
// hybrid logical clock, meta('hlc'), the newest stamp this file issued or
// followed): a clock that falls back leaves arrivals in the month of the
// last one until it catches up. A clock that jumps ahead is followed (this
// PC's clock is the station's reference). The one way back: once this
// PC's clock is more than a day behind the last arrival, the changes
// arriving now are the witness — stamped within a day of this PC's clock,
// their maker's clock agrees with it, so it was the earlier, later time
// that was wrong (the clock ran ahead and has been set right), and the
// arrival counts by this PC's clock again instead of staying years ahead.
// Changes stamped far from both (a post whose clock is off too) leave the
// last arrival standing.

// metaArrival names the last arrival time given (ms), in the local meta
// table (never synced).
const metaArrival = "arrival.last"

// arrivalMs is the arrival time of the change-log entries seqFrom..seqTo,
// applied now: this PC's clock, but never before the last arrival unless
// those changes' own stamps say this PC's clock is right.
func (b *Book) arrivalMs(ctx context.Context, seqFrom, seqTo int64) (int64, error) {
	wall := b.now().UnixMilli()
	last, err := b.lastArrival(ctx)
	if err != nil {
		return 0, err
	}
	if wall >= last {
		return wall, nil
	}
	day := change.MaxAhead.Milliseconds()
	if last-wall <= day {
		return last, nil
	}
	var newest sql.NullString
	if err := b.q.QueryRowContext(ctx, "SELECT max(hlc) FROM changes WHERE seq BETWEEN ? AND ?", seqFrom, seqTo).Scan(&newest); err != nil {
		return 0, fmt.Errorf("read the arrived changes' stamps: %w", err)
	}
	if h, err := change.ParseHLC(newest.String); err == nil && !h.IsZero() && h.Wall >= wall-day && h.Wall <= wall+day {
		return wall, nil
	}
	return last, nil
}

// lastArrival is the last arrival time given (ms; 0: none yet).
func (b *Book) lastArrival(ctx context.Context) (int64, error) {
	var v string
	err := b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaArrival).Scan(&v)
	if err == nil {
		if n, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			return n, nil
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read the last arrival: %w", err)
	}
	// None kept yet (or damaged): the newest arrival noted, and the
	// newest stamp of the device's clock.
	var last sql.NullInt64
	if err := b.q.QueryRowContext(ctx, "SELECT max(arrived_ms) FROM change_arrivals").Scan(&last); err != nil {
		return 0, fmt.Errorf("read the last arrival: %w", err)
	}
	n := last.Int64
	var hv string
	err = b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'hlc'").Scan(&hv)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read the clock: %w", err)
	}
	if h, perr := change.ParseHLC(hv); perr == nil {
		n = max(n, h.Wall)
	}
	return n, nil
}
