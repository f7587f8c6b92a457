package ui

import (
	"image"
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"cunjing/maps"
)

// mapCanvas shows a village map rendered by maps.Renderer: drag to pan,
// wheel to zoom at the pointer, tap to pick a house. The viewport is kept
// in pixels (the raster's device units); events arrive in Fyne units and
// are scaled by the canvas scale.
type mapCanvas struct {
	widget.BaseWidget
	raster *canvas.Raster

	mu     sync.Mutex // guards the fields below; the raster draws from Fyne's render goroutine
	r      *maps.Renderer
	ix     *maps.Index
	vp     maps.Viewport
	style  maps.Style
	fitted bool    // vp fitted to the village since it was set
	scale  float64 // pixels per Fyne unit at the last draw
	err    error   // last render error, drawn as a blank map and reported once

	onTap   func(h maps.Hit, ok bool)
	onError func(error)
}

func newMapCanvas() *mapCanvas {
	m := &mapCanvas{scale: 1}
	m.raster = canvas.NewRaster(m.draw)
	m.ExtendBaseWidget(m)
	return m
}

func (m *mapCanvas) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

func (m *mapCanvas) MinSize() fyne.Size { return fyne.NewSize(200, 200) }

// setMap shows a village (nil clears) and fits it to the view.
func (m *mapCanvas) setMap(r *maps.Renderer, ix *maps.Index) {
	m.mu.Lock()
	m.r, m.ix, m.fitted = r, ix, false
	m.style = maps.Style{Names: true}
	m.mu.Unlock()
	m.raster.Refresh()
}

// update changes the style (highlight, route) under the lock and redraws.
func (m *mapCanvas) update(fn func(st *maps.Style, vp *maps.Viewport)) {
	m.mu.Lock()
	fn(&m.style, &m.vp)
	m.mu.Unlock()
	m.raster.Refresh()
}

// viewport returns the current viewport (for tests and zoom-to).
func (m *mapCanvas) viewport() maps.Viewport {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.vp
}

func (m *mapCanvas) draw(w, h int) image.Image {
	m.mu.Lock()
	defer m.mu.Unlock()
	if size := m.Size(); size.Width > 0 {
		m.scale = float64(w) / float64(size.Width)
	}
	if m.r == nil || m.ix == nil || w <= 0 || h <= 0 {
		img := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
		fillRGBA(img, color.RGBA{R: 0xee, G: 0xf0, B: 0xf3, A: 0xff})
		return img
	}
	if !m.fitted || m.vp.Scale <= 0 {
		m.vp = maps.NewViewport(float64(w), float64(h), m.ix.Extent(), 20)
		m.fitted = true
	} else if m.vp.W != float64(w) || m.vp.H != float64(h) {
		m.vp = m.vp.Resize(float64(w), float64(h))
	}
	img, err := m.r.RenderImage(m.ix, m.vp, &m.style)
	if err != nil {
		if m.err == nil && m.onError != nil {
			go m.onError(err) // not under the lock, not on the render path
		}
		m.err = err
		blank := image.NewRGBA(image.Rect(0, 0, w, h))
		fillRGBA(blank, color.RGBA{R: 0xee, G: 0xf0, B: 0xf3, A: 0xff})
		return blank
	}
	m.err = nil
	return img
}

func fillRGBA(img *image.RGBA, c color.RGBA) {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

func (m *mapCanvas) toPixels(p fyne.Position) maps.Point {
	return maps.Point{X: float64(p.X) * m.scale, Y: float64(p.Y) * m.scale}
}

// Dragged pans the map with the pointer.
func (m *mapCanvas) Dragged(ev *fyne.DragEvent) {
	m.update(func(_ *maps.Style, vp *maps.Viewport) {
		if vp.Scale > 0 {
			*vp = vp.Pan(float64(ev.Dragged.DX)*m.scale, float64(ev.Dragged.DY)*m.scale)
		}
	})
}

// DragEnd is part of fyne.Draggable; panning needs nothing at the end.
func (m *mapCanvas) DragEnd() {}

// Scrolled zooms at the pointer, one notch of the wheel at a time.
func (m *mapCanvas) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DY == 0 {
		return
	}
	factor := math.Pow(1.25, float64(ev.Scrolled.DY)/10)
	m.zoomAt(ev.Position, factor)
}

func (m *mapCanvas) zoomAt(at fyne.Position, factor float64) {
	m.update(func(_ *maps.Style, vp *maps.Viewport) {
		if vp.Scale > 0 {
			*vp = vp.ZoomAt(m.toPixels(at), factor)
		}
	})
}

// zoomBy zooms at the middle of the view (the +/- buttons).
func (m *mapCanvas) zoomBy(factor float64) {
	s := m.Size()
	m.zoomAt(fyne.NewPos(s.Width/2, s.Height/2), factor)
}

// Tapped picks what lies under the pointer.
func (m *mapCanvas) Tapped(ev *fyne.PointEvent) {
	m.mu.Lock()
	if m.ix == nil || m.vp.Scale <= 0 {
		m.mu.Unlock()
		return
	}
	world := m.vp.ToWorld(m.toPixels(ev.Position))
	tol := m.vp.Metres(8 * m.scale)
	h, ok := m.ix.HitTest(world, tol)
	m.mu.Unlock()
	if m.onTap != nil {
		m.onTap(h, ok)
	}
}

// fitTo shows rect r (metres) in the view, not closer than minSpan metres
// across, so a single house is shown with its neighbours.
func (m *mapCanvas) fitTo(r maps.Rect, minSpan float64) {
	c := r.Center()
	if r.W() < minSpan {
		r.Min.X, r.Max.X = c.X-minSpan/2, c.X+minSpan/2
	}
	if r.H() < minSpan {
		r.Min.Y, r.Max.Y = c.Y-minSpan/2, c.Y+minSpan/2
	}
	m.update(func(_ *maps.Style, vp *maps.Viewport) {
		if vp.W > 0 && vp.H > 0 {
			*vp = vp.Fit(r, 40)
		} else {
			// Not drawn yet: remember to fit when the size is known.
			*vp = maps.NewViewport(800, 600, r, 20)
		}
		m.fitted = true
	})
}

// fitAll shows the whole village.
func (m *mapCanvas) fitAll() {
	m.mu.Lock()
	ix := m.ix
	m.mu.Unlock()
	if ix != nil {
		m.fitTo(ix.Extent(), 0)
	}
}
