package mapedit

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/georefpanel"
	"cunjing/app/ui/mapedit/mapcanvas"
	"cunjing/maps"
	"cunjing/maps/edit"
)

// mapTool is what a click on the map does.
type mapTool int

const (
	toolSelect   mapTool = iota // pick; drag the selected feature or its corners; otherwise pan
	toolRect                    // drag (or two clicks) for a rectangular house
	toolPolygon                 // click the corners of a house
	toolLane                    // click along a lane's middle
	toolLandmark                // click to place the chosen landmark
	toolLabel                   // click to place the typed text
	// Tools below are reached from a panel, not the toolbar; the toolbar
	// shows 选择 as active for them.
	toolScale       // two clicks, then the real distance
	toolAddVertex   // click an edge of the selected feature
	toolDelVertex   // click a corner of the selected feature
	toolRouteStart  // click where the fire engine comes from
	toolNumberStart // click where numbering starts
	toolGeoPoint    // click a place whose coordinates the officer knows (地理配准)
)

// editDrag is a drag the editor takes: moving the selected feature,
// moving one of its corners, or spanning a rectangle.
type editDrag struct {
	kind     int // dragMoveFeature, dragMoveVertex, dragRect
	id       string
	vertex   int
	from, to maps.Point
}

const (
	dragMoveFeature = iota
	dragMoveVertex
	dragRect
)

// Overlay colours: the editor's blue for what is being drawn, red for the
// chosen start (the route's colour), and a dark outline so both show on a
// pale scanned map and on the plain map alike.
var (
	colDrawLine  = color.NRGBA{0x1e, 0x64, 0xd2, 0xff}
	colDrawFill  = color.NRGBA{0x1e, 0x64, 0xd2, 0x40}
	colDrawPoint = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colStart     = color.NRGBA{0xd7, 0x30, 0x27, 0xff}
)

func (m *Screen) wireCanvas() {
	c := m.canvas
	c.OnTap = m.tap
	c.OnSecondary = m.secondaryTap
	c.OnDragStart = m.dragStart
	c.OnDragMove = m.dragMove
	c.OnDragEnd = m.dragEnd
	c.OnHover = m.hoverAt
	c.OnKey = m.key
	c.OnShortcut = m.shortcut
	c.OnError = func(err error) { m.u.Do(func() { m.u.ShowError(lang.L("map.renderError"), err) }) }
}

// setTool switches what clicks on the map do and shows the tool's
// instructions and settings.
func (m *Screen) setTool(t mapTool) {
	m.pts, m.hover, m.drag = nil, nil, nil
	if t != toolScale {
		m.scaleTo, m.scaleBack = nil, nil
	}
	m.tool = t
	if t == toolSelect {
		m.canvas.SetCursor(desktop.DefaultCursor)
	} else {
		m.canvas.SetCursor(desktop.CrosshairCursor)
	}
	m.updateButtons()
	m.showOverlay()
	switch t {
	case toolSelect:
		m.reshowPanel()
	case toolRect, toolPolygon, toolLane, toolLandmark, toolLabel:
		m.showToolPanel()
	}
}

// cancelDrawing drops the points of a shape not finished yet.
func (m *Screen) cancelDrawing() {
	if len(m.pts) > 0 || m.drag != nil {
		m.pts, m.hover, m.drag = nil, nil, nil
		m.showOverlay()
		if m.tool == toolPolygon || m.tool == toolLane {
			m.showToolPanel()
		}
	}
}

// near reports whether two world points are within tol metres.
func near(a, b maps.Point, tol float64) bool { return maps.Dist(a, b) <= tol }

