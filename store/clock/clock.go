// Package clock owns cunjing's seam for wall time: every screen, command and
// record that needs "now" takes a Func, so tests and the date sweep (make
// datecheck) can set it. It is a pure leaf: it imports nothing of ours.
//
// Wall time here is only what a person sees (today's roster, "3 分钟前",
// a printed date). Merging never trusts it: the store's hybrid logical clock
// orders changes (store/hlc.go).
package clock

import "time"

// Func returns the current time.
type Func func() time.Time

// System is the real wall clock.
func System() time.Time { return time.Now() }

// Or returns f, or System when f is nil, so a zero Options means real time.
func Or(f Func) Func {
	if f == nil {
		return System
	}
	return f
}

// Fixed returns a clock stopped at t.
func Fixed(t time.Time) Func { return func() time.Time { return t } }

// Day parses a YYYY-MM-DD date at the given hour and minute in loc.
func Day(date string, hour, min int, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", date, loc)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(time.Duration(hour)*time.Hour + time.Duration(min)*time.Minute), nil
}
