package mapedit

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"cunjing/maps"
	"cunjing/maps/render"
)

// dragKind says what the drag in progress does.
type dragKind int

const (
	dragNone dragKind = iota
	dragPan           // moves the view
	dragEdit          // handed to the editor (move, reshape, draw a rectangle)
)

// mapCanvas shows a village map rendered by render.Renderer: drag to pan,
// wheel to zoom at the pointer; taps, edit drags, hover and keys are
// handed to the screen in world metres. The viewport is kept in pixels
// (the raster's device units); events arrive in Fyne units and are scaled
// by the canvas scale.
//
// The map is rendered once per change of view, map or style and kept; the
// editor's overlay (the shape being drawn, a feature being dragged) is
// painted over a copy, so following the pointer does not re-render the
// village.
type mapCanvas struct {
	widget.BaseWidget
	raster *canvas.Raster

	mu     sync.Mutex // guards the fields below; the raster draws from Fyne's render path
	r      *render.Renderer
	ix     *maps.Index
	vp     render.Viewport
	style  render.Style
	over   *overlay
	cache  *image.RGBA     // the map as last rendered, without the overlay
	cached render.Viewport // the view cache shows
	stale  bool            // cache no longer shows ix/style
	slow   bool            // the last render took long enough to drop frames
	// panning is set while a drag moves the view: on a slow map the
	// cached frame is slid along and the map rendered when the drag ends.
	panning bool
	fitted  bool    // vp fitted to the village since it was set
	scale   float64 // pixels per Fyne unit at the last draw
	err     error   // last render error, drawn as a blank map and reported once
	renders int     // full renders so far (tests check the overlay path skips them)

	// drag state, touched only by Fyne's event goroutine
	drag     dragKind
	dragLast fyne.Position
	cursor   desktop.Cursor

	// Gestures, called without the lock held. p is in metres, tol is a
	// few pixels converted to metres (the pick radius).
	onTap       func(p maps.Point, tol float64)
	onSecondary func(p maps.Point, tol float64)
	onDragStart func(p maps.Point, tol float64) bool // true: the screen takes the drag; false: pan
	onDragMove  func(p maps.Point)
	onDragEnd   func(p maps.Point)
	onHover     func(p maps.Point)
	onKey       func(*fyne.KeyEvent)
	onShortcut  func(fyne.Shortcut)
	onError     func(error)
}

var (
	_ fyne.Draggable     = (*mapCanvas)(nil)
	_ fyne.Scrollable    = (*mapCanvas)(nil)
	_ fyne.Tappable      = (*mapCanvas)(nil)
	_ fyne.Focusable     = (*mapCanvas)(nil)
	_ fyne.Shortcutable  = (*mapCanvas)(nil)
	_ desktop.Hoverable  = (*mapCanvas)(nil)
	_ desktop.Cursorable = (*mapCanvas)(nil)
)

var colMapBlank = color.RGBA{R: 0xee, G: 0xf0, B: 0xf3, A: 0xff}

func newMapCanvas() *mapCanvas {
	m := &mapCanvas{scale: 1, cursor: desktop.DefaultCursor}
	m.raster = canvas.NewRaster(m.draw)
	m.ExtendBaseWidget(m)
	return m
}

func (m *mapCanvas) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

func (m *mapCanvas) MinSize() fyne.Size { return fyne.NewSize(200, 200) }

// setMap shows a village (nil clears) with a fresh style and fits it to
// the view.
func (m *mapCanvas) setMap(r *render.Renderer, ix *maps.Index, st render.Style) {
	m.mu.Lock()
	m.r, m.ix, m.style, m.over = r, ix, st, nil
	m.fitted, m.stale = false, true
	m.mu.Unlock()
	m.raster.Refresh()
}

// update changes the style or view under the lock and redraws.
func (m *mapCanvas) update(fn func(st *render.Style, vp *render.Viewport)) {
	m.mu.Lock()
	fn(&m.style, &m.vp)
	m.stale = true
	m.mu.Unlock()
	m.raster.Refresh()
}

// setOverlay replaces what is drawn over the map; the map itself is not
// rendered again.
func (m *mapCanvas) setOverlay(o *overlay) {
	m.mu.Lock()
	m.over = o
	m.mu.Unlock()
	m.raster.Refresh()
}

// viewport returns the current viewport (for tests and zoom-to).
func (m *mapCanvas) viewport() render.Viewport {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.vp
}

// setCursor sets the pointer shown over the map (a cross while drawing).
func (m *mapCanvas) setCursor(c desktop.Cursor) { m.cursor = c }

// Cursor implements desktop.Cursorable.
func (m *mapCanvas) Cursor() desktop.Cursor { return m.cursor }

