package maps_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
)

// randomVillage scatters houses, lanes, landmarks and labels, including
// features far apart and overlapping, to exercise the grid's edges.
func randomVillage(r *rand.Rand, n int) *maps.Village {
	v := &maps.Village{}
	span := 50 + r.Float64()*800
	for i := 0; i < n; i++ {
		x, y := r.Float64()*span, r.Float64()*span
		w, h := 2+r.Float64()*20, 2+r.Float64()*20
		v.Houses = append(v.Houses, maps.House{ID: "h" + fmt.Sprintf("%04d", i), Number: fmt.Sprintf("%04d", i), Polygon: maps.Polygon{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}}})
	}
	for i := 0; i < n/5+1; i++ {
		var pts []maps.Point
		for k := 0; k < 2+r.IntN(4); k++ {
			pts = append(pts, maps.Point{X: r.Float64() * span, Y: r.Float64() * span})
		}
		v.Lanes = append(v.Lanes, maps.Lane{ID: "l" + fmt.Sprintf("%04d", i), Width: 1 + r.Float64()*7, Points: pts})
	}
	for i := 0; i < n/10+1; i++ {
		v.Landmarks = append(v.Landmarks, maps.Landmark{ID: "m" + fmt.Sprintf("%04d", i), Kind: maps.KindWell, Point: maps.Point{X: r.Float64() * span, Y: r.Float64() * span}})
		v.Labels = append(v.Labels, maps.Label{ID: "t" + fmt.Sprintf("%04d", i), Text: "标注", Point: maps.Point{X: r.Float64() * span, Y: r.Float64() * span}})
	}
	return v
}

// featureBox is the box the index files each feature under.
func featureBox(v *maps.Village, f maps.Ref) maps.Rect {
	switch f.Kind {
	case maps.FeatHouse:
		return v.Houses[f.Index].Polygon.Bounds()
	case maps.FeatLane:
		l := v.Lanes[f.Index]
		return maps.BoundsOf(l.Points).Inset(l.Width / 2)
	case maps.FeatLandmark:
		p := v.Landmarks[f.Index].Point
		return maps.Rect{Min: p, Max: p}.Inset(maps.LandmarkReach)
	case maps.FeatLabel:
		return maps.LabelBox(v.Labels[f.Index])
	}
	return maps.EmptyRect()
}

