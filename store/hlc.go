package store

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxWall is the largest wall time an HLC can carry: 13 decimal digits of
// milliseconds (the year 2286). A remote clock beyond it is corrupt, not fast.
const maxWall = 9_999_999_999_999

// maxCounter bounds the logical counter so the encoding stays fixed width;
// when it would overflow the clock borrows one millisecond instead.
const maxCounter = 999_999

// MaxAhead is how far past this PC's wall clock a timestamp may lie and
// still move the clock. A change stamped further ahead (a PC whose clock is
// years fast) is stored and merged like any other, but the clock does not
// jump there: this device's own edits keep its own time.
const MaxAhead = 24 * time.Hour

// HLC is a hybrid logical clock timestamp: wall milliseconds, a logical
// counter, and the device that made it. Its string form sorts exactly like
// the tuple (Wall, Counter, Device), so SQL can compare them as text.
type HLC struct {
	Wall    int64
	Counter int64
	Device  string
}

// String encodes h as "WWWWWWWWWWWWW-CCCCCC-DEVICE".
func (h HLC) String() string {
	if h.IsZero() {
		return ""
	}
	return fmt.Sprintf("%013d-%06d-%s", h.Wall, h.Counter, h.Device)
}

// IsZero reports whether h is the zero timestamp (never written).
func (h HLC) IsZero() bool { return h.Wall == 0 && h.Counter == 0 && h.Device == "" }

// Compare orders two timestamps by (Wall, Counter, Device).
func (h HLC) Compare(o HLC) int {
	switch {
	case h.Wall != o.Wall:
		return cmpInt(h.Wall, o.Wall)
	case h.Counter != o.Counter:
		return cmpInt(h.Counter, o.Counter)
	default:
		return strings.Compare(h.Device, o.Device)
	}
}

func cmpInt(a, b int64) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

// ParseHLC decodes the string form produced by String. The empty string is
// the zero HLC.
func ParseHLC(s string) (HLC, error) {
	if s == "" {
		return HLC{}, nil
	}
	parts := strings.SplitN(s, "-", 3)
	if len(parts) != 3 || len(parts[0]) != 13 || len(parts[1]) != 6 || parts[2] == "" {
		return HLC{}, fmt.Errorf("hlc %q: want WALL(13)-COUNTER(6)-DEVICE", s)
	}
	if !allDigits(parts[0]) || !allDigits(parts[1]) {
		return HLC{}, fmt.Errorf("hlc %q: wall and counter must be digits", s)
	}
	wall, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || wall < 0 {
		return HLC{}, fmt.Errorf("hlc %q: bad wall time", s)
	}
	counter, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || counter < 0 {
		return HLC{}, fmt.Errorf("hlc %q: bad counter", s)
	}
	if strings.ContainsAny(parts[2], " \t\r\n") {
		return HLC{}, fmt.Errorf("hlc %q: bad device", s)
	}
	return HLC{Wall: wall, Counter: counter, Device: parts[2]}, nil
}

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
	if ms > maxWall {
		ms = maxWall
	}
	return ms
}

// Now returns a fresh timestamp greater than every timestamp issued or
// observed before, as long as those lie within MaxAhead of this PC's wall
// clock: when the PC's clock is set back by more than that (it ran fast
// and was set right), the clock starts again from the PC's time rather than
// stamp everything years ahead. Tx.Save still stamps an edit after the
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
		next.Wall = c.last.Wall
		next.Counter = c.last.Counter + 1
		if next.Counter > maxCounter {
			next.Wall++
			next.Counter = 0
		}
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
// clock's reach, so the edit is still newer than what it replaces.
func After(h HLC, device string) HLC {
	n := HLC{Wall: h.Wall, Counter: h.Counter + 1, Device: device}
	if n.Counter > maxCounter {
		n.Wall++
		n.Counter = 0
	}
	return n
}

// Last returns the latest timestamp issued or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
