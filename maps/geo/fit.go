package geo

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"cunjing/maps"
)

// Method is how map metres are tied to the ground.
type Method string

// Methods.
const (
	// MethodFrame: the map's metres are the tangent plane's at the
	// georeference's origin (a village first filled from real coordinates).
	MethodFrame Method = "frame"
	// MethodSimilarity: scale, rotation and shift (two or more points).
	MethodSimilarity Method = "similarity"
	// MethodAffine: scale and rotation per axis, shear and shift (three or
	// more points): what a sketch drawn a little wider than tall needs.
	MethodAffine Method = "affine"
	// MethodSmooth: affine plus a thin-plate-spline correction through
	// every control point, for a drawing that is off by different amounts
	// in different parts. Offered with MinSmoothPoints or more, never chosen
	// by itself.
	MethodSmooth Method = "smooth"
)

// Limits and thresholds of a fit.
const (
	MaxControlPoints = 100
	MinSmoothPoints  = 5
	// SuspectM: a control point further than this from the fit is suspect.
	SuspectM = 20.0
	// consensusSlack is how far (as a share of the distance) a hand drawing
	// may be out of scale before a point is thought to disagree with a pair.
	consensusSlack = 0.25
)

// ControlPoint ties a point of the map to the ground.
type ControlPoint struct {
	Name string  `json:"name,omitempty"`
	X    float64 `json:"x"` // map metres
	Y    float64 `json:"y"`
	Lon  float64 `json:"lon"` // WGS 84
	Lat  float64 `json:"lat"`
	// Datum and InLon/InLat are what the officer gave, before conversion.
	Datum Datum   `json:"datum,omitempty"`
	InLon float64 `json:"in_lon,omitempty"`
	InLat float64 `json:"in_lat,omitempty"`
}

// Map is the point's map position.
func (c ControlPoint) Map() maps.Point { return maps.Point{X: c.X, Y: c.Y} }

func (c ControlPoint) label(i int) string {
	if c.Name != "" {
		return fmt.Sprintf("point %d (%s)", i+1, c.Name)
	}
	return fmt.Sprintf("point %d", i+1)
}

// NewControlPoint converts what the officer gave (in datum d) to a control
// point in WGS 84, refusing pairs that are not in China.
func NewControlPoint(name string, mapPt maps.Point, d Datum, lon, lat float64) (ControlPoint, error) {
	if math.IsNaN(mapPt.X) || math.IsNaN(mapPt.Y) || math.IsInf(mapPt.X, 0) || math.IsInf(mapPt.Y, 0) ||
		math.Abs(mapPt.X) > 1e7 || math.Abs(mapPt.Y) > 1e7 {
		return ControlPoint{}, fmt.Errorf("map position (%g, %g) is not a position in map metres", mapPt.X, mapPt.Y)
	}
	if err := CheckInChina(lon, lat); err != nil {
		return ControlPoint{}, err
	}
	wLon, wLat, err := ToWGS84(d, lon, lat)
	if err != nil {
		return ControlPoint{}, err
	}
	cp := ControlPoint{Name: name, X: mapPt.X, Y: mapPt.Y, Lon: wLon, Lat: wLat, Datum: d}
	if d != WGS84 && d != "" {
		cp.InLon, cp.InLat = lon, lat
	}
	return cp, nil
}

// Georef is what is stored for a village: the tangent plane's origin, the
// method and the control points. The fit itself is recomputed from them
// (Transform), so it can never disagree with its points.
type Georef struct {
	Lon    float64        `json:"lon"` // frame origin, WGS 84
	Lat    float64        `json:"lat"`
	Method Method         `json:"method"`
	Points []ControlPoint `json:"points,omitempty"`
}

// FrameGeoref is the georeference of a map whose metres are the tangent
// plane's at lon, lat (no control points).
func FrameGeoref(lon, lat float64) Georef {
	return Georef{Lon: lon, Lat: lat, Method: MethodFrame}
}