func (m *Screen) tap(p maps.Point, tol float64) {
	v := m.v()
	if v == nil {
		return
	}
	switch m.tool {
	case toolSelect:
		if h, ok := m.ed.Pick(p, tol, m.selected); ok {
			m.found = nil
			m.selectFeature(h.ID, h.Kind)
		} else {
			m.selectFeature("", maps.FeatNone)
		}
	case toolRect:
		if len(m.pts) == 0 {
			m.pts = []maps.Point{p}
			m.showOverlay()
			return
		}
		a := m.pts[0]
		m.pts = nil
		m.addRect(a, p)
	case toolPolygon:
		if len(m.pts) >= 3 && near(p, m.pts[0], tol) {
			m.finishShape()
			return
		}
		m.pts = append(m.pts, p)
		m.showOverlay()
		m.showToolPanel()
	case toolLane:
		if len(m.pts) >= 2 && near(p, m.pts[len(m.pts)-1], tol) {
			m.finishShape()
			return
		}
		m.pts = append(m.pts, p)
		m.showOverlay()
		m.showToolPanel()
	case toolLandmark:
		kind := m.chosenKind()
		name := strings.TrimSpace(m.markName.Text)
		var id string
		if m.edit(func(ed *edit.Editor) (err error) { id, err = ed.AddLandmark(kind, name, p); return err }) {
			m.markName.SetText("")
			m.placed(id, maps.FeatLandmark, lang.L("mapedit.added.landmark"))
		}
	case toolLabel:
		if strings.TrimSpace(m.label.text.Text) == "" {
			m.say(lang.L("mapedit.label.needText"), widget.WarningImportance)
			return
		}
		text, size, ok := m.label.read(m.labelSizeIn)
		if !ok {
			return
		}
		var id string
		if m.edit(func(ed *edit.Editor) (err error) { id, err = ed.AddLabel(text, p, size); return err }) {
			m.label.text.SetText("")
			m.placed(id, maps.FeatLabel, lang.L("mapedit.added.label"))
		}
	case toolScale:
		m.pts = append(m.pts, p)
		m.showOverlay()
		if len(m.pts) == 2 {
			m.askScaleDistance()
		}
	case toolAddVertex:
		ref, ok := m.refOf(m.selected)
		if !ok {
			m.setTool(toolSelect)
			return
		}
		i, q := maps.HitEdge(v, ref, p, tol)
		if i < 0 {
			m.say(lang.L("mapedit.vertex.tapEdge"), widget.WarningImportance)
			return
		}
		id := m.selected
		m.edit(func(ed *edit.Editor) error { return ed.InsertVertex(id, i, q) })
	case toolDelVertex:
		m.deleteVertexAt(p, tol)
	case toolRouteStart:
		m.routeStart = &p
		m.tool = toolSelect
		m.updateButtons()
		m.showOverlay()
		if m.routeHouse != "" {
			m.showRoute(m.routeHouse)
		}
	case toolGeoPoint:
		// A tap on a landmark or house takes its point and name (村口,
		// 老井, 203号); elsewhere the spot tapped.
		if h, ok := m.ed.Pick(p, tol, ""); ok && (h.Kind == maps.FeatLandmark || h.Kind == maps.FeatHouse) {
			if at, name, ok := georefpanel.PlaceOf(v, h.ID, h.Kind); ok {
				m.geo.AddPoint(name, at)
				return
			}
		}
		m.geo.AddPoint("", p)
	case toolNumberStart:
		m.numberStart = &p
		m.tool = toolSelect
		m.updateButtons()
		m.showOverlay()
		m.showNumbersPanel()
	}
}

// placed selects what a tool just added and goes back to 选择, so the
// next click does not add another by accident.
func (m *Screen) placed(id string, kind maps.FeatureKind, msg string) {
	m.tool = toolSelect
	m.pts, m.hover = nil, nil
	m.canvas.SetCursor(desktop.DefaultCursor)
	m.updateButtons()
	m.selectFeature(id, kind)
	m.say(msg, widget.SuccessImportance)
}

// secondaryTap (right button) removes the corner under the pointer of the
// selected house or lane.
func (m *Screen) secondaryTap(p maps.Point, tol float64) {
	if m.tool == toolSelect || m.tool == toolDelVertex {
		m.deleteVertexAt(p, tol)
	}
}

func (m *Screen) deleteVertexAt(p maps.Point, tol float64) {
	ref, ok := m.refOf(m.selected)
	if !ok || (ref.Kind != maps.FeatHouse && ref.Kind != maps.FeatLane) {
		return
	}
	i := maps.HitVertex(m.v(), ref, p, tol)
	if i < 0 {
		m.say(lang.L("mapedit.vertex.tapCorner"), widget.WarningImportance)
		return
	}
	id := m.selected
	if m.edit(func(ed *edit.Editor) error { return ed.DeleteVertex(id, i) }) {
		m.say(lang.L("mapedit.vertex.deleted"), widget.MediumImportance)
	}
}

func (m *Screen) addRect(a, b maps.Point) {
	var id string
	if m.edit(func(ed *edit.Editor) (err error) { id, err = ed.AddRectHouse(a, b); return err }) {
		m.placed(id, maps.FeatHouse, lang.L("mapedit.added.house"))
	}
}

