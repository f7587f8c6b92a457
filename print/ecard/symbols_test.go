package ecard

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
	"cunjing/maps/route"
	"cunjing/maps/synth"
)

// Where no place near its lane was free, a lane's name was set where it
// belongs, whatever lay there: on the A4 card for 234号 西后巷 went under
// the number's red tag (drawn over the map afterwards). On every house's
// card of the demo 张庄村, A4 and phone alike, no name now lies over a
// symbol (a landmark's, a house's category square, the route's stop, the
// tag): a lane the route does not use is left unnamed where nothing is
// free, and every lane the route drives or lays its hose along is named
// where the map shows it.
func TestCardNamesOffSymbols(t *testing.T) {
	v, err := synth.Village(1, 320)
	if err != nil {
		t.Fatal(err)
	}
	for _, sz := range []struct {
		name string
		w, h int
	}{{"A4", mapPx, mapPx * int(mapBoxH) / int(contentW)}, {"phone", PNGWidth, mapH}} {
		names, over, unnamed := 0, 0, 0
		eachDemoCard(t, sz.w, sz.h, func(hs maps.House, rt *route.Result, vp render.Viewport, st *render.Style, d *render.Drawing) {
			lanes := map[string]bool{}
			for _, tx := range d.Texts {
				if tx.Kind == render.TextNumber || tx.Kind == render.TextHolder {
					continue
				}
				names++
				if tx.Kind == render.TextLane {
					lanes[tx.Text] = true
				}
				for _, m := range d.Marks {
					if rendertest.Overlap(tx.Box, m) {
						over++
						t.Errorf("%s card for %s号: %q lies over a symbol at %v", sz.name, hs.Number, tx.Text, m)
						break
					}
				}
			}
			view := vp.World()
			for _, name := range st.Route.Lanes {
				if lanes[name] || !laneShown(v, name, view) {
					continue
				}
				unnamed++
				t.Errorf("%s card for %s号: the route's lane %s is not named", sz.name, hs.Number, name)
			}
		})
		t.Logf("%s cards: %d names, %d over a symbol, %d route lanes unnamed", sz.name, names, over, unnamed)
	}
}

// laneShown reports whether a lane named name runs through view.
func laneShown(v *maps.Village, name string, view maps.Rect) bool {
	for _, l := range v.Lanes {
		if l.Name != name {
			continue
		}
		for i := 1; i < len(l.Points); i++ {
			if view.MeetsSegment(l.Points[i-1], l.Points[i]) {
				return true
			}
		}
	}
	return false
}