// Transform builds the fit the georeference describes.
func (g Georef) Transform() (*Transform, error) {
	f, err := NewFrame(g.Lon, g.Lat)
	if err != nil {
		return nil, err
	}
	if g.Method == MethodFrame {
		return &Transform{Frame: f, Method: MethodFrame, lin: identity}, nil
	}
	if err := checkPoints(g.Points); err != nil {
		return nil, err
	}
	src, dst := planePoints(f, g.Points)
	return fitMethod(f, g.Method, src, dst)
}

// Transform takes map metres to WGS 84 and back.
type Transform struct {
	Frame  *Frame
	Method Method
	lin    affine
	tps    *tps // the smooth correction, in plane metres
}

// affine is E = a·x + b·y + c, N = d·x + e·y + f.
type affine [6]float64

var identity = affine{1, 0, 0, 0, 1, 0}

func (m affine) apply(p maps.Point) maps.Point {
	return maps.Point{X: m[0]*p.X + m[1]*p.Y + m[2], Y: m[3]*p.X + m[4]*p.Y + m[5]}
}

func (m affine) det() float64 { return m[0]*m[4] - m[1]*m[3] }

// stretch is how much more the map is scaled in one direction than in
// another (the ratio of the linear part's singular values; 1 for a
// similarity).
func (m affine) stretch() float64 {
	a, b, c, d := m[0], m[1], m[3], m[4]
	s := a*a + b*b + c*c + d*d
	det := math.Abs(a*d - b*c)
	disc := math.Sqrt(math.Max(0, s*s-4*det*det))
	lo := (s - disc) / 2
	if lo <= 0 {
		return math.Inf(1)
	}
	return math.Sqrt((s + disc) / 2 / lo)
}

// maxStretch is more than a hand drawing is out of proportion (a sketch
// drawn a third wider than tall is already a bad one).
const maxStretch = 1.5

func (m affine) inverse() (affine, bool) {
	d := m.det()
	if d == 0 || math.IsNaN(d) {
		return affine{}, false
	}
	a, b, c, e := m[4]/d, -m[1]/d, -m[3]/d, m[0]/d
	return affine{a, b, -(a*m[2] + b*m[5]), c, e, -(c*m[2] + e*m[5])}, true
}

// Scale is the mean ground metres per map metre.
func (t *Transform) Scale() float64 { return math.Sqrt(math.Abs(t.lin.det())) }

// RotationDeg is the angle the map's east axis is turned by, anticlockwise.
func (t *Transform) RotationDeg() float64 {
	return math.Atan2(t.lin[3]-t.lin[1], t.lin[0]+t.lin[4]) * 180 / math.Pi
}

// ToPlane takes map metres to the tangent plane.
func (t *Transform) ToPlane(p maps.Point) maps.Point {
	q := t.lin.apply(p)
	if t.tps != nil {
		q = q.Add(t.tps.at(p))
	}
	return q
}

// ToLonLat takes map metres to WGS 84.
func (t *Transform) ToLonLat(p maps.Point) (lon, lat float64) {
	return t.Frame.Inverse(t.ToPlane(p))
}

