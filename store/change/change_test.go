package change

import (
	"slices"
	"testing"
)

// The text form round-trips and sorts as the tuple does; a change's origin
// is the device in its stamp.
func TestHLCTextSortsLikeTuple(t *testing.T) {
	hs := []HLC{
		{Wall: 1_760_000_000_000, Counter: 0, Device: "B"},
		{Wall: 1_760_000_000_000, Counter: 0, Device: "A"},
		{Wall: 1_760_000_000_000, Counter: 12, Device: "A"},
		{Wall: 999, Counter: MaxCounter, Device: "Z"},
		{Wall: MaxWall, Counter: 1, Device: "POST-1"},
	}
	for _, h := range hs {
		p, err := ParseHLC(h.String())
		if err != nil || p != h {
			t.Fatalf("%v: parsed back as %v, %v", h, p, err)
		}
		if o := (Change{HLC: h.String()}).Origin(); o != h.Device {
			t.Errorf("origin of %s = %q", h, o)
		}
	}
	byTuple := slices.Clone(hs)
	slices.SortFunc(byTuple, HLC.Compare)
	byText := slices.Clone(hs)
	slices.SortFunc(byText, func(a, b HLC) int {
		switch {
		case a.String() < b.String():
			return -1
		case a.String() > b.String():
			return 1
		}
		return 0
	})
	if !slices.Equal(byTuple, byText) {
		t.Errorf("text order %v, tuple order %v", byText, byTuple)
	}
	if h, err := ParseHLC(""); err != nil || !h.IsZero() || h.String() != "" {
		t.Errorf("empty: %v %v", h, err)
	}
	for _, bad := range []string{"1-2-3", "176000000000x-000000-A", "1760000000000-000000-", "1760000000000-000000-A B"} {
		if _, err := ParseHLC(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
		if o := (Change{HLC: bad}).Origin(); o != "" {
			t.Errorf("origin of %q = %q", bad, o)
		}
	}
}
