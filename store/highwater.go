package store

import (
	"context"
	"fmt"
	"time"
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
