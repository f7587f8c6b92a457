// Package pairlimit bounds the short pairings this device starts (the
// side that typed a short code: sync/bep's pairShort, dialling the device
// that shows it). Each try sends a proof made with the code's secret; the
// showing device drops its code after 5 wrong proofs, and nothing bounded
// the tries here: a code typed wrong, dialled at once by 立即同步 clicked
// again and again, by the window's node and `cunjing sync --once`, through
// each address and relay, spent the other device's code in seconds (its
// officer had to make a new one and read it out again), and tries to one
// device ran side by side. Now at most PerWindow tries to one device in
// Window and one at a time, at most Concurrent in all; past it the try
// is not made and says when one may be (Error). Imports none of ours.
package pairlimit

import (
	"fmt"
	"sync"
	"time"
)

// Bounds of Default.
const (
	// PerWindow tries to one device in Window: fewer than the showing
	// side's 5 wrong proofs, so a code typed wrong is said before the
	// other side's code is spent.
	PerWindow = 3
	Window    = 10 * time.Minute
	// Concurrent tries in all (to one device, one).
	Concurrent = 4
)

// Error is a short pairing not tried: one to the device is under way
// (Busy), or PerWindow were tried in Window and the next may be in Wait.
type Error struct {
	Device string
	Busy   bool
	Wait   time.Duration
}

func (e *Error) Error() string {
	if e.Busy {
		return fmt.Sprintf("short pairing with %s: another try is under way", e.Device)
	}
	return fmt.Sprintf("short pairing with %s: %d tries in %v, the next in %v", e.Device, PerWindow, Window, e.Wait.Round(time.Second))
}

// Limiter counts the tries of one process.
type Limiter struct {
	now                   func() time.Time
	perWindow, concurrent int
	window                time.Duration
	mu                    sync.Mutex
	tries                 map[string][]time.Time // by device, within window
	running               map[string]bool
	nrunning              int
}

// New is a limiter of per tries to one device in window, conc at once in
// all, by the clock now (time.Now when nil).
func New(per int, window time.Duration, conc int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{now: now, perWindow: max(per, 1), window: window, concurrent: max(conc, 1),
		tries: map[string][]time.Time{}, running: map[string]bool{}}
}

// Default is the process's limiter (every node of it).
var Default = New(PerWindow, Window, Concurrent, nil)

// Take starts a try to device: done ends it. An *Error when it may not
// be made now.
func (l *Limiter) Take(device string) (done func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var kept []time.Time
	for _, t := range l.tries[device] {
		if now.Sub(t) < l.window && !t.After(now) { // (a clock set back forgets)
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(l.tries, device)
	} else {
		l.tries[device] = kept
	}
	if l.running[device] || l.nrunning >= l.concurrent {
		return nil, &Error{Device: device, Busy: true}
	}
	if len(kept) >= l.perWindow {
		return nil, &Error{Device: device, Wait: kept[0].Add(l.window).Sub(now)}
	}
	l.tries[device] = append(kept, now)
	l.running[device] = true
	l.nrunning++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.running, device)
			l.nrunning--
			l.mu.Unlock()
		})
	}, nil
}
