package rosterdata

import (
	"context"
	"fmt"
	"time"

	"cunjing/store"
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