// FromPlane takes a tangent-plane point back to map metres.
func (t *Transform) FromPlane(q maps.Point) (maps.Point, error) {
	inv, ok := t.lin.inverse()
	if !ok {
		return maps.Point{}, errors.New("the fit is degenerate")
	}
	p := inv.apply(q)
	if t.tps == nil {
		return p, nil
	}
	// Newton's method on the smooth fit, from the affine's answer.
	for i := 0; i < 50; i++ {
		r := q.Sub(t.ToPlane(p))
		if math.Hypot(r.X, r.Y) < 1e-7 {
			return p, nil
		}
		const h = 0.01
		f0 := t.ToPlane(p)
		fx := t.ToPlane(maps.Point{X: p.X + h, Y: p.Y}).Sub(f0).Scale(1 / h)
		fy := t.ToPlane(maps.Point{X: p.X, Y: p.Y + h}).Sub(f0).Scale(1 / h)
		d := fx.X*fy.Y - fy.X*fx.Y
		if d == 0 || math.IsNaN(d) {
			break
		}
		p = p.Add(maps.Point{X: (fy.Y*r.X - fy.X*r.Y) / d, Y: (-fx.Y*r.X + fx.X*r.Y) / d})
	}
	r := q.Sub(t.ToPlane(p))
	if math.Hypot(r.X, r.Y) < 1e-3 {
		return p, nil
	}
	return maps.Point{}, fmt.Errorf("the smooth fit does not reach (%.1f, %.1f) m: it folds there", q.X, q.Y)
}

// FromLonLat takes WGS 84 to map metres.
func (t *Transform) FromLonLat(lon, lat float64) (maps.Point, error) {
	return t.FromPlane(t.Frame.Forward(lon, lat))
}

// PointFit is how one control point agrees with the fit.
type PointFit struct {
	Name string `json:"name,omitempty"`
	// ResidualM is the distance on the ground between where the point was
	// said to be and where the fit puts it. With the smooth correction the
	// fit passes through every point, so it is the leave-one-out distance:
	// where the fit made from the other points puts this one.
	ResidualM float64 `json:"residual_m"`
	Suspect   bool    `json:"suspect"`
	// East and north components of the residual, in metres.
	DE float64 `json:"de_m"`
	DN float64 `json:"dn_m"`
}

// FitResult is a fit and how well it agrees with its points.
type FitResult struct {
	Georef    Georef     `json:"-"`
	Transform *Transform `json:"-"`
	Method    Method     `json:"method"`
	Points    []PointFit `json:"points"`
	RMS       float64    `json:"rms_m"`
	// Checked is false when the points cannot check each other (two
	// points, fitted exactly).
	Checked       bool     `json:"checked"`
	Suspects      int      `json:"suspects"`
	Scale         float64  `json:"scale"`
	RotationDeg   float64  `json:"rotation_deg"`
	SmoothOffered bool     `json:"smooth_offered"`
	Notes         []string `json:"notes"`
}

// FitOptions choose the fit.
type FitOptions struct {
	// Smooth adds the thin-plate correction (MinSmoothPoints or more).
	Smooth bool
	// AcceptSuspect fits through suspect points too (the officer has
	// checked them); otherwise the residuals shown are against the fit of
	// the points that agree, so the odd one out stands out.
	AcceptSuspect bool
}

// Errors of bad control points.
var (
	ErrTooFewPoints = errors.New("at least 2 control points are needed")
	ErrCollinear    = errors.New("the control points lie on one line")
	ErrMirror       = errors.New("the control points turn the map over (a mirror image): one of them is wrong, or east and west (north and south) are swapped: check them")
)

func checkPoints(pts []ControlPoint) error {
	if len(pts) < 2 {
		return fmt.Errorf("%w (got %d)", ErrTooFewPoints, len(pts))
	}
	if len(pts) > MaxControlPoints {
		return fmt.Errorf("%d control points, at most %d", len(pts), MaxControlPoints)
	}
	for i, c := range pts {
		if err := CheckInChina(c.Lon, c.Lat); err != nil {
			return fmt.Errorf("%s: %w", c.label(i), err)
		}
		if !maps.Finite(c.Map()) || math.Abs(c.X) > 1e7 || math.Abs(c.Y) > 1e7 {
			return fmt.Errorf("%s: map position is not a position in metres", c.label(i))
		}
	}
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			if maps.Dist(pts[i].Map(), pts[j].Map()) < 0.5 {
				return fmt.Errorf("%s and %s are the same place on the map", pts[i].label(i), pts[j].label(j))
			}
			if Distance(pts[i].Lon, pts[i].Lat, pts[j].Lon, pts[j].Lat) < 0.5 {
				return fmt.Errorf("%s and %s are the same place on the ground", pts[i].label(i), pts[j].label(j))
			}
		}
	}
	if len(pts) >= 3 {
		src := make([]maps.Point, len(pts))
		for i, c := range pts {
			src[i] = c.Map()
		}
		if thinness(src) < 0.05 {
			return fmt.Errorf("%w on the map: an affine fit needs a point away from that line (add one, or give just two points)", ErrCollinear)
		}
	}
	return nil
}

