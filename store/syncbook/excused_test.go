package syncbook_test

import (
	"context"
	"testing"
	"time"

	"cunjing/store/clock/clocktest"
)

// The blobs a reference excuses are bounded per device and day (by the
// book's clock), whatever the sessions: a device that reconnects gets no
// new allowance the same day, another device has its own, the next day
// opens a new window, and every excused blob is counted in all. The
// window never goes back: the station's clock set back a day (or a year)
// stays in the day it reached, its allowance spent, until the clock passes
// it again.
func TestExcusedPerDeviceAndDay(t *testing.T) {
	ctx := context.Background()
	s, _, skew := skewedStation(t)
	b := s.SyncBook()
	const maxFiles, maxBytes = 3, 100
	steps := []struct {
		name   string
		day    int64
		device string
		bytes  int64
		ok     bool
		files  int // the device's today after the step
		total  int
		window int64 // the window's day after the step
	}{
		{"first", 0, "A", 10, true, 1, 1, 0},
		{"second", 0, "A", 10, true, 2, 2, 0},
		{"third, the last of the day", 0, "A", 10, true, 3, 3, 0},
		{"past the files bound", 0, "A", 10, false, 3, 3, 0},
		{"another device has its own", 0, "B", 90, true, 1, 1, 0},
		{"past the bytes bound", 0, "B", 11, false, 1, 1, 0},
		{"within it still", 0, "B", 10, true, 2, 2, 0},
		{"the next day, a new window", 1, "A", 10, true, 1, 4, 1},
		{"a negative size is never excused", 1, "A", -5, false, 1, 4, 1},
		{"the clock set back a day: the same window", 0, "A", 10, true, 2, 5, 1},
		{"the last of it", 0, "A", 10, true, 3, 6, 1},
		{"set back a year: still spent", -365, "A", 10, false, 3, 6, 1},
		{"another device on the clock set back: the clock's day", -365, "C", 10, true, 1, 1, -365},
		{"the clock right again, the day after: a new window", 2, "A", 10, true, 1, 7, 2},
	}
	for _, st := range steps {
		skew.Store(st.day * int64(24*time.Hour))
		_, ok, err := b.Excuse(ctx, st.device, st.bytes, maxFiles, maxBytes)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		x, err := b.ExcusedOf(ctx, st.device)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if ok != st.ok || x.Files != st.files || x.TotalFiles != st.total || x.Day != clocktest.Date(t, int(st.window)) {
			t.Errorf("%s: excused %v, %+v; want %v, %d today (%s), %d in all", st.name, ok, x, st.ok, st.files, clocktest.Date(t, int(st.window)), st.total)
		}
	}
}
