package rosterdata

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"cunjing/store"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// EditDay is the day an edit of the roster applies from (the day its
// versions start: SaveKeepingPast, DeleteMember, DeleteRule …), and why.
type EditDay struct {
	// Day is the later of PC and Seen: edits apply from it.
	Day schedule.Date
	// PC is today by this PC's clock.
	PC schedule.Date
	// Seen is the latest day this database has already seen, when it is
	// later than PC (0 otherwise): the day of the file's hybrid logical
	// clock (store.HighWater: every edit made here, a patrol logged, a
	// household saved, moved it, and it never runs back), more than a day (store.MaxAhead) past
	// the PC's clock, or the day after the latest a rule's earlier
	// version reaches.
	Seen schedule.Date
	// Impossible says the PC's date cannot be today (nil when it can):
	// before the day this build was made after, or before what every
	// other device whose changes are held here had reached
	// (almanac.CheckToday, store.PeersNewest). Such a date is never confirmed (ConfirmToday);
	// the officer is told to set the computer's date.
	Impossible *almanac.DateImpossibleError
}

// ClockBehind says the PC's date is before what the database has seen:
// the PC's clock looks wrong (a flat clock battery sets it years back),
// and edits apply from Seen rather than cut the past at PC.
func (d EditDay) ClockBehind() bool { return d.Seen > d.PC }

// EditDayOf is the day an edit of s's roster made at now (this PC's
// clock) applies from. The PC's wall clock is not trusted to cut the
// past: when its date is before what the database has seen — the file's
// hybrid logical clock more than store.MaxAhead later (it never runs
// back, and a peer's stamp moved it only within MaxAhead of the clock of
// the PC that took it in, so a peer whose clock runs years fast does not
// move it), or a rule's version reaching that day or later — an edit
// there would rewrite every day since (an edit "from 1999" keeps no past
// at all), so it applies from the later day instead, and ClockBehind says
// so for the officer to be told. It costs one read of the clock, of the other devices' newest stamps and of
// the rules, whatever the roster's size; Impossible says when the PC's
// date cannot be today at all.
func EditDayOf(ctx context.Context, s *store.Store, now time.Time) (EditDay, error) {
	d := EditDay{PC: schedule.FromTime(now)}
	d.Day = d.PC
	fc, err := s.HighWater(ctx)
	if err != nil {
		return d, fmt.Errorf("roster: %w", err)
	}
	if latest := time.UnixMilli(fc.Wall); !fc.IsZero() && latest.Sub(now) > store.MaxAhead {
		d.Seen = schedule.FromTime(latest)
	}
	peers, err := s.PeersNewest(ctx)
	if err != nil {
		return d, fmt.Errorf("roster: %w", err)
	}
	errors.As(almanac.CheckToday(now, peers, store.MaxAhead), &d.Impossible)
	rules, err := s.ShiftRules(ctx)
	if err != nil {
		return d, fmt.Errorf("roster: rules: %w", err)
	}
	for _, r := range rules {
		if r.Owner != s.DeviceID() {
			continue
		}
		vs, err := versionsOf(r)
		if err != nil {
			return d, err
		}
		if n := len(vs); n > 0 && vs[n-1].Until >= d.PC {
			d.Seen = max(d.Seen, vs[n-1].Until+1)
		}
	}
	d.Day = max(d.PC, d.Seen)
	return d, nil
}

// ConfirmToday is an officer (user, role) saying that today is the PC's
// date (now) although the database has seen a later one: the PC's clock
// ran ahead (the year typed wrong for a week) and has been set right,
// which the PC alone cannot tell from a clock fallen behind. In one
// transaction the file's high-water mark goes back to the PC's time
// (store.Tx.ConfirmClock, written in the audit log), and the versions of
// this device's rules kept while the clock ran ahead — reaching today or
// later, so that a crew edited then would stand only from the wrong
// date on (a member who left, taken off, would still be on duty for a
// year) — are cut back to yesterday, as the next edit would cut them
// (addPastVersion): the past stays as it shows, and from today each rule
// stands with what it was last saved with. A rule that has not begun
// by today loses the versions kept then (they stood on no day), and one
// made then to start on the day it was made — that wrong "today" — starts
// on today (startedOnWrongToday; a start typed for another day stays), and
// a rule deleted then, which ended on that wrong "yesterday", ends on the
// real one (endedOnWrongToday). A member's leave cleared or cut short
// then, and their regular days off changed then, apply from today too
// (awayFromWrongToday).
// EditDayOf then gives the PC's date. It returns the day the mark stood at before (0 when there
// was nothing to confirm).
//
// The PC alone cannot tell a clock set right from one fallen behind, but
// a paired device may have measured it (peers, the caller's from the sync
// bookkeeping: PeerClockOf): when the latest measurement, at most
// ClockFreshFor old and not made stale by the PC's clock set since
// (PeerClock.Stale), found this PC's clock off by more than a day
// (OutsideClock), the PC's date is not taken on the officer's word — a
// clock a month behind, confirmed, would rewrite the month just past —
// and ConfirmToday refuses with a *StationDateError that says the peer's
// date (ConfirmStationDate takes it). With no measurement (never synced)
// the officer's word stands.
func ConfirmToday(ctx context.Context, s *store.Store, now time.Time, user, role string, peers []PeerClock) (schedule.Date, error) {
	if p, ok := OutsideClock(peers, now); ok {
		return 0, &StationDateError{PC: now, Peer: p}
	}
	return confirmDay(ctx, s, now, user, role)
}

