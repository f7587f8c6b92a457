package sync

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// The month report counts a post's changes to houses, households and
// residents. It grouped them by their stamps, what the post's clock read:
// a post whose clock is two months behind (a BIOS battery gone flat) put
// this month's work in a month already reported, and its month showed
// none. A station officer reads the report as "what reached the station
// that month", which a post's clock cannot move and which never changes
// once the month is over: a change from another device counts in the month
// it arrived here by the station's clock; the station's own edits (and
// changes held before arrivals were kept) by their stamp.
func TestMonthChangesByArrival(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ahead time.Duration // the post's clock against the station's
	}{
		{"post clock right", 0},
		{"post clock two months behind", -61 * 24 * time.Hour},
		{"post clock a year behind", -366 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			now := clocktest.Ticking(t, 0)
			station := newDeviceAt(t, store.RoleStation, "城关派出所", now)
			post := newDeviceAt(t, store.RolePost, "东关村警务室", clocktest.Ticking(t, tc.ahead))
			pair(t, post, station)
			addHouseholds(t, post, 3, "甲") // 3 households: their owner names and villages
			mustCut(t, post)
			move(t, post, station, PostFolder(post.Self()))
			// The station corrects one household itself.
			own := addHouseholds(t, station, 1, "站")
			_ = own

			month := func(t0 time.Time) (string, string, int64, int64) {
				first := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, t0.Location())
				next := first.AddDate(0, 1, 0)
				return first.Format("2006-01-02"), next.AddDate(0, 0, -1).Format("2006-01-02"), first.UnixMilli(), next.UnixMilli()
			}
			count := func(t0 time.Time) (postN, stationN int) {
				from, to, fromMs, toMs := month(t0)
				got, err := station.Store().PostCounts().MonthCountsByOwner(ctx, from, to, fromMs, toMs)
				if err != nil {
					t.Fatal(err)
				}
				if c := got[post.Self()]; c != nil {
					postN = c.Changes
				}
				if c := got[station.Self()]; c != nil {
					stationN = c.Changes
				}
				return
			}
			all, _, err := post.Store().ChangesSince(ctx, post.Self(), 0, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, c := range all {
				if c.Table == "houses" || c.Table == "households" || c.Table == "residents" {
					want++
				}
			}
			if want == 0 {
				t.Fatal("the post made no change the report counts")
			}
			p, s := count(now())
			if p != want || s == 0 {
				t.Errorf("this month at the station: the post's %d changes, the station's %d; want %d and some", p, s, want)
			}
			if tc.ahead != 0 {
				if p, _ := count(now().Add(tc.ahead)); p != 0 {
					t.Errorf("the month the post's clock read: %d of its changes, want 0 (they reached the station this month)", p)
				}
			}
		})
	}
}

// A station's clock that falls back (a dead BIOS battery: 2009) stamped
// that day's arrivals years before the month they reached the station, so
// the month report of the month they belong to lost them. Arrival times
// never run back past the last arrival (syncbook.Book.NoteArrival); a clock
// that jumps ahead is followed (the station's clock is the reference), and
// once it is set right, changes whose stamps agree with it count by it
// again instead of staying years ahead.
func TestArrivalMonthsWithAStationClockOff(t *testing.T) {
	today := clocktest.Today(t)
	for _, tc := range []struct {
		name string
		// off: the station's clock for the second batch (against today).
		off time.Duration
		// wantOff: the month the second batch counts in (against today).
		wantOff time.Duration
		// setRight: a third batch after the clock is set right counts
		// this month.
		setRight bool
	}{
		{name: "falls back to 2009", off: time.Date(2009, 1, 1, 10, 0, 0, 0, time.UTC).Sub(today)},
		{name: "falls back a year", off: -366 * 24 * time.Hour},
		{name: "jumps ahead three years", off: 3 * 366 * 24 * time.Hour, wantOff: 3 * 366 * 24 * time.Hour, setRight: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			var at atomic.Int64 // the station's clock, in ns since today; ticks a ms a read
			set := func(t0 time.Time) { at.Store(int64(t0.Sub(today))) }
			stationNow := func() time.Time { return today.Add(time.Duration(at.Add(int64(time.Millisecond)))) }
			postNow := clocktest.Ticking(t, 0)
			station := newDeviceAt(t, store.RoleStation, "城关派出所", stationNow)
			post := newDeviceAt(t, store.RolePost, "东关村警务室", postNow)
			pair(t, post, station)
			count := func(t0 time.Time) int {
				first := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, t0.Location())
				next := first.AddDate(0, 1, 0)
				got, err := station.Store().PostCounts().MonthCountsByOwner(ctx, first.Format("2006-01-02"),
					next.AddDate(0, 0, -1).Format("2006-01-02"), first.UnixMilli(), next.UnixMilli())
				if err != nil {
					t.Fatal(err)
				}
				if c := got[post.Self()]; c != nil {
					return c.Changes
				}
				return 0
			}
			batch := func(tag string) {
				addHouseholds(t, post, 2, tag)
				mustCut(t, post)
				move(t, post, station, PostFolder(post.Self()))
			}
			batch("甲")
			first := count(today)
			if first == 0 {
				t.Fatal("the first batch counts in no month")
			}
			set(today.Add(tc.off))
			batch("乙")
			want, wantN := today.Add(tc.wantOff), 2*first
			if tc.wantOff != 0 {
				wantN = first
			}
			if got := count(want); got != wantN {
				t.Errorf("the month %s: %d of the post's changes, want %d", want.Format("2006-01"), got, wantN)
			}
			if tc.wantOff == 0 {
				if got := count(today.Add(tc.off)); got != 0 {
					t.Errorf("the month the fallen-back clock read (%s): %d changes, want 0", today.Add(tc.off).Format("2006-01"), got)
				}
			}
			if tc.setRight {
				if got := count(today); got != first {
					t.Errorf("this month: %d changes, want %d (the first batch only)", got, first)
				}
				set(today.Add(time.Hour))
				batch("丙")
				if got := count(today); got != 2*first {
					t.Errorf("this month after the clock was set right: %d changes, want %d (the third batch back in its month)", got, 2*first)
				}
			}
		})
	}
}
