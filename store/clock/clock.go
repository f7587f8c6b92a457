// Package clock owns cunjing's seam for wall time: every screen, command and
// record that needs "now" takes a Func, so tests and the date sweep (make
// datecheck) can set it. It is a pure leaf: it imports nothing of ours.
//
// Wall time here is only what a person sees (today's roster, "3 分钟前",
// a printed date). Merging never trusts it: the store's hybrid logical clock
// orders changes (store/hlc.go).
//
// Calendar days are reckoned in Beijing time (Zone), whatever zone the
// machine is set to: System hands out times in Zone, and a date typed as
// text is read in Zone (Parse, Day). It imports only the calendar's pure
// leaf (store/schedule/almanac), where the zone is defined once.
package clock

import (
	"time"

	"cunjing/store/schedule/almanac"
)

// Zone is Beijing time (UTC+8), the zone of every calendar day in cunjing:
// almanac.Zone, re-named here for the callers of the clock.
var Zone = almanac.Zone

// Func returns the current time.
type Func func() time.Time

// System is the real wall clock, in Beijing time (Zone): so a time's
// Format("2006-01-02"), Date() or Month() is the Beijing day on a server
// set to UTC too. (In drops the monotonic reading: differences of two
// readings follow the wall clock.)
func System() time.Time { return time.Now().In(Zone) }

// In returns the instant t in Beijing time (Zone).
func In(t time.Time) time.Time { return t.In(Zone) }

// Parse reads s by layout as a time in Beijing time (Zone): a date or a
// time a person typed or cunjing stored as text.
func Parse(layout, s string) (time.Time, error) { return time.ParseInLocation(layout, s, Zone) }

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
