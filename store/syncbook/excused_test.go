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
// opens a new window, and every excused blob is counted in all.
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
	}{
		{"first", 0, "A", 10, true, 1, 1},
		{"second", 0, "A", 10, true, 2, 2},
		{"third, the last of the day", 0, "A", 10, true, 3, 3},
		{"past the files bound", 0, "A", 10, false, 3, 3},
		{"another device has its own", 0, "B", 90, true, 1, 1},
		{"past the bytes bound", 0, "B", 11, false, 1, 1},
		{"within it still", 0, "B", 10, true, 2, 2},
		{"the next day, a new window", 1, "A", 10, true, 1, 4},
		{"a negative size is never excused", 1, "A", -5, false, 1, 4},
		{"the clock set back a day: its own window", 0, "A", 10, true, 1, 5},
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
		if ok != st.ok || x.Files != st.files || x.TotalFiles != st.total || x.Day != clocktest.Date(t, int(st.day)) {
			t.Errorf("%s: excused %v, %+v; want %v, %d today, %d in all", st.name, ok, x, st.ok, st.files, st.total)
		}
	}
}
