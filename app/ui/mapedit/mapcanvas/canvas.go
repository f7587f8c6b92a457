// Package mapcanvas is the map editor's canvas: a Fyne widget that shows a
// village rendered by maps/render (drag to pan, wheel to zoom at the
// pointer), keeps the rendered frame and paints the editor's Overlay over a
// copy of it, and hands taps, edit drags, hover and keys to its owner in
// world metres through its On… fields. It knows nothing of the editor.
package mapcanvas

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

// Canvas shows a village map rendered by render.Renderer: drag to pan,
// wheel to zoom at the pointer; taps, edit drags, hover and keys are
// handed to the owner in world metres. The viewport is kept in pixels
// (the raster's device units); events arrive in Fyne units and are scaled
// by the canvas scale.
//
// The map is rendered once per change of view, map or style and kept; the
// editor's Overlay (the shape being drawn, a feature being dragged) is
// painted over a copy, so following the pointer does not re-render the
// village.
type Canvas struct {
	widget.BaseWidget
	raster *canvas.Raster

	mu     sync.Mutex // guards the fields below; the raster draws from Fyne's render path
	r      *render.Renderer
	ix     *maps.Index
	vp     render.Viewport
	style  render.Style
	over   *Overlay
	cache  *image.RGBA     // the map as last rendered, without the Overlay
	cached render.Viewport // the view cache shows
	stale  bool            // cache no longer shows ix/style
	slow   bool            // the last render took long enough to drop frames
	// panning is set while a drag moves the view: on a slow map the
	// cached frame is slid along and the map rendered when the drag ends.
	panning bool
	fitted  bool    // vp fitted to the village since it was set
	scale   float64 // pixels per Fyne unit at the last draw
	err     error   // last render error, drawn as a blank map and reported once
	renders int     // full renders so far (tests check the Overlay path skips them)

	// drag state, touched only by Fyne's event goroutine
	drag     dragKind
	dragLast fyne.Position
	cursor   desktop.Cursor

	// Gestures, set by the owner before the canvas is shown and called
	// without the lock held. p is in metres, tol is a few pixels
	// converted to metres (the pick radius).
	OnTap       func(p maps.Point, tol float64)
	OnSecondary func(p maps.Point, tol float64)
	OnDragStart func(p maps.Point, tol float64) bool // true: the screen takes the drag; false: pan
	OnDragMove  func(p maps.Point)
	OnDragEnd   func(p maps.Point)
	OnHover     func(p maps.Point)
	OnKey       func(*fyne.KeyEvent)
	OnShortcut  func(fyne.Shortcut)
	OnError     func(error)
}

var (
	_ fyne.Draggable     = (*Canvas)(nil)
	_ fyne.Scrollable    = (*Canvas)(nil)
	_ fyne.Tappable      = (*Canvas)(nil)
	_ fyne.Focusable     = (*Canvas)(nil)
	_ fyne.Shortcutable  = (*Canvas)(nil)
	_ desktop.Hoverable  = (*Canvas)(nil)
	_ desktop.Cursorable = (*Canvas)(nil)
)

var colMapBlank = color.RGBA{R: 0xee, G: 0xf0, B: 0xf3, A: 0xff}

func New() *Canvas {
	m := &Canvas{scale: 1, cursor: desktop.DefaultCursor}
	m.raster = canvas.NewRaster(m.Draw)
	m.ExtendBaseWidget(m)
	return m
}

func (m *Canvas) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

func (m *Canvas) MinSize() fyne.Size { return fyne.NewSize(200, 200) }

// SetMap shows a village (nil clears) with a fresh style and fits it to
// the view.
func (m *Canvas) SetMap(r *render.Renderer, ix *maps.Index, st render.Style) {
	m.mu.Lock()
	m.r, m.ix, m.style, m.over = r, ix, st, nil
	m.fitted, m.stale = false, true
	m.mu.Unlock()
	m.raster.Refresh()
}

// Update changes the style or view under the lock and redraws.
func (m *Canvas) Update(fn func(st *render.Style, vp *render.Viewport)) {
	m.mu.Lock()
	fn(&m.style, &m.vp)
	m.stale = true
	m.mu.Unlock()
	m.raster.Refresh()
}

