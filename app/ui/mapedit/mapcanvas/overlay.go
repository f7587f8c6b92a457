package mapcanvas

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"

	"cunjing/maps"
	"cunjing/maps/render"
)

// Overlay is what the map editor draws on top of the rendered map while
// the officer works: the shape being drawn, a feature being dragged, the
// two scale points, a chosen start. It is in world metres and drawn in
// pixels after the map, so moving the pointer redraws only this and not
// the 3,000 houses under it (see Canvas.Draw).
type Overlay struct {
	Shapes []Shape
	Dots   []Dot
}

// Shape is a line or polygon of the overlay, in metres.
type Shape struct {
	Pts    []maps.Point
	Closed bool
	Fill   color.Color // nil: outline only
	Line   color.Color
	Width  float64 // pixels
}

// Dot is a round mark of the overlay: a point of a shape, a chosen start.
type Dot struct {
	At   maps.Point
	R    float64 // pixels
	Fill color.Color
	Ring color.Color // nil: none
}

func (o *Overlay) Empty() bool { return o == nil || (len(o.Shapes) == 0 && len(o.Dots) == 0) }

// paint draws the Overlay onto img under viewport vp.
func (o *Overlay) paint(img *image.RGBA, vp render.Viewport) {
	if o.Empty() {
		return
	}
	var z vector.Rasterizer
	for _, s := range o.Shapes {
		sp := make([]maps.Point, len(s.Pts))
		for i, p := range s.Pts {
			sp[i] = vp.ToScreen(p)
		}
		if s.Fill != nil && len(sp) >= 3 {
			fillRings(img, &z, [][]maps.Point{sp}, s.Fill)
		}
		if s.Line != nil && len(sp) >= 2 {
			fillRings(img, &z, strokeRings(sp, s.Width, s.Closed), s.Line)
		}
	}
	for _, d := range o.Dots {
		c := vp.ToScreen(d.At)
		if d.Ring != nil {
			fillRings(img, &z, [][]maps.Point{circleRing(c, d.R+1.5)}, d.Ring)
		}
		fillRings(img, &z, [][]maps.Point{circleRing(c, d.R)}, d.Fill)
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
