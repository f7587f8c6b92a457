package station

import (
	stationwords "cunjing/app/lang/translations/station"
	"os"
	"regexp"
	"testing"
	"time"

	"cunjing/store/schedule/tally"
	syncstation "cunjing/sync/station"
)

// Every key the words use is in zh.json (a missing one would print as
// its key on the command line).
func TestStationWordsKnown(t *testing.T) {
	src, err := os.ReadFile("../../lang/translations/station/words.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`l\("([a-z.A-Z]+)"\)`).FindAllStringSubmatch(string(src), -1)
	if len(keys) < 10 {
		t.Fatalf("found %d keys in words.go", len(keys))
	}
	for _, k := range keys {
		if stationwords.Zh(k[1]) == k[1] {
			t.Errorf("%s is not in zh.json", k[1])
		}
	}
}

func TestFreshAndPatrols(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{-1, "还没有数据"},
		{20 * time.Second, "刚刚"},
		{50 * time.Minute, "50 分钟前"},
		{47 * time.Hour, "47 小时前"},
		{80 * time.Hour, "3 天前"},
	} {
		if got := stationwords.Fresh(stationwords.Zh, c.d); got != c.want {
			t.Errorf("Fresh(%v) = %q, want %q", c.d, got, c.want)
		}
	}
	plan := func(done, planned, adHoc int, problems ...string) syncstation.PatrolPlan {
		p := syncstation.PatrolPlan{Problems: problems}
		p.Done, p.Planned, p.AdHoc = done, planned, adHoc
		if planned > 0 {
			p.Rate = float64(done) / float64(planned)
		}
		return p
	}
	for _, c := range []struct {
		p           syncstation.PatrolPlan
		long, short string
	}{
		{plan(2, 3, 1), "巡逻：完成 2 / 计划 3（67%），另有临时巡逻 1 次", "巡逻 2/3（67%）"},
		{plan(0, 0, 2), "巡逻：没有排班的巡逻，临时巡逻 2 次", "巡逻：没有排班"},
		{plan(0, 0, 0, tally.RosterProblem+"x"), "巡逻：排班有问题，算不出计划的巡逻", "巡逻：排班有问题"},
		{plan(0, 0, 1, tally.RosterProblem+"x"), "巡逻：排班有问题，算不出计划的巡逻，临时巡逻 1 次", "巡逻：排班有问题"},
		{plan(5, 10, 0), "巡逻：完成 5 / 计划 10（50%）", "巡逻 5/10（50%）"},
		{plan(0, 0, 0), "巡逻：没有排班的巡逻", "巡逻：没有排班"},
	} {
		if got := stationwords.Patrols(stationwords.Zh, c.p); got != c.long {
			t.Errorf("Patrols = %q, want %q", got, c.long)
		}
		if got := stationwords.PatrolsShort(stationwords.Zh, c.p); got != c.short {
			t.Errorf("PatrolsShort = %q, want %q", got, c.short)
		}
	}
}
