package trace

import (
	"cmp"
	"math"
	"slices"
)

// wellRadiusM is the radius of a well's map sign in metres as the
// officers draw it (a small circle with 井's crossing lines, about 2.6 m
// across at the sheet's scale).
const wellRadiusM = 1.3

// A well's sign, measured on the fixture sheets (seeds 1–3, and the same
// drawn at 1.5 and 2 times the size): of 24 rays from its centre at least
// 21 meet ink at its radius; at most 8 meet ink 2.5 pixels (or 0.35
// radii) beyond it and at most 10 at 1.8 radii (a lane line or a
// house's wall passes it), and at most 12 at the two together (a knot of
// walls and lines meets ink all round: set on A3 sheets of seeds 4–7,
// where it took the proposals from 46 to 24 for 20 wells, all still
// found, and the wells found on the fixture-sized sheets from 24 of 24
// to 22); 60% of the rays meet ink at a third and at
// two thirds of the radius (the crossing lines), and 85% of the disc is
// ink — at a sheet's usual scale the sign is a dozen pixels across, a
// blob more than a drawing. At larger scales these bounds are eased to
// what an ideal sign gives (idealWell).
const (
	wellRing, wellNear, wellOut = 21, 8, 10
	wellAround                  = 12
	wellFill, wellDisc          = 0.6, 0.85
)

// findWells proposes wells: small circles of ink with crossing lines
// inside, of radius about r pixels (radii from rLo to rHi are tried).
// A well's sign at a sheet's usual scale is a dozen pixels across: a
// ring of ink, dense ink inside (the crossing lines), and mostly paper
// around it. skip marks the paper regions of houses and ponds: a sign
// in them (a number's 0 or 8, a pond's waves) is not a well.
func findWells(raw []byte, w, h int, lab []int32, skip []bool, rLo, rHi float64) []Landmark {
	if rLo < 2 {
		rLo = 2
	}
	t := strokeWidth(raw, w, h)
	ink := func(x, y float64) bool {
		xi, yi := int(x), int(y)
		return xi >= 0 && yi >= 0 && xi < w && yi < h && raw[yi*w+xi] == 1
	}
	const n = 24
	var cs, sn [n]float64
	for k := range n {
		cs[k], sn[k] = math.Cos(2*math.Pi*float64(k)/n), math.Sin(2*math.Pi*float64(k)/n)
	}
	type cand struct {
		x, y, r, score float64
	}
	var cands []cand
	for r := rLo; r <= rHi*1.001; r *= 1.1 {
		// a disc 85% ink holds a nearly solid square of 0.7 radii: the
		// ink in the square about each pixel, from column sums over the
		// square's rows kept as the rows go down (no image-sized table)
		in := max(1, int(0.7*r))
		side := 2*in + 1
		// at a larger scale the sign is less of a blob: each bound is
		// eased to what an ideal sign of this radius, drawn in the
		// sheet's pencil width, would give
		ideal := idealWell(r, t)
		// just beyond the ring: 2.5 pixels, or more for a larger sign
		// drawn in thicker strokes
		nearR := math.Max(r+2.5, 1.35*r)
		need := int32(math.Min(0.75, 0.85*ideal.square) * float64(side*side))
		minRing := min(wellRing, ideal.ring-2)
		minFill := math.Min(wellFill*2*n, 0.75*float64(ideal.fill))
		minDisc := math.Min(wellDisc, 0.9*ideal.disc)
		y0 := int(r) + 2
		if y0-in < 0 || h-int(r)-2 <= y0 {
			continue
		}
		col := make([]int32, w)
		pre := make([]int32, w+1)
		for y := y0 - in; y < y0+in; y++ {
			for x := range w {
				col[x] += int32(raw[y*w+x])
			}
		}
		for y := y0; y < h-int(r)-2; y++ {
			add := (y + in) * w
			for x := range w {
				col[x] += int32(raw[add+x])
			}
			if y > y0 {
				sub := (y - in - 1) * w
				for x := range w {
					col[x] -= int32(raw[sub+x])
				}
			}
			for x := range w {
				pre[x+1] = pre[x] + col[x]
			}
			for x := int(r) + 2; x < w-int(r)-2; x++ {
				if raw[y*w+x] == 0 || pre[x+in+1]-pre[x-in] < need {
					continue
				}
				fx, fy := float64(x)+0.5, float64(y)+0.5
				ring, near, out, inSkip, fill := 0, 0, 0, 0, 0
				for k := range n {
					if ink(fx+r*cs[k], fy+r*sn[k]) || ink(fx+(r-0.5)*cs[k], fy+(r-0.5)*sn[k]) || ink(fx+(r+0.5)*cs[k], fy+(r+0.5)*sn[k]) {
						ring++
					}
					if ink(fx+0.35*r*cs[k], fy+0.35*r*sn[k]) {
						fill++
					}
					if ink(fx+0.7*r*cs[k], fy+0.7*r*sn[k]) {
						fill++
					}
					if ink(fx+nearR*cs[k], fy+nearR*sn[k]) {
						near++
					}
					ox, oy := fx+1.8*r*cs[k], fy+1.8*r*sn[k]
					if ink(ox, oy) {
						out++
					}
					if xi, yi := int(ox), int(oy); xi >= 0 && yi >= 0 && xi < w && yi < h {
						if id := lab[yi*w+xi]; id > 0 && skip[id] {
							inSkip++
						}
					}
				}
				if ring < minRing || near > wellNear || near+out > wellAround || out > wellOut || inSkip > n/2 || float64(fill) < minFill {
					continue
				}
				var in, all int
				ri := int(r) + 1
				for dy := -ri; dy <= ri; dy++ {
					for dx := -ri; dx <= ri; dx++ {
						if float64(dx*dx+dy*dy) <= r*r {
							all++
							in += int(raw[(y+dy)*w+x+dx])
						}
					}
				}
				disc := float64(in) / float64(all)
				if disc < minDisc {
					continue
				}
				cands = append(cands, cand{fx, fy, r, float64(ring)/n + disc - float64(out+near)/n})
			}
		}
	}
	// the best candidate in each sign's neighbourhood
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	var wells []Landmark
	for _, c := range cands {
		near := false
		for _, l := range wells {
			if math.Hypot(l.At[0]-c.x, l.At[1]-c.y) < 2.5*c.r {
				near = true
				break
			}
		}
		if !near {
			wells = append(wells, Landmark{Kind: "well", At: Pt{c.x, c.y}})
		}
	}
	return wells
}

