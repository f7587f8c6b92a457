package roster

import (
	"testing"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// The mouse wheel over the patrol form's fields scrolls the form at
// 1366×768 (issue #19: it stopped while the pointer was over a field).
func TestWheelOverPatrolFormScrolls(t *testing.T) {
	made := clocktest.Today(t).AddDate(0, 0, -7)
	s := uitest.FixtureAt(t, made, 0)
	u, p := openPatrol(t, s, made.Format("2006-01-02"))
	p.tabs.SelectIndex(5) // 巡逻记录
	p.log.edit(store.Patrol{Date: made.AddDate(0, 0, -2).Format("2006-01-02")})
	e := p.log.ed
	for range 10 { // a patrol with many findings: the form is taller than the window
		e.addFinding(Finding{})
	}
	u.Wait()
	if !uitest.WheelScrollsForm(t, u.Window().Canvas(), p.Object(), e.route) {
		t.Error("the wheel over the route field does not scroll the patrol form")
	}
	if !uitest.WheelScrollsForm(t, u.Window().Canvas(), p.Object(), e.start) {
		t.Error("the wheel over the start field does not scroll the patrol form")
	}
}