// thinness is the spread across the points' main direction over the spread
// along it (0 for points on a line, 1 for a round cloud).
func thinness(pts []maps.Point) float64 {
	c := mean(pts)
	var sxx, syy, sxy float64
	for _, p := range pts {
		d := p.Sub(c)
		sxx += d.X * d.X
		syy += d.Y * d.Y
		sxy += d.X * d.Y
	}
	tr, det := sxx+syy, sxx*syy-sxy*sxy
	disc := math.Sqrt(math.Max(0, tr*tr/4-det))
	l1, l2 := tr/2+disc, tr/2-disc
	if l1 <= 0 {
		return 0
	}
	return math.Sqrt(math.Max(0, l2) / l1)
}

func mean(pts []maps.Point) maps.Point {
	var c maps.Point
	for _, p := range pts {
		c = c.Add(p)
	}
	return c.Scale(1 / float64(len(pts)))
}

func planePoints(f *Frame, pts []ControlPoint) (src, dst []maps.Point) {
	src, dst = make([]maps.Point, len(pts)), make([]maps.Point, len(pts))
	for i, c := range pts {
		src[i], dst[i] = c.Map(), f.Forward(c.Lon, c.Lat)
	}
	return src, dst
}

// Fit ties the map to the ground through the control points: a
// similarity with two points, an affine with three or more, plus the
// smooth correction when asked for. Points that disagree with the rest
// are found (the largest set of points that agree with a similarity
// through some pair of them, allowing a hand drawing's looseness) and
// marked suspect when they lie more than SuspectM from the fit of the
// others.
func Fit(pts []ControlPoint, opt FitOptions) (*FitResult, error) {
	if err := checkPoints(pts); err != nil {
		return nil, err
	}
	n := len(pts)
	var lon, lat float64
	for _, c := range pts {
		lon += c.Lon
		lat += c.Lat
	}
	f, err := NewFrame(lon/float64(n), lat/float64(n))
	if err != nil {
		return nil, err
	}
	method := MethodSimilarity
	if n >= 3 {
		method = MethodAffine
	}
	if opt.Smooth {
		if n < MinSmoothPoints {
			return nil, fmt.Errorf("a smooth correction needs at least %d control points (got %d)", MinSmoothPoints, n)
		}
		method = MethodSmooth
	}
	src, dst := planePoints(f, pts)
	res := &FitResult{Method: method, Checked: n >= 3, Notes: []string{}}

	// A drawing whose points agree with a mirrored map is mirrored (or its
	// points were given in the wrong order): say so rather than name
	// suspects.
	if n >= 3 {
		if lin, ok := affineFit(src, dst); ok && lin.det() <= 0 {
			var sum float64
			for i := range src {
				d := maps.Dist(lin.apply(src[i]), dst[i])
				sum += d * d
			}
			if n == 3 || math.Sqrt(sum/float64(n)) <= SuspectM {
				return nil, ErrMirror
			}
		}
	}
	// Which points agree?
	agree := make([]bool, n)
	for i := range agree {
		agree[i] = true
	}
	ambiguous := false
	if n >= 3 {
		agree, ambiguous = consensus(src, dst, !opt.Smooth)
	}
	var used []int
	for i := range pts {
		if agree[i] {
			used = append(used, i)
		}
	}
	// The fit the residuals are shown against: of the points that agree
	// (so the odd one out stands out), or of all points when accepted.
	shown := used
	if opt.AcceptSuspect || len(used) == n {
		shown = all(n)
	}
	m := method
	if len(shown) < 3 {
		m = MethodSimilarity
	} else if m == MethodSmooth && len(shown) < MinSmoothPoints {
		m = MethodAffine
	}
	ts, err := fitMethod(f, m, pick(src, shown), pick(dst, shown))
	if err != nil {
		return nil, err
	}
	res.Points = make([]PointFit, n)
	inShown := map[int]bool{}
	for _, i := range shown {
		inShown[i] = true
	}
	var sum float64
	for i := range pts {
		var d maps.Point
		if m == MethodSmooth && inShown[i] {
			d, err = leaveOneOut(f, m, src, dst, shown, i)
			if err != nil {
				return nil, err
			}
		} else {
			d = dst[i].Sub(ts.ToPlane(src[i]))
		}
		r := math.Hypot(d.X, d.Y)
		res.Points[i] = PointFit{Name: pts[i].Name, ResidualM: round(r, 2), DE: round(d.X, 2), DN: round(d.Y, 2)}
		if inShown[i] {
			sum += r * r
		}
		if res.Checked && (r > SuspectM || !agree[i] || ambiguous) {
			res.Points[i].Suspect = true
			res.Suspects++
		}
	}
	res.RMS = round(math.Sqrt(sum/float64(len(shown))), 2)
	if ts.lin.det() <= 0 {
		return nil, ErrMirror
	}
	// What is saved: all points, fitted with the chosen method.
	res.Georef = Georef{Lon: f.Lon, Lat: f.Lat, Method: method, Points: append([]ControlPoint(nil), pts...)}
	res.Transform = ts
	if len(shown) != n {
		full, err := fitMethod(f, method, src, dst)
		if err != nil {
			return nil, err
		}
		res.Transform = full
	}
	if (res.Suspects == 0 || opt.AcceptSuspect) && res.Transform.lin.det() <= 0 {
		return nil, fmt.Errorf("%w (with the suspect points included)", ErrMirror)
	}
	res.Scale = round(ts.Scale(), 4)
	res.RotationDeg = round(ts.RotationDeg(), 2)

	switch {
	case n == 2:
		res.Notes = append(res.Notes, "two points fit exactly (scale, rotation, shift): nothing checks them; a third point away from the line between them lets cunjing check")
	case n == 3 && !ambiguous && res.Suspects == 0:
		res.Notes = append(res.Notes, "three points fit an affine exactly: they were checked against each other only loosely; a fourth point checks them properly")
	}
	if ambiguous {
		res.Notes = append(res.Notes, "the points disagree and there are too few to tell which is wrong: check them, or add points")
	} else if res.Suspects > 0 {
		var names []string
		for i, p := range res.Points {
			if p.Suspect {
				names = append(names, pts[i].label(i))
			}
		}
		res.Notes = append(res.Notes, fmt.Sprintf("suspect (more than %.0f m off the fit of the other points): %v", float64(SuspectM), names))
	}
	if !opt.Smooth && n >= MinSmoothPoints && res.RMS > 3 && res.Suspects == 0 {
		res.SmoothOffered = true
		res.Notes = append(res.Notes, fmt.Sprintf("the drawing is off by %.1f m on average: a smooth correction (--smooth) would pass through every point", res.RMS))
	}
	if st := res.Transform.lin.stretch(); st > maxStretch {
		res.Notes = append(res.Notes, fmt.Sprintf("the fit stretches the map %.1f times more one way than the other: a point far from the others may be wrong (it decides the stretch alone); check it, or add points around the map", st))
	}
	if s := res.Scale; s < 0.2 || s > 5 {
		res.Notes = append(res.Notes, fmt.Sprintf("one map metre is %.2f m on the ground: was the base image's scale set?", s))
	}
	return res, nil
}

