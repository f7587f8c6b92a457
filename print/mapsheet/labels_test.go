package mapsheet

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
	"cunjing/maps/route"
	"cunjing/maps/synth"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

// sheetCase is a sheet the label and legend tests print: the demo post's
// villages (store/demodata draws 张庄村 as synth.Village(1, 320) and 李家屯 as
// synth.Village(2, 64)) with fire routes, on tiled A4 and on one A3, and
// larger synthetic villages.
type sheetCase struct {
	name string
	v    *maps.Village
	opt  Options
}

func sheetCases(t *testing.T) []sheetCase {
	t.Helper()
	synth := func(seed int64, n int, name string) *maps.Village {
		v, err := synth.Village(seed, n)
		if err != nil {
			t.Fatal(err)
		}
		if name != "" {
			v.Name = name
		}
		return v
	}
	route := func(v *maps.Village, to string) Options {
		res, err := route.Find(v, route.Options{To: to})
		if err != nil {
			t.Fatal(err)
		}
		return Options{Route: render.OverlayOf(res), Highlight: []string{res.HouseID}}
	}
	zhang := synth(1, 320, "张庄村")
	a4 := route(zhang, "303")
	a4.Paper = PaperA4
	a3 := route(zhang, "210")
	big := synth(7, 900, "")
	bigRoute := route(big, big.Houses[100].Number)
	return []sheetCase{
		{"zhang-a4-303", zhang, a4},
		{"zhang-a3-210", zhang, a3},
		{"li", synth(2, 64, "李家屯"), Options{}},
		{"synth-900", big, bigRoute},
		{"synth-2500-a3", synth(8, 2500, ""), Options{Paper: PaperA3}},
	}
}

// sheetMeasure measures a text as the sheet sets it, sizes in mm, with
// the test font's own metrics (m).
func sheetMeasure(t *testing.T) (measure func(s string, size float64) float64, m *typeset.Metrics) {
	t.Helper()
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	return func(s string, size float64) float64 { return m.Width(s, size*ptPerMM) }, m
}

// drawPages plans c's sheet (the default vehicle width where c gives
// none, as the printed sheet takes it) and draws each of its map pages
// through a recorder measuring texts with measure (nil: none), handing
// page the plan, the page's tile and viewport, the recorder and what was
// drawn.
func drawPages(t *testing.T, c sheetCase, measure func(string, float64) float64,
	page func(l *layout, tl tile, vp render.Viewport, rec *rendertest.Recorder, d *render.Drawing)) {
	t.Helper()
	l, err := plan(c.v, c.opt)
	if err != nil {
		t.Fatal(err)
	}
	if l.opt.VehicleWidth <= 0 {
		l.opt.VehicleWidth = route.DefaultVehicleWidth
	}
	for _, tl := range l.tiles {
		vp, st := l.view(tl)
		rec := &rendertest.Recorder{W: vp.W, H: vp.H, Measure: measure}
		d, err := render.DrawReport(rec, l.ix, vp, st)
		if err != nil {
			t.Fatal(err)
		}
		page(l, tl, vp, rec, d)
	}
}

// TestSheetLabelsClear prints each sheet's pages through a recorder with
// the sheet's own font metrics: no name covers a house number, a
// householder or another name, texts stay inside the frame, and
// every text's real ink lies inside the box the check used. Nothing the
// frame would cut is written (pdftotext would give back text nobody can
// see).
func TestSheetLabelsClear(t *testing.T) {
	measure, m := sheetMeasure(t)
	for _, c := range sheetCases(t) {
		t.Run(c.name, func(t *testing.T) {
			names := 0
			drawPages(t, c, measure, func(l *layout, tl tile, vp render.Viewport, rec *rendertest.Recorder, d *render.Drawing) {
				where := "page " + tl.name
				frame := maps.Rect{Max: maps.Point{X: vp.W, Y: vp.H}}
				for i, r := range rec.Texts {
					// The ink of the font, from its baseline (Text puts it
					// 0.36 em below the centre; turned text the same way
					// across), lies inside the box.
					up, down := m.Ink(r.S, r.Size*ptPerMM)
					mid := r.Box.Min.Y + r.Box.H()/2
					if r.Turned {
						mid = r.Box.Min.X + r.Box.W()/2
					}
					half := r.Box.H() / 2
					if r.Turned {
						half = r.Box.W() / 2
					}
					if base := 0.36 * r.Size; up-base > half+1e-9 || base+down > half+1e-9 {
						t.Errorf("%s: the ink of %q reaches %.2f above and %.2f below its middle %.2f, box half %.2f", where, r.S, up-base, base+down, mid, half)
					}
					if !within(r.Box, frame) {
						t.Errorf("%s: %q at %v leaves the frame", where, r.S, r.Box)
					}
					k := d.Texts[i].Kind
					if k == render.TextNumber || k == render.TextHolder {
						continue
					}
					names++
					for j, o := range rec.Texts {
						if j != i && rendertest.Overlap(r.Box, o.Box) {
							t.Errorf("%s: %q at %v covers %q at %v", where, r.S, r.Box, o.S, o.Box)
						}
					}
				}
			})
			if names == 0 {
				t.Error("no names on the sheet")
			}
		})
	}
}

