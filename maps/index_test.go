package maps

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomVillage scatters houses, lanes, landmarks and labels, including
// features far apart and overlapping, to exercise the grid's edges.
func randomVillage(r *rand.Rand, n int) *Village {
	v := &Village{}
	span := 50 + r.Float64()*800
	for i := 0; i < n; i++ {
		x, y := r.Float64()*span, r.Float64()*span
		w, h := 2+r.Float64()*20, 2+r.Float64()*20
		v.Houses = append(v.Houses, House{ID: "h" + pad4(i), Number: pad4(i), Polygon: Polygon{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}})
	}
	for i := 0; i < n/5+1; i++ {
		var pts []Point
		for k := 0; k < 2+r.IntN(4); k++ {
			pts = append(pts, Point{r.Float64() * span, r.Float64() * span})
		}
		v.Lanes = append(v.Lanes, Lane{ID: "l" + pad4(i), Width: 1 + r.Float64()*7, Points: pts})
	}
	for i := 0; i < n/10+1; i++ {
		v.Landmarks = append(v.Landmarks, Landmark{ID: "m" + pad4(i), Kind: KindWell, Point: Point{r.Float64() * span, r.Float64() * span}})
		v.Labels = append(v.Labels, Label{ID: "t" + pad4(i), Text: "标注", Point: Point{r.Float64() * span, r.Float64() * span}})
	}
	return v
}

// featureBox is the box the index files each feature under.
func featureBox(v *Village, f Ref) Rect {
	switch f.Kind {
	case FeatHouse:
		return v.Houses[f.Index].Polygon.Bounds()
	case FeatLane:
		l := v.Lanes[f.Index]
		return BoundsOf(l.Points).Inset(l.Width / 2)
	case FeatLandmark:
		p := v.Landmarks[f.Index].Point
		return Rect{p, p}.Inset(landmarkReach)
	case FeatLabel:
		return labelBox(v.Labels[f.Index])
	}
	return EmptyRect()
}

// TestIndexQueryMatchesScan: for random maps and rectangles, Query reports
// every feature whose box overlaps (lanes per segment) exactly once.
func TestIndexQueryMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 40; iter++ {
		v := randomVillage(r, 20+r.IntN(300))
		ix := BuildIndex(v)
		for q := 0; q < 50; q++ {
			c := Point{r.Float64()*900 - 50, r.Float64()*900 - 50}
			rr := Rect{c, c}.Inset(r.Float64() * 120)
			got := map[Ref]int{}
			ix.Query(rr, func(f Ref) { got[f]++ })
			want := map[Ref]bool{}
			for i := range v.Houses {
				if featureBox(v, Ref{FeatHouse, i}).Overlaps(rr) {
					want[Ref{FeatHouse, i}] = true
				}
			}
			for i, l := range v.Lanes {
				for s := 1; s < len(l.Points); s++ {
					if BoundsOf(l.Points[s-1 : s+1]).Inset(l.Width / 2).Overlaps(rr) {
						want[Ref{FeatLane, i}] = true
					}
				}
			}
			for i := range v.Landmarks {
				if featureBox(v, Ref{FeatLandmark, i}).Overlaps(rr) {
					want[Ref{FeatLandmark, i}] = true
				}
			}
			for i := range v.Labels {
				if featureBox(v, Ref{FeatLabel, i}).Overlaps(rr) {
					want[Ref{FeatLabel, i}] = true
				}
			}
			for f, n := range got {
				if n != 1 {
					t.Fatalf("iter %d: %v reported %d times", iter, f, n)
				}
				if !want[f] {
					t.Fatalf("iter %d: %v reported but does not overlap %v", iter, f, rr)
				}
			}
			for f := range want {
				if got[f] == 0 {
					t.Fatalf("iter %d: %v overlaps %v but was not reported", iter, f, rr)
				}
			}
		}
	}
}

func TestHitTestMatchesLinear(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 30; iter++ {
		v := randomVillage(r, 10+r.IntN(200))
		ix := BuildIndex(v)
		for q := 0; q < 200; q++ {
			p := Point{r.Float64() * 850, r.Float64() * 850}
			tol := r.Float64() * 3
			a, aok := ix.HitTest(p, tol)
			b, bok := HitTestLinear(v, p, tol)
			if aok != bok || a.Ref != b.Ref {
				t.Fatalf("iter %d at %v tol %.2f: grid %v %v, linear %v %v", iter, p, tol, a, aok, b, bok)
			}
		}
	}
}

