package mapscan

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/maps/trace"
)

// A tap lands on the original photo's pixel under it, wherever the
// picture is letterboxed in the picker, and round-trips back.
func TestCornerPickerMapsTaps(t *testing.T) {
	cases := []struct {
		name         string
		size         fyne.Size
		origW, origH int
		tap          fyne.Position
		want         trace.Pt
		ok           bool
	}{
		{"wide box, centred picture", fyne.NewSize(800, 400), 2000, 1000, fyne.NewPos(400, 200), trace.Pt{1000, 500}, true},
		{"tall photo in a wide box", fyne.NewSize(800, 400), 3000, 4000, fyne.NewPos(250, 0), trace.Pt{0, 0}, true},
		{"left of a letterboxed photo", fyne.NewSize(800, 400), 3000, 4000, fyne.NewPos(100, 200), trace.Pt{}, false},
		{"bottom-right corner", fyne.NewSize(800, 400), 3000, 4000, fyne.NewPos(550, 400), trace.Pt{3000, 4000}, true},
		{"below a wide photo", fyne.NewSize(400, 800), 4000, 1000, fyne.NewPos(200, 700), trace.Pt{}, false},
		{"empty widget", fyne.NewSize(0, 0), 4000, 1000, fyne.NewPos(0, 0), trace.Pt{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := toImage(c.tap, c.size, c.origW, c.origH)
			if ok != c.ok || math.Abs(got[0]-c.want[0]) > 0.5 || math.Abs(got[1]-c.want[1]) > 0.5 {
				t.Fatalf("toImage = %v %v, want %v %v", got, ok, c.want, c.ok)
			}
			if ok {
				if back := toWidget(got, c.size, c.origW, c.origH); math.Abs(float64(back.X-c.tap.X)) > 0.01 || math.Abs(float64(back.Y-c.tap.Y)) > 0.01 {
					t.Fatalf("toWidget = %v, want %v", back, c.tap)
				}
			}
		})
	}
}

// Four taps in any order give the corners top-left, top-right,
// bottom-right, bottom-left; fewer give none; a fifth starts again.
func TestCornerPickerOrdersCorners(t *testing.T) {
	test.NewTempApp(t)
	p := newCornerPicker(nil, 1000, 500, nil)
	p.Resize(fyne.NewSize(1000, 500)) // one widget unit a pixel
	tap := func(x, y float32) { p.Tapped(&fyne.PointEvent{Position: fyne.NewPos(x, y)}) }
	tap(900, 450) // bottom-right
	tap(100, 60)  // top-left
	tap(80, 470)  // bottom-left
	if _, ok := p.corners(); ok {
		t.Fatal("three corners were taken as four")
	}
	tap(1200, 10) // off the photo: ignored
	tap(950, 40)  // top-right
	c, ok := p.corners()
	want := [4]trace.Pt{{100, 60}, {950, 40}, {900, 450}, {80, 470}}
	if !ok || c != want {
		t.Fatalf("corners %v %v, want %v", c, ok, want)
	}
	tap(10, 10)
	if len(p.pts) != 1 || p.pts[0] != (trace.Pt{10, 10}) {
		t.Fatalf("a fifth tap should start again: %v", p.pts)
	}
	p.reset()
	if len(p.pts) != 0 {
		t.Fatal("reset kept corners")
	}
}

// Corners too close together, or one inside the others' triangle, are
// refused before anything is traced.
func TestCornersSheetShaped(t *testing.T) {
	cases := []struct {
		name string
		c    [4]trace.Pt
		ok   bool
	}{
		{"a sheet at an angle", [4]trace.Pt{{100, 60}, {950, 40}, {900, 450}, {80, 470}}, true},
		{"four taps on one spot", [4]trace.Pt{{100, 100}, {101, 100}, {101, 101}, {100, 101}}, false},
		{"one corner inside", [4]trace.Pt{{0, 0}, {1000, 0}, {500, 200}, {0, 1000}}, false},
		{"three in a line", [4]trace.Pt{{0, 0}, {500, 0}, {1000, 0}, {500, 800}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sheetShaped(trace.OrderCorners(c.c)); got != c.ok {
				t.Fatalf("sheetShaped = %v, want %v", got, c.ok)
			}
		})
	}
}
