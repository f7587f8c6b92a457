// Package clocktest gives tests their "today": the date make datecheck sets
// in CUNJING_TEST_TODAY (YYYY-MM-DD), or the real date when it is unset, at
// 10:00 Beijing time (clock.Zone, whatever the machine's zone) so no test depends on the hour it runs at. Fixtures take
// every date from it (today, today-3, …), never from the wall clock; this
// file is the one place tests may read time.Now (see TestNoWallClockInTests).
//
// Every read of today goes through Today (Clock, Date and Ticking call it)
// with the reading test, so with LogEnv set a test binary names the tests
// that read it: make datecheck runs every test of its suites at its first
// date and, at the others, only those (a test that never reads today
// cannot see CUNJING_TEST_TODAY, so running it again at another date
// checks nothing new).
package clocktest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"cunjing/store/clock"
)

// Env names the variable that sets the tests' today.
const Env = "CUNJING_TEST_TODAY"

// LogEnv names the variable holding a file to which Today appends, one a
// line, the name of the top-level test (or benchmark) that reads the
// tests' today, at each read: a name may come more than once.
const LogEnv = "CUNJING_TEST_TODAY_LOG"

// Today returns the tests' today at 10:00 Beijing time (clock.Zone).
func Today(tb testing.TB) time.Time {
	tb.Helper()
	if err := logReader(tb.Name()); err != nil {
		tb.Fatal(err)
	}
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

// logReader appends the top-level test of the test or subtest name to the
// LogEnv file, if one is set: once per read of today, so a test that reads
// it often is named often (datecheck takes the names with sort -u).
func logReader(name string) error {
	file := os.Getenv(LogEnv)
	if file == "" {
		return nil
	}
	top, _, _ := strings.Cut(name, "/")
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", LogEnv, err)
	}
	_, err = fmt.Fprintln(f, top)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", LogEnv, err)
	}
	return nil
}

func today() (time.Time, error) {
	if v := os.Getenv(Env); v != "" {
		t, err := clock.Day(v, 10, 0, clock.Zone)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s=%q: want YYYY-MM-DD: %w", Env, v, err)
		}
		return t, nil
	}
	n := time.Now().In(clock.Zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 10, 0, 0, 0, clock.Zone), nil
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
