package render_test

import (
	"slices"
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
)

// Household categories are drawn on a house small on the page too: a
// 5 m × 4 m house is 2.5 mm wide on an A4 sheet at 1:2000, and its
// squares are painted in the categories' colours, named in the page's
// legend keys, and the house number (where it fits) keeps clear of them.
func TestCategoriesOnSmallHouses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scale  float64 // device units per metre
		st     *render.Style
		number bool // the number fits at this size
	}{
		{"paper 1:2000", 0.5, sheetStyle(nil), false},
		{"paper 1:1000", 1, sheetStyle(nil), true},
		{"paper 1:500", 2, sheetStyle(nil), true},
		{"screen", 6, &render.Style{PlaceLabels: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cats := []maps.Category{maps.CatKey, maps.CatElderly}
			v := &maps.Village{Houses: []maps.House{{ID: "h1", Number: "203", Categories: cats,
				Polygon: maps.Polygon{{X: 0, Y: 0}, {X: 5, Y: 0}, {X: 5, Y: 4}, {X: 0, Y: 4}}}}}
			vp := render.Viewport{Center: maps.Point{X: 2.5, Y: 2}, Scale: tc.scale, W: 100, H: 100}
			rec := &rendertest.Recorder{W: vp.W, H: vp.H}
			d, err := render.DrawReport(rec, maps.BuildIndex(v), vp, tc.st)
			if err != nil {
				t.Fatal(err)
			}
			var squares []maps.Rect
			for _, s := range rec.Shapes {
				for _, c := range cats {
					if s.Style.Op == "fill" && s.Style.Colour == render.CategoryColour(c) {
						squares = append(squares, maps.BoundsOf(s.Pts))
					}
				}
			}
			if len(squares) != len(cats) {
				t.Fatalf("%d category squares painted, want %d", len(squares), len(cats))
			}
			for _, c := range cats {
				if !slices.Contains(d.Keys, "category:"+string(c)) {
					t.Errorf("legend keys %q lack %s", d.Keys, c)
				}
			}
			var number *rendertest.Text
			for i := range rec.Texts {
				if rec.Texts[i].S == "203" {
					number = &rec.Texts[i]
				}
			}
			if (number != nil) != tc.number {
				t.Fatalf("number drawn: %v", number != nil)
			}
			if number != nil {
				for _, sq := range squares {
					if rendertest.Overlap(number.Box, sq) {
						t.Errorf("the number %v covers a category square %v", number.Box, sq)
					}
				}
			}
		})
	}
}
