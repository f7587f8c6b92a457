package store

import (
	"testing"
	"time"
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

func TestClockMonotonicWhenWallGoesBack(t *testing.T) {
	walls := []int64{1000, 500, 500, 2000, 10}
	i := 0
	clk := NewClock("D", func() time.Time { w := walls[i%len(walls)]; i++; return time.UnixMilli(w) }, HLC{})
	prev := HLC{}
	for range walls {
		h := clk.Now()
		if h.Compare(prev) <= 0 {
			t.Fatalf("clock went back: %v after %v", h, prev)
		}
		prev = h
	}
	clk.Observe(HLC{Wall: 99999, Counter: 7, Device: "OTHER"})
	if h := clk.Now(); h.Wall != 99999 || h.Counter != 8 {
		t.Fatalf("did not move past observed time: %v", h)
	}
}
