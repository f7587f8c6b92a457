package rosterdata

import (
	"context"
	"fmt"
	"time"

	"cunjing/store"
	"cunjing/store/schedule"
)

// TodayState is what the roster knows at now of which day is today: the
// day an edit applies from (Day: the PC's date, or the later one the
// database has seen) and what paired devices last measured of this PC's
// clock (Peers). 巡逻排班's clock line and `cunjing roster confirm-today`
// read it (TodayOf) and ask with it: one reading for the window and the
// command line.
type TodayState struct {
	Day   EditDay
	Peers []PeerClock
}

// TodayOf reads the TodayState of s at now (this PC's clock).
func TodayOf(ctx context.Context, s *store.Store, now time.Time) (TodayState, error) {
	d, err := EditDayOf(ctx, s, now)
	if err != nil {
		return TodayState{}, err
	}
	peers, err := PeerClocks(ctx, s)
	return TodayState{Day: d, Peers: peers}, err
}

// Measured is the refusal ConfirmToday gives at now when a paired device
// measured this PC's clock off by more than a day (OutsideClock); nil
// when none did.
func (t TodayState) Measured(now time.Time) *StationDateError {
	if p, ok := OutsideClock(t.Peers, now); ok {
		return &StationDateError{PC: now, Peer: p}
	}
	return nil
}

// PeerClocks is what the paired devices last measured of this PC's
// clock, as the sync engine keeps it (store/syncbook's peers), for
// ConfirmToday and ConfirmStationDate.
func PeerClocks(ctx context.Context, s *store.Store) ([]PeerClock, error) {
	ps, err := s.SyncBook().Peers(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("roster: the paired devices' clocks: %w", err)
	}
	out := make([]PeerClock, len(ps))
	for i, p := range ps {
		out[i] = PeerClockOf(p.Name, p.Role, p.ClockMs, p.ClockAt)
	}
	return out, nil
}

// DayUnknownError refuses to date a check (a holiday calendar's 核实
// date: CheckDay) by the PC's clock when it is known off and no date was
// given: the PC's date cannot be today (Day.Impossible), a paired device
// measured the clock off (Measured) and its date was not taken, or the
// PC's date is before what the file has seen (Day.ClockBehind), so one
// of the two is wrong. The caller says so and how to go on: a date given
// (--today), the officer's answer to which day is today, or the
// computer's date set.
type DayUnknownError struct {
	Day      EditDay
	Measured *StationDateError
}

func (e *DayUnknownError) Error() string {
	switch {
	case e.Day.Impossible != nil:
		return "roster: which day is today: " + e.Day.Impossible.Error()
	case e.Measured != nil:
		return "roster: which day is today: " + e.Measured.Error()
	}
	return fmt.Sprintf("roster: which day is today: the PC's date %s is before %s, seen here", e.Day.PC, e.Day.Seen)
}

// CheckDay is the day a check made at now is dated when no date was
// given (the 核实 date of a holiday calendar: `cunjing holidays add
// --confirmed`, `holidays confirm`, 节假日's 核实): the PC's date while
// nothing says its clock is off; the date a paired device measured
// (station, the measurement) once the officer took it as today
// (ConfirmStationDate: the file's day is that date); else a
// *DayUnknownError (the PC's date cannot be today, a paired device
// measured the clock off, or the date is before what the file has seen).
func (t TodayState) CheckDay(now time.Time) (day schedule.Date, station *StationDateError, err error) {
	d := t.Day
	if d.Impossible != nil {
		return 0, nil, &DayUnknownError{Day: d}
	}
	if se := t.Measured(now); se != nil {
		if !se.Ahead() && d.Day == schedule.FromTime(se.Today()) {
			return d.Day, se, nil
		}
		return 0, nil, &DayUnknownError{Day: d, Measured: se}
	}
	if d.ClockBehind() {
		return 0, nil, &DayUnknownError{Day: d}
	}
	return d.PC, nil, nil
}
