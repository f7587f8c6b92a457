// Package debounce runs the latest of a burst of requests once the burst
// pauses (kit.Debouncer).
package debounce

import (
	"context"
	"sync"
	"time"
)

// Later is the part of the environment a Debouncer runs on (Env.After).
type Later interface {
	After(delay time.Duration, fn func(ctx context.Context)) (stop func() bool)
}

// Debouncer runs the latest of a burst of requests once the burst pauses
// (a preview redrawn when typing stops, a search once the typing pauses,
// not once per key). Runs are counted in the environment's background
// work, so Env.Wait waits for them.
type Debouncer struct {
	bg   Later
	mu   sync.Mutex
	stop func() bool
	gen  int
}

// New runs on bg.
func New(bg Later) *Debouncer { return &Debouncer{bg: bg} }

// Run schedules fn after delay, dropping a run not yet started; fn gets
// its generation to check with Current before it shows anything.
func (d *Debouncer) Run(delay time.Duration, fn func(gen int)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop != nil {
		d.stop()
	}
	d.gen++
	gen := d.gen
	d.stop = d.bg.After(delay, func(context.Context) { fn(gen) })
}

// Cancel drops a run not yet started; a run already going finds its
// generation no longer Current.
func (d *Debouncer) Cancel() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop != nil {
		d.stop()
		d.stop = nil
	}
	d.gen++
}

// Current reports whether gen is the newest request.
func (d *Debouncer) Current(gen int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return gen == d.gen
}