// writeSheet plans and writes c's sheet (dated, without the house index)
// and keeps it under name in -keep's folder, if given.
func writeSheet(t *testing.T, c sheetCase, name string) (*layout, []byte) {
	t.Helper()
	opt := c.opt
	opt.Date, opt.NoIndex = day, true
	l, err := plan(c.v, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := l.write(context.Background(), &buf, printtest.Font(t)); err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return l, buf.Bytes()
}

func within(r, outer maps.Rect) bool {
	return r.Min.X >= outer.Min.X && r.Min.Y >= outer.Min.Y && r.Max.X <= outer.Max.X && r.Max.Y <= outer.Max.Y
}

// TestSheetLegendAndNames writes each sheet and reads it back: every page's
// legend is the legend of what that page draws (a route's entries on the
// page with the route only, a clinic's where the clinic is), its labels
// are on the page, and so is every name the page shows — landmarks,
// lanes, free labels — as text pdftotext gives back.
func TestSheetLegendAndNames(t *testing.T) {
	for _, c := range sheetCases(t) {
		t.Run(c.name, func(t *testing.T) {
			l, pdf := writeSheet(t, c, "labels-"+c.name+".pdf")
			pages := strings.Split(pdftotext(t, pdf), "\f")
			first := 0
			if len(l.tiles) > 1 {
				first = 1 // the page index
			}
			if len(l.legends) != len(l.tiles)+first {
				t.Fatalf("%d legends for %d tiles", len(l.legends), len(l.tiles))
			}
			routeSeen := false
			for i, tl := range l.tiles {
				vp, st := l.view(tl)
				d, err := render.DrawReport(&rendertest.Recorder{W: vp.W, H: vp.H}, l.ix, vp, st)
				if err != nil {
					t.Fatal(err)
				}
				got := l.legends[first+i]
				if fmt.Sprint(got) != fmt.Sprint(d.Keys) {
					t.Errorf("page %s: legend %v, the page draws %v", tl.name, got, d.Keys)
				}
				routeSeen = routeSeen || d.Has("drive")
				text := pages[first+i]
				for _, it := range render.LegendFor(got, l.opt.VehicleWidth) {
					if !strings.Contains(text, it.Label) {
						t.Errorf("page %s: legend entry %q not in the text", tl.name, it.Label)
					}
				}
				// One word per concept on paper and in the window's
				// legend: 出租屋 (the police registration's word, 住户's)
				// and 党员 (the stored category, the resident sheet's),
				// where the sheet said 出租房 and 党员户.
				for _, other := range []string{"出租房", "党员户"} {
					if strings.Contains(text, other) {
						t.Errorf("page %s says %s", tl.name, other)
					}
				}
				for _, n := range due(c.v, vp) {
					if !strings.Contains(text, n) {
						t.Errorf("page %s: %q is not in the text", tl.name, n)
					}
				}
			}
			if c.opt.Route != nil && !routeSeen {
				t.Error("no page draws the route")
			}
		})
	}
}

// due is the names a page showing vp must carry.
func due(v *maps.Village, vp render.Viewport) []string {
	view := vp.World()
	var out []string
	for _, m := range v.Landmarks {
		if view.Contains(m.Point) {
			n := m.Name
			if n == "" {
				n = m.Kind.Label()
			}
			out = append(out, n)
		}
	}
	for _, l := range v.Lanes {
		if l.Name == "" {
			continue
		}
		for _, p := range l.Points {
			if view.Contains(p) {
				out = append(out, l.Name)
				break
			}
		}
	}
	for _, lb := range v.Labels {
		if view.Contains(lb.Point) {
			out = append(out, lb.Text)
		}
	}
	return out
}
