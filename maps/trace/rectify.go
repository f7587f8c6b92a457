package trace

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"

	"cunjing/maps/trace/homography"
)

// Homography maps points of one plane to another: (x, y) goes to
// ((h0·x + h1·y + h2)/w, (h3·x + h4·y + h5)/w) with w = h6·x + h7·y + h8.
type Homography = homography.H

// HomographyFrom is the homography taking the four points from to the
// four points to (in order), or an error when three of either lie on a line.
func HomographyFrom(from, to [4]Pt) (Homography, error) {
	h, err := homography.From(from, to)
	if err != nil {
		return Homography{}, fmt.Errorf("trace: %w", err)
	}
	return h, nil
}

// Rectify flattens the sheet whose corners — top-left, top-right,
// bottom-right, bottom-left as the sheet is read — are given in img's
// pixels: the sheet is resampled (bilinear) onto a rectangle as wide as
// its top and bottom edges' mean length and as high as its sides'. It
// returns the flat sheet and the homography taking the flat sheet's
// pixels back to img's, for the proposal's coordinates.
func Rectify(img *image.Gray, corners [4]Pt) (*image.Gray, Homography, error) {
	if img == nil {
		return nil, Homography{}, errors.New("trace: no image")
	}
	for _, c := range corners {
		if math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.IsInf(c[0], 0) || math.IsInf(c[1], 0) {
			return nil, Homography{}, fmt.Errorf("trace: corner %v is not a point", c)
		}
	}
	d := func(a, b Pt) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
	w := int(math.Round((d(corners[0], corners[1]) + d(corners[3], corners[2])) / 2))
	h := int(math.Round((d(corners[0], corners[3]) + d(corners[1], corners[2])) / 2))
	switch {
	case w < MinSide || h < MinSide:
		return nil, Homography{}, fmt.Errorf("trace: the corners enclose a sheet of %d×%d px, too small to trace (want at least %d×%d): are they the sheet's corners?", w, h, MinSide, MinSide)
	case float64(w)*float64(h) > MaxPixels:
		return nil, Homography{}, fmt.Errorf("trace: the corners enclose a sheet of %d×%d px, over the %d-megapixel limit: are they the sheet's corners?", w, h, MaxPixels/1_000_000)
	}
	// convex and in order: each turn the same way
	sign := 0.0
	for i := range 4 {
		c := cross(corners[i], corners[(i+1)%4], corners[(i+2)%4])
		if c == 0 || (sign != 0 && (c > 0) != (sign > 0)) {
			return nil, Homography{}, errors.New("trace: the corners do not make a convex four-sided sheet (give them top-left, top-right, bottom-right, bottom-left)")
		}
		sign = c
	}
	back, err := HomographyFrom([4]Pt{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}}, corners)
	if err != nil {
		return nil, Homography{}, err
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := homography.Bilinear(img, back.Apply(Pt{float64(x) + 0.5, float64(y) + 0.5}))
			out.Pix[y*out.Stride+x] = uint8(math.Min(255, math.Max(0, v+0.5)))
		}
	}
	return out, back, nil
}

// ErrNoSheetEdge is returned when no sheet's edges stand out from a
// darker background: a flat scan (already the sheet alone), or a photo
// where the sheet fills the frame or lies on something as bright.
var ErrNoSheetEdge = errors.New("trace: the sheet's edges are not in the picture (a scan needs no flattening; for a photo, put the sheet on a darker table with all four corners in view, or click them)")

// cornerSide is the side the picture is reduced to to find the corners.
const cornerSide = 800

