package store

import (
	"testing"
)

func TestHLCStringOrder(t *testing.T) {
	a := HLC{Wall: 5, Counter: 999, Device: "B"}
	b := HLC{Wall: 6, Counter: 0, Device: "A"}
	c := HLC{Wall: 6, Counter: 0, Device: "B"}
	if !(a.String() < b.String() && b.String() < c.String()) || a.Compare(b) >= 0 || b.Compare(c) >= 0 {
		t.Fatal("string order must match tuple order")
	}
	for _, h := range []HLC{a, b, c} {
		p, err := ParseHLC(h.String())
		if err != nil || p != h {
			t.Fatalf("round trip %v: %v %v", h, p, err)
		}
	}
	for _, bad := range []string{"x", "0000000000001-000001", "000000000000a-000001-D", "0000000000001-00000z-D"} {
		if _, err := ParseHLC(bad); err == nil {
			t.Errorf("ParseHLC(%q) accepted", bad)
		}
	}
}
