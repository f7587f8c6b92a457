package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cunjing/store/schedule/almanac"
)

// The high-water mark (HighWater) never runs back by itself: it is how far
// the database has certainly seen, so a PC whose clock fell back years
// (a flat clock battery) cannot cut the roster's history there. A PC whose
// clock ran ahead (the year typed wrong for a week) and was set right has
// a mark ahead too, and the PC alone cannot tell the two apart: the
// officer says which date is today, and ConfirmClock sets the mark back.

// ConfirmClock records that an officer (user, role) said this PC's date
// is today although the database has seen a later one: the high-water
// mark (and the file's clock) go back to the file clock as this
// transaction leaves it — this PC's time, or a peer's stamp taken in
// within MaxAhead of it, never below a timestamp the file's clock issued
// within reach of the PC's —, and an audit entry (AuditClock, detail: the
// mark's date before → the PC's date) says who did it, synced to the
// station like every audit entry. It returns the mark before and after.
// A mark within MaxAhead of the PC's clock needs no confirming: nothing is
// written and was == now.
func (s *Store) ConfirmClock(ctx context.Context, user, role string) (was, now HLC, err error) {
	err = s.Update(ctx, func(tx *Tx) error {
		was, now, err = tx.ConfirmClock(user, role)
		return err
	})
	return was, now, err
}

// ConfirmClock is Store.ConfirmClock inside tx (rosterdata cuts the
// roster's versions kept while the clock ran ahead in the same
// transaction). Later writes of tx move the mark as any write does.
func (tx *Tx) ConfirmClock(user, role string) (was, now HLC, err error) {
	if was, err = tx.highWater(); err != nil {
		return was, was, fmt.Errorf("confirm the date: %w", err)
	}
	// A date that cannot be today is never confirmed: it would let edits
	// rewrite the past rosters from there (a flat clock battery: 1999).
	floor, err := tx.clockFloor()
	if err != nil {
		return was, was, fmt.Errorf("confirm the date: %w", err)
	}
	if err := floor.Check(tx.s.wall()); err != nil {
		return was, was, fmt.Errorf("confirm the date: %w", err)
	}
	if tx.s.clock.Ahead(was) == 0 {
		return was, was, nil
	}
	wall := tx.s.wall()
	day := func(h HLC) string { return time.UnixMilli(h.Wall).In(wall.Location()).Format("2006-01-02") }
	// The entry stamps the transaction: the clock, synced with the
	// file's, comes back to the PC's time when the file's lies beyond
	// MaxAhead (Clock.Now), so the mark set below is not before it.
	if err := tx.Save(&AuditEntry{At: wall.Format("2006-01-02 15:04:05"), User: user, Role: role, Action: AuditClock,
		Subject: day(HLC{Wall: wall.UnixMilli()}), Detail: day(was) + " → " + wall.Format("2006-01-02")}); err != nil {
		return was, was, fmt.Errorf("confirm the date: audit: %w", err)
	}
	now = tx.s.clock.Last()
	// Both keys: persistClock takes the mark as the latest of the
	// clock and what the file holds under them.
	for _, key := range []string{"hlc", "hlc_high"} {
		if _, err := tx.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, now.String()); err != nil {
			return was, was, fmt.Errorf("confirm the date: %w", err)
		}
	}
	return was, now, nil
}

// ErrClockImpossible: this PC's date cannot be today (ClockImpossibleError).
var ErrClockImpossible = errors.New("this PC's date cannot be right")

// ClockFloor is what proves that today is not before a day, whatever this
// PC's clock says: a PC whose clock battery went flat reads 1999 or 2009,
// and confirming that date (ConfirmClock) would let roster edits rewrite
// every turn since.
type ClockFloor struct {
	// Built is the day of the newest notice this build carries
	// (almanac.NewestNotice): the build was made after it.
	Built time.Time
	// Peers is the earliest of the newest stamps of each other device
	// whose changes this database holds (zero: none): every one of them
	// had reached that time by its own clock. The earliest, so that one
	// device whose clock ran ahead does not hold this PC to its date
	// (with a single peer it does: the officer is told which date, and
	// that it came from another computer).
	Peers time.Time
}

// ClockImpossibleError says this PC's date (PC) is before Floor, the
// day this build was made after (ByPeers false) or the day every other
// device whose changes are held here had reached (ByPeers true), by
// more than MaxAhead.
type ClockImpossibleError struct {
	PC, Floor time.Time
	ByPeers   bool
}

func (e *ClockImpossibleError) Error() string {
	why := "this build was made after"
	if e.ByPeers {
		why = "other devices' changes held here were made on or after"
	}
	return fmt.Sprintf("this PC's date %s cannot be right: %s %s; set the computer's date and time", e.PC.Format("2006-01-02"), why, e.Floor.Format("2006-01-02"))
}

func (e *ClockImpossibleError) Is(target error) bool { return target == ErrClockImpossible }

// Check says (a *ClockImpossibleError) when pc is before the floor by
// more than MaxAhead (the HLC's own tolerance for clocks that differ).
func (f ClockFloor) Check(pc time.Time) error {
	floor, byPeers := f.Built, false
	if f.Peers.After(floor) {
		floor, byPeers = f.Peers, true
	}
	if pc.Before(floor.Add(-MaxAhead)) {
		return &ClockImpossibleError{PC: pc.In(almanac.Zone), Floor: floor, ByPeers: byPeers}
	}
	return nil
}

// ClockFloor is what proves today is not before a day (ClockFloor): one
// read of the origins' newest stamps.
func (s *Store) ClockFloor(ctx context.Context) (ClockFloor, error) {
	var last sql.NullString
	err := s.db.QueryRowContext(ctx, peersNewestSQL, s.device).Scan(&last)
	return clockFloorOf(last, err)
}

func (tx *Tx) clockFloor() (ClockFloor, error) {
	var last sql.NullString
	err := tx.queryRow(peersNewestSQL, tx.s.device).Scan(&last)
	return clockFloorOf(last, err)
}

// peersNewestSQL is the earliest of the other devices' newest changes
// held here (origins.last_hlc; HLCs sort as text as they do as tuples).
const peersNewestSQL = "SELECT min(last_hlc) FROM origins WHERE device != ? AND last_hlc != ''"

func clockFloorOf(last sql.NullString, err error) (ClockFloor, error) {
	f := ClockFloor{Built: almanac.NewestNotice.Time(almanac.Zone)}
	if err != nil {
		return f, fmt.Errorf("read the other devices' newest changes: %w", err)
	}
	if h, perr := ParseHLC(last.String); last.Valid && perr == nil {
		f.Peers = time.UnixMilli(h.Wall).In(almanac.Zone)
	}
	return f, nil
}

// FieldStamps are when record id of tbl was created here — the earliest
// change of it held — and when its field was last set (the greatest stamp
// of the field's changes); zero when none. ConfirmToday tells by them a
// rule made while the PC's clock ran ahead to start on that wrong
// "today" from one whose start was typed later.
func (tx *Tx) FieldStamps(tbl, id, field string) (created, set HLC, err error) {
	var c, f sql.NullString
	if err := tx.queryRow("SELECT min(hlc), max(CASE WHEN field = ? THEN hlc END) FROM changes WHERE tbl = ? AND rec = ?", field, tbl, id).Scan(&c, &f); err != nil {
		return created, set, fmt.Errorf("%s %s: when it was made: %w", tbl, id, err)
	}
	if c.Valid {
		created, _ = ParseHLC(c.String)
	}
	if f.Valid {
		set, _ = ParseHLC(f.String)
	}
	return created, set, nil
}