func TestHitTestPriorities(t *testing.T) {
	v := fixtureVillage()
	// A shed inside house H1's box to check the smaller house wins.
	v.Houses = append(v.Houses, House{ID: "shed", Polygon: Polygon{{42, 60}, {46, 60}, {46, 64}, {42, 64}}})
	ix := BuildIndex(v)
	tests := []struct {
		name string
		p    Point
		tol  float64
		want string
		ok   bool
	}{
		{"inside house", Point{47, 63}, 0.5, "H1", true},
		{"smaller house on top", Point{44, 62}, 0.5, "shed", true},
		{"near house edge", Point{39.6, 63}, 0.5, "H1", true},
		{"lane", Point{20, 51}, 0.5, "L-main", true},
		{"narrow lane edge plus tolerance", Point{141.6, 70}, 0.5, "L-2", true},
		{"landmark over lane", Point{200, 50}, 0.5, "M-e", true},
		{"label", Point{20, 100}, 0.5, "T-1", true},
		{"nothing", Point{190, 100}, 0.5, "", false},
	}
	for _, tc := range tests {
		h, ok := ix.HitTest(tc.p, tc.tol)
		if ok != tc.ok || h.ID != tc.want {
			t.Errorf("%s: got %q %v, want %q %v", tc.name, h.ID, ok, tc.want, tc.ok)
		}
	}
}

func TestHitVertexAndEdge(t *testing.T) {
	v := fixtureVillage()
	f := Ref{FeatHouse, 0} // 40..55 x 58..69
	if got := HitVertex(v, f, Point{55.3, 69.2}, 1); got != 2 {
		t.Errorf("vertex: got %d, want 2", got)
	}
	if got := HitVertex(v, f, Point{50, 63}, 1); got != -1 {
		t.Errorf("vertex in the middle: got %d", got)
	}
	e, p := HitEdge(v, f, Point{47, 57.5}, 1)
	if e != 0 || math.Abs(p.Y-58) > 1e-9 {
		t.Errorf("edge: got %d at %v", e, p)
	}
	// The closing edge of a house (last vertex back to the first).
	if e, _ := HitEdge(v, f, Point{39.7, 63}, 1); e != 3 {
		t.Errorf("closing edge: got %d, want 3", e)
	}
	if HitVertex(v, Ref{FeatHouse, 999}, Point{}, 1) != -1 {
		t.Error("out of range ref must give -1")
	}
}

func TestIndexEmptyAndDegenerate(t *testing.T) {
	ix := BuildIndex(&Village{})
	if _, ok := ix.HitTest(Point{}, 1); ok {
		t.Error("empty village hit something")
	}
	nan := math.NaN()
	v := &Village{
		Houses: []House{{ID: "bad", Polygon: Polygon{{nan, 0}, {1, 1}, {2, 0}}}, {ID: "empty"}},
		Lanes:  []Lane{{ID: "one", Width: 3, Points: []Point{{5, 5}}}, {ID: "inf", Width: 3, Points: []Point{{math.Inf(1), 0}, {0, 0}}}},
	}
	ix = BuildIndex(v)
	ix.Query(Rect{Point{-10, -10}, Point{10, 10}}, func(Ref) {})
	if h, ok := ix.HitTest(Point{5, 5}, 1); !ok || h.ID != "one" {
		t.Errorf("single-point lane: got %v %v", h, ok)
	}
}

func TestViewportTransforms(t *testing.T) {
	vp := Viewport{Center: Point{100, 50}, Scale: 3, W: 800, H: 600}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100; i++ {
		p := Point{r.Float64()*1000 - 500, r.Float64()*1000 - 500}
		q := vp.ToWorld(vp.ToScreen(p))
		if Dist(p, q) > 1e-9 {
			t.Fatalf("round trip %v -> %v", p, q)
		}
	}
	if s := vp.ToScreen(vp.Center); s != (Point{400, 300}) {
		t.Errorf("centre maps to %v", s)
	}
	// North is up: a point north of the centre is above it on screen.
	if s := vp.ToScreen(Point{100, 60}); s.Y >= 300 {
		t.Errorf("north not up: %v", s)
	}
	at := Point{123, 456}
	w := vp.ToWorld(at)
	z := vp.ZoomAt(at, 2.5)
	if Dist(z.ToScreen(w), at) > 1e-9 || z.Scale != 7.5 {
		t.Errorf("zoom moved the anchor: %v scale %v", z.ToScreen(w), z.Scale)
	}
	if z := vp.ZoomAt(at, 1e9); z.Scale != MaxScale {
		t.Errorf("zoom not clamped: %v", z.Scale)
	}
	p := vp.Pan(30, -20)
	if d := p.ToScreen(w).Sub(vp.ToScreen(w)); math.Abs(d.X-30) > 1e-9 || math.Abs(d.Y+20) > 1e-9 {
		t.Errorf("pan moved content by %v", d)
	}
	box := Rect{Point{-20, -10}, Point{300, 90}}
	f := vp.Fit(box, 10)
	for _, c := range []Point{box.Min, box.Max} {
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
