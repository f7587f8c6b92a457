package synccmd

import (
	"testing"

	"cunjing/store/schedule"
	"cunjing/sync/station"
)

// A post with no roster has nothing planned, and says so: not 100% of it.
func TestPlanWords(t *testing.T) {
	for _, tc := range []struct {
		p    station.PatrolPlan
		want string
	}{
		{station.PatrolPlan{Count: schedule.Count{Rate: 1, AdHoc: 2}}, "nothing planned, 2 ad hoc"},
		{station.PatrolPlan{Count: schedule.Count{Planned: 4, Done: 3, Missed: 1, Rate: 0.75}}, "3 of 4 planned done (75%), 1 missed, 0 ad hoc"},
	} {
		if got := planWords(tc.p); got != tc.want {
			t.Errorf("planWords(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