// finishShape adds the polygon house or the lane drawn so far.
func (m *Screen) finishShape() {
	pts := append([]maps.Point(nil), m.pts...)
	switch m.tool {
	case toolPolygon:
		if len(pts) < 3 {
			m.say(lang.L("mapedit.polygon.needThree"), widget.WarningImportance)
			return
		}
		var id string
		if m.edit(func(ed *edit.Editor) (err error) { id, err = ed.AddHouse(maps.Polygon(pts)); return err }) {
			m.placed(id, maps.FeatHouse, lang.L("mapedit.added.house"))
		}
	case toolLane:
		if len(pts) < 2 {
			m.say(lang.L("mapedit.lane.needTwo"), widget.WarningImportance)
			return
		}
		name, w, ok := m.lane.read(m.laneWidthIn)
		if !ok {
			return
		}
		var id string
		if m.edit(func(ed *edit.Editor) (err error) { id, err = ed.AddLane(name, w, pts); return err }) {
			m.lane.text.SetText("")
			m.placed(id, maps.FeatLane, lang.L("mapedit.added.lane"))
		}
	}
}

// undoPoint takes back the last point of the shape being drawn.
func (m *Screen) undoPoint() {
	if len(m.pts) == 0 {
		return
	}
	m.pts = m.pts[:len(m.pts)-1]
	m.showOverlay()
	m.showToolPanel()
}

// namedLength is a drawing tool's two inputs, made once and kept between
// uses: a text (a lane's name, a label's words) and a length in metres (a
// lane's width, a label's height) that starts at the last one used.
type namedLength struct {
	text, length *kit.Entry
	last         string // the length last used, as typed
}

// form makes the inputs the first time (the text hinted by the translation
// hintKey), puts the last length into an empty length field and lays the
// two out under the translations textKey and lengthKey.
func (t *namedLength) form(textKey, hintKey, lengthKey string) *widget.Form {
	if t.text == nil {
		t.text, t.length = kit.NewEntry(), kit.NewEntry()
		t.text.SetPlaceHolder(lang.L(hintKey))
	}
	if t.length.Text == "" {
		t.length.SetText(t.last)
	}
	return widget.NewForm(widget.NewFormItem(lang.L(textKey), t.text),
		widget.NewFormItem(lang.L(lengthKey), t.length))
}

// read is the text typed, trimmed, and the length as in reads it (which
// says why not when it cannot); a length read becomes the last one used.
func (t *namedLength) read(in func(string) (float64, bool)) (string, float64, bool) {
	l, ok := in(t.length.Text)
	if !ok {
		return "", 0, false
	}
	t.last = t.length.Text
	return strings.TrimSpace(t.text.Text), l, true
}

// typedMetres reads a length typed into a field (parseMetres), or says
// why not (the translation bad) and gives false.
func (m *Screen) typedMetres(text string, lo, hi float64, bad string) (float64, bool) {
	v, ok := parseMetres(text, lo, hi)
	if !ok {
		m.say(lang.L(bad), widget.WarningImportance)
	}
	return v, ok
}

// laneWidthIn reads a lane's width (0.5–60 m), or says why not.
func (m *Screen) laneWidthIn(text string) (float64, bool) {
	return m.typedMetres(text, 0.5, 60, "mapedit.lane.badWidth")
}

// labelSizeIn reads a label's height (0.5–100 m), or says why not.
func (m *Screen) labelSizeIn(text string) (float64, bool) {
	return m.typedMetres(text, 0.5, 100, "mapedit.label.badSize")
}

// parseMetres reads a length typed by the officer ("3", "3.5", "３．５米")
// and checks it lies in [lo, hi].
func parseMetres(s string, lo, hi float64) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '．' || r == '。':
			return '.'
		case r == '米' || r == 'm' || r == ' ' || r == '　':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		return 0, false
	}
	return f, true
}

func (m *Screen) dragStart(p maps.Point, tol float64) bool {
	v := m.v()
	if v == nil {
		return false
	}
	switch m.tool {
	case toolRect:
		m.pts = nil
		m.drag = &editDrag{kind: dragRect, from: p, to: p}
		return true
	case toolSelect:
		if m.selected == "" {
			return false
		}
		ref, ok := m.refOf(m.selected)
		if !ok {
			return false
		}
		h, ok := m.ed.Pick(p, tol, m.selected)
		switch {
		case ok && h.ID == m.selected && h.Vertex >= 0:
			m.drag = &editDrag{kind: dragMoveVertex, id: h.ID, vertex: h.Vertex, from: p, to: p}
		case ok && h.ID == m.selected,
			ref.Kind == maps.FeatHouse && v.Houses[ref.Index].Polygon.Contains(p):
			m.drag = &editDrag{kind: dragMoveFeature, id: m.selected, from: p, to: p}
		default:
			return false // anything else pans: a stray drag never moves a house
		}
		return true
	}
	return false
}