func all(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func pick(ps []maps.Point, idx []int) []maps.Point {
	out := make([]maps.Point, len(idx))
	for k, i := range idx {
		out[k] = ps[i]
	}
	return out
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p)/p + 0 // + 0 turns −0 into 0

}

// leaveOneOut is the residual of point i against the fit of the others.
func leaveOneOut(f *Frame, m Method, src, dst []maps.Point, used []int, i int) (maps.Point, error) {
	var rest []int
	for _, j := range used {
		if j != i {
			rest = append(rest, j)
		}
	}
	if len(rest) < MinSmoothPoints-1 {
		m = MethodAffine
	}
	t, err := fitMethod(f, m, pick(src, rest), pick(dst, rest))
	if err != nil {
		return maps.Point{}, err
	}
	return dst[i].Sub(t.ToPlane(src[i])), nil
}

// consensus finds the points that agree. Each pair's similarity predicts
// every point, and the points within SuspectM plus consensusSlack of their
// distance from the pair (a drawing's looseness) form a candidate set.
// With strict, each candidate is then fitted (an affine from four points
// unless it stretches the map implausibly, else a similarity) and scored by how many points lie within SuspectM of
// that fit, refitted once through those: the candidate that keeps most
// points, then the one they fit best, wins. (A loose candidate may take in
// a point a few hundred metres off, whose pull on a least-squares fit would
// push good points out; scoring by the strict fit finds the set without
// it.) Without strict (the smooth fit, which judges points by where the
// others put them) the largest loose set wins. When different sets score
// the same and fit about as well — three points, one wrong, cannot say
// which — the answer is ambiguous.
func consensus(src, dst []maps.Point, strict bool) (agree []bool, ambiguous bool) {
	n := len(src)
	type cand struct {
		set   []bool
		score int
		rms   float64
	}
	seen := map[string]bool{}
	var cands []cand
	add := func(set []bool) {
		key := make([]byte, n)
		for k, in := range set {
			key[k] = '0'
			if in {
				key[k] = '1'
			}
		}
		if !seen[string(key)] {
			seen[string(key)] = true
			cands = append(cands, cand{set: set})
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			t, ok := similarity([]maps.Point{src[i], src[j]}, []maps.Point{dst[i], dst[j]})
			if !ok {
				continue
			}
			s := math.Sqrt(math.Abs(t.det()))
			mid := src[i].Add(src[j]).Scale(0.5)
			set := make([]bool, n)
			for k := 0; k < n; k++ {
				set[k] = maps.Dist(t.apply(src[k]), dst[k]) <= SuspectM+consensusSlack*s*maps.Dist(src[k], mid)
			}
			add(set)
		}
	}
	fitSet := func(set []bool) (affine, bool) {
		var s, d []maps.Point
		for k, in := range set {
			if in {
				s, d = append(s, src[k]), append(d, dst[k])
			}
		}
		// An affine that stretches the map more than a drawing is ever out
		// has leaned on a wrong point (a lone point far from the rest decides
		// the stretch alone): score with a similarity instead.
		if len(s) >= 4 {
			if lin, ok := affineFit(s, d); ok && lin.stretch() <= maxStretch {
				return lin, true
			}
		}
		return similarity(s, d)
	}
	// within is the set of points within SuspectM of lin, and their rms.
	within := func(lin affine) ([]bool, int, float64) {
		set, cnt, sum := make([]bool, n), 0, 0.0
		for k := range src {
			if r := maps.Dist(lin.apply(src[k]), dst[k]); r <= SuspectM {
				set[k], cnt, sum = true, cnt+1, sum+r*r
			}
		}
		if cnt == 0 {
			return set, 0, math.Inf(1)
		}
		return set, cnt, math.Sqrt(sum / float64(cnt))
	}
	for i := range cands {
		c := &cands[i]
		for k := range c.set {
			if c.set[k] {
				c.score++
			}
		}
		if !strict {
			continue
		}
		lin, ok := fitSet(c.set)
		if !ok {
			c.score = -1
			continue
		}
		set, cnt, rms := within(lin)
		if cnt >= 2 {
			if lin2, ok := fitSet(set); ok {
				set, cnt, rms = within(lin2)
			}
		}
		c.set, c.score, c.rms = set, cnt, rms
		if cnt <= 3 {
			c.rms = 0 // a similarity or affine through so few fits them exactly: no evidence either way
		}
	}
	if len(cands) == 0 {
		return make([]bool, n), true
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].score != cands[b].score {
			return cands[a].score > cands[b].score
		}
		return cands[a].rms < cands[b].rms
	})
	best := cands[0]
	if best.score < 2 {
		return best.set, true
	}
	for _, c := range cands[1:] {
		if c.score != best.score {
			break
		}
		same := true
		for k := range c.set {
			same = same && c.set[k] == best.set[k]
		}
		if !same && c.rms <= 1.5*best.rms+1 {
			return best.set, true
		}
	}
	return best.set, false
}

