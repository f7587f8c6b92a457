// Package rendertest records what render.Draw paints, so tests can check a
// drawing by what reached the page rather than by the drawer's own
// account of it: which texts went where, and which colours and kinds of
// shape lie inside the page.
package rendertest

import (
	"image"
	"image/color"
	"unicode/utf8"

	"cunjing/maps"
	"cunjing/maps/render"
)

// Recorder is a render.Painter (and render.TextTurner) that paints nothing
// and remembers everything.
type Recorder struct {
	W, H float64 // the page in device units; Shape.Visible is about it
	// Measure measures text; nil counts 1 em for a CJK character and
	// 0.55 em for anything else.
	Measure func(s string, size float64) float64
	Texts   []Text
	Shapes  []Shape
}

// Text is one text painted.
type Text struct {
	S      string
	Size   float64
	Colour color.RGBA
	// Box is the em box plus the halo (0.08 em; the halo is drawn for
	// every map text), y down; turned text has the turned box.
	Box    maps.Rect
	Turned bool
}

// Shape is one filled or stroked shape.
type Shape struct {
	Style   Style
	Pts     []maps.Point
	Width   float64 // a stroke's width (0 for fills and circles)
	Visible bool    // some of it lies on the W×H page
}

// Style is what a legend swatch shares with the map: how a shape is
// painted and in which colour.
type Style struct {
	Op     string // "fill", "stroke" or "circle"
	Colour color.RGBA
	Dashed bool
}

var _ render.TextTurner = (*Recorder)(nil)

const halo = 0.08

// TextWidth implements render.Painter.
func (r *Recorder) TextWidth(s string, size float64) float64 {
	if r.Measure != nil {
		return r.Measure(s, size)
	}
	w := 0.0
	for _, c := range s {
		if utf8.RuneLen(c) >= 3 {
			w += size
		} else {
			w += 0.55 * size
		}
	}
	return w
}

// Text implements render.Painter.
func (r *Recorder) Text(at maps.Point, size float64, s string, c color.RGBA, centre, _ bool) {
	if size <= 0 || s == "" {
		return
	}
	w := r.TextWidth(s, size)
	x := at.X
	if centre {
		x -= w / 2
	}
	p := halo * size
	r.Texts = append(r.Texts, Text{S: s, Size: size, Colour: c,
		Box: maps.Rect{Min: maps.Point{X: x - p, Y: at.Y - size/2 - p}, Max: maps.Point{X: x + w + p, Y: at.Y + size/2 + p}}})
}

// TextTurned implements render.TextTurner.
func (r *Recorder) TextTurned(at maps.Point, size float64, s string, c color.RGBA, _ bool) {
	if size <= 0 || s == "" {
		return
	}
	w := r.TextWidth(s, size)
	p := halo * size
	r.Texts = append(r.Texts, Text{S: s, Size: size, Colour: c, Turned: true,
		Box: maps.Rect{Min: maps.Point{X: at.X - size/2 - p, Y: at.Y - w/2 - p}, Max: maps.Point{X: at.X + size/2 + p, Y: at.Y + w/2 + p}}})
}

func (r *Recorder) page() maps.Rect {
	return maps.Rect{Max: maps.Point{X: r.W, Y: r.H}}
}

// FillPolygon implements render.Painter.
func (r *Recorder) FillPolygon(pts []maps.Point, c color.RGBA) {
	if len(pts) < 3 || c.A == 0 {
		return
	}
	r.add(Style{Op: "fill", Colour: c}, pts, 0, polygonMeets(pts, r.page()))
}

// StrokePolyline implements render.Painter.
func (r *Recorder) StrokePolyline(pts []maps.Point, width float64, c color.RGBA, closed bool, dash []float64) {
	if len(pts) < 2 || width <= 0 || c.A == 0 {
		return
	}
	line := pts
	if closed {
		line = append(pts[:len(pts):len(pts)], pts[0])
	}
	vis := false
	for i := 1; i < len(line) && !vis; i++ {
		vis = r.page().MeetsSegment(line[i-1], line[i])
	}
	r.add(Style{Op: "stroke", Colour: c, Dashed: len(dash) >= 2}, pts, width, vis)
}

// FillCircle implements render.Painter.
func (r *Recorder) FillCircle(c maps.Point, rad float64, col color.RGBA) {
	if rad <= 0 || col.A == 0 {
		return
	}
	box := maps.Rect{Min: maps.Point{X: c.X - rad, Y: c.Y - rad}, Max: maps.Point{X: c.X + rad, Y: c.Y + rad}}
	r.add(Style{Op: "circle", Colour: col}, []maps.Point{c}, 0, box.Overlaps(r.page()))
}

// Image implements render.Painter.
func (r *Recorder) Image(image.Image, [6]float64, float64) {}

func (r *Recorder) add(st Style, pts []maps.Point, w float64, vis bool) {
	r.Shapes = append(r.Shapes, Shape{Style: st, Pts: append([]maps.Point(nil), pts...), Width: w, Visible: vis})
}

// White is the paper colour: lane fills, halos and the inside of symbols
// are white on the map and in the legend alike, so Styles leaves it out.
var White = color.RGBA{0xff, 0xff, 0xff, 0xff}

// Styles is the set of styles of the visible shapes, white left out, and
// any for which skip returns true.
func (r *Recorder) Styles(skip func(Style) bool) map[Style]bool {
	out := map[Style]bool{}
	for _, s := range r.Shapes {
		if s.Visible && s.Style.Colour != White && (skip == nil || !skip(s.Style)) {
			out[s.Style] = true
		}
	}
	return out
}

// polygonMeets reports whether the polygon and r share a point: an edge
// meets r, or r lies inside the polygon.
func polygonMeets(pts []maps.Point, r maps.Rect) bool {
	for i := range pts {
		if r.MeetsSegment(pts[i], pts[(i+1)%len(pts)]) {
			return true
		}
	}
	// Even–odd test of r's centre.
	c := maps.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
	in := false
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		a, b := pts[i], pts[j]
		if (a.Y > c.Y) != (b.Y > c.Y) && c.X < (b.X-a.X)*(c.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// Overlap reports whether two boxes share an area (touching edges do not
// count).
func Overlap(a, b maps.Rect) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}
