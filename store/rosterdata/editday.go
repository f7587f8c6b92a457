package rosterdata

import (
	"context"
	"fmt"
	"time"

	"cunjing/store"
	"cunjing/store/schedule"
)

// EditDay is the day an edit of the roster applies from (the day its
// versions start: SaveKeepingPast, DeleteMember, DeleteRule …), and why.
type EditDay struct {
	// Day is the later of PC and Seen: edits apply from it.
	Day schedule.Date
	// PC is today by this PC's clock.
	PC schedule.Date
	// Seen is the latest day this database has already seen, when it is
	// later than PC (0 otherwise): the day of this device's latest edit
	// of the roster, or patrol logged, by the hybrid logical clock, more than a day
	// (store.MaxAhead) past the PC's clock, or the day after the latest
	// a rule's earlier version reaches.
	Seen schedule.Date
}

// ClockBehind says the PC's date is before what the database has seen:
// the PC's clock looks wrong (a flat clock battery sets it years back),
// and edits apply from Seen rather than cut the past at PC.
func (d EditDay) ClockBehind() bool { return d.Seen > d.PC }

// EditDayOf is the day an edit of s's roster made at now (this PC's
// clock) applies from. The PC's wall clock is not trusted to cut the
// past: when its date is before what the database has seen — this
// device's own roster edits and patrols logged stamped (by the hybrid logical clock) more
// than store.MaxAhead later, or a rule's version reaching that day or
// later — an edit there would rewrite every day since (an edit "from
// 1999" keeps no past at all), so it applies from the later day instead,
// and ClockBehind says so for the officer to be told.
func EditDayOf(ctx context.Context, s *store.Store, now time.Time) (EditDay, error) {
	d := EditDay{PC: schedule.FromTime(now)}
	d.Day = d.PC
	latest, err := latestOwnEdit(ctx, s)
	if err != nil {
		return d, err
	}
	if latest.Sub(now) > store.MaxAhead {
		d.Seen = schedule.FromTime(latest)
	}
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

// latestPatrols is how many of this device's patrols, the latest by
// their dates, latestOwnEdit reads the stamps of.
const latestPatrols = 20

// latestOwnEdit is when this device last edited its roster (its rules,
// teams, members and exceptions) or logged a patrol it plans, by the
// hybrid logical clock that stamped the edit: never earlier than an edit
// it stamped before, even when the PC's clock has been set back since. A
// roster is often left as it is for months while its patrols are logged
// every day: without them, an edit made with the clock behind applied
// from the roster's last edit and rewrote every turn since. Of the
// patrols, those dated last (one logged with the clock behind is dated
// then and sorts after them).
func latestOwnEdit(ctx context.Context, s *store.Store) (time.Time, error) {
	var latest time.Time
	for _, list := range []func() ([]store.Record, error){
		ownRecords[store.ShiftRule](ctx, s, "ORDER BY id"), ownRecords[store.Team](ctx, s, "ORDER BY id"),
		ownRecords[store.Member](ctx, s, "ORDER BY id"), ownRecords[store.ShiftException](ctx, s, "ORDER BY id"),
		ownRecords[store.Patrol](ctx, s, fmt.Sprintf("ORDER BY date DESC, id DESC LIMIT %d", latestPatrols)),
	} {
		recs, err := list()
		if err != nil {
			return latest, err
		}
		for _, r := range recs {
			id := r.RecordMeta().ID
			edits, err := s.History(ctx, r.Table(), id, false)
			if err != nil {
				return latest, fmt.Errorf("roster: when %s %s was edited: %w", r.Table(), id, err)
			}
			for _, e := range edits {
				if e.Own && e.At.After(latest) {
					latest = e.At
				}
			}
		}
	}
	return latest, nil
}

// ownRecords lists this device's live records of a kind, in the order
// (and up to the limit) tail says.
func ownRecords[T any, P interface {
	*T
	store.Record
}](ctx context.Context, s *store.Store, tail string) func() ([]store.Record, error) {
	return func() ([]store.Record, error) {
		rs, err := store.Live[T, P](ctx, s, "AND owner = ? "+tail, s.DeviceID())
		if err != nil {
			return nil, fmt.Errorf("roster: %s: %w", P(new(T)).Table(), err)
		}
		out := make([]store.Record, len(rs))
		for i := range rs {
			out[i] = P(&rs[i])
		}
		return out, nil
	}
}
