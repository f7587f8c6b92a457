package monthreport

import (
	"testing"

	"cunjing/store/postcounts"
	"cunjing/store/schedule"
)

// A month in which nothing was due printed 完成率 100%, 逢集覆盖 100% and
// 护学岗 100% under 本月没有数据：各项均为 0: a rate of nothing is no rate.
// The summary prints — where nothing was planned, and the rate otherwise.
func TestSummaryRateOfNothingIsADash(t *testing.T) {
	none := schedule.Figures{Count: schedule.Count{Rate: 1}, ByKind: map[string]schedule.KindFigures{
		schedule.KindMarket: {Rate: 1}, schedule.KindSchoolGate: {Rate: 1}}}
	some := schedule.Figures{Count: schedule.Count{Planned: 57, Done: 45, Rate: 45.0 / 57}, ByKind: map[string]schedule.KindFigures{
		schedule.KindMarket: {Planned: 9, Done: 6, Rate: 6.0 / 9}, schedule.KindSchoolGate: {Rate: 1}}}
	post := func(name string, f schedule.Figures) Post {
		return Post{Name: name, Stats: postcounts.NewStats(""), Month: postcounts.NewMonthCounts(), Patrols: f}
	}
	r := Report{Month: "2026-01", Posts: []Post{post("东关村警务室", none), post("张庄村警务室", some)}, Total: post("合计", some)}
	tb := Summary(r)
	head := tb.Rows[0]
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %q", name, head)
		return -1
	}
	rate, market, gate := col("完成率"), col("逢集覆盖"), col("护学岗")
	for _, c := range []struct {
		row                int
		rate, market, gate string
	}{{1, "—", "—", "—"}, {2, "79%", "67%", "—"}, {3, "79%", "67%", "—"}} {
		row := tb.Rows[c.row]
		if row[rate] != c.rate || row[market] != c.market || row[gate] != c.gate {
			t.Errorf("%s: 完成率 %q 逢集覆盖 %q 护学岗 %q, want %q %q %q", row[0], row[rate], row[market], row[gate], c.rate, c.market, c.gate)
		}
	}
}
