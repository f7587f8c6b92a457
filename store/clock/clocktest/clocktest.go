// Package clocktest gives tests their "today": the date make datecheck sets
// in CUNJING_TEST_TODAY (YYYY-MM-DD), or the real date when it is unset, at
// 10:00 local time so no test depends on the hour it runs at. Fixtures take
// every date from it (today, today-3, …), never from the wall clock; this
// file is the one place tests may read time.Now (see TestNoWallClockInTests).
package clocktest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"cunjing/store/clock"
)

// Env names the variable that sets the tests' today.
const Env = "CUNJING_TEST_TODAY"

// Today returns the tests' today at 10:00 local time.
func Today(tb testing.TB) time.Time {
	tb.Helper()
	t, err := today()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// Clock returns a clock stopped at Today.
func Clock(tb testing.TB) clock.Func {
	tb.Helper()
	return clock.Fixed(Today(tb))
}

// Date returns Today moved by days, as YYYY-MM-DD.
func Date(tb testing.TB, days int) string {
	tb.Helper()
	return Today(tb).AddDate(0, 0, days).Format("2006-01-02")
}

func today() (time.Time, error) {
	if v := os.Getenv(Env); v != "" {
		t, err := clock.Day(v, 10, 0, time.Local)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s=%q: want YYYY-MM-DD: %w", Env, v, err)
		}
		return t, nil
	}
	n := time.Now()
	return time.Date(n.Year(), n.Month(), n.Day(), 10, 0, 0, 0, time.Local), nil
}

// Ticking returns a clock that starts at Today moved by offset and runs on
// at the real pace: for tests whose devices must keep issuing later times
// (skewed HLC wall clocks) without reading the wall date.
func Ticking(tb testing.TB, offset time.Duration) clock.Func {
	tb.Helper()
	return TickingFrom(Today(tb).Add(offset))
}

// TickingFrom returns a clock that starts at t and runs on at the real pace.
func TickingFrom(t time.Time) clock.Func {
	start := time.Now()
	return func() time.Time { return t.Add(time.Since(start)) }
}