func (m *Screen) dragMove(p maps.Point) {
	if m.drag == nil {
		return
	}
	m.drag.to = p
	m.showOverlay()
}

func (m *Screen) dragEnd(p maps.Point) {
	d := m.drag
	if d == nil {
		return
	}
	d.to = p
	m.drag = nil
	m.showOverlay()
	switch d.kind {
	case dragRect:
		m.addRect(d.from, d.to)
	case dragMoveFeature:
		delta := d.to.Sub(d.from)
		if math.Hypot(delta.X, delta.Y) < m.canvas.Metres(2) {
			return
		}
		if m.edit(func(ed *edit.Editor) error { return ed.Move(delta, d.id) }) {
			m.say(lang.L("mapedit.moved"), widget.MediumImportance)
			m.reshowPanel()
		}
	case dragMoveVertex:
		if m.edit(func(ed *edit.Editor) error { return ed.MoveVertex(d.id, d.vertex, d.to) }) {
			m.say(lang.L("mapedit.reshaped"), widget.MediumImportance)
		}
	}
}

func (m *Screen) hoverAt(p maps.Point) {
	if len(m.pts) == 0 {
		return
	}
	switch m.tool {
	case toolPolygon, toolLane:
	case toolRect, toolScale:
		if len(m.pts) > 1 {
			return
		}
	default:
		return
	}
	m.hover = &p
	m.showOverlay()
}

func (m *Screen) key(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		switch {
		case len(m.pts) > 0 || m.drag != nil:
			m.cancelDrawing()
		case m.tool != toolSelect:
			m.setTool(toolSelect)
		default:
			m.selectFeature("", maps.FeatNone)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if m.tool == toolPolygon || m.tool == toolLane {
			m.finishShape()
		}
	case fyne.KeyBackspace:
		if len(m.pts) > 0 {
			m.undoPoint()
		} else {
			m.deleteSelected()
		}
	case fyne.KeyDelete:
		m.deleteSelected()
	}
}

func (m *Screen) shortcut(s fyne.Shortcut) {
	// Ctrl+E (紧急) is the window's, with the cursor on the map too.
	if kit.ToWindow(m.canvas, s) {
		return
	}
	switch s := s.(type) {
	case *fyne.ShortcutUndo:
		m.undo()
	case *fyne.ShortcutRedo:
		m.redo()
	case *desktop.CustomShortcut:
		if s.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) == 0 {
			return
		}
		switch {
		case s.KeyName == fyne.KeyZ && s.Modifier&fyne.KeyModifierShift != 0, s.KeyName == fyne.KeyY:
			m.redo()
		case s.KeyName == fyne.KeyZ:
			m.undo()
		}
	}
}

// askScaleDistance asks for the real distance between the two points
// just clicked and scales the map (and the base map) to it.
func (m *Screen) askScaleDistance() {
	p1, p2 := m.pts[0], m.pts[1]
	to, back := m.scaleTo, m.scaleBack
	m.scaleTo, m.scaleBack = nil, nil
	dist := kit.NewEntry()
	dist.SetPlaceHolder(lang.L("mapedit.scale.placeholder"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("mapedit.scale.distance"), dist)}
	d := dialog.NewForm(lang.L("mapedit.scale.title"), lang.L("OK"), lang.L("Cancel"), items, func(ok bool) {
		m.pts = nil
		m.tool = toolSelect
		m.updateButtons()
		m.showOverlay()
		if !ok || to != nil {
			if back == nil {
				back = m.showBasePanel
			}
			defer back()
		}
		if !ok {
			return
		}
		metres, valid := parseMetres(dist.Text, 0.1, 100000)
		if !valid {
			m.say(lang.L("mapedit.scale.bad"), widget.WarningImportance)
			if to == nil {
				m.showBasePanel()
			}
			return
		}
		if to != nil {
			to(p1, p2, metres)
			return
		}
		if m.edit(func(ed *edit.Editor) error { return ed.SetScale(p1, p2, metres) }) {
			m.say(lang.L("mapedit.scale.done"), widget.SuccessImportance)
			m.canvas.FitAll()
		}
		m.showBasePanel()
	}, m.u.Window())
	d.Resize(fyne.NewSize(420, 220))
	d.Show()
	m.u.Window().Canvas().Focus(dist)
}

