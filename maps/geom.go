package maps

import (
	"errors"
	"fmt"
	"math"
)

// Rect is an axis-aligned box in metres (Min inclusive, Max inclusive).
type Rect struct {
	Min, Max Point
}

// EmptyRect is a box that contains nothing and grows with Extend.
func EmptyRect() Rect {
	return Rect{Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}}
}

// IsEmpty reports whether r contains no point.
func (r Rect) IsEmpty() bool { return r.Min.X > r.Max.X || r.Min.Y > r.Max.Y }

// Extend returns r grown to contain p.
func (r Rect) Extend(p Point) Rect {
	r.Min.X = math.Min(r.Min.X, p.X)
	r.Min.Y = math.Min(r.Min.Y, p.Y)
	r.Max.X = math.Max(r.Max.X, p.X)
	r.Max.Y = math.Max(r.Max.Y, p.Y)
	return r
}

// Union returns the smallest box containing r and s.
func (r Rect) Union(s Rect) Rect {
	if s.IsEmpty() {
		return r
	}
	return r.Extend(s.Min).Extend(s.Max)
}

// Inset returns r grown by d on every side (shrunk when d < 0).
func (r Rect) Inset(d float64) Rect {
	return Rect{Point{r.Min.X - d, r.Min.Y - d}, Point{r.Max.X + d, r.Max.Y + d}}
}

// Overlaps reports whether r and s share any point.
func (r Rect) Overlaps(s Rect) bool {
	return r.Min.X <= s.Max.X && s.Min.X <= r.Max.X && r.Min.Y <= s.Max.Y && s.Min.Y <= r.Max.Y
}

// Contains reports whether p lies in r.
func (r Rect) Contains(p Point) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