// fitMethod fits map points src to plane points dst.
func fitMethod(f *Frame, m Method, src, dst []maps.Point) (*Transform, error) {
	t := &Transform{Frame: f, Method: m}
	switch m {
	case MethodSimilarity:
		lin, ok := similarity(src, dst)
		if !ok {
			return nil, ErrTooFewPoints
		}
		t.lin = lin
	case MethodAffine, MethodSmooth:
		lin, ok := affineFit(src, dst)
		if !ok {
			return nil, ErrCollinear
		}
		t.lin = lin
		if m == MethodSmooth {
			res := make([]maps.Point, len(src))
			for i := range src {
				res[i] = dst[i].Sub(lin.apply(src[i]))
			}
			sp, err := newTPS(src, res)
			if err != nil {
				return nil, err
			}
			t.tps = sp
		}
	default:
		return nil, fmt.Errorf("unknown fit method %q", m)
	}
	return t, nil
}

// similarity is the least-squares scale, rotation and shift.
func similarity(src, dst []maps.Point) (affine, bool) {
	if len(src) < 2 {
		return affine{}, false
	}
	cs, cd := mean(src), mean(dst)
	var sxx, sa, sb float64
	for i := range src {
		p, q := src[i].Sub(cs), dst[i].Sub(cd)
		sxx += p.X*p.X + p.Y*p.Y
		sa += p.X*q.X + p.Y*q.Y
		sb += p.X*q.Y - p.Y*q.X
	}
	if sxx < 1e-6 {
		return affine{}, false
	}
	a, b := sa/sxx, sb/sxx
	return affine{a, -b, cd.X - a*cs.X + b*cs.Y, b, a, cd.Y - b*cs.X - a*cs.Y}, true
}

// affineFit is the least-squares affine (three or more points, not on a
// line).
func affineFit(src, dst []maps.Point) (affine, bool) {
	if len(src) < 3 {
		return affine{}, false
	}
	cs, cd := mean(src), mean(dst)
	var sxx, sxy, syy, sxe, sye, sxn, syn float64
	for i := range src {
		p, q := src[i].Sub(cs), dst[i].Sub(cd)
		sxx += p.X * p.X
		sxy += p.X * p.Y
		syy += p.Y * p.Y
		sxe += p.X * q.X
		sye += p.Y * q.X
		sxn += p.X * q.Y
		syn += p.Y * q.Y
	}
	det := sxx*syy - sxy*sxy
	if det <= 1e-9*(sxx+syy)*(sxx+syy) {
		return affine{}, false
	}
	a := (syy*sxe - sxy*sye) / det
	b := (sxx*sye - sxy*sxe) / det
	d := (syy*sxn - sxy*syn) / det
	e := (sxx*syn - sxy*sxn) / det
	return affine{a, b, cd.X - a*cs.X - b*cs.Y, d, e, cd.Y - d*cs.X - e*cs.Y}, true
}
