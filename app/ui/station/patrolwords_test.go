package station

import (
	"strings"
	"testing"

	"cunjing/app/ui/uitest"
	"cunjing/store/schedule/tally"
	syncstation "cunjing/sync/station"
)

// A post with nothing planned is said to have a broken roster only when
// its roster is what could not be used: a patrol whose times do not read
// (counted as a whole day) is a problem of the patrol log, and a post with
// no roster and such a patrol was said to have a roster problem.
func TestPatrolWordsBlameTheRosterOnlyForItsOwnProblem(t *testing.T) {
	uitest.Headless(t)
	for _, c := range []struct {
		name     string
		problems []string
		want     string
	}{
		{"no roster", nil, "没有排班的巡逻，临时巡逻 1 次"},
		{"no roster, a patrol's times unread", []string{`patrol p1 on 2026-12-01: times "7点"-"" do not read as HH:MM`}, "没有排班的巡逻，临时巡逻 1 次"},
		{"a roster that does not expand", []string{`roster: rule "r1" (坏规则): rotation needs 5 people per turn but lists only 1`}, "排班有问题，算不出计划的巡逻，临时巡逻 1 次"},
		{"a roster record that does not convert, and a patrol", []string{"roster: member 甲: leave: bad", `patrol p1 on 2026-12-01: times "x"-"" do not read as HH:MM`}, "排班有问题，算不出计划的巡逻，临时巡逻 1 次"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := syncstation.PatrolPlan{Count: tally.Count{AdHoc: 1, Rate: 1}, Problems: c.problems}
			if got := patrolWords(p); !strings.Contains(got, c.want) {
				t.Errorf("%q, want %q", got, c.want)
			}
		})
	}
}