// confirmDay is ConfirmToday of now's date, or ConfirmStationDate's.
func confirmDay(ctx context.Context, s *store.Store, now time.Time, user, role string) (schedule.Date, error) {
	today := schedule.FromTime(now)
	if err := almanac.CheckRange(today); err != nil {
		return 0, fmt.Errorf("roster: today: %w", err)
	}
	var was schedule.Date
	err := s.Update(ctx, func(tx *store.Tx) error {
		from, to, err := tx.ConfirmClock(user, role, now)
		if err != nil {
			return err
		}
		if from != to {
			was = schedule.FromTime(time.UnixMilli(from.Wall))
		}
		crews, err := crewsTx(tx)
		if err != nil {
			return err
		}
		for _, c := range crews {
			r := c.rule
			if r.Owner != s.DeviceID() {
				continue
			}
			vs, err := versionsOf(r)
			if err != nil {
				return err
			}
			reaching := len(vs) > 0 && vs[len(vs)-1].Until >= today
			fromWrongToday, err := startedOnWrongToday(tx, r, now, today)
			if err != nil {
				return err
			}
			if !reaching && !fromWrongToday {
				continue
			}
			first, err := FirstDay(r)
			if err != nil {
				return err
			}
			var keep bool
			if first >= today {
				// Not begun: the versions kept while the clock ran ahead
				// stood on no day, and a start on the wrong "today" the
				// rule was made on is the confirmed today.
				if reaching {
					r.Versions, keep = "", true
				}
				if fromWrongToday {
					r.ValidFrom, keep = today.String(), true
				}
			} else if keep, err = addPastVersion(&r, c, today); err != nil {
				return err
			}
			if !keep {
				continue
			}
			if err := tx.Save(&r); err != nil {
				return fmt.Errorf("rule %s: cut the versions kept while the clock ran ahead back to %s: %w", r.Name, today-1, err)
			}
		}
		if err := endedOnWrongToday(tx, s.DeviceID(), now, today); err != nil {
			return err
		}
		return awayFromWrongToday(tx, s.DeviceID(), now, today)
	})
	if err != nil {
		return 0, fmt.Errorf("roster: confirm today: %w", err)
	}
	return was, nil
}

// startedOnWrongToday says r was made while the PC's clock ran ahead of
// now (its first change stamped more than store.MaxAhead later) to start
// on the day it was made, by that wrong clock — "from today", as the
// officer saw it —, and its start was not set again since: ConfirmToday
// moves such a start to the confirmed today. A start for another day
// (typed for a day to come), or set again later, stays.
func startedOnWrongToday(tx *store.Tx, r store.ShiftRule, now time.Time, today schedule.Date) (bool, error) {
	from, err := startOf(r)
	if err != nil || from <= today {
		return false, err
	}
	created, set, err := tx.FieldStamps(r.Table(), r.ID, "valid_from")
	if err != nil {
		return false, fmt.Errorf("rule %s: %w", r.Name, err)
	}
	made := time.UnixMilli(created.Wall)
	return !created.IsZero() && made.Sub(now) > store.MaxAhead && set == created && schedule.FromTime(made) == from, nil
}

