package mapcanvas

import (
	"image"
	"image/color"
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
)

// The overlay is painted in pixels at its world positions: a dot where
// its point is, a shape's outline along its edges and nothing inside an
// unfilled one; an empty overlay paints nothing.
func TestOverlayPaint(t *testing.T) {
	vp := render.Viewport{Center: maps.Point{X: 0, Y: 0}, Scale: 2, W: 200, H: 200} // 2 px a metre
	red := color.RGBA{R: 0xff, A: 0xff}
	blue := color.RGBA{B: 0xff, A: 0xff}
	tests := []struct {
		name  string
		o     *Overlay
		at    image.Point
		want  color.RGBA
		blank image.Point // a pixel left as it was
	}{
		{"dot", &Overlay{Dots: []Dot{{At: maps.Point{X: 10, Y: 10}, R: 4, Fill: red}}}, image.Pt(120, 80), red, image.Pt(100, 100)},
		{"outline", &Overlay{Shapes: []Shape{{Pts: []maps.Point{{X: -20, Y: -20}, {X: 20, Y: -20}, {X: 20, Y: 20}, {X: -20, Y: 20}},
			Closed: true, Line: blue, Width: 3}}}, image.Pt(140, 100), blue, image.Pt(100, 100)},
		{"empty", &Overlay{}, image.Pt(0, 0), color.RGBA{}, image.Pt(100, 100)},
	}
	for _, tt := range tests {
		img := image.NewRGBA(image.Rect(0, 0, 200, 200))
		if tt.o.Empty() != (tt.name == "empty") {
			t.Errorf("%s: Empty() = %v", tt.name, tt.o.Empty())
		}
		tt.o.paint(img, vp)
		if got := img.RGBAAt(tt.at.X, tt.at.Y); got != tt.want {
			t.Errorf("%s: pixel %v is %v, want %v", tt.name, tt.at, got, tt.want)
		}
		if got := img.RGBAAt(tt.blank.X, tt.blank.Y); got != (color.RGBA{}) {
			t.Errorf("%s: pixel %v painted %v", tt.name, tt.blank, got)
		}
	}
}