// MeetsSegment reports whether the segment a–b has a point in r, its
// edges included (Liang–Barsky clipping).
func (r Rect) MeetsSegment(a, b Point) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := b.X-a.X, b.Y-a.Y
	for _, e := range [][2]float64{{-dx, a.X - r.Min.X}, {dx, r.Max.X - a.X}, {-dy, a.Y - r.Min.Y}, {dy, r.Max.Y - a.Y}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// W is the width of r.
func (r Rect) W() float64 { return r.Max.X - r.Min.X }

// H is the height of r.
func (r Rect) H() float64 { return r.Max.Y - r.Min.Y }

// Center is the middle of r.
func (r Rect) Center() Point { return Point{(r.Min.X + r.Max.X) / 2, (r.Min.Y + r.Max.Y) / 2} }

// BoundsOf returns the box around pts.
func BoundsOf(pts []Point) Rect {
	r := EmptyRect()
	for _, p := range pts {
		r = r.Extend(p)
	}
	return r
}

// Dist is the Euclidean distance between p and q.
func Dist(p, q Point) float64 { return math.Hypot(p.X-q.X, p.Y-q.Y) }

// ProjectOnSegment returns the point of segment ab nearest to p and its
// parameter t in [0,1] along ab.
func ProjectOnSegment(p, a, b Point) (Point, float64) {
	d := b.Sub(a)
	l2 := d.X*d.X + d.Y*d.Y
	if l2 == 0 {
		return a, 0
	}
	t := ((p.X-a.X)*d.X + (p.Y-a.Y)*d.Y) / l2
	t = math.Max(0, math.Min(1, t))
	return Point{a.X + t*d.X, a.Y + t*d.Y}, t
}

// DistToSegment is the distance from p to segment ab.
func DistToSegment(p, a, b Point) float64 {
	q, _ := ProjectOnSegment(p, a, b)
	return Dist(p, q)
}

// PolylineLength is the length of the open polyline pts.
func PolylineLength(pts []Point) float64 {
	s := 0.0
	for i := 1; i < len(pts); i++ {
		s += Dist(pts[i-1], pts[i])
	}
	return s
}

// NearestOnPolyline returns the point of the polyline nearest to p, its
// distance, the index of the segment it lies on and the arc length from the
// polyline's start to it.
func NearestOnPolyline(p Point, pts []Point) (q Point, dist float64, seg int, along float64) {
	dist = math.Inf(1)
	run := 0.0
	for i := 1; i < len(pts); i++ {
		c, t := ProjectOnSegment(p, pts[i-1], pts[i])
		sl := Dist(pts[i-1], pts[i])
		if d := Dist(p, c); d < dist {
			q, dist, seg, along = c, d, i-1, run+t*sl
		}
		run += sl
	}
	if len(pts) == 1 {
		return pts[0], Dist(p, pts[0]), 0, 0
	}
	return q, dist, seg, along
}

// Area is the signed area of the ring (positive when counter-clockwise in
// x-east/y-north coordinates).
func (pg Polygon) Area() float64 {
	s := 0.0
	n := len(pg)
	for i := 0; i < n; i++ {
		a, b := pg[i], pg[(i+1)%n]
		s += a.X*b.Y - b.X*a.Y
	}
	return s / 2
}

// Centroid is the area centroid (the vertex mean for degenerate rings).
func (pg Polygon) Centroid() Point {
	a := pg.Area()
	n := len(pg)
	if n == 0 {
		return Point{}
	}
	if math.Abs(a) < 1e-9 {
		var c Point
		for _, p := range pg {
			c = c.Add(p)
		}
		return c.Scale(1 / float64(n))
	}
	// Shift to the first vertex so large coordinates keep precision.
	o := pg[0]
	var cx, cy float64
	for i := 0; i < n; i++ {
		p, q := pg[i].Sub(o), pg[(i+1)%n].Sub(o)
		f := p.X*q.Y - q.X*p.Y
		cx += (p.X + q.X) * f
		cy += (p.Y + q.Y) * f
	}
	return Point{o.X + cx/(6*a), o.Y + cy/(6*a)}
}

// Bounds is the polygon's box.
func (pg Polygon) Bounds() Rect { return BoundsOf(pg) }

// Contains reports whether p is inside the ring (even-odd rule).
func (pg Polygon) Contains(p Point) bool {
	in := false
	n := len(pg)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := pg[i], pg[j]
		if (a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// DistToBoundary is the distance from p to the ring's edges.
func (pg Polygon) DistToBoundary(p Point) float64 {
	d := math.Inf(1)
	n := len(pg)
	for i := 0; i < n; i++ {
		d = math.Min(d, DistToSegment(p, pg[i], pg[(i+1)%n]))
	}
	return d
}

// NearestBoundaryPoint returns the point on the ring nearest to p.
func (pg Polygon) NearestBoundaryPoint(p Point) Point {
	best, bd := Point{}, math.Inf(1)
	n := len(pg)
	for i := 0; i < n; i++ {
		q, _ := ProjectOnSegment(p, pg[i], pg[(i+1)%n])
		if d := Dist(p, q); d < bd {
			best, bd = q, d
		}
	}
	return best
}

// Errors for degenerate geometry.
var (
	ErrTooFewVertices = errors.New("polygon needs at least 3 distinct vertices")
	ErrZeroArea       = errors.New("polygon has (almost) no area")
	ErrSelfIntersect  = errors.New("polygon edges cross each other")
	ErrNotFinite      = errors.New("coordinate is not a finite number")
	ErrShortLane      = errors.New("lane needs at least 2 points and a length above 0.1 m")
)

// minHouseArea rejects slivers: nothing smaller than a 1 m² shed is a house.
const minHouseArea = 1.0

// Validate checks that the ring is a usable house outline: finite, at least
// three distinct vertices, an area of at least 1 m², no crossing edges.
func (pg Polygon) Validate() error {
	for i, p := range pg {
		if !Finite(p) {
			return fmt.Errorf("vertex %d: %w", i, ErrNotFinite)
		}
	}
	c := pg.dedup()
	if len(c) < 3 {
		return ErrTooFewVertices
	}
	n := len(c)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) {
				continue // neighbours share a vertex
			}
			if SegmentsCross(c[i], c[(i+1)%n], c[j], c[(j+1)%n]) {
				return fmt.Errorf("%w: edges %d and %d", ErrSelfIntersect, i, j)
			}
		}
	}
	if math.Abs(c.Area()) < minHouseArea {
		return fmt.Errorf("%w: %.2f m²", ErrZeroArea, math.Abs(c.Area()))
	}
	return nil
}

