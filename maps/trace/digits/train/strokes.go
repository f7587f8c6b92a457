package train

import (
	"image"
	"math"
	"math/rand/v2"
)

// The stroke hand: digits drawn as pen strokes along jittered skeletons,
// in the shapes people write that the fonts seldom have — a flat-topped
// 3 (a bar, a diagonal, a bowl), an open 4, a 7 with or without a bar, a
// 1 with a flag or a foot, a 9 on a straight stem, a 2 with a loop — each
// part of a skeleton moved on its own, so no two are alike. Coordinates
// are in a digit's box: x from 0 (left) to 1 (right of a 0.6-wide digit,
// so x is scaled by the digit's width), y from 0 (top) to 1 (baseline).
type stroke [][2]float64

// arc is points along an ellipse about (cx, cy), radii rx, ry, from angle
// a0 to a1 (radians, 0 = right, y down, so π/2 is the bottom).
func arc(cx, cy, rx, ry, a0, a1 float64, n int) stroke {
	s := make(stroke, 0, n+1)
	for i := 0; i <= n; i++ {
		a := a0 + (a1-a0)*float64(i)/float64(n)
		s = append(s, [2]float64{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return s
}

func cat(ss ...stroke) stroke {
	var out stroke
	for _, s := range ss {
		out = append(out, s...)
	}
	return out
}

const pi = math.Pi

// handDigits are each character's skeleton variants: each a list of strokes.
var handDigits = map[rune][][]stroke{
	'0': {
		{arc(0.5, 0.5, 0.45, 0.5, -pi/2, 3*pi/2, 24)},
		{arc(0.5, 0.5, 0.42, 0.5, -pi/2+0.3, 3*pi/2+0.5, 24)}, // overshoot at the top
	},
	'1': {
		{{{0.5, 0}, {0.5, 1}}},
		{{{0.15, 0.25}, {0.55, 0}, {0.55, 1}}},                       // a flag
		{{{0.15, 0.25}, {0.55, 0}, {0.55, 1}}, {{0.2, 1}, {0.9, 1}}}, // a flag and a foot
		{{{0.3, 0.15}, {0.6, 0}, {0.45, 1}}},                         // a slanted stroke
	},
	'2': {
		{cat(arc(0.5, 0.3, 0.42, 0.3, -pi*0.95, pi*0.2, 12), stroke{{0.05, 1}, {0.98, 1}})},
		{cat(arc(0.5, 0.28, 0.42, 0.28, -pi, pi*0.25, 12), stroke{{0.1, 0.95}}, arc(0.22, 0.88, 0.14, 0.12, -pi/2, -pi*2.2, 8), stroke{{0.98, 1}})}, // a loop at the foot
		{{{0.05, 0}, {0.95, 0}, {0.05, 1}, {0.98, 1}}},                                                                                              // a Z
	},
	'3': {
		{cat(arc(0.48, 0.25, 0.42, 0.25, -pi*0.9, pi/2, 12), arc(0.48, 0.74, 0.47, 0.26, -pi/2, pi*0.9, 12))},
		{cat(stroke{{0.05, 0}, {0.95, 0}, {0.35, 0.42}}, arc(0.5, 0.7, 0.47, 0.3, -pi*0.6, pi*0.85, 14))}, // flat-topped
		{cat(stroke{{0.1, 0.02}, {0.9, 0.02}, {0.4, 0.45}}, arc(0.45, 0.72, 0.5, 0.28, -pi/2, pi*0.8, 14))},
	},
	'4': {
		{{{0.7, 0}, {0.02, 0.68}, {1, 0.68}}, {{0.72, 0.05}, {0.72, 1}}}, // closed
		{{{0.1, 0}, {0.05, 0.62}, {1, 0.62}}, {{0.75, 0}, {0.75, 1}}},    // open
		{{{0.2, 0}, {0.05, 0.6}, {0.95, 0.6}}, {{0.7, 0.25}, {0.7, 1}}},  // open, the stem short
	},
	'5': {
		{{{0.92, 0}, {0.15, 0}, {0.1, 0.42}}, arc(0.45, 0.68, 0.48, 0.32, -pi*0.75, pi*0.85, 14)},
		{{{0.15, 0}, {0.1, 0.45}}, arc(0.45, 0.7, 0.47, 0.3, -pi*0.7, pi*0.85, 14), {{0.15, 0}, {0.95, 0.02}}}, // the flag apart
	},
	'6': {
		{cat(stroke{{0.85, 0}, {0.35, 0.25}}, arc(0.5, 0.68, 0.45, 0.32, pi, 3*pi, 20))},
		{cat(arc(0.9, 0.6, 0.85, 0.6, -pi/2-0.2, -pi, 8), arc(0.5, 0.7, 0.45, 0.3, pi, 3*pi, 20))},
	},
	'7': {
		{{{0.02, 0}, {0.98, 0}, {0.35, 1}}},
		{{{0.02, 0}, {0.98, 0}, {0.35, 1}}, {{0.3, 0.5}, {0.9, 0.5}}}, // barred
		{{{0.02, 0.12}, {0.1, 0}, {0.98, 0}, {0.5, 0.5}, {0.45, 1}}},  // a hook, the stem bending down
	},
	'8': {
		{cat(arc(0.5, 0.25, 0.38, 0.25, pi/2, 5*pi/2, 16), arc(0.5, 0.74, 0.46, 0.26, -pi/2, -5*pi/2, 16))},
		{arc(0.5, 0.25, 0.36, 0.25, 0, 2*pi, 16), arc(0.5, 0.74, 0.46, 0.26, 0, 2*pi, 16)}, // two rings
	},
	'9': {
		{cat(arc(0.5, 0.3, 0.45, 0.3, 0, 2*pi, 20), stroke{{0.95, 1}})},                                           // a straight stem
		{cat(arc(0.5, 0.3, 0.45, 0.3, 0, 2*pi, 20), stroke{{0.85, 0.8}}, arc(0.5, 0.8, 0.35, 0.2, 0, pi*0.9, 6))}, // a curled stem
	},
	'-': {
		{{{0.1, 0.55}, {0.9, 0.55}}},
	},
}

// handWidth is a character's width against its height.
func handWidth(r rune) float64 {
	switch r {
	case '1':
		return 0.3
	case '-':
		return 0.45
	}
	return 0.6
}

// drawStrokes draws s in the stroke hand into a new mask: digit height h
// pixels, pen width pen pixels, spacing gap pixels, margin m pixels.
func drawStrokes(rng *rand.Rand, s string, h, pen, gap float64, m int) *image.Alpha {
	type seg struct{ a, b [2]float64 }
	var segs []seg
	x := float64(m)
	j := 0.05 + 0.05*rng.Float64() // how far each part is moved, of the height
	for _, r := range s {
		vs := handDigits[r]
		if len(vs) == 0 {
			continue
		}
		v := vs[rng.IntN(len(vs))]
		w := handWidth(r) * h * (0.85 + 0.3*rng.Float64())
		dy := (rng.Float64() - 0.5) * 0.08 * h
		for _, st := range v {
			// a part moves as a whole and its points a little on their own
			px, py := (rng.Float64()-0.5)*j*h, (rng.Float64()-0.5)*j*h
			var prev [2]float64
			for i, p := range st {
				q := [2]float64{
					x + p[0]*w + px + rng.NormFloat64()*j*0.12*h,
					float64(m) + dy + p[1]*h + py + rng.NormFloat64()*j*0.12*h,
				}
				if i > 0 {
					segs = append(segs, seg{prev, q})
				}
				prev = q
			}
		}
		x += w + gap + (rng.Float64()-0.5)*0.08*h
	}
	bw, bh := int(x)+m, int(h)+2*m
	mask := image.NewAlpha(image.Rect(0, 0, max(1, bw), max(1, bh)))
	rad := pen / 2
	for _, sg := range segs {
		x0 := int(math.Floor(min(sg.a[0], sg.b[0]) - rad))
		x1 := int(math.Ceil(max(sg.a[0], sg.b[0]) + rad))
		y0 := int(math.Floor(min(sg.a[1], sg.b[1]) - rad))
		y1 := int(math.Ceil(max(sg.a[1], sg.b[1]) + rad))
		ex, ey := sg.b[0]-sg.a[0], sg.b[1]-sg.a[1]
		l2 := ex*ex + ey*ey
		for yy := max(0, y0); yy <= min(bh-1, y1); yy++ {
			for xx := max(0, x0); xx <= min(bw-1, x1); xx++ {
				fx, fy := float64(xx)+0.5-sg.a[0], float64(yy)+0.5-sg.a[1]
				t := 0.0
				if l2 > 0 {
					t = math.Max(0, math.Min(1, (fx*ex+fy*ey)/l2))
				}
				dx, dy := fx-t*ex, fy-t*ey
				if dx*dx+dy*dy <= rad*rad {
					mask.Pix[yy*mask.Stride+xx] = 255
				}
			}
		}
	}
	return mask
}
