package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cunjing/store/history"
	"cunjing/store/schedule/almanac"
)

// The high-water mark (HighWater) never runs back by itself: it is how far
// the database has certainly seen, so a PC whose clock fell back years
// (a flat clock battery) cannot cut the roster's history there. A PC whose
// clock ran ahead (the year typed wrong for a week) and was set right has
// a mark ahead too, and the PC alone cannot tell the two apart: the
// officer says which date is today, and ConfirmClock sets the mark back.

// ConfirmClock records that an officer (user, role) said today is at's
// date — this PC's (at its time), or the date a paired device measured
// this PC's clock off from (rosterdata.ConfirmStationDate) — although the
// database has seen another: the high-water mark (and the file's clock)
// go back to the file clock as this transaction leaves it — this PC's
// time, or a peer's stamp taken in within MaxAhead of it, never below a
// timestamp the file's clock issued within reach of the PC's —, or the
// mark goes on to at when at is later (the clock stays: merging never
// takes a date from outside), and an audit entry (AuditClock, detail: the
// mark's date before → at's) says who did it, synced to the station like
// every audit entry. It returns the mark before and after. A mark within
// MaxAhead of at (and not behind it when at is later than the PC's
// clock) needs no confirming: nothing is written and was == now.
func (s *Store) ConfirmClock(ctx context.Context, user, role string, at time.Time) (was, now HLC, err error) {
	err = s.Update(ctx, func(tx *Tx) error {
		was, now, err = tx.ConfirmClock(user, role, at)
		return err
	})
	return was, now, err
}

// ConfirmClock is Store.ConfirmClock inside tx (rosterdata cuts the
// roster's versions kept while the clock ran ahead in the same
// transaction). Later writes of tx move the mark as any write does.
func (tx *Tx) ConfirmClock(user, role string, at time.Time) (was, now HLC, err error) {
	if was, err = tx.highWater(); err != nil {
		return was, was, fmt.Errorf("confirm the date: %w", err)
	}
	// A date that cannot be today is never confirmed: it would let edits
	// rewrite the past rosters from there (a flat clock battery: 1999).
	peers, err := peersNewest(tx.queryRow(peersNewestSQL, tx.s.device))
	if err == nil {
		err = almanac.CheckToday(at, peers, MaxAhead)
	}
	if err != nil {
		return was, was, fmt.Errorf("confirm the date: %w", err)
	}
	wall, mark, tol := tx.s.wall(), HLC{Wall: at.UnixMilli(), Device: tx.s.device}, MaxAhead.Milliseconds()
	later := mark.Wall > wall.UnixMilli()+tol
	if was.Wall <= mark.Wall+tol && (!later || was.Wall >= mark.Wall-tol) {
		return was, was, nil
	}
	day := func(h HLC) string { return time.UnixMilli(h.Wall).In(wall.Location()).Format("2006-01-02") }
	// The entry stamps the transaction: the clock, synced with the
	// file's, comes back to the PC's time when the file's lies beyond
	// MaxAhead (Clock.Now), so the mark set below is not before it.
	if err := tx.Save(&AuditEntry{At: wall.Format("2006-01-02 15:04:05"), User: user, Role: role, Action: AuditClock,
		Subject: day(HLC{Wall: wall.UnixMilli()}), Detail: day(was) + " → " + day(mark)}); err != nil {
		return was, was, fmt.Errorf("confirm the date: audit: %w", err)
	}
	clk := tx.s.clock.Last()
	if now = clk; later {
		now = mark // past the clock, which stays
	}
	// Both keys: persistClock takes the mark as the latest of the
	// clock and what the file holds under them.
	for key, h := range map[string]HLC{"hlc": clk, "hlc_high": now} {
		if _, err := tx.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, h.String()); err != nil {
			return was, was, fmt.Errorf("confirm the date: %w", err)
		}
	}
	return was, now, nil
}

// PeersNewest is the earliest of the newest stamps of the other devices
// whose changes this database holds (origins.last_hlc; zero: none): each
// had reached that time by its own clock, so today is not before it
// (almanac.CheckToday). The earliest, so one device whose clock ran
// ahead does not hold this PC to its date.
func (s *Store) PeersNewest(ctx context.Context) (time.Time, error) {
	return peersNewest(s.db.QueryRowContext(ctx, peersNewestSQL, s.device))
}

// HLCs sort as text as they do as tuples.
const peersNewestSQL = "SELECT min(last_hlc) FROM origins WHERE device != ? AND last_hlc != ''"

// peersNewest reads peersNewestSQL's answer.
func peersNewest(row *sql.Row) (time.Time, error) {
	var last sql.NullString
	if err := row.Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("read the other devices' newest changes: %w", err)
	}
	if h, perr := ParseHLC(last.String); last.Valid && perr == nil {
		return time.UnixMilli(h.Wall), nil
	}
	return time.Time{}, nil
}

// FieldStamps are when record id of tbl was created here and when its
// field was last set (history.FieldStamps). ConfirmToday tells by them a
// rule made while the PC's clock ran ahead to start on that wrong
// "today" from one whose start was typed later.
func (tx *Tx) FieldStamps(tbl, id, field string) (created, set HLC, err error) {
	return history.FieldStamps(tx.ctx, tx.tx, tbl, id, field)
}
