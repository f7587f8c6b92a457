package mapsheet

import (
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
)

// Real data may put two venues, or a venue and a house, on one spot (a
// shop and its parcel point recorded at the same door, a clinic typed in
// at the committee's point). On paper the symbol drawn last hid the
// others, and their names stood round one symbol. A symbol whose spot is
// taken is now drawn beside it, a thin line back to its point (render's
// spreadMarks): every symbol whole, no two texts of the sheet overlapping,
// no name over a symbol, and pdftotext gives every name back.
func TestCoincidentMarksStayReadable(t *testing.T) {
	measure, _ := sheetMeasure(t)
	base := maptest.FixtureVillage()
	house := base.Houses[0].Polygon.Centroid()
	for _, tc := range []struct {
		name  string
		marks []maps.Landmark
	}{
		{"two venues on one spot", []maps.Landmark{
			{ID: "X-1", Kind: maps.KindShop, Name: "王家小卖部", Point: maps.Point{X: 120, Y: 90}},
			{ID: "X-2", Kind: maps.KindParcel, Name: "快递代收点", Point: maps.Point{X: 120, Y: 90}},
		}},
		{"three venues on one spot", []maps.Landmark{
			{ID: "X-1", Kind: maps.KindShop, Name: "王家小卖部", Point: maps.Point{X: 120, Y: 90}},
			{ID: "X-2", Kind: maps.KindParcel, Name: "快递代收点", Point: maps.Point{X: 120, Y: 90}},
			{ID: "X-3", Kind: maps.KindClinic, Name: "李家诊所", Point: maps.Point{X: 120, Y: 90}},
		}},
		{"two venues 30 cm apart", []maps.Landmark{
			{ID: "X-1", Kind: maps.KindCommittee, Name: "村委会", Point: maps.Point{X: 120, Y: 90}},
			{ID: "X-2", Kind: maps.KindClinic, Name: "卫生室", Point: maps.Point{X: 120.3, Y: 90.1}},
		}},
		{"a venue on a house's number", []maps.Landmark{
			{ID: "X-1", Kind: maps.KindShop, Name: "王家小卖部", Point: house},
		}},
		{"two venues on a house's number", []maps.Landmark{
			{ID: "X-1", Kind: maps.KindShop, Name: "王家小卖部", Point: house},
			{ID: "X-2", Kind: maps.KindParcel, Name: "快递代收点", Point: house},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := *base
			v.Landmarks = append(append([]maps.Landmark(nil), base.Landmarks...), tc.marks...)
			c := sheetCase{name: tc.name, v: &v, opt: Options{Paper: PaperA4}}
			drawPages(t, c, measure, func(l *layout, tl tile, vp render.Viewport, rec *rendertest.Recorder, d *render.Drawing) {
				// Each symbol whole: none drawn over another (the last
				// drawn hid the others, red before).
				for i, a := range d.Marks {
					for _, b := range d.Marks[i+1:] {
						if rendertest.Overlap(a, b) {
							t.Errorf("a symbol at %v lies over one at %v", a, b)
						}
					}
				}
				for i, a := range rec.Texts {
					for _, b := range rec.Texts[i+1:] {
						if rendertest.Overlap(a.Box, b.Box) {
							t.Errorf("%q at %v covers %q at %v", a.S, a.Box, b.S, b.Box)
						}
					}
					if d.Texts[i].Kind == render.TextNumber || d.Texts[i].Kind == render.TextHolder {
						continue
					}
					for _, m := range d.Marks {
						if rendertest.Overlap(a.Box, m) {
							t.Errorf("%q at %v lies over a symbol at %v", a.S, a.Box, m)
						}
					}
				}
			})
			_, pdf := writeSheet(t, c, "coincident-"+strings.ReplaceAll(tc.name, " ", "-")+".pdf")
			text := pdftotext(t, pdf)
			for _, m := range tc.marks {
				if !strings.Contains(text, m.Name) {
					t.Errorf("%s is not in the sheet's text", m.Name)
				}
			}
		})
	}
}
