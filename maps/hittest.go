package maps

import "math"

// Hit is what lies under a point: a feature, and for the selected feature
// possibly one of its vertices (Vertex ≥ 0) for reshaping.
type Hit struct {
	Ref
	ID     string
	Vertex int // -1 when not on a vertex
	Dist   float64
}

// HitTest returns the topmost feature at p, within tol metres (the caller
// passes a few pixels converted to metres). Order mirrors the drawing
// order reversed: landmarks and labels sit on top of houses, houses on
// top of lanes. Among overlapping houses the smallest wins, so a shed
// drawn inside a courtyard can be picked. ok is false when nothing is hit.
func (ix *Index) HitTest(p Point, tol float64) (h Hit, ok bool) {
	v := ix.v
	r := Rect{p, p}.Inset(tol)
	best := Hit{Vertex: -1, Dist: math.Inf(1)}
	rank := 99 // lower is on top
	bestArea := math.Inf(1)
	consider := func(rk int, ref Ref, id string, d, area float64) {
		if rk < rank || (rk == rank && (area < bestArea || (area == bestArea && d < best.Dist))) {
			rank, bestArea = rk, area
			best = Hit{Ref: ref, ID: id, Vertex: -1, Dist: d}
		}
	}
	ix.Query(r, func(f Ref) {
		switch f.Kind {
		case FeatLandmark:
			m := &v.Landmarks[f.Index]
			if d := Dist(p, m.Point); d <= LandmarkReach+tol {
				consider(0, f, m.ID, d, 0)
			}
		case FeatLabel:
			l := &v.Labels[f.Index]
			if LabelBox(*l).Inset(tol).Contains(p) {
				consider(1, f, l.ID, Dist(p, l.Point), 0)
			}
		case FeatHouse:
			hs := &v.Houses[f.Index]
			if !ix.houseBox[f.Index].Inset(tol).Contains(p) {
				return
			}
			area := math.Abs(hs.Polygon.Area())
			if hs.Polygon.Contains(p) {
				consider(2, f, hs.ID, 0, area)
			} else if d := hs.Polygon.DistToBoundary(p); d <= tol {
				consider(2, f, hs.ID, d, area)
			}
		case FeatLane:
			l := &v.Lanes[f.Index]
			_, d, _, _ := NearestOnPolyline(p, l.Points)
			if d <= l.Width/2+tol {
				consider(3, f, l.ID, d, 0)
			}
		}
	})
	if rank == 99 {
		return Hit{Vertex: -1}, false
	}
	return best, true
}

// HitTestLinear is the naive baseline for HitTest: a scan over every
// feature without the grid, same rules. Benchmarks compare the two; tests
// check they agree.
func HitTestLinear(v *Village, p Point, tol float64) (h Hit, ok bool) {
	best := Hit{Vertex: -1, Dist: math.Inf(1)}
	rank := 99
	bestArea := math.Inf(1)
	consider := func(rk int, ref Ref, id string, d, area float64) {
		if rk < rank || (rk == rank && (area < bestArea || (area == bestArea && d < best.Dist))) {
			rank, bestArea = rk, area
			best = Hit{Ref: ref, ID: id, Vertex: -1, Dist: d}
		}
	}
	for i := range v.Landmarks {
		m := &v.Landmarks[i]
		if d := Dist(p, m.Point); d <= LandmarkReach+tol {
			consider(0, Ref{FeatLandmark, i}, m.ID, d, 0)
		}
	}
	for i := range v.Labels {
		l := &v.Labels[i]
		if LabelBox(*l).Inset(tol).Contains(p) {
			consider(1, Ref{FeatLabel, i}, l.ID, Dist(p, l.Point), 0)
		}
	}
	for i := range v.Houses {
		hs := &v.Houses[i]
		area := math.Abs(hs.Polygon.Area())
		if hs.Polygon.Contains(p) {
			consider(2, Ref{FeatHouse, i}, hs.ID, 0, area)
		} else if d := hs.Polygon.DistToBoundary(p); d <= tol {
			consider(2, Ref{FeatHouse, i}, hs.ID, d, area)
		}
	}
	for i := range v.Lanes {
		l := &v.Lanes[i]
		_, d, _, _ := NearestOnPolyline(p, l.Points)
		if d <= l.Width/2+tol {
			consider(3, Ref{FeatLane, i}, l.ID, d, 0)
		}
	}
	if rank == 99 {
		return Hit{Vertex: -1}, false
	}
	return best, true
}

// HitVertex returns the vertex of feature f (a house corner or a lane
// point) within tol of p, nearest first, or -1. The editor calls it on the
// selected feature before HitTest so handles win over whatever lies below.
func HitVertex(v *Village, f Ref, p Point, tol float64) int {
	var pts []Point
	switch f.Kind {
	case FeatHouse:
		if f.Index < 0 || f.Index >= len(v.Houses) {
			return -1
		}
		pts = v.Houses[f.Index].Polygon
	case FeatLane:
		if f.Index < 0 || f.Index >= len(v.Lanes) {
			return -1
		}
		pts = v.Lanes[f.Index].Points
	default:
		return -1
	}
	best, bd := -1, tol
	for i, q := range pts {
		if d := Dist(p, q); d <= bd {
			best, bd = i, d
		}
	}
	return best
}

// HitEdge returns the edge of feature f nearest to p within tol (edge i
// runs from vertex i to i+1, wrapping for houses) and the point on it, for
// inserting a vertex; -1 when none is near.
func HitEdge(v *Village, f Ref, p Point, tol float64) (int, Point) {
	var pts []Point
	closed := false
	switch f.Kind {
	case FeatHouse:
		if f.Index < 0 || f.Index >= len(v.Houses) {
			return -1, Point{}
		}
		pts, closed = v.Houses[f.Index].Polygon, true
	case FeatLane:
		if f.Index < 0 || f.Index >= len(v.Lanes) {
			return -1, Point{}
		}
		pts = v.Lanes[f.Index].Points
	default:
		return -1, Point{}
	}
	n := len(pts) - 1
	if closed {
		n = len(pts)
	}
	best, bd, bp := -1, tol, Point{}
	for i := 0; i < n; i++ {
		q, _ := ProjectOnSegment(p, pts[i], pts[(i+1)%len(pts)])
		if d := Dist(p, q); d <= bd {
			best, bd, bp = i, d, q
		}
	}
	return best, bp
}