func (m *mapCanvas) draw(w, h int) image.Image {
	m.mu.Lock()
	defer m.mu.Unlock()
	if size := m.Size(); size.Width > 0 {
		m.scale = float64(w) / float64(size.Width)
	}
	if m.r == nil || m.ix == nil || w <= 0 || h <= 0 {
		img := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
		fillRGBA(img, colMapBlank)
		return img
	}
	if !m.fitted || m.vp.Scale <= 0 {
		m.vp = render.NewViewport(float64(w), float64(h), mapExtent(m.ix), 20)
		m.fitted, m.stale = true, true
	} else if m.vp.W != float64(w) || m.vp.H != float64(h) {
		m.vp = m.vp.Resize(float64(w), float64(h))
		m.stale = true
	}
	switch {
	case !m.stale && m.cache != nil && m.cached == m.vp:
	case !m.stale && m.cache != nil && m.panning && m.slow && m.cached.Scale == m.vp.Scale &&
		m.cached.W == m.vp.W && m.cached.H == m.vp.H:
		return m.slid()
	default:
		start := time.Now()
		img, err := m.r.RenderImage(m.ix, m.vp, &m.style)
		m.slow = time.Since(start) > slowFrame
		m.renders++
		if err != nil {
			if m.err == nil && m.onError != nil {
				go m.onError(err) // not under the lock, not on the render path
			}
			m.err = err
			img = image.NewRGBA(image.Rect(0, 0, w, h))
			fillRGBA(img, colMapBlank)
		} else {
			m.err = nil
		}
		m.cache, m.cached, m.stale = img, m.vp, false
	}
	if m.over.empty() {
		return m.cache
	}
	out := image.NewRGBA(m.cache.Rect)
	copy(out.Pix, m.cache.Pix)
	m.over.paint(out, m.vp)
	return out
}

// slowFrame is the render time above which a drag slides the last frame
// instead of rendering each step (about 40 frames a second).
const slowFrame = 25 * time.Millisecond

// slid is the cached frame moved to where the view has been dragged, with
// the overlay; what comes into view is blank until the drag ends.
func (m *mapCanvas) slid() image.Image {
	out := image.NewRGBA(m.cache.Rect)
	fillRGBA(out, colMapBlank)
	dx := int(math.Round((m.cached.Center.X - m.vp.Center.X) * m.vp.Scale))
	dy := int(math.Round((m.vp.Center.Y - m.cached.Center.Y) * m.vp.Scale))
	draw.Draw(out, m.cache.Rect.Add(image.Pt(dx, dy)), m.cache, image.Point{}, draw.Src)
	if !m.over.empty() {
		m.over.paint(out, m.vp)
	}
	return out
}

func fillRGBA(img *image.RGBA, c color.RGBA) {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

// toWorld converts a position on the widget to metres, with the pick
// tolerance (8 pixels) in metres; ok is false before the first draw.
func (m *mapCanvas) toWorld(p fyne.Position) (w maps.Point, tol float64, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ix == nil || m.vp.Scale <= 0 {
		return maps.Point{}, 0, false
	}
	px := maps.Point{X: float64(p.X) * m.scale, Y: float64(p.Y) * m.scale}
	return m.vp.ToWorld(px), m.vp.Metres(8 * m.scale), true
}

// toPosition converts metres to a position on the widget (tests tap
// there).
func (m *mapCanvas) toPosition(p maps.Point) fyne.Position {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.vp.ToScreen(p)
	return fyne.NewPos(float32(s.X/m.scale), float32(s.Y/m.scale))
}

// pixels converts a length in Fyne units to metres at the current zoom.
func (m *mapCanvas) metres(units float64) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.vp.Scale <= 0 {
		return 0
	}
	return m.vp.Metres(units * m.scale)
}

// Dragged pans the map, or hands the drag to the editor when the screen
// takes it (it is asked once, where the drag started).
func (m *mapCanvas) Dragged(ev *fyne.DragEvent) {
	if m.drag == dragNone {
		m.focus()
		m.drag = dragPan
		start := ev.Position.Subtract(ev.Dragged)
		if p, tol, ok := m.toWorld(start); ok && m.onDragStart != nil && m.onDragStart(p, tol) {
			m.drag = dragEdit
		}
		m.mu.Lock()
		m.panning = m.drag == dragPan
		m.mu.Unlock()
	}
	m.dragLast = ev.Position
	if m.drag == dragEdit {
		if p, _, ok := m.toWorld(ev.Position); ok && m.onDragMove != nil {
			m.onDragMove(p)
		}
		return
	}
	m.mu.Lock()
	if m.vp.Scale > 0 {
		m.vp = m.vp.Pan(float64(ev.Dragged.DX)*m.scale, float64(ev.Dragged.DY)*m.scale)
	}
	m.mu.Unlock()
	m.raster.Refresh()
}

// DragEnd finishes an edit drag where the pointer was let go.
func (m *mapCanvas) DragEnd() {
	kind := m.drag
	m.drag = dragNone
	m.mu.Lock()
	wasPanning := m.panning
	m.panning = false
	m.mu.Unlock()
	if wasPanning {
		m.raster.Refresh() // the full map where the drag left the view
	}
	if kind != dragEdit || m.onDragEnd == nil {
		return
	}
	if p, _, ok := m.toWorld(m.dragLast); ok {
		m.onDragEnd(p)
	}
}

