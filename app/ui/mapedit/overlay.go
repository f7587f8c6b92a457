package mapedit

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"

	"cunjing/maps"
	"cunjing/maps/render"
)

// overlay is what the map editor draws on top of the rendered map while
// the officer works: the shape being drawn, a feature being dragged, the
// two scale points, a chosen start. It is in world metres and drawn in
// pixels after the map, so moving the pointer redraws only this and not
// the 3,000 houses under it (see mapCanvas.draw).
type overlay struct {
	shapes []overlayShape
	dots   []overlayDot
}

type overlayShape struct {
	pts    []maps.Point
	closed bool
	fill   color.Color // nil: outline only
	line   color.Color
	width  float64 // pixels
}

type overlayDot struct {
	at   maps.Point
	r    float64 // pixels
	fill color.Color
	ring color.Color // nil: none
}

func (o *overlay) empty() bool { return o == nil || (len(o.shapes) == 0 && len(o.dots) == 0) }

// Overlay colours: the editor's blue for what is being drawn, red for the
// chosen start (the route's colour), and a dark outline so both show on a
// pale scanned map and on the plain map alike.
var (
	colDrawLine  = color.NRGBA{0x1e, 0x64, 0xd2, 0xff}
	colDrawFill  = color.NRGBA{0x1e, 0x64, 0xd2, 0x40}
	colDrawPoint = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colStart     = color.NRGBA{0xd7, 0x30, 0x27, 0xff}
)

// paint draws the overlay onto img under viewport vp.
func (o *overlay) paint(img *image.RGBA, vp render.Viewport) {
	if o.empty() {
		return
	}
	var z vector.Rasterizer
	for _, s := range o.shapes {
		sp := make([]maps.Point, len(s.pts))
		for i, p := range s.pts {
			sp[i] = vp.ToScreen(p)
		}
		if s.fill != nil && len(sp) >= 3 {
			fillRings(img, &z, [][]maps.Point{sp}, s.fill)
		}
		if s.line != nil && len(sp) >= 2 {
			fillRings(img, &z, strokeRings(sp, s.width, s.closed), s.line)
		}
	}
	for _, d := range o.dots {
		c := vp.ToScreen(d.at)
		if d.ring != nil {
			fillRings(img, &z, [][]maps.Point{circleRing(c, d.r+1.5)}, d.ring)
		}
		fillRings(img, &z, [][]maps.Point{circleRing(c, d.r)}, d.fill)
	}
}

// strokeRings turns a polyline of the given width into quads (one per
// segment) and discs at the joints; filled together with the nonzero rule
// they make one even stroke.
func strokeRings(pts []maps.Point, width float64, closed bool) [][]maps.Point {
	h := math.Max(width, 1) / 2
	n := len(pts)
	segs := n - 1
	if closed {
		segs = n
	}
	var rings [][]maps.Point
	for i := 0; i < segs; i++ {
		a, b := pts[i], pts[(i+1)%n]
		dx, dy := b.X-a.X, b.Y-a.Y
		l := math.Hypot(dx, dy)
		if l < 1e-9 {
			continue
		}
		nx, ny := -dy/l*h, dx/l*h
		q := []maps.Point{{X: a.X + nx, Y: a.Y + ny}, {X: b.X + nx, Y: b.Y + ny}, {X: b.X - nx, Y: b.Y - ny}, {X: a.X - nx, Y: a.Y - ny}}
		rings = append(rings, q)
	}
	if h >= 1.5 {
		for _, p := range pts {
			rings = append(rings, circleRing(p, h))
		}
	}
	return rings
}

func circleRing(c maps.Point, r float64) []maps.Point {
	n := int(math.Max(10, math.Min(40, r*3)))
	out := make([]maps.Point, n)
	for i := range out {
		a := -2 * math.Pi * float64(i) / float64(n)
		out[i] = maps.Point{X: c.X + r*math.Cos(a), Y: c.Y + r*math.Sin(a)}
	}
	return out
}

// fillRings fills rings (all wound alike) with c over img, rasterising
// only their bounding box.
func fillRings(img *image.RGBA, z *vector.Rasterizer, rings [][]maps.Point, c color.Color) {
	box := maps.EmptyRect()
	for _, r := range rings {
		for _, p := range r {
			if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
				return
			}
			box = box.Extend(p)
		}
	}
	if box.IsEmpty() {
		return
	}
	b := img.Bounds()
	x0, y0 := max(int(math.Floor(box.Min.X)), b.Min.X), max(int(math.Floor(box.Min.Y)), b.Min.Y)
	x1, y1 := min(int(math.Ceil(box.Max.X)), b.Max.X), min(int(math.Ceil(box.Max.Y)), b.Max.Y)
	if x1 <= x0 || y1 <= y0 {
		return
	}
	z.Reset(x1-x0, y1-y0)
	z.DrawOp = draw.Over
	fx, fy := float64(x0), float64(y0)
	for _, r := range rings {
		if len(r) < 3 {
			continue
		}
		// Orient every ring the same way so overlaps add up under the
		// nonzero rule instead of cancelling.
		area := 0.0
		for i := range r {
			p, q := r[i], r[(i+1)%len(r)]
			area += p.X*q.Y - q.X*p.Y
		}
		if area < 0 {
			z.MoveTo(float32(r[len(r)-1].X-fx), float32(r[len(r)-1].Y-fy))
			for i := len(r) - 2; i >= 0; i-- {
				z.LineTo(float32(r[i].X-fx), float32(r[i].Y-fy))
			}
		} else {
			z.MoveTo(float32(r[0].X-fx), float32(r[0].Y-fy))
			for _, p := range r[1:] {
				z.LineTo(float32(p.X-fx), float32(p.Y-fy))
			}
		}
		z.ClosePath()
	}
	z.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{})
}