// outsideHouses drops the signs inside a house's outline (a number's 0,
// 6, 8 or 9 is a small ring too).
func outsideHouses(ls []Landmark, hs []House) []Landmark {
	type box struct{ x0, y0, x1, y1 float64 }
	boxes := make([]box, len(hs))
	for i, h := range hs {
		b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, p := range h.Outline {
			b.x0, b.y0, b.x1, b.y1 = math.Min(b.x0, p[0]), math.Min(b.y0, p[1]), math.Max(b.x1, p[0]), math.Max(b.y1, p[1])
		}
		boxes[i] = b
	}
	out := ls[:0]
	for _, l := range ls {
		in := false
		for i, b := range boxes {
			if l.At[0] >= b.x0 && l.At[0] <= b.x1 && l.At[1] >= b.y0 && l.At[1] <= b.y1 && Inside(l.At, hs[i].Outline) {
				in = true
				break
			}
		}
		if !in {
			out = append(out, l)
		}
	}
	return out
}

// strokeWidth is the pencil's width in pixels: the median length of the
// horizontal runs of ink up to 15 pixels long (across lines, not along).
func strokeWidth(raw []byte, w, h int) float64 {
	var hist [16]int
	total := 0
	for y := 0; y < h; y += 2 {
		row := raw[y*w : (y+1)*w]
		for x := 0; x < w; {
			if row[x] == 0 {
				x++
				continue
			}
			e := x
			for e < w && row[e] == 1 {
				e++
			}
			if l := e - x; l < len(hist) {
				hist[l]++
				total++
			}
			x = e
		}
	}
	acc := 0
	for l, c := range hist {
		acc += c
		if 2*acc >= total && total > 0 {
			return float64(l)
		}
	}
	return 2
}

// wellIdeal is what the well tests measure on an ideal sign.
type wellIdeal struct {
	square, disc float64
	ring, fill   int
}

// idealWell draws an ideal well's sign of radius r in strokes t pixels
// wide — a circle and 井's four lines at ±0.35 r, 1.6 r long, as maps
// draws it — and measures it as findWells does.
func idealWell(r, t float64) wellIdeal {
	s := int(2*r + 2*t + 8)
	c := float64(s/2) + 0.5
	raw := make([]byte, s*s)
	for y := range s {
		for x := range s {
			px, py := float64(x)+0.5-c, float64(y)+0.5-c
			on := math.Abs(math.Hypot(px, py)-r) <= t/2
			for _, d := range []float64{-0.35 * r, 0.35 * r} {
				on = on || (math.Abs(px-d) <= t/2 && math.Abs(py) <= 0.8*r) || (math.Abs(py-d) <= t/2 && math.Abs(px) <= 0.8*r)
			}
			if on {
				raw[y*s+x] = 1
			}
		}
	}
	at := func(x, y float64) bool {
		xi, yi := int(x), int(y)
		return xi >= 0 && yi >= 0 && xi < s && yi < s && raw[yi*s+xi] == 1
	}
	var m wellIdeal
	in := max(1, int(0.7*r))
	cx := s / 2
	sq := 0
	for y := cx - in; y <= cx+in; y++ {
		for x := cx - in; x <= cx+in; x++ {
			sq += int(raw[y*s+x])
		}
	}
	m.square = float64(sq) / float64((2*in+1)*(2*in+1))
	const n = 24
	for k := range n {
		cs, sn := math.Cos(2*math.Pi*float64(k)/n), math.Sin(2*math.Pi*float64(k)/n)
		if at(c+r*cs, c+r*sn) || at(c+(r-0.5)*cs, c+(r-0.5)*sn) || at(c+(r+0.5)*cs, c+(r+0.5)*sn) {
			m.ring++
		}
		if at(c+0.35*r*cs, c+0.35*r*sn) {
			m.fill++
		}
		if at(c+0.7*r*cs, c+0.7*r*sn) {
			m.fill++
		}
	}
	ri := int(r) + 1
	all, ink := 0, 0
	for dy := -ri; dy <= ri; dy++ {
		for dx := -ri; dx <= ri; dx++ {
			if float64(dx*dx+dy*dy) <= r*r {
				all++
				ink += int(raw[(cx+dy)*s+cx+dx])
			}
		}
	}
	m.disc = float64(ink) / float64(all)
	return m
}
