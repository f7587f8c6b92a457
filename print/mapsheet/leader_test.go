package mapsheet

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
)

// A name that found no clear place beside its symbol on a map sheet went
// as far as a clear one was: on the demo 张庄村's A4 and A3 sheets
// 6号巷水井 was set 22.3 mm from its well and 农资店 15.5 mm from its
// symbol, on the 900-house sheet 24号巷 30 mm from its lane; such a name
// reads as naming what lies at its end. Every leader on every page of the sheets
// (the demo's A4 and A3, and the larger test villages) is now at most
// maxLeaderMM (15 mm), one to a water source the route names at most
// half as long again, as on the A4 emergency card (no name was lost to
// the bound: 58, 51, 23, 170 and 286 names, as before).
func TestSheetLeadersNear(t *testing.T) {
	measure, _ := sheetMeasure(t)
	for _, c := range sheetCases(t) {
		t.Run(c.name, func(t *testing.T) {
			named := map[string]bool{} // the names of the water the route rings
			if rt := c.opt.Route; rt != nil {
				for _, m := range c.v.Landmarks {
					for _, w := range rt.Water {
						if maps.Dist(m.Point, w) < 1e-6 {
							named[m.Name] = true
						}
					}
				}
			}
			names, leaders, longest := 0, 0, 0.0
			drawPages(t, c, measure, func(_ *layout, tl tile, _ render.Viewport, _ *rendertest.Recorder, d *render.Drawing) {
				for _, tx := range d.Texts {
					if tx.Kind == render.TextNumber || tx.Kind == render.TextHolder {
						continue
					}
					names++
					if len(tx.Leader) < 2 {
						continue
					}
					leaders++
					l := render.LeaderLength(tx.Leader) // device units are mm
					longest = max(longest, l)
					bound := maxLeaderMM
					if named[tx.Text] {
						bound *= render.NamedWaterLeader
					}
					if l > bound+0.01 {
						t.Errorf("page %s: %s on a leader %.1f mm long, at most %.0f mm", tl.name, tx.Text, l, bound)
					}
				}
			})
			t.Logf("%d names, %d on leaders, the longest %.1f mm", names, leaders, longest)
		})
	}
}
