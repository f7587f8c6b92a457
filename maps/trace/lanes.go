package trace

import (
	"cmp"
	"math"
	"slices"
)

// Lane is a proposed lane: its centreline in the input image's pixels
// and its width, the distance between the two drawn lane lines (or the
// facing house rows) measured across it.
type Lane struct {
	Points  []Pt
	WidthPx float64
	// WidthM is the width in metres; 0 when the scale is unknown.
	WidthM float64
}

// laneRange is the span of lane widths looked for, in metres: a back lane
// of 1.8 m to a main street of 8.5 m.
const laneMinM, laneMaxM = 1.6, 8.5

// laneCos is the most the directions to a corridor middle's two nearest
// walls may agree: they must be within 32° of opposite.
const laneCos = -0.85

// laneWidthPad is added to a corridor's measured width, which runs from
// the innermost ink pixel's centre on one side to the other's, to reach
// the lines' middles (half a pencil line on each side). Measured on the
// fixture sheets (seeds 1–3).
const laneWidthPad = 2.0

// ridge is one point on a corridor's middle, with the corridor's width.
type ridge struct {
	x, y  int32
	width float32
}

// findLanes proposes lanes: the middles of the corridors between two
// facing walls of ink — two drawn lane lines, or two house rows — of a
// lane's width, and long enough to be a lane. raw is the ink before it
// was grown; skip marks paper regions (of lab) not to look in: houses and
// ponds. wMin and wMax bound the width in pixels, minLen the length. The
// gap between a lane line and the houses set back from it (up to 1.5 m)
// is narrower than a lane.
func findLanes(raw []byte, w, h int, lab []int32, skip []bool, wMin, wMax, minLen float64) []Lane {
	ridges := corridorMiddles(raw, w, h, lab, skip, wMin, wMax)
	if len(ridges) == 0 {
		return nil
	}
	comps := joinRidges(ridges, w)
	step := math.Max(4, wMin)
	var pieces []pieceLine
	for _, c := range comps {
		if len(c) < 4 {
			continue
		}
		pts := make([]ridge, len(c))
		for i, k := range c {
			pts[i] = ridges[k]
		}
		for _, piece := range splitPieces(pts, math.Max(3, wMin/2)) {
			if l := pieceLane(piece, step); l.length() >= 2 && float64(len(piece)) >= 0.4*l.length() {
				pieces = append(pieces, l)
			}
		}
	}
	pieces = mergePieces(pieces, wMin)
	var lanes []Lane
	for _, l := range pieces {
		if l.length() >= minLen {
			lanes = append(lanes, Lane{Points: l.pts, WidthPx: l.width})
		}
	}
	return lanes
}

// mergePieces joins pieces of one lane that a crossing lane, a well or a
// number cut apart: end to end, in line, and of about one width. Longest
// first, each piece takes the best-placed other at either end until none fits.
func mergePieces(ps []pieceLine, wMin float64) []pieceLine {
	slices.SortFunc(ps, func(a, b pieceLine) int { return cmp.Compare(b.length(), a.length()) })
	used := make([]bool, len(ps))
	var out []pieceLine
	for i := range ps {
		if used[i] {
			continue
		}
		used[i] = true
		cur := ps[i]
		for {
			best, bestD, bestPts := -1, math.Inf(1), []Pt(nil)
			for j := range ps {
				if used[j] || len(ps[j].pts) < 2 {
					continue
				}
				if pts, d, ok := joinable(cur, ps[j], wMin); ok && d < bestD {
					best, bestD, bestPts = j, d, pts
				}
			}
			if best < 0 {
				break
			}
			used[best] = true
			lc, lb := cur.length(), ps[best].length()
			cur = pieceLine{pts: bestPts, width: (cur.width*lc + ps[best].width*lb) / (lc + lb)}
		}
		out = append(out, cur)
	}
	return out
}