// TestIndexQueryMatchesScan: for random maps and rectangles, Query reports
// every feature whose box overlaps (lanes per segment) exactly once.
func TestIndexQueryMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 40; iter++ {
		v := randomVillage(r, 20+r.IntN(300))
		ix := maps.BuildIndex(v)
		for q := 0; q < 50; q++ {
			c := maps.Point{X: r.Float64()*900 - 50, Y: r.Float64()*900 - 50}
			rr := maps.Rect{Min: c, Max: c}.Inset(r.Float64() * 120)
			got := map[maps.Ref]int{}
			ix.Query(rr, func(f maps.Ref) { got[f]++ })
			want := map[maps.Ref]bool{}
			for i := range v.Houses {
				if featureBox(v, maps.Ref{Kind: maps.FeatHouse, Index: i}).Overlaps(rr) {
					want[maps.Ref{Kind: maps.FeatHouse, Index: i}] = true
				}
			}
			for i, l := range v.Lanes {
				for s := 1; s < len(l.Points); s++ {
					if maps.BoundsOf(l.Points[s-1 : s+1]).Inset(l.Width / 2).Overlaps(rr) {
						want[maps.Ref{Kind: maps.FeatLane, Index: i}] = true
					}
				}
			}
			for i := range v.Landmarks {
				if featureBox(v, maps.Ref{Kind: maps.FeatLandmark, Index: i}).Overlaps(rr) {
					want[maps.Ref{Kind: maps.FeatLandmark, Index: i}] = true
				}
			}
			for i := range v.Labels {
				if featureBox(v, maps.Ref{Kind: maps.FeatLabel, Index: i}).Overlaps(rr) {
					want[maps.Ref{Kind: maps.FeatLabel, Index: i}] = true
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
		ix := maps.BuildIndex(v)
		for q := 0; q < 200; q++ {
			p := maps.Point{X: r.Float64() * 850, Y: r.Float64() * 850}
			tol := r.Float64() * 3
			a, aok := ix.HitTest(p, tol)
			b, bok := maps.HitTestLinear(v, p, tol)
			if aok != bok || a.Ref != b.Ref {
				t.Fatalf("iter %d at %v tol %.2f: grid %v %v, linear %v %v", iter, p, tol, a, aok, b, bok)
			}
		}
	}
}

func TestHitTestPriorities(t *testing.T) {
	v := maptest.FixtureVillage()
	// A shed inside house H1's box to check the smaller house wins.
	v.Houses = append(v.Houses, maps.House{ID: "shed", Polygon: maps.Polygon{{X: 42, Y: 60}, {X: 46, Y: 60}, {X: 46, Y: 64}, {X: 42, Y: 64}}})
	ix := maps.BuildIndex(v)
	tests := []struct {
		name string
		p    maps.Point
		tol  float64
		want string
		ok   bool
	}{
		{"inside house", maps.Point{X: 47, Y: 63}, 0.5, "H1", true},
		{"smaller house on top", maps.Point{X: 44, Y: 62}, 0.5, "shed", true},
		{"near house edge", maps.Point{X: 39.6, Y: 63}, 0.5, "H1", true},
		{"lane", maps.Point{X: 20, Y: 51}, 0.5, "L-main", true},
		{"narrow lane edge plus tolerance", maps.Point{X: 141.6, Y: 70}, 0.5, "L-2", true},
		{"landmark over lane", maps.Point{X: 200, Y: 50}, 0.5, "M-e", true},
		{"label", maps.Point{X: 20, Y: 100}, 0.5, "T-1", true},
		{"nothing", maps.Point{X: 190, Y: 100}, 0.5, "", false},
	}
	for _, tc := range tests {
		h, ok := ix.HitTest(tc.p, tc.tol)
		if ok != tc.ok || h.ID != tc.want {
			t.Errorf("%s: got %q %v, want %q %v", tc.name, h.ID, ok, tc.want, tc.ok)
		}
	}
}

func TestHitVertexAndEdge(t *testing.T) {
	v := maptest.FixtureVillage()
	f := maps.Ref{Kind: maps.FeatHouse, Index: 0} // 40..55 x 58..69
	if got := maps.HitVertex(v, f, maps.Point{X: 55.3, Y: 69.2}, 1); got != 2 {
		t.Errorf("vertex: got %d, want 2", got)
	}
	if got := maps.HitVertex(v, f, maps.Point{X: 50, Y: 63}, 1); got != -1 {
		t.Errorf("vertex in the middle: got %d", got)
	}
	e, p := maps.HitEdge(v, f, maps.Point{X: 47, Y: 57.5}, 1)
	if e != 0 || math.Abs(p.Y-58) > 1e-9 {
		t.Errorf("edge: got %d at %v", e, p)
	}
	// The closing edge of a house (last vertex back to the first).
	if e, _ := maps.HitEdge(v, f, maps.Point{X: 39.7, Y: 63}, 1); e != 3 {
		t.Errorf("closing edge: got %d, want 3", e)
	}
	if maps.HitVertex(v, maps.Ref{Kind: maps.FeatHouse, Index: 999}, maps.Point{}, 1) != -1 {
		t.Error("out of range ref must give -1")
	}
}

func TestIndexEmptyAndDegenerate(t *testing.T) {
	ix := maps.BuildIndex(&maps.Village{})
	if _, ok := ix.HitTest(maps.Point{}, 1); ok {
		t.Error("empty village hit something")
	}
	nan := math.NaN()
	v := &maps.Village{
		Houses: []maps.House{{ID: "bad", Polygon: maps.Polygon{{X: nan, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 0}}}, {ID: "empty"}},
		Lanes:  []maps.Lane{{ID: "one", Width: 3, Points: []maps.Point{{X: 5, Y: 5}}}, {ID: "inf", Width: 3, Points: []maps.Point{{X: math.Inf(1), Y: 0}, {X: 0, Y: 0}}}},
	}
	ix = maps.BuildIndex(v)
	ix.Query(maps.Rect{Min: maps.Point{X: -10, Y: -10}, Max: maps.Point{X: 10, Y: 10}}, func(maps.Ref) {})
	if h, ok := ix.HitTest(maps.Point{X: 5, Y: 5}, 1); !ok || h.ID != "one" {
		t.Errorf("single-point lane: got %v %v", h, ok)
	}
}
