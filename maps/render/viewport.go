package render

import (
	"fmt"
	"math"

	"cunjing/maps"
)

// Viewport maps world metres to a device surface whose y axis points down:
// screen pixels for the UI, millimetres on a PDF page. It is a plain value;
// the UI keeps one per map view and replaces it on pan and zoom.
type Viewport struct {
	Center maps.Point // world point shown at the middle of the surface
	Scale  float64    // device units per metre
	W, H   float64    // surface size in device units
}

// Zoom limits in pixels per metre: from a whole township on a phone-sized
// window to a single door filling the screen.
const (
	MinScale = 0.02
	MaxScale = 200
)

// NewViewport returns a viewport of the given size showing r with margin
// device units of space around it.
func NewViewport(w, h float64, r maps.Rect, margin float64) Viewport {
	vp := Viewport{W: w, H: h, Scale: 1}
	return vp.Fit(r, margin)
}

// Fit returns vp re-centred and zoomed so r fills it with margin to spare.
// An empty r leaves the zoom and centres on the origin.
func (vp Viewport) Fit(r maps.Rect, margin float64) Viewport {
	if r.IsEmpty() {
		vp.Center = maps.Point{}
		return vp
	}
	vp.Center = r.Center()
	aw, ah := vp.W-2*margin, vp.H-2*margin
	if aw <= 0 || ah <= 0 {
		aw, ah = vp.W, vp.H
	}
	s := math.Min(aw/math.Max(r.W(), 1e-6), ah/math.Max(r.H(), 1e-6))
	vp.Scale = clampScale(s)
	return vp
}

func clampScale(s float64) float64 {
	if math.IsNaN(s) || s <= 0 {
		return 1
	}
	return math.Max(MinScale, math.Min(MaxScale, s))
}

// ToScreen converts a world point to device coordinates.
func (vp Viewport) ToScreen(p maps.Point) maps.Point {
	return maps.Point{X: (p.X-vp.Center.X)*vp.Scale + vp.W/2, Y: vp.H/2 - (p.Y-vp.Center.Y)*vp.Scale}
}

// ToWorld converts device coordinates to a world point.
func (vp Viewport) ToWorld(s maps.Point) maps.Point {
	return maps.Point{X: (s.X-vp.W/2)/vp.Scale + vp.Center.X, Y: (vp.H/2-s.Y)/vp.Scale + vp.Center.Y}
}

// Pan moves the map with a drag of (dx, dy) device units: the point under
// the pointer stays under it.
func (vp Viewport) Pan(dx, dy float64) Viewport {
	vp.Center.X -= dx / vp.Scale
	vp.Center.Y += dy / vp.Scale
	return vp
}

// ZoomAt multiplies the scale by factor keeping the world point under the
// device point at fixed (a wheel or pinch centred on the pointer).
func (vp Viewport) ZoomAt(at maps.Point, factor float64) Viewport {
	w := vp.ToWorld(at)
	vp.Scale = clampScale(vp.Scale * factor)
	// Solve Center so that ToScreen(w) == at again.
	vp.Center.X = w.X - (at.X-vp.W/2)/vp.Scale
	vp.Center.Y = w.Y - (vp.H/2-at.Y)/vp.Scale
	return vp
}

// Resize changes the surface size keeping the centre and scale.
func (vp Viewport) Resize(w, h float64) Viewport {
	vp.W, vp.H = w, h
	return vp
}

// World is the box of world space the surface shows.
func (vp Viewport) World() maps.Rect {
	a := vp.ToWorld(maps.Point{X: 0, Y: vp.H})
	b := vp.ToWorld(maps.Point{X: vp.W, Y: 0})
	return maps.Rect{Min: a, Max: b}
}

// Metres converts a device length (e.g. a hit tolerance in pixels) to metres.
func (vp Viewport) Metres(device float64) float64 { return device / vp.Scale }

// Validate rejects viewports that cannot be drawn.
func (vp Viewport) Validate() error {
	if !(vp.W > 0 && vp.H > 0) || math.IsInf(vp.W, 0) || math.IsInf(vp.H, 0) {
		return fmt.Errorf("viewport size %gx%g: must be positive", vp.W, vp.H)
	}
	if !(vp.Scale > 0) || math.IsInf(vp.Scale, 0) {
		return fmt.Errorf("viewport scale %g: must be positive", vp.Scale)
	}
	if !maps.Finite(vp.Center) {
		return fmt.Errorf("viewport centre: %w", maps.ErrNotFinite)
	}
	return nil
}