// endedOnWrongToday ends on yesterday the rules of owner that an officer
// deleted while the PC's clock ran ahead of now (DeleteRule set their end,
// stamped more than store.MaxAhead later, on the day before that stamp's:
// the wrong "yesterday"; an end typed for another day stays): the days
// from today to that end never passed, and the rule, deleted "from
// today", planned them still — turns nobody was to stand, counted 漏巡. One
// that has not begun by today is deleted, as DeleteRule deletes it.
func endedOnWrongToday(tx *store.Tx, owner string, now time.Time, today schedule.Date) error {
	rules, err := store.LiveTx[store.ShiftRule](tx, "AND owner = ? AND valid_to != '' ORDER BY id", owner)
	if err != nil {
		return fmt.Errorf("roster: rules: %w", err)
	}
	for _, r := range rules {
		if RuleEnded(r, today) {
			continue // it ended before today: a past the officer saw
		}
		_, set, err := tx.FieldStamps(r.Table(), r.ID, "valid_to")
		if err != nil {
			return fmt.Errorf("rule %s: %w", r.Name, err)
		}
		at := time.UnixMilli(set.Wall)
		if set.IsZero() || at.Sub(now) <= store.MaxAhead || r.ValidTo != (schedule.FromTime(at)-1).String() {
			continue // set with the clock right, or an end typed for another day
		}
		if !RuleBegan(r, today) {
			if err := dropRuleFromExceptions(tx, r.Owner, r.ID); err != nil {
				return err
			}
			if err := tx.Delete(&store.ShiftRule{}, r.ID); err != nil {
				return fmt.Errorf("rule %s: delete it: %w", r.Name, err)
			}
			continue
		}
		if err := endRule(&r, today); err != nil {
			return err
		}
		if err := tx.Save(&r); err != nil {
			return fmt.Errorf("rule %s: end it yesterday: %w", r.Name, err)
		}
	}
	return nil
}

// awayFromWrongToday moves to today the edits of the leave and regular
// days off (固定休息) of owner's members made while the PC's clock ran
// ahead of now (the field last set by a change stamped more than
// store.MaxAhead later, on that wrong "today"): SaveKeepingPast kept the
// days before that wrong today as they were, so the leave cleared "from
// today" still held up to the wrong yesterday and the days off changed
// held only from the wrong today, on days that never passed. A leave
// ending on the wrong yesterday ends on the real one (one not begun by
// today goes), and a change of days off on the wrong today is made today
// (the changes between, which that edit had no say over, give way to
// it). Leave and days off set with the clock right stay as they are.
func awayFromWrongToday(tx *store.Tx, owner string, now time.Time, today schedule.Date) error {
	ms, err := store.LiveTx[store.Member](tx, "AND owner = ? ORDER BY id", owner)
	if err != nil {
		return fmt.Errorf("roster: members: %w", err)
	}
	for _, m := range ms {
		changed := false
		for _, f := range []struct {
			field string
			list  *[]string
			move  func([]string, schedule.Date, schedule.Date) ([]string, bool)
		}{{"leave", &m.Leave, leaveFromWrongToday}, {"off", &m.Off, offFromWrongToday}} {
			_, set, err := tx.FieldStamps(m.Table(), m.ID, f.field)
			if err != nil {
				return fmt.Errorf("member %s: %w", m.Name, err)
			}
			at := time.UnixMilli(set.Wall)
			if set.IsZero() || at.Sub(now) <= store.MaxAhead {
				continue // set with the clock right
			}
			moved, ok := f.move(*f.list, schedule.FromTime(at), today)
			if ok {
				*f.list, changed = moved, true
			}
		}
		if !changed {
			continue
		}
		if err := tx.Save(&m); err != nil {
			return fmt.Errorf("member %s: leave and days off from %s: %w", m.Name, today, err)
		}
	}
	return nil
}

// leaveFromWrongToday ends on yesterday the leave that an edit on the
// wrong day ended on its yesterday (keepPastLeave's cut), and drops it
// when it begins today or later. An end typed on that wrong yesterday
// (isTypedEnd: keepPastLeave writes it so) stays, a date being a date:
// the leave ends on it, in one range again. It reports whether it
// changed any.
func leaveFromWrongToday(leave []string, wrong, today schedule.Date) ([]string, bool) {
	rs, err := schedule.ParseLeave(leave)
	if err != nil || wrong <= today {
		return leave, false
	}
	out := make([]string, 0, len(rs))
	var prev schedule.DateRange
	changed := false
	for i, r := range rs {
		switch {
		case r.To == wrong-1 && isTypedEnd(leave[i]):
			changed = true
			if len(out) > 0 && prev.To == r.From-1 {
				r.From = prev.From // its days before, in one range again
				out = out[:len(out)-1]
			}
		case r.To == wrong-1:
			changed = true
			if r.From >= today {
				continue
			}
			r.To = today - 1
		}
		out = append(out, r.String())
		prev = r
	}
	return out, changed
}

// offFromWrongToday makes today the change of regular days off an edit
// on the wrong day made that day (keepPastOff's), the changes between
// giving way to it. It reports whether there was one.
func offFromWrongToday(off []string, wrong, today schedule.Date) ([]string, bool) {
	ws, err := schedule.ParseWeekdaysOff(off)
	k := slices.IndexFunc(ws, func(w almanac.WeekdaysOff) bool { return w.From == wrong })
	if err != nil || k < 0 || wrong <= today {
		return off, false
	}
	out := append(almanac.KeepPastWeekdaysOff(ws[:k], ws[k].Days, today), ws[k+1:]...)
	return almanac.FormatWeekdaysOff(out), true
}