// showOverlay draws what the current tool is in the middle of.
func (m *Screen) showOverlay() {
	o := &mapcanvas.Overlay{}
	v := m.v()
	line := func(pts []maps.Point, closed bool, fill bool) {
		s := mapcanvas.Shape{Pts: pts, Closed: closed, Line: colDrawLine, Width: 2.5}
		if fill {
			s.Fill = colDrawFill
		}
		o.Shapes = append(o.Shapes, s)
	}
	dots := func(pts []maps.Point, r float64) {
		for _, p := range pts {
			o.Dots = append(o.Dots, mapcanvas.Dot{At: p, R: r, Fill: colDrawPoint, Ring: colDrawLine})
		}
	}
	pts := m.pts
	if m.hover != nil && len(pts) > 0 {
		pts = append(append([]maps.Point(nil), pts...), *m.hover)
	}
	switch {
	case m.drag != nil && m.drag.kind == dragRect:
		line(rectRing(m.drag.from, m.drag.to), true, true)
	case m.drag != nil && v != nil:
		m.dragPreview(o, v)
	case m.tool == toolRect && len(pts) == 2:
		line(rectRing(pts[0], pts[1]), true, true)
		dots(pts[:1], 4)
	case m.tool == toolPolygon && len(pts) > 0:
		line(pts, len(pts) >= 3, len(pts) >= 3)
		dots(m.pts, 4)
		if len(m.pts) >= 3 {
			dots(m.pts[:1], 7) // click here to close
		}
	case m.tool == toolLane && len(pts) > 0:
		line(pts, false, false)
		dots(m.pts, 4)
	case m.tool == toolScale && len(pts) > 0:
		line(pts, false, false)
		dots(m.pts, 5)
	default:
		dots(m.pts, 4)
	}
	if m.routeStart != nil && (m.route != nil || m.tool == toolRouteStart) {
		o.Dots = append(o.Dots, mapcanvas.Dot{At: *m.routeStart, R: 7, Fill: colStart, Ring: colDrawPoint})
	}
	if m.numberStart != nil {
		o.Dots = append(o.Dots, mapcanvas.Dot{At: *m.numberStart, R: 7, Fill: colDrawLine, Ring: colDrawPoint})
	}
	m.scan.Overlay(o)
	// 地理配准's points, while its panel is open; a suspect one red.
	for _, p := range m.geo.Points() {
		fill := colDrawLine
		if p.Suspect {
			fill = colStart
		}
		o.Dots = append(o.Dots, mapcanvas.Dot{At: p.At, R: 7, Fill: fill, Ring: colDrawPoint})
	}
	m.canvas.SetOverlay(o)
}

// dragPreview shows the selected feature where the drag would put it.
func (m *Screen) dragPreview(o *mapcanvas.Overlay, v *maps.Village) {
	d := m.drag
	ref, ok := m.refOf(d.id)
	if !ok {
		return
	}
	var pts []maps.Point
	closed := false
	switch ref.Kind {
	case maps.FeatHouse:
		pts, closed = append([]maps.Point(nil), v.Houses[ref.Index].Polygon...), true
	case maps.FeatLane:
		pts = append([]maps.Point(nil), v.Lanes[ref.Index].Points...)
	case maps.FeatLandmark:
		pts = []maps.Point{v.Landmarks[ref.Index].Point}
	case maps.FeatLabel:
		pts = []maps.Point{v.Labels[ref.Index].Point}
	}
	if d.kind == dragMoveVertex {
		if d.vertex < len(pts) {
			pts[d.vertex] = d.to
		}
	} else {
		delta := d.to.Sub(d.from)
		for i := range pts {
			pts[i] = pts[i].Add(delta)
		}
	}
	if len(pts) == 1 {
		o.Dots = append(o.Dots, mapcanvas.Dot{At: pts[0], R: 8, Fill: colDrawFill, Ring: colDrawLine})
		return
	}
	s := mapcanvas.Shape{Pts: pts, Closed: closed, Line: colDrawLine, Width: 2.5}
	if closed {
		s.Fill = colDrawFill
	}
	o.Shapes = append(o.Shapes, s)
}

func rectRing(a, b maps.Point) []maps.Point {
	return []maps.Point{a, {X: b.X, Y: a.Y}, b, {X: a.X, Y: b.Y}}
}