// Scrolled zooms at the pointer, one notch of the wheel at a time.
func (m *mapCanvas) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DY == 0 {
		return
	}
	factor := math.Pow(1.25, float64(ev.Scrolled.DY)/10)
	m.zoomAt(ev.Position, factor)
}

func (m *mapCanvas) zoomAt(at fyne.Position, factor float64) {
	m.update(func(_ *render.Style, vp *render.Viewport) {
		if vp.Scale > 0 {
			*vp = vp.ZoomAt(maps.Point{X: float64(at.X) * m.scale, Y: float64(at.Y) * m.scale}, factor)
		}
	})
}

// zoomBy zooms at the middle of the view (the +/- buttons).
func (m *mapCanvas) zoomBy(factor float64) {
	s := m.Size()
	m.zoomAt(fyne.NewPos(s.Width/2, s.Height/2), factor)
}

// Tapped hands the point to the screen and takes the keyboard, so Delete,
// Esc and Ctrl+Z work on the map right after a click.
func (m *mapCanvas) Tapped(ev *fyne.PointEvent) {
	m.focus()
	if p, tol, ok := m.toWorld(ev.Position); ok && m.onTap != nil {
		m.onTap(p, tol)
	}
}

// focus takes the keyboard from the find box, so Ctrl+Z after working on
// the map undoes the map step and not the typing.
func (m *mapCanvas) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(m); c != nil {
		c.Focus(m)
	}
}

// TappedSecondary is the right button (removes a corner while reshaping).
func (m *mapCanvas) TappedSecondary(ev *fyne.PointEvent) {
	if p, tol, ok := m.toWorld(ev.Position); ok && m.onSecondary != nil {
		m.onSecondary(p, tol)
	}
}

// MouseIn implements desktop.Hoverable.
func (m *mapCanvas) MouseIn(ev *desktop.MouseEvent) { m.MouseMoved(ev) }

// MouseMoved follows the pointer (the next edge of a shape being drawn).
func (m *mapCanvas) MouseMoved(ev *desktop.MouseEvent) {
	if m.onHover == nil {
		return
	}
	if p, _, ok := m.toWorld(ev.Position); ok {
		m.onHover(p)
	}
}

// MouseOut implements desktop.Hoverable.
func (m *mapCanvas) MouseOut() {}

// FocusGained implements fyne.Focusable.
func (m *mapCanvas) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (m *mapCanvas) FocusLost() {}

// TypedRune implements fyne.Focusable; the map takes no text.
func (m *mapCanvas) TypedRune(rune) {}

// TypedKey hands keys (Esc, Delete, Enter, Backspace) to the screen.
func (m *mapCanvas) TypedKey(ev *fyne.KeyEvent) {
	if m.onKey != nil {
		m.onKey(ev)
	}
}

// TypedShortcut hands Ctrl+Z / Ctrl+Y to the screen.
func (m *mapCanvas) TypedShortcut(s fyne.Shortcut) {
	if m.onShortcut != nil {
		m.onShortcut(s)
	}
}

// fitTo shows rect r (metres) in the view, not closer than minSpan metres
// across, so a single house is shown with its neighbours.
func (m *mapCanvas) fitTo(r maps.Rect, minSpan float64) {
	if r.IsEmpty() {
		return
	}
	c := r.Center()
	if r.W() < minSpan {
		r.Min.X, r.Max.X = c.X-minSpan/2, c.X+minSpan/2
	}
	if r.H() < minSpan {
		r.Min.Y, r.Max.Y = c.Y-minSpan/2, c.Y+minSpan/2
	}
	m.update(func(_ *render.Style, vp *render.Viewport) {
		if vp.W > 0 && vp.H > 0 {
			*vp = vp.Fit(r, 40)
		} else {
			// Not drawn yet: remember to fit when the size is known.
			*vp = render.NewViewport(800, 600, r, 20)
		}
		m.fitted = true
	})
}

// fitAll shows the whole village (and its base map).
func (m *mapCanvas) fitAll() {
	m.mu.Lock()
	ix := m.ix
	m.mu.Unlock()
	if ix != nil {
		m.fitTo(mapExtent(ix), 0)
	}
}

// mapExtent is what "show everything" shows: the features and the base
// map, or 200 m around the origin for a village not drawn yet (so the
// first house drawn is of a sensible size).
func mapExtent(ix *maps.Index) maps.Rect {
	r := ix.Extent()
	if b := ix.Village().Base; b != nil && b.Width > 0 && b.Height > 0 {
		r = r.Union(b.Bounds())
	}
	if r.IsEmpty() {
		r = maps.Rect{Min: maps.Point{X: -100, Y: -100}, Max: maps.Point{X: 100, Y: 100}}
	}
	return r
}
