package change

import (
	"testing"
	"time"
)

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