// joinable says whether b continues a beyond one of a's ends, returning
// the joined polyline and the gap.
func joinable(a, b pieceLine, wMin float64) ([]Pt, float64, bool) {
	if len(a.pts) < 2 || b.width > 1.4*a.width || b.width < a.width/1.4 {
		return nil, 0, false
	}
	maxGap := math.Max(3*wMin, 2.5*a.width)
	rev := func(p []Pt) []Pt { q := slices.Clone(p); slices.Reverse(q); return q }
	for _, end := range []bool{false, true} { // a's last end, then its first
		ap := a.pts
		if !end {
			ap = rev(ap)
		}
		// ap now runs towards the end that is joined: ap[len-1]
		e := ap[len(ap)-1]
		d := unit(ap[max(0, len(ap)-4)], e)
		for _, flip := range []bool{false, true} {
			bp := b.pts
			if flip {
				bp = rev(bp)
			}
			s := bp[0]
			gx, gy := s[0]-e[0], s[1]-e[1]
			along := gx*d[0] + gy*d[1]
			across := math.Abs(-gx*d[1] + gy*d[0])
			bd := unit(bp[0], bp[min(len(bp)-1, 3)])
			if along < -wMin || along > maxGap || across > math.Max(3, 0.35*a.width) || bd[0]*d[0]+bd[1]*d[1] < 0.94 {
				continue
			}
			joined := append(slices.Clone(ap), bp...)
			if !end {
				joined = rev(joined)
			}
			return joined, math.Hypot(gx, gy), true
		}
	}
	return nil, 0, false
}

func unit(a, b Pt) Pt {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	if l == 0 {
		return Pt{1, 0}
	}
	return Pt{dx / l, dy / l}
}

// corridorMiddles finds the paper pixels whose nearest ink and the nearest
// ink of a neighbour lie on opposite sides, a corridor's width apart
// (the medial axis of the paper between two facing walls). The nearest
// ink comes from a Euclidean feature transform: a column pass keeps each
// pixel's nearest ink row in its column, a row pass the lower envelope of
// parabolas (Felzenszwalb and Huttenlocher) for two rows at a time.
func corridorMiddles(raw []byte, w, h int, lab []int32, skip []bool, wMin, wMax float64) []ridge {
	// ny holds, for each pixel, its column's nearest ink as a row offset
	// (ink row − row), or none when that is over reach: ink farther than
	// reach is farther than any corridor's middle is from its walls, so
	// capping it changes no middle found (2 bytes a pixel).
	const none = math.MinInt16
	reach := int32(math.Min(math.Ceil(wMax/2)+3, math.MaxInt16))
	ny := make([]int16, w*h)
	last := make([]int32, w)
	for x := range last {
		last[x] = -1 << 30
	}
	for y := 0; y < h; y++ {
		row := ny[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			if raw[y*w+x] == 1 {
				last[x] = int32(y)
			}
			if int32(y)-last[x] <= reach {
				row[x] = int16(last[x] - int32(y))
			} else {
				row[x] = none
			}
		}
	}
	for x := range last {
		last[x] = 1 << 30
	}
	for y := h - 1; y >= 0; y-- {
		row := ny[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			if raw[y*w+x] == 1 {
				last[x] = int32(y)
			}
			if d := last[x] - int32(y); d <= reach && (row[x] == none || d < -int32(row[x])) {
				row[x] = int16(d)
			}
		}
	}
	// fx[x] is the column of row y's nearest ink (its row is y+ny[y*w+fx[x]]), -1 if none
	cur, next := make([]int32, w), make([]int32, w)
	v := make([]int32, w)
	z := make([]float64, w+1)
	envelope := func(y int, out []int32) {
		row := ny[y*w : (y+1)*w]
		f := func(q int32) float64 {
			d := float64(row[q])
			return d*d + float64(q)*float64(q)
		}
		k := -1
		for q := int32(0); q < int32(w); q++ {
			if row[q] == none {
				continue
			}
			fq := f(q)
			var s float64
			for k >= 0 {
				s = (fq - f(v[k])) / (2 * float64(q-v[k]))
				if s > z[k] {
					break
				}
				k--
			}
			k++
			v[k] = q
			if k == 0 {
				z[k] = math.Inf(-1)
			} else {
				z[k] = s
			}
			z[k+1] = math.Inf(1)
		}
		if k < 0 {
			for x := range out {
				out[x] = -1
			}
			return
		}
		j := 0
		for x := 0; x < w; x++ {
			for z[j+1] < float64(x) {
				j++
			}
			out[x] = v[j]
		}
	}
	lo2, hi2 := (wMin/2)*(wMin/2)*0.8, (wMax/2+1)*(wMax/2+1)
	var out []ridge
	envelope(0, cur)
	for y := 0; y < h; y++ {
		if y+1 < h {
			envelope(y+1, next)
		}
		for x := 0; x+1 < w; x++ {
			i := y*w + x
			if raw[i] == 1 || cur[x] < 0 || (lab[i] > 0 && skip[lab[i]]) {
				continue
			}
			ax, ay := float64(cur[x]-int32(x)), float64(ny[y*w+int(cur[x])])
			da := ax*ax + ay*ay
			if da < lo2 || da > hi2 {
				continue
			}
			// the right neighbour, then the one below
			for n := 0; n < 2; n++ {
				var bx, by float64
				if n == 0 {
					bx, by = float64(cur[x+1]-int32(x)), float64(ny[y*w+int(cur[x+1])])
				} else {
					if y+1 >= h || next[x] < 0 {
						continue
					}
					bx, by = float64(next[x]-int32(x)), float64(ny[(y+1)*w+int(next[x])]+1)
				}
				db := bx*bx + by*by
				if db < lo2 || db > hi2 {
					continue
				}
				la, lb := math.Sqrt(da), math.Sqrt(db)
				if (ax*bx+ay*by)/(la*lb) > laneCos {
					continue
				}
				wd := math.Hypot(ax-bx, ay-by) + laneWidthPad
				if wd < wMin || wd > wMax {
					continue
				}
				out = append(out, ridge{int32(x), int32(y), float32(wd)})
				break
			}
		}
		cur, next = next, cur
	}
	return out
}