// SetOverlay replaces what is drawn over the map; the map itself is not
// rendered again.
func (m *Canvas) SetOverlay(o *Overlay) {
	m.mu.Lock()
	m.over = o
	m.mu.Unlock()
	m.raster.Refresh()
}

// Viewport returns the current viewport (for tests and zoom-to).
func (m *Canvas) Viewport() render.Viewport {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.vp
}

// SetCursor sets the pointer shown over the map (a cross while drawing).
func (m *Canvas) SetCursor(c desktop.Cursor) { m.cursor = c }

// Change runs op, which changes the village shown, under the canvas's
// lock and shows the index op returns (nil: nothing changed): a frame drawn
// from the changed map with the old index could point past its slices.
func (m *Canvas) Change(op func() *maps.Index) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ix := op(); ix != nil {
		m.ix, m.stale = ix, true
	}
}

// Style is the style the map is drawn with.
func (m *Canvas) Style() render.Style {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.style
}

// Overlay is what is drawn over the map (nil: nothing).
func (m *Canvas) Overlay() *Overlay {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.over
}

// Renders counts the full renders of the map so far (tests check that the
// overlay and a slid frame spare them).
func (m *Canvas) Renders() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.renders
}

// SetSlow makes the canvas take the map as slow to render (as it does
// after a render longer than a frame), so a drag slides the last frame:
// for tests and benchmarks of that path.
func (m *Canvas) SetSlow(slow bool) {
	m.mu.Lock()
	m.slow = slow
	m.mu.Unlock()
}

// Cursor implements desktop.Cursorable.
func (m *Canvas) Cursor() desktop.Cursor { return m.cursor }

