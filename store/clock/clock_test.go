package clock_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/schedule"
)

// childEnv marks the test binary run again by TestBeijingDaysWhateverTheMachineZone.
const childEnv = "CUNJING_ZONE_CHILD"

// TestBeijingDaysWhateverTheMachineZone runs TestZoneChild in a process
// whose machine zone (TZ) is UTC, New York, Tokyo or Beijing: the days it
// reckons must be Beijing's in every one (a station's server in UTC lagged
// 8 hours between 00:00 and 08:00 Beijing time). time.Local is never
// changed in this process: each zone is a process of its own.
func TestBeijingDaysWhateverTheMachineZone(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("the child runs TestZoneChild only")
	}
	for _, tz := range []string{"UTC", "America/New_York", "Asia/Tokyo", "Asia/Shanghai"} {
		t.Run(tz, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestZoneChild$", "-test.v")
			var env []string
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "TZ=") && !strings.HasPrefix(kv, clocktest.Env+"=") && !strings.HasPrefix(kv, clocktest.LogEnv+"=") {
					env = append(env, kv)
				}
			}
			cmd.Env = append(env, "TZ="+tz, childEnv+"=1", clocktest.Env+"=2026-12-05")
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "--- PASS: TestZoneChild") {
				t.Fatalf("TZ=%s: %v\n%s", tz, err, out)
			}
		})
	}
}

// TestZoneChild is the child's half: it runs only with childEnv set.
func TestZoneChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestBeijingDaysWhateverTheMachineZone")
	}
	if _, off := clock.System().Zone(); off != 8*3600 {
		t.Errorf("TZ=%s: clock.System() is at UTC%+d, want Beijing time (UTC+8)", os.Getenv("TZ"), off/3600)
	}
	// The tests' today (CUNJING_TEST_TODAY=2026-12-05) is 10:00 in Beijing.
	if got, want := clocktest.Today(t), time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("TZ=%s: clocktest.Today = %v, want %v (10:00 Beijing)", os.Getenv("TZ"), got.UTC(), want)
	}
	for _, c := range []struct {
		instant time.Time // in UTC; read in the machine's zone below
		day     string
	}{
		{time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC), "2026-12-06"}, // 07:30 Beijing
		{time.Date(2026, 12, 5, 15, 59, 0, 0, time.UTC), "2026-12-05"}, // 23:59 Beijing
		{time.Date(2026, 12, 5, 16, 0, 0, 0, time.UTC), "2026-12-06"},  // midnight Beijing
		{time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), "2026-12-01"}, // a month begins at 01:00 Beijing
	} {
		if got := schedule.FromTime(c.instant.In(time.Local)).String(); got != c.day {
			t.Errorf("TZ=%s: the day of %v is %s, want %s", os.Getenv("TZ"), c.instant, got, c.day)
		}
		if got := clock.In(c.instant.In(time.Local)).Format("2006-01-02"); got != c.day {
			t.Errorf("TZ=%s: clock.In(%v) formats as %s, want %s", os.Getenv("TZ"), c.instant, got, c.day)
		}
	}
	at, err := clock.Parse("2006-01-02 15:04", "2026-12-06 07:30")
	if err != nil || !at.Equal(time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC)) {
		t.Errorf("TZ=%s: clock.Parse 2026-12-06 07:30 = %v, %v; want 2026-12-05 23:30 UTC", os.Getenv("TZ"), at.UTC(), err)
	}
}

// TestDayOfAnInstant: the calendar day of an instant is Beijing's in any
// location the instant is given in.
func TestDayOfAnInstant(t *testing.T) {
	t.Parallel()
	locs := []*time.Location{time.UTC, time.FixedZone("EST", -5*3600), time.FixedZone("JST", 9*3600), time.FixedZone("HST", -10*3600), clock.Zone}
	for _, c := range []struct {
		instant time.Time
		day     string
	}{
		{time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC), "2026-12-06"},
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), "2027-01-01"},
		{time.Date(2028, 2, 28, 20, 0, 0, 0, time.UTC), "2028-02-29"},
		{time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC), "2026-12-05"},
	} {
		for _, loc := range locs {
			if got := schedule.FromTime(c.instant.In(loc)).String(); got != c.day {
				t.Errorf("FromTime(%v) = %s, want %s", c.instant.In(loc), got, c.day)
			}
		}
	}
}
