package ecard

import (
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
)

// denseBlock is a block of n×n houses of 6 m at a 7 m pitch, numbered
// 1… row by row from its north-west corner, with a lane along its south
// side: every place around a house is another house with its number.
func denseBlock(n int) *maps.Village {
	v := &maps.Village{Name: "密村"}
	k := 0
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			k++
			x, y := float64(c)*7, float64(r)*7
			v.Houses = append(v.Houses, maps.House{ID: "h" + strconv.Itoa(k), Number: strconv.Itoa(k),
				Polygon: maps.Polygon{{X: x, Y: y}, {X: x + 6, Y: y}, {X: x + 6, Y: y + 6}, {X: x, Y: y + 6}}})
		}
	}
	v.Lanes = []maps.Lane{{ID: "l1", Name: "南街", Width: 4, Points: []maps.Point{{X: -10, Y: float64(n)*7 + 3}, {X: float64(n)*7 + 10, Y: float64(n)*7 + 3}}}}
	return v
}

// In a dense block every place tried for the number's tag, around the
// house and up to two tag heights out, hid a neighbour's number (the red
// 1号 over 2号 or 13号). The tag now goes to the nearest place that hides
// none, with a red leader line back to the house when it is not beside
// it; no house number is hidden, at every size the card is drawn.
func TestTagInDenseBlockHidesNoNumber(t *testing.T) {
	v := denseBlock(12)
	td, err := fontDrawer(testFont(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, num := range []string{"1", "2", "67", "144"} {
		var hs maps.House
		for _, h := range v.Houses {
			if h.Number == num {
				hs = h
			}
		}
		at := hs.Polygon.Centroid()
		c := &Card{House: House{ID: hs.ID, Number: hs.Number, X: at.X, Y: at.Y}, Village: v.Name, At: cardDay}
		for _, size := range [][2]int{{PNGWidth, mapH}, {PNGWidth, 620}, {1120, 840}, {800, 800}} {
			vp, st, tg := mapView(c, v, td, size[0], size[1])
			d, err := render.DrawReport(&rendertest.Recorder{W: vp.W, H: vp.H}, maps.BuildIndex(v), vp, st)
			if err != nil {
				t.Fatal(err)
			}
			box := maps.Rect{Min: maps.Point{X: float64(tg.box.Min.X), Y: float64(tg.box.Min.Y)}, Max: maps.Point{X: float64(tg.box.Max.X), Y: float64(tg.box.Max.Y)}}
			hidden := 0
			for _, a := range d.Texts {
				if a.Kind == render.TextNumber && rendertest.Overlap(a.Box, box) {
					hidden++
					t.Logf("%s号 %v: its tag %v hides the number %q", num, size, tg.box, a.Text)
				}
			}
			if hidden != 0 {
				t.Errorf("%s号 %v: the tag hides %d house numbers, want 0", num, size, hidden)
			}
			if tg.box.Min.X < 0 || tg.box.Min.Y < 0 || tg.box.Max.X > size[0] || tg.box.Max.Y > size[1] {
				t.Errorf("%s号 %v: the tag %v is cut by the map's edge", num, size, tg.box)
			}
			if tg.px < float64(size[0])/22*0.6 {
				t.Errorf("%s号 %v: the tag's text is %.0f px, under 0.6 of its %.0f", num, size, tg.px, float64(size[0])/22)
			}
		}
		if dir := os.Getenv("ECARD_PNG_DIR"); dir != "" {
			img, err := MapImage(c, v, testFont(t), PNGWidth, mapH)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Create(filepath.Join(dir, "dense-"+num+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
}