// joinRidges groups ridge points lying within two pixels of each other.
func joinRidges(rs []ridge, w int) [][]int {
	at := make(map[int]int, len(rs))
	for i, r := range rs {
		at[int(r.y)*w+int(r.x)] = i
	}
	parent := make([]int, len(rs))
	for i := range parent {
		parent[i] = i
	}
	find := func(a int) int {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	for i, r := range rs {
		for dy := int32(0); dy <= 2; dy++ {
			for dx := int32(-2); dx <= 2; dx++ {
				if dy == 0 && dx <= 0 {
					continue
				}
				x := r.x + dx
				if x < 0 || int(x) >= w {
					continue
				}
				if j, ok := at[int(r.y+dy)*w+int(x)]; ok {
					a, b := find(i), find(j)
					if a != b {
						parent[max(a, b)] = min(a, b)
					}
				}
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range rs {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	out := make([][]int, 0, len(roots))
	for _, r := range roots {
		out = append(out, groups[r])
	}
	return out
}

// axis is a group of points' centre and principal direction.
func axis(pts []ridge) (cx, cy, ux, uy float64) {
	for _, p := range pts {
		cx += float64(p.x)
		cy += float64(p.y)
	}
	n := float64(len(pts))
	cx, cy = cx/n, cy/n
	var sxx, sxy, syy float64
	for _, p := range pts {
		dx, dy := float64(p.x)-cx, float64(p.y)-cy
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	th := 0.5 * math.Atan2(2*sxy, sxx-syy)
	return cx, cy, math.Cos(th), math.Sin(th)
}

// splitPieces cuts a group of ridge points into pieces that each run
// along one line within tol pixels (a lane that turns becomes two).
func splitPieces(pts []ridge, tol float64) [][]ridge {
	if len(pts) < 8 {
		return [][]ridge{pts}
	}
	l := pieceLane(pts, math.Max(4, 2*tol))
	off := 0 // points farther than tol from the piece's line
	for _, p := range pts {
		if distToPolyline(Pt{float64(p.x) + 0.5, float64(p.y) + 0.5}, l.pts) > tol {
			off++
		}
	}
	if off*20 <= len(pts) || len(pts) < 16 {
		return [][]ridge{pts}
	}
	cx, cy, ux, uy := axis(pts)
	var a, b []ridge
	for _, p := range pts {
		if (float64(p.x)-cx)*ux+(float64(p.y)-cy)*uy < 0 {
			a = append(a, p)
		} else {
			b = append(b, p)
		}
	}
	if len(a) == 0 || len(b) == 0 {
		return [][]ridge{pts}
	}
	return append(splitPieces(a, tol), splitPieces(b, tol)...)
}

type pieceLine struct {
	pts   []Pt
	width float64
}

func (l pieceLine) length() float64 {
	var s float64
	for i := 1; i < len(l.pts); i++ {
		s += math.Hypot(l.pts[i][0]-l.pts[i-1][0], l.pts[i][1]-l.pts[i-1][1])
	}
	return s
}

// pieceLane runs a polyline through a piece along its principal axis:
// the mean of its points in each step of the axis. Its width is the
// median of the points' widths.
func pieceLane(pts []ridge, step float64) pieceLine {
	cx, cy, ux, uy := axis(pts)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		t := (float64(p.x)-cx)*ux + (float64(p.y)-cy)*uy
		lo, hi = math.Min(lo, t), math.Max(hi, t)
	}
	n := int((hi-lo)/step) + 1
	sx, sy, cnt := make([]float64, n), make([]float64, n), make([]int, n)
	ws := make([]float64, 0, len(pts))
	for _, p := range pts {
		t := (float64(p.x)-cx)*ux + (float64(p.y)-cy)*uy
		k := min(int((t-lo)/step), n-1)
		sx[k] += float64(p.x) + 0.5
		sy[k] += float64(p.y) + 0.5
		cnt[k]++
		ws = append(ws, float64(p.width))
	}
	var out []Pt
	for k := range n {
		if cnt[k] > 0 {
			out = append(out, Pt{sx[k] / float64(cnt[k]), sy[k] / float64(cnt[k])})
		}
	}
	if len(out) == 1 {
		out = append(out, out[0])
	}
	if u := (Pt{out[len(out)-1][0] - out[0][0], out[len(out)-1][1] - out[0][1]}); u[0]*ux+u[1]*uy < 0 {
		slices.Reverse(out)
	}
	slices.Sort(ws)
	return pieceLine{pts: out, width: ws[len(ws)/2]}
}

// distToPolyline is the distance from p to the nearest point of a polyline.
func distToPolyline(p Pt, line []Pt) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(line); i++ {
		best = math.Min(best, distToSegment(p, line[i], line[i+1]))
	}
	if len(line) == 1 {
		best = math.Hypot(p[0]-line[0][0], p[1]-line[0][1])
	}
	return best
}

func distToSegment(p, a, b Pt) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// laneMinLenM is the shortest lane proposed, in metres: shorter corridors
// are the gaps between neighbouring houses.
const laneMinLenM = 14

// typicalHouseM2 is a village house's plot in square metres (a 9–13.5 m
// frontage, 10–14 m deep): with the scale unknown, the median house's
// area in pixels gives a rough one to look for lanes at.
const typicalHouseM2 = 117

// guessScale is a rough scale from the houses' median size.
func guessScale(hs []House) float64 {
	areas := make([]int, len(hs))
	for i, h := range hs {
		areas[i] = h.AreaPx
	}
	slices.Sort(areas)
	return math.Sqrt(float64(areas[len(areas)/2]) / typicalHouseM2)
}