// FindSheetCorners finds a photographed sheet's corners — top-left,
// top-right, bottom-right, bottom-left — in img's pixels: the picture is
// reduced, split into paper and background at Otsu's threshold, the
// largest piece of paper taken, and a four-sided outline fitted to its
// convex hull (the corners maximising the area, then each side a line
// fitted to the hull's points along it).
func FindSheetCorners(img *image.Gray) ([4]Pt, error) {
	var none [4]Pt
	if img == nil {
		return none, errors.New("trace: no image")
	}
	iw, ih := img.Rect.Dx(), img.Rect.Dy()
	if err := checkSize(iw, ih); err != nil {
		return none, err
	}
	f := max(1, (max(iw, ih)+cornerSide-1)/cornerSide)
	w, h := iw/f, ih/f
	small := make([]byte, w*h)
	var hist [256]int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0
			for dy := 0; dy < f; dy++ {
				row := img.Pix[(y*f+dy)*img.Stride+x*f:]
				for dx := 0; dx < f; dx++ {
					s += int(row[dx])
				}
			}
			v := byte(s / (f * f))
			small[y*w+x] = v
			hist[v]++
		}
	}
	t := otsu(hist, w*h)
	paper := make([]byte, w*h) // 1 where background, as label wants
	for i, v := range small {
		if int(v) <= t {
			paper[i] = 1
		}
	}
	lab, regs := label(paper, w, h)
	best := 0
	for id := range regs {
		if id > 0 && regs[id].area > regs[best].area {
			best = id
		}
	}
	if best == 0 {
		return none, ErrNoSheetEdge
	}
	r := regs[best]
	if frac := float64(r.area) / float64(w*h); frac < 0.15 || frac > 0.97 {
		return none, ErrNoSheetEdge
	}
	// the background must be clearly darker than the paper
	var bg, pp, nb, np float64
	for i, v := range small {
		if lab[i] == int32(best) {
			pp += float64(v)
			np++
		} else {
			bg += float64(v)
			nb++
		}
	}
	if nb == 0 || pp/np-bg/nb < 25 {
		return none, ErrNoSheetEdge
	}
	ring := contour(lab, w, h, int32(best), r.start)
	hull := convexHull(ring)
	if len(hull) < 4 {
		return none, ErrNoSheetEdge
	}
	q := maxQuad(hull)
	// refine: a line through the hull's points along each side
	var lines [4][3]float64 // a·x + b·y = c
	for i := range 4 {
		a, b := q[i], q[(i+1)%4]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		var pts []Pt
		for _, p := range ring {
			// the contour's points near the side, away from its corners
			tt := ((p[0]-a[0])*(b[0]-a[0]) + (p[1]-a[1])*(b[1]-a[1])) / (l * l)
			if tt < 0.1 || tt > 0.9 || distToSegment(p, a, b) > 3 {
				continue
			}
			pts = append(pts, p)
		}
		lines[i] = fitLine(pts, a, b)
		// the contour runs through the paper's edge pixels' centres: the
		// edge is half a pixel further out
		var cx, cy float64
		for _, p := range q {
			cx, cy = cx+p[0]/4, cy+p[1]/4
		}
		if lines[i][0]*cx+lines[i][1]*cy < lines[i][2] {
			lines[i][2] += 0.5
		} else {
			lines[i][2] -= 0.5
		}
	}
	var out [4]Pt
	for i := range 4 {
		p, ok := meet(lines[(i+3)%4], lines[i])
		if !ok {
			p = q[i]
		}
		// back to img's pixels: the reduced pixel centres are f apart
		out[i] = Pt{p[0] * float64(f), p[1] * float64(f)}
	}
	return orderCorners(out), nil
}

