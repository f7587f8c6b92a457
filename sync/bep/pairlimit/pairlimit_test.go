package pairlimit

import (
	"errors"
	"testing"
	"time"
)

// The tries a device starts: one at a time to a device, Concurrent in
// all, PerWindow to a device in Window (the next said when), the window
// sliding by the clock, a clock set back forgetting.
func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := New(3, 10*time.Minute, 2, func() time.Time { return now })
	var held []func()
	type step struct {
		name     string
		device   string
		wait     time.Duration // the clock moves on first
		end      bool          // the tries under way end first
		want     string        // "", "busy", "wait"
		wantWait time.Duration
	}
	steps := []step{
		{name: "first try", device: "A", want: ""},
		{name: "A again while under way", device: "A", want: "busy"},
		{name: "B at once", device: "B", want: ""},
		{name: "C: two under way in all", device: "C", want: "busy"},
		{name: "A's second", device: "A", end: true, wait: time.Minute, want: ""},
		{name: "A's third", device: "A", end: true, wait: time.Minute, want: ""},
		{name: "A's fourth in ten minutes", device: "A", end: true, wait: time.Minute, want: "wait", wantWait: 7 * time.Minute},
		{name: "B meanwhile", device: "B", want: ""},
		{name: "A once the first is ten minutes old", device: "A", end: true, wait: 7 * time.Minute, want: ""},
		{name: "A's clock set back a day", device: "A", end: true, wait: -24 * time.Hour, want: ""},
	}
	for _, s := range steps {
		if s.end {
			for _, d := range held {
				d()
				d() // (more than once)
			}
			held = nil
		}
		now = now.Add(s.wait)
		done, err := l.Take(s.device)
		var e *Error
		got := ""
		if errors.As(err, &e) {
			got = "wait"
			if e.Busy {
				got = "busy"
			}
		} else if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want || (got == "wait" && e.Wait != s.wantWait) {
			t.Errorf("%s: %q %v, want %q %v", s.name, got, err, s.want, s.wantWait)
		}
		if done != nil {
			held = append(held, done)
		}
	}
}
