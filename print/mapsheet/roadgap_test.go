package mapsheet

import (
	"image/color"
	"math"
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
	"cunjing/maps/synth"
)

// minRoadGap is the clear space, in ems of the name, every placed name's
// box (em box and halo) keeps from every road's outer edge (the casing's
// outside).
const minRoadGap = roadGapEm

// TestSheetLabelsClearOfRoads prints each sheet (the label cases and the
// golden sheet, synth.Village(3, 60) on its own) through a recorder with
// the sheet's font metrics and measures, from what was painted, the gap
// between every name's box and every road as drawn: each lane's casing
// stroke, a round-capped band of the stroke's width along its line. A
// landmark's or free label's name keeps minRoadGap em from every road; a
// lane's name written on its own lane is measured against the others
// only.
func TestSheetLabelsClearOfRoads(t *testing.T) {
	measure, _ := sheetMeasure(t)
	cases := sheetCases(t)
	golden, err := synth.Village(3, 60)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, sheetCase{"golden", golden, Options{}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			names, bad, least, crossing := 0, 0, math.Inf(1), 0
			drawPages(t, c, measure, func(l *layout, tl tile, vp render.Viewport, rec *rendertest.Recorder, d *render.Drawing) {
				casing := casingColours(l.opt.VehicleWidth)
				type band struct {
					pts  []maps.Point
					half float64
					name string // the lane's name
				}
				var roads []band
				for _, s := range rec.Shapes {
					if s.Style.Op == "stroke" && !s.Style.Dashed && casing[s.Style.Colour] {
						roads = append(roads, band{s.Pts, s.Width / 2, laneNamed(c.v, vp, s.Pts)})
					}
				}
				if len(roads) == 0 {
					t.Fatalf("page %s: no roads recorded", tl.name)
				}
				frame := maps.Rect{Max: maps.Point{X: vp.W, Y: vp.H}}
				for i, r := range rec.Texts {
					k := d.Texts[i].Kind
					if k != render.TextLandmark && k != render.TextLabel && k != render.TextLane {
						continue
					}
					names++
					if ld := d.Texts[i].Leader; len(ld) > 1 {
						for _, rd := range roads {
							if crosses(ld, rd.pts) {
								crossing++ // avoided where it can be, not forbidden: counted
							}
						}
					}
					for _, rd := range roads {
						if k == render.TextLane && rd.name == r.S && onBand(r.Box, rd.pts, rd.half) {
							continue // on its own lane
						}
						// Only what the page shows: a road beyond the frame is cut there.
						if !bandMeets(rd.pts, rd.half+minRoadGap*r.Size, frame) {
							continue
						}
						g := render.RoadClearance(r.Box, rd.pts, rd.half) / r.Size
						least = math.Min(least, g)
						if g < minRoadGap-1e-9 {
							bad++
							t.Errorf("page %s: %q (%.2f mm) at %.1f,%.1f is %.2f em from the edge of %s (at least %.2f)", tl.name, r.S, r.Size, r.Box.Min.X, r.Box.Min.Y, g, roadName(rd.name), minRoadGap)
						}
					}
				}
			})
			if names == 0 {
				t.Fatal("no names on the sheet")
			}
			t.Logf("%d names, %d too near a road edge, the least gap %.2f em; %d leaders cross a lane", names, bad, least, crossing)
		})
	}
}

// casingColours are the colours a lane's outer edge is drawn in: the
// legend swatches' first (wider) strokes.
func casingColours(vw float64) map[color.RGBA]bool {
	out := map[color.RGBA]bool{}
	for _, it := range render.LegendFor([]string{"lane", "narrow"}, vw) {
		var rec rendertest.Recorder
		render.DrawLegendSwatch(&rec, it, maps.Point{X: 10, Y: 10}, 4)
		if len(rec.Shapes) > 0 {
			out[rec.Shapes[0].Style.Colour] = true
		}
	}
	return out
}

// laneNamed is the name of the lane drawn along pts ("" when none is).
func laneNamed(v *maps.Village, vp render.Viewport, pts []maps.Point) string {
	for _, l := range v.Lanes {
		if len(l.Points) != len(pts) {
			continue
		}
		same := true
		for i, p := range l.Points {
			if maps.Dist(vp.ToScreen(p), pts[i]) > 1e-6 {
				same = false
				break
			}
		}
		if same {
			return l.Name
		}
	}
	return ""
}

func roadName(n string) string {
	if n == "" {
		return "a lane"
	}
	return n
}

// onBand reports whether box's centre lies on the band (a name written on
// the lane).
func onBand(box maps.Rect, pts []maps.Point, half float64) bool {
	return render.RoadClearance(maps.Rect{Min: box.Center(), Max: box.Center()}, pts, half) < 0
}

// bandMeets reports whether the band of half-width half along pts
// reaches into r.
func bandMeets(pts []maps.Point, half float64, r maps.Rect) bool {
	return render.RoadClearance(r, pts, half) < 0
}

// crosses reports whether polyline a crosses polyline b.
func crosses(a, b []maps.Point) bool {
	for i := 1; i < len(a); i++ {
		for j := 1; j < len(b); j++ {
			if maps.SegmentsCross(a[i-1], a[i], b[j-1], b[j]) {
				return true
			}
		}
	}
	return false
}