// Draw is the map at w×h pixels with the overlay over it: the raster's
// draw function (benchmarks call it directly).
func (m *Canvas) Draw(w, h int) image.Image {
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
			if m.err == nil && m.OnError != nil {
				go m.OnError(err) // not under the lock, not on the render path
			}
			m.err = err
			img = image.NewRGBA(image.Rect(0, 0, w, h))
			fillRGBA(img, colMapBlank)
		} else {
			m.err = nil
		}
		m.cache, m.cached, m.stale = img, m.vp, false
	}
	if m.over.Empty() {
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
// the Overlay; what comes into view is blank until the drag ends.
func (m *Canvas) slid() image.Image {
	out := image.NewRGBA(m.cache.Rect)
	fillRGBA(out, colMapBlank)
	dx := int(math.Round((m.cached.Center.X - m.vp.Center.X) * m.vp.Scale))
	dy := int(math.Round((m.vp.Center.Y - m.cached.Center.Y) * m.vp.Scale))
	draw.Draw(out, m.cache.Rect.Add(image.Pt(dx, dy)), m.cache, image.Point{}, draw.Src)
	if !m.over.Empty() {
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
func (m *Canvas) toWorld(p fyne.Position) (w maps.Point, tol float64, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ix == nil || m.vp.Scale <= 0 {
		return maps.Point{}, 0, false
	}
	px := maps.Point{X: float64(p.X) * m.scale, Y: float64(p.Y) * m.scale}
	return m.vp.ToWorld(px), m.vp.Metres(8 * m.scale), true
}

// ToPosition converts metres to a position on the widget (tests tap
// there).
func (m *Canvas) ToPosition(p maps.Point) fyne.Position {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.vp.ToScreen(p)
	return fyne.NewPos(float32(s.X/m.scale), float32(s.Y/m.scale))
}

// Metres converts a length in Fyne units to metres at the current zoom.
func (m *Canvas) Metres(units float64) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.vp.Scale <= 0 {
		return 0
	}
	return m.vp.Metres(units * m.scale)
}

// Dragged pans the map, or hands the drag to the editor when the screen
// takes it (it is asked once, where the drag started).
func (m *Canvas) Dragged(ev *fyne.DragEvent) {
	if m.drag == dragNone {
		m.focus()
		m.drag = dragPan
		start := ev.Position.Subtract(ev.Dragged)
		if p, tol, ok := m.toWorld(start); ok && m.OnDragStart != nil && m.OnDragStart(p, tol) {
			m.drag = dragEdit
		}
		m.mu.Lock()
		m.panning = m.drag == dragPan
		m.mu.Unlock()
	}
	m.dragLast = ev.Position
	if m.drag == dragEdit {
		if p, _, ok := m.toWorld(ev.Position); ok && m.OnDragMove != nil {
			m.OnDragMove(p)
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
func (m *Canvas) DragEnd() {
	kind := m.drag
	m.drag = dragNone
	m.mu.Lock()
	wasPanning := m.panning
	m.panning = false
	m.mu.Unlock()
	if wasPanning {
		m.raster.Refresh() // the full map where the drag left the view
	}
	if kind != dragEdit || m.OnDragEnd == nil {
		return
	}
	if p, _, ok := m.toWorld(m.dragLast); ok {
		m.OnDragEnd(p)
	}
}

// Scrolled zooms at the pointer, one notch of the wheel at a time.
func (m *Canvas) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DY == 0 {
		return
	}
	factor := math.Pow(1.25, float64(ev.Scrolled.DY)/10)
	m.zoomAt(ev.Position, factor)
}

func (m *Canvas) zoomAt(at fyne.Position, factor float64) {
	m.Update(func(_ *render.Style, vp *render.Viewport) {
		if vp.Scale > 0 {
			*vp = vp.ZoomAt(maps.Point{X: float64(at.X) * m.scale, Y: float64(at.Y) * m.scale}, factor)
		}
	})
}

// ZoomBy zooms at the middle of the view (the +/- buttons).
func (m *Canvas) ZoomBy(factor float64) {
	s := m.Size()
	m.zoomAt(fyne.NewPos(s.Width/2, s.Height/2), factor)
}

// Tapped hands the point to the screen and takes the keyboard, so Delete,
// Esc and Ctrl+Z work on the map right after a click.
func (m *Canvas) Tapped(ev *fyne.PointEvent) {
	m.focus()
	if p, tol, ok := m.toWorld(ev.Position); ok && m.OnTap != nil {
		m.OnTap(p, tol)
	}
}

// focus takes the keyboard from the find box, so Ctrl+Z after working on
// the map undoes the map step and not the typing.
func (m *Canvas) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(m); c != nil {
		c.Focus(m)
	}
}

// TappedSecondary is the right button (removes a corner while reshaping).
func (m *Canvas) TappedSecondary(ev *fyne.PointEvent) {
	if p, tol, ok := m.toWorld(ev.Position); ok && m.OnSecondary != nil {
		m.OnSecondary(p, tol)
	}
}

// MouseIn implements desktop.Hoverable.
func (m *Canvas) MouseIn(ev *desktop.MouseEvent) { m.MouseMoved(ev) }

// MouseMoved follows the pointer (the next edge of a shape being drawn).
func (m *Canvas) MouseMoved(ev *desktop.MouseEvent) {
	if m.OnHover == nil {
		return
	}
	if p, _, ok := m.toWorld(ev.Position); ok {
		m.OnHover(p)
	}
}

// MouseOut implements desktop.Hoverable.
func (m *Canvas) MouseOut() {}

// FocusGained implements fyne.Focusable.
func (m *Canvas) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (m *Canvas) FocusLost() {}

// TypedRune implements fyne.Focusable; the map takes no text.
func (m *Canvas) TypedRune(rune) {}

// TypedKey hands keys (Esc, Delete, Enter, Backspace) to the screen.
func (m *Canvas) TypedKey(ev *fyne.KeyEvent) {
	if m.OnKey != nil {
		m.OnKey(ev)
	}
}

// TypedShortcut hands Ctrl+Z / Ctrl+Y to the screen.
func (m *Canvas) TypedShortcut(s fyne.Shortcut) {
	if m.OnShortcut != nil {
		m.OnShortcut(s)
	}
}

// FitTo shows rect r (metres) in the view, not closer than minSpan metres
// across, so a single house is shown with its neighbours.
func (m *Canvas) FitTo(r maps.Rect, minSpan float64) {
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
	m.Update(func(_ *render.Style, vp *render.Viewport) {
		if vp.W > 0 && vp.H > 0 {
			*vp = vp.Fit(r, 40)
		} else {
			// Not drawn yet: remember to fit when the size is known.
			*vp = render.NewViewport(800, 600, r, 20)
		}
		m.fitted = true
	})
}

// FitAll shows the whole village (and its base map).
func (m *Canvas) FitAll() {
	m.mu.Lock()
	ix := m.ix
	m.mu.Unlock()
	if ix != nil {
		m.FitTo(mapExtent(ix), 0)
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
