package rosterdata

import (
	"slices"
	"sync"
	"time"
)

// A paired device's measurement of this PC's clock (PeerClock) holds for
// the clock as it was set then: set since by part of the offset (a clock
// 5 days slow put forward 2), the measurement applied on top of the new
// setting gives a wrong today (3 days on) until the next sync measures
// again. The PC's clock cannot tell a setting from time passing, but a
// running program can: its monotonic clock is never set. ClockWatch
// compares the two between its looks and keeps each setting it noticed
// (ClockSet); Rebase moves a measurement taken before a setting onto the
// new one (the offset less what the clock was moved, its time by the new
// setting), and drops one it cannot place before or after (taken between
// two looks around a setting back): the officer's word stands then, as
// with no measurement. A setting made while no program ran is not
// noticed (the next sync measures again).

// ClockSetMin is the least move of the wall clock against the monotonic
// that counts as the clock set (smaller ones are time service steps).
const ClockSetMin = time.Hour

// ClockSet is one setting of this PC's clock a ClockWatch noticed: between
// two looks, Before (the PC's time by the old setting) and After (by the
// new), Passed went by and the clock moved By more than that.
type ClockSet struct {
	Before, After time.Time
	By, Passed    time.Duration
}

// ClockWatch notices this PC's clock being set while the program runs.
type ClockWatch struct {
	mu   sync.Mutex
	last time.Time
	sets []ClockSet
	// since is the time that passed from a to b, not by the wall clock:
	// b.Sub(a), monotonic when both carry a reading (time.Now's; a
	// fixed test clock has none, so it notices nothing).
	since func(a, b time.Time) time.Duration
}

// NewClockWatch is a watch over the times Look is given (from
// time.Now, through the program's clock.Func).
func NewClockWatch() *ClockWatch {
	return NewClockWatchSince(func(a, b time.Time) time.Duration { return b.Sub(a) })
}

// NewClockWatchSince is a watch told by since how much time passed
// between two looks (a test's own monotonic clock).
func NewClockWatchSince(since func(a, b time.Time) time.Duration) *ClockWatch {
	return &ClockWatch{since: since}
}

// Look notes now (this PC's clock) and returns the settings noticed so
// far, oldest first.
func (w *ClockWatch) Look(now time.Time) []ClockSet {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.last.IsZero() {
		passed := w.since(w.last, now)
		if by := now.Round(0).Sub(w.last.Round(0)) - passed; by >= ClockSetMin || by <= -ClockSetMin {
			w.sets = append(w.sets, ClockSet{Before: w.last.Round(0), After: now.Round(0), By: by, Passed: passed})
		}
	}
	w.last = now
	return slices.Clone(w.sets)
}

// Rebase is peers' measurements on the PC's clock as set now: one taken
// before a setting in sets has the offset less the move and its time
// moved with the clock; one taken after stays; one that may be either
// (taken by the PC's time where both fall: between the looks around a
// setting back) is dropped as never measured.
func Rebase(peers []PeerClock, sets []ClockSet) []PeerClock {
	out := slices.Clone(peers)
	for i := range out {
		p := &out[i]
		for _, s := range sets {
			if p.At.IsZero() {
				break
			}
			before := !p.At.After(s.Before.Add(s.Passed)) // by the old setting, up to the look that noticed
			after := !p.At.Before(s.Before.Add(s.By))     // by the new, from the earliest the setting could be
			switch {
			case before && !after:
				p.Offset -= s.By
				p.At = p.At.Add(s.By)
			case before && after:
				p.At = time.Time{}
			}
		}
	}
	return out
}
