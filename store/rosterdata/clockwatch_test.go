package rosterdata_test

import (
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// TestAMeasurementRebasedOnTheClockAsSetNow: the station measured this
// PC's clock 5 days slow; the officer then put it forward only 2 days
// while the window ran. The measurement, applied on top of the new
// setting, said today was 2 days on (the PC's date plus 5); re-based on
// the setting the watch noticed (its monotonic clock went on 1 minute
// while the wall clock jumped 2 days), the clock is 3 days slow and today
// is today. One taken after the setting stays; one that may have been
// taken before or after a setting back is dropped (the officer's word
// stands). Red before: no re-basing, today 2 days on.
func TestAMeasurementRebasedOnTheClockAsSetNow(t *testing.T) {
	right := clocktest.Today(t)
	slow := right.AddDate(0, 0, -5)
	station := rosterdata.PeerClock{Name: "城关派出所", Role: store.RoleStation, Offset: right.Sub(slow), At: slow}
	for _, tc := range []struct {
		name     string
		measured rosterdata.PeerClock
		set      time.Duration // the wall clock's jump between two looks a minute apart
		lookAt   time.Time     // the PC's time at the first look, by the old setting
		today    schedule.Date // the station's date at the second look (0: none measured)
	}{
		{"put forward 2 of 5 days after the measurement", station, 48 * time.Hour, slow.Add(time.Hour), schedule.FromTime(right.Add(time.Hour + time.Minute))},
		{"put right after the measurement", station, 5 * 24 * time.Hour, slow.Add(time.Hour), 0},
		{"measured after the setting", rosterdata.PeerClock{Name: "城关派出所", Role: store.RoleStation, Offset: 3 * 24 * time.Hour, At: slow.Add(49 * time.Hour)},
			48 * time.Hour, slow.Add(-time.Hour), schedule.FromTime(right.Add(-time.Hour + time.Minute))},
		{"set back 2 days around the measurement: cannot be placed", station, -48 * time.Hour, slow.Add(time.Hour), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := rosterdata.NewClockWatchSince(func(a, b time.Time) time.Duration { return time.Minute })
			w.Look(tc.lookAt)
			now := tc.lookAt.Add(time.Minute + tc.set)
			peers := rosterdata.Rebase([]rosterdata.PeerClock{tc.measured}, w.Look(now))
			se := rosterdata.TodayState{Peers: peers}.Measured(now)
			switch {
			case tc.today == 0 && se != nil:
				t.Errorf("measured %+v: today %s, want no measurement standing", peers, schedule.FromTime(se.Today()))
			case tc.today != 0 && se == nil:
				t.Errorf("measured %+v: none standing, want today %s", peers, tc.today)
			case tc.today != 0 && schedule.FromTime(se.Today()) != tc.today:
				t.Errorf("measured %+v: today %s, want %s", peers, schedule.FromTime(se.Today()), tc.today)
			}
		})
	}
}
