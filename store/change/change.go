// Package change owns the unit of cunjing's change log and of sync: one
// field change (Change) and its hybrid logical clock timestamp (HLC, with
// its text form and ParseHLC). It is a pure leaf: no database, no schema,
// no cgo, so a file format (sync/changeset) can carry changes without
// linking SQLite. Checking a change against the schema, and the clock that
// issues timestamps, belong to store, which re-exports these types.
package change

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxWall is the largest wall time an HLC can carry: 13 decimal digits of
// milliseconds (the year 2286). A remote clock beyond it is corrupt, not fast.
const MaxWall = 9_999_999_999_999

// MaxCounter bounds the logical counter so the encoding stays fixed width;
// when it would overflow a clock borrows one millisecond instead.
const MaxCounter = 999_999

// Change is one field change: the unit of the change log and of sync. Value
// is the canonical JSON of the new value; Base is the HLC of the value the
// writer replaced (empty for a first write), which tells a sequential edit
// from a concurrent one.
type Change struct {
	Table  string `json:"t"`
	Record string `json:"r"`
	Field  string `json:"f"`
	Value  string `json:"v"`
	HLC    string `json:"h"`
	Base   string `json:"b,omitempty"`
}

// Origin is the device that made the change (carried in its HLC); "" when
// the HLC does not parse.
func (c Change) Origin() string {
	h, err := ParseHLC(c.HLC)
	if err != nil {
		return ""
	}
	return h.Device
}

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

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
