package render

import (
	"math"
	"math/rand/v2"
	"testing"

	"cunjing/maps"
)

func TestViewportTransforms(t *testing.T) {
	vp := Viewport{Center: maps.Point{X: 100, Y: 50}, Scale: 3, W: 800, H: 600}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100; i++ {
		p := maps.Point{X: r.Float64()*1000 - 500, Y: r.Float64()*1000 - 500}
		q := vp.ToWorld(vp.ToScreen(p))
		if maps.Dist(p, q) > 1e-9 {
			t.Fatalf("round trip %v -> %v", p, q)
		}
	}
	if s := vp.ToScreen(vp.Center); s != (maps.Point{X: 400, Y: 300}) {
		t.Errorf("centre maps to %v", s)
	}
	// North is up: a point north of the centre is above it on screen.
	if s := vp.ToScreen(maps.Point{X: 100, Y: 60}); s.Y >= 300 {
		t.Errorf("north not up: %v", s)
	}
	at := maps.Point{X: 123, Y: 456}
	w := vp.ToWorld(at)
	z := vp.ZoomAt(at, 2.5)
	if maps.Dist(z.ToScreen(w), at) > 1e-9 || z.Scale != 7.5 {
		t.Errorf("zoom moved the anchor: %v scale %v", z.ToScreen(w), z.Scale)
	}
	if z := vp.ZoomAt(at, 1e9); z.Scale != MaxScale {
		t.Errorf("zoom not clamped: %v", z.Scale)
	}
	p := vp.Pan(30, -20)
	if d := p.ToScreen(w).Sub(vp.ToScreen(w)); math.Abs(d.X-30) > 1e-9 || math.Abs(d.Y+20) > 1e-9 {
		t.Errorf("pan moved content by %v", d)
	}
	box := maps.Rect{Min: maps.Point{X: -20, Y: -10}, Max: maps.Point{X: 300, Y: 90}}
	f := vp.Fit(box, 10)
	for _, c := range []maps.Point{box.Min, box.Max} {
		s := f.ToScreen(c)
		if s.X < 9.99 || s.X > 790.01 || s.Y < 9.99 || s.Y > 590.01 {
			t.Errorf("fit: corner %v at %v", c, s)
		}
	}
	if !f.World().Overlaps(box) {
		t.Error("fit world box does not overlap")
	}
	if err := (Viewport{W: 1, H: 1, Scale: math.NaN()}).Validate(); err == nil {
		t.Error("NaN scale accepted")
	}
}
