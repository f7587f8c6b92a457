package change

import (
	"sync"
	"time"
)

// The hybrid logical clock that issues HLCs, one per device (the store
// keeps its state in the database file and re-exports it as store.Clock).

// MaxAhead is how far past this PC's wall clock a timestamp may lie and
// still move the clock. A change stamped further ahead (a PC whose clock is
// years fast) is stored and merged like any other, but the clock does not
// jump there: this device's own edits keep its own time.
const MaxAhead = 24 * time.Hour

// Clock issues HLC timestamps for one device. It never goes backwards, even
// when the PC's clock is set back by years, and it moves past every
// timestamp it observes from other devices so a later local edit always
// wins over anything this device has already seen.
type Clock struct {
	mu     sync.Mutex
	device string
	now    func() time.Time
	last   HLC
}

// NewClock returns a clock for device reading wall time from now (time.Now
// when nil), starting after last.
func NewClock(device string, now func() time.Time, last HLC) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{device: device, now: now, last: last}
}

func (c *Clock) wall() int64 {
	ms := c.now().UnixMilli()
	if ms < 0 {
		ms = 0
	}
	if ms > MaxWall {
		ms = MaxWall
	}
	return ms
}

// Now returns a fresh timestamp greater than every timestamp issued or
// observed before, as long as those lie within MaxAhead of this PC's wall
// clock: when the PC's clock is set back by more than that (it ran fast
// and was set right), the clock starts again from the PC's time rather than
// stamp everything years ahead. The store still stamps an edit after the
// value it replaces.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.wall()
	if c.last.Wall > w+MaxAhead.Milliseconds() {
		c.last = HLC{}
	}
	next := HLC{Wall: w, Device: c.device}
	if w <= c.last.Wall {
		next = After(c.last, c.device)
	}
	c.last = next
	return next
}

// Observe advances the clock past a timestamp received from elsewhere (or
// read from the database file), unless it lies more than MaxAhead past
// this PC's wall clock: such a timestamp would drag every later edit of
// this device years into the future. It reports whether h is within reach
// (false: h is that far ahead and was not followed).
func (c *Clock) Observe(h HLC) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.Wall > c.wall()+MaxAhead.Milliseconds() {
		return false
	}
	if h.Wall > c.last.Wall || (h.Wall == c.last.Wall && h.Counter > c.last.Counter) {
		c.last = HLC{Wall: h.Wall, Counter: h.Counter, Device: c.device}
	}
	return true
}

// Ahead reports how far h lies past this PC's wall clock beyond MaxAhead's
// tolerance: 0 when h is within reach, else the whole distance to h.
func (c *Clock) Ahead(h HLC) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.wall()
	if h.Wall <= w+MaxAhead.Milliseconds() {
		return 0
	}
	return time.Duration(h.Wall-w) * time.Millisecond
}

// WallNow is this PC's wall clock as the HLC reads it (tests skew it).
func (c *Clock) WallNow() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.UnixMilli(c.wall())
}

// After returns the smallest timestamp of device that sorts after h: the
// stamp of an edit made on top of a value whose timestamp is out of the
// clock's reach, so the edit is still newer than what it replaces. After
// the last wall time an HLC carries (MaxWall, MaxCounter) there is none:
// it returns that last one of device, which sorts after h only if device
// does (callers check); a 14-digit wall would sort below h as text and be
// refused by every device.
func After(h HLC, device string) HLC {
	n := HLC{Wall: h.Wall, Counter: h.Counter + 1, Device: device}
	if n.Counter > MaxCounter {
		n.Wall++
		n.Counter = 0
	}
	if n.Wall > MaxWall {
		n = HLC{Wall: MaxWall, Counter: MaxCounter, Device: device}
	}
	return n
}

// Last returns the latest timestamp issued or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