// otsu is the threshold that best splits a histogram in two.
func otsu(hist [256]int, n int) int {
	var sum float64
	for v, c := range hist {
		sum += float64(v * c)
	}
	var sumB, wB float64
	best, bestVar := 0, -1.0
	for t := range 256 {
		wB += float64(hist[t])
		if wB == 0 {
			continue
		}
		wF := float64(n) - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB, mF := sumB/wB, (sum-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > bestVar {
			best, bestVar = t, v
		}
	}
	return best
}

// maxQuad picks four hull points making the largest quadrilateral:
// starting from the extremes along the diagonals, each corner in turn
// moves to the hull point that most enlarges it, until none does.
func maxQuad(hull []Pt) [4]Pt {
	n := len(hull)
	idx := [4]int{}
	dirs := [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}
	for k, d := range dirs {
		bv := math.Inf(-1)
		for i, p := range hull {
			if v := p[0]*d[0] + p[1]*d[1]; v > bv {
				bv, idx[k] = v, i
			}
		}
	}
	area := func(ix [4]int) float64 {
		var q [4]Pt
		for k := range 4 {
			q[k] = hull[ix[k]]
		}
		return ringArea(q[:])
	}
	for round := 0; round < 10; round++ {
		moved := false
		for k := range 4 {
			cur := area(idx)
			for i := range n {
				try := idx
				try[k] = i
				if a := area(try); a > cur+1e-9 && convexOrder(try) {
					idx, cur, moved = try, a, true
				}
			}
		}
		if !moved {
			break
		}
	}
	var q [4]Pt
	for k := range 4 {
		q[k] = hull[idx[k]]
	}
	return q
}

// convexOrder says whether four hull points are distinct and in the
// hull's order, either way round (so they make a simple quadrilateral).
func convexOrder(ix [4]int) bool {
	s := ix[:]
	// a rotation of an increasing or of a decreasing sequence
	drops := 0
	for k := range 4 {
		if s[k] == s[(k+1)%4] {
			return false
		}
		if s[(k+1)%4] < s[k] {
			drops++
		}
	}
	return drops == 1 || drops == 3
}

// fitLine fits a line a·x + b·y = c to points by total least squares;
// with fewer than two points, the line through p and q.
func fitLine(pts []Pt, p, q Pt) [3]float64 {
	if len(pts) < 2 {
		a, b := q[1]-p[1], p[0]-q[0]
		return [3]float64{a, b, a*p[0] + b*p[1]}
	}
	var cx, cy float64
	for _, p := range pts {
		cx += p[0]
		cy += p[1]
	}
	n := float64(len(pts))
	cx, cy = cx/n, cy/n
	var sxx, sxy, syy float64
	for _, p := range pts {
		dx, dy := p[0]-cx, p[1]-cy
		sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
	}
	th := 0.5 * math.Atan2(2*sxy, sxx-syy) // the direction
	a, b := -math.Sin(th), math.Cos(th)
	return [3]float64{a, b, a*cx + b*cy}
}

// meet is where two lines cross.
func meet(l, m [3]float64) (Pt, bool) {
	d := l[0]*m[1] - l[1]*m[0]
	if math.Abs(d) < 1e-9 {
		return Pt{}, false
	}
	return Pt{(l[2]*m[1] - l[1]*m[2]) / d, (l[0]*m[2] - l[2]*m[0]) / d}, true
}

// orderCorners puts four corners as top-left, top-right, bottom-right,
// bottom-left: clockwise on screen from the one nearest the top-left.
func orderCorners(c [4]Pt) [4]Pt {
	var cx, cy float64
	for _, p := range c {
		cx += p[0] / 4
		cy += p[1] / 4
	}
	s := c[:]
	slices.SortFunc(s, func(a, b Pt) int {
		return cmpFloat(math.Atan2(a[1]-cy, a[0]-cx), math.Atan2(b[1]-cy, b[0]-cx))
	})
	// clockwise on screen (y down) is increasing angle; start at the top-left
	start := 0
	for i := range 4 {
		if s[i][0]+s[i][1] < s[start][0]+s[start][1] {
			start = i
		}
	}
	var out [4]Pt
	for i := range 4 {
		out[i] = s[(start+i)%4]
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// detectFlattened flattens the sheet from o.Corners, or from the corners
// found, traces the flat sheet and maps the proposal's positions back to
// img's pixels.
func detectFlattened(img *image.Gray, o Options) (*Proposal, error) {
	var corners [4]Pt
	switch {
	case o.Corners != nil:
		corners = *o.Corners
	default:
		c, err := FindSheetCorners(img)
		if errors.Is(err, ErrNoSheetEdge) {
			o.FindCorners = false
			return Detect(img, o) // a scan: nothing to flatten
		}
		if err != nil {
			return nil, err
		}
		corners = c
	}
	flat, back, err := Rectify(img, corners)
	if err != nil {
		return nil, err
	}
	o.Corners, o.FindCorners = nil, false
	p, err := Detect(flat, o)
	if err != nil {
		return nil, err
	}
	p.FlatWidth, p.FlatHeight, p.Flat = p.Width, p.Height, flat
	p.Width, p.Height = img.Rect.Dx(), img.Rect.Dy()
	p.Corners = &corners
	mapAll := func(pts []Pt) {
		for i := range pts {
			pts[i] = back.Apply(pts[i])
		}
	}
	for i := range p.Houses {
		p.Houses[i].At = back.Apply(p.Houses[i].At)
		mapAll(p.Houses[i].Outline)
	}
	for i := range p.Lanes {
		mapAll(p.Lanes[i].Points)
	}
	for i := range p.Landmarks {
		p.Landmarks[i].At = back.Apply(p.Landmarks[i].At)
	}
	if p.ScaleBar != nil {
		mapAll(p.ScaleBar.Ends[:])
	}
	return p, nil
}