// dedup drops consecutive repeated vertices and a closing repeat.
func (pg Polygon) dedup() Polygon {
	var out Polygon
	for _, p := range pg {
		if len(out) > 0 && Dist(out[len(out)-1], p) < 1e-9 {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && Dist(out[0], out[len(out)-1]) < 1e-9 {
		out = out[:len(out)-1]
	}
	return out
}

// Normalize returns a validated copy with duplicate vertices removed and
// counter-clockwise winding, so every stored house has one orientation.
func (pg Polygon) Normalize() (Polygon, error) {
	if err := pg.Validate(); err != nil {
		return nil, err
	}
	c := pg.dedup()
	if c.Area() < 0 {
		for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
			c[i], c[j] = c[j], c[i]
		}
	}
	return c, nil
}

// ValidateLane checks that a lane is a usable polyline with a width.
func ValidateLane(l Lane) error {
	for i, p := range l.Points {
		if !Finite(p) {
			return fmt.Errorf("point %d: %w", i, ErrNotFinite)
		}
	}
	if len(l.Points) < 2 || PolylineLength(l.Points) < 0.1 {
		return ErrShortLane
	}
	if math.IsNaN(l.Width) || math.IsInf(l.Width, 0) || l.Width <= 0 || l.Width > 100 {
		return fmt.Errorf("lane width %.2f m: must be above 0 and at most 100", l.Width)
	}
	return nil
}

// Finite reports whether p's coordinates are numbers (not NaN or ±Inf).
func Finite(p Point) bool {
	return !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0)
}

func cross(o, a, b Point) float64 {
	return (a.X-o.X)*(b.Y-o.Y) - (a.Y-o.Y)*(b.X-o.X)
}

// SegmentsCross reports a proper or touching intersection of ab and cd.
func SegmentsCross(a, b, c, d Point) bool {
	d1, d2 := cross(c, d, a), cross(c, d, b)
	d3, d4 := cross(a, b, c), cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(p, q, r Point) bool { // r on segment pq, given collinear
		return math.Min(p.X, q.X) <= r.X && r.X <= math.Max(p.X, q.X) && math.Min(p.Y, q.Y) <= r.Y && r.Y <= math.Max(p.Y, q.Y)
	}
	return (d1 == 0 && on(c, d, a)) || (d2 == 0 && on(c, d, b)) || (d3 == 0 && on(a, b, c)) || (d4 == 0 && on(a, b, d))
}

// SegmentIntersection returns the crossing point of ab and cd and the
// parameters along each, if the segments meet at a single point.
func SegmentIntersection(a, b, c, d Point) (p Point, t, u float64, ok bool) {
	r := b.Sub(a)
	s := d.Sub(c)
	den := r.X*s.Y - r.Y*s.X
	if math.Abs(den) < 1e-12 {
		return Point{}, 0, 0, false
	}
	q := c.Sub(a)
	t = (q.X*s.Y - q.Y*s.X) / den
	u = (q.X*r.Y - q.Y*r.X) / den
	if t < -1e-9 || t > 1+1e-9 || u < -1e-9 || u > 1+1e-9 {
		return Point{}, 0, 0, false
	}
	return Point{a.X + t*r.X, a.Y + t*r.Y}, t, u, true
}

// DedupPoints drops consecutive repeated points (a double click, a
// file's repeated vertex).
func DedupPoints(pts []Point) []Point {
	var out []Point
	for _, p := range pts {
		if len(out) == 0 || Dist(out[len(out)-1], p) > 1e-9 {
			out = append(out, p)
		}
	}
	return out
}
