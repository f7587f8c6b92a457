package syncbook_test

import (
	"context"
	"testing"
	"time"

	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
)

// The blobs a reference excuses are bounded per device and day (by the
// book's clock), whatever the sessions: a device that reconnects gets no
// new allowance the same day, another device has its own, the next day
// opens a new window, and every excused blob is counted in all. The
// window never goes back: the station's clock set back a day (or a year)
// stays in the day it reached, its allowance spent, until the clock passes
// it again. They are bounded in all too (a day's allowance every day was
// junk for ever): past it a new day excuses nothing, until the device is
// paired again on purpose (ClearRefused). What is past a bound is counted
// apart (Over), a negative size not at all.
func TestExcusedPerDeviceAndDay(t *testing.T) {
	ctx := context.Background()
	s, _, skew := skewedStation(t)
	b := s.SyncBook()
	bound := syncbook.ExcuseBound{DayFiles: 3, DayBytes: 100, AllFiles: 7, AllBytes: 1000}
	steps := []struct {
		name   string
		day    int64
		device string
		bytes  int64
		clear  bool // ClearRefused first
		ok     bool
		files  int // the device's today after the step
		total  int
		over   int   // today's past the bound
		window int64 // the window's day after the step
	}{
		{"first", 0, "A", 10, false, true, 1, 1, 0, 0},
		{"second", 0, "A", 10, false, true, 2, 2, 0, 0},
		{"third, the last of the day", 0, "A", 10, false, true, 3, 3, 0, 0},
		{"past the files bound", 0, "A", 10, false, false, 3, 3, 1, 0},
		{"another device has its own", 0, "B", 90, false, true, 1, 1, 0, 0},
		{"past the bytes bound", 0, "B", 11, false, false, 1, 1, 1, 0},
		{"within it still", 0, "B", 10, false, true, 2, 2, 1, 0},
		{"the next day, a new window", 1, "A", 10, false, true, 1, 4, 0, 1},
		{"a negative size is never excused, nor counted", 1, "A", -5, false, false, 1, 4, 0, 1},
		{"the clock set back a day: the same window", 0, "A", 10, false, true, 2, 5, 0, 1},
		{"the last of it", 0, "A", 10, false, true, 3, 6, 0, 1},
		{"set back a year: still spent", -365, "A", 10, false, false, 3, 6, 1, 1},
		{"another device on the clock set back: the clock's day", -365, "C", 10, false, true, 1, 1, 0, -365},
		{"the clock right again, the day after: a new window", 2, "A", 10, false, true, 1, 7, 0, 2},
		{"past the bound in all: a new day excuses nothing", 3, "A", 10, false, false, 0, 7, 1, 3},
		{"paired again on purpose: a fresh allowance", 3, "A", 10, true, true, 1, 1, 0, 3},
	}
	for _, st := range steps {
		skew.Store(st.day * int64(24*time.Hour))
		if st.clear {
			if err := b.ClearRefused(ctx, st.device); err != nil {
				t.Fatal(err)
			}
		}
		_, ok, err := b.Excuse(ctx, st.device, st.bytes, bound)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		x, err := b.ExcusedOf(ctx, st.device)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if ok != st.ok || x.Files != st.files || x.TotalFiles != st.total || x.OverFiles != st.over || x.Day != clocktest.Date(t, int(st.window)) {
			t.Errorf("%s: excused %v, %+v; want %v, %d today (%s), %d in all, %d past the bound", st.name, ok, x, st.ok, st.files, clocktest.Date(t, int(st.window)), st.total, st.over)
		}
	}
}
