// Package georefpanel is the map editor's 地理配准 (georeference) panel:
// the datum the officer says the coordinates are in, control points
// placed on the map (a landmark or house gives its own position and name)
// with their coordinates typed, pasted or picked from a GPX/KML walk, and
// the fit, tried or saved through app/georef as `cunjing map georef` does.
//
// It works on the open map through Editor, which the editor implements; it
// knows nothing else of the editor.
package georefpanel

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/georef"
	"cunjing/app/ui/kit"
	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// Env is what the panel needs from the window.
type Env interface {
	kit.Base
	// ConfirmDelete asks before removing what (the georeference).
	ConfirmDelete(what string, del func())
}

// Editor is the open map as the panel works on it.
type Editor interface {
	Village() *maps.Village // nil: none open
	VillageID() string
	// SetSide replaces the side panel's content (and calls Closed).
	SetSide(objs ...fyne.CanvasObject)
	RefreshOverlay()
	// PlacePoint takes the tool that places a control point: the next
	// click on the map comes back as AddPoint. Placing reports whether
	// that tool is in hand.
	PlacePoint()
	Placing() bool
	SelectTool() // back to 选择, nothing half drawn
	ShowBasePanel()
	// Selected is the feature selected on the map ("" for none).
	Selected() (id string, kind maps.FeatureKind)
}

// Panel is 地理配准 over the editor: the open village's state, kept while
// the officer works elsewhere on the same village.
type Panel struct {
	u     Env
	ed    Editor
	state *geoPanel
	shown bool // the side panel shows it
}

// New is the panel over the editor ed in window u.
func New(u Env, ed Editor) *Panel { return &Panel{u: u, ed: ed} }

// Closed says the side panel shows something else now (the editor's
// SetSide calls it; Show opens the panel again after).
func (m *Panel) Closed() { m.shown = false }

// Point is a control point as the map draws it: where it is, and whether
// the last fit found it suspect (drawn red).
type Point struct {
	At      maps.Point
	Suspect bool
}

// Points are the open village's control points while the panel is shown,
// else none.
func (m *Panel) Points() []Point {
	g := m.state
	if g == nil || !m.shown || g.villageID != m.ed.VillageID() {
		return nil
	}
	pts := make([]Point, len(g.points))
	for i, p := range g.points {
		pts[i] = Point{At: p.at, Suspect: g.fit != nil && i < len(g.fit.Points) && g.fit.Points[i].Suspect}
	}
	return pts
}

// geoDatums are the datums the panel asks about, in the order it offers
// them: the apps officers copy positions from.
var geoDatums = []struct {
	d   geo.Datum
	key string
}{
	{geo.GCJ02, "mapedit.geo.datum.gcj02"},
	{geo.BD09, "mapedit.geo.datum.bd09"},
	{geo.WGS84, "mapedit.geo.datum.wgs84"},
}

// geoPanel is 地理配准 of the open village: the datum the officer says the
// coordinates are in, the points placed on the map with what was typed or
// pasted for each, and the last fit (through app/georef, as `cunjing map
// georef` does).
type geoPanel struct {
	villageID string
	datum     *widget.Select
	points    []*geoPoint
	fit       *geo.FitResult // the last 试算 or save; nil after a change
	saved     *geo.Georef    // the village's georeference in the store
	accept    *widget.Check
	smooth    *widget.Check
	msg       *kit.Message
	// wps are the named points of a GPX/KML file walked with a phone
	// (wpsFile its name): a point's coordinates can be @NAME of one.
	wps     []geo.Waypoint
	wpsFile string
}

// geoPoint is one control point: where on the map, what it is, and its
// coordinates as given.
type geoPoint struct {
	name   string
	at     maps.Point
	coords *kit.Entry
}

// say puts a line under the buttons.
func (g *geoPanel) say(text string, imp widget.Importance) {
	g.msg.SetText(text)
	g.msg.SetImportance(imp)
}

// sayError puts what failed under the buttons, err behind 详细信息.
func (g *geoPanel) sayError(what string, err error) {
	g.msg.SetError(what, err)
	g.msg.SetImportance(widget.DangerImportance)
}

// geo is the open village's panel state, made when first shown.
func (m *Panel) geo() *geoPanel {
	villageID := m.ed.VillageID()
	if m.ed.Village() == nil || villageID == "" {
		return nil
	}
	if m.state == nil || m.state.villageID != villageID {
		g := &geoPanel{villageID: villageID, msg: kit.NewMessage()}
		var opts []string
		for _, d := range geoDatums {
			opts = append(opts, lang.L(d.key))
		}
		g.datum = kit.NewSelect(opts, func(string) { g.fit = nil })
		g.datum.PlaceHolder = lang.L("mapedit.geo.datumPick")
		g.accept = widget.NewCheck(lang.L("mapedit.geo.accept"), nil)
		g.smooth = widget.NewCheck(lang.L("mapedit.geo.smooth"), func(bool) { g.fit = nil })
		m.state = g
		m.loadGeoref(g)
	}
	return m.state
}

// loadGeoref reads the village's saved georeference and shows the panel
// again with it.
func (m *Panel) loadGeoref(g *geoPanel) {
	var saved *geo.Georef
	kit.Load(m.u, func(ctx context.Context) (err error) {
		saved, err = mapdata.Georef(ctx, m.u.Store(), g.villageID)
		return err
	}, func() {
		g.saved = saved
		if m.state == g && !m.ed.Placing() && m.shown {
			m.Show()
		}
	})
}

// Show is 地理配准: how it is done, the datum, the points and the fit,
// and the buttons.
func (m *Panel) Show() {
	g := m.geo()
	if g == nil {
		return
	}
	objs := []fyne.CanvasObject{kit.Heading(lang.L("mapedit.geo.title"))}
	switch {
	case g.saved != nil && len(g.saved.Points) > 0:
		objs = append(objs, kit.StatusLabel(fmt.Sprintf(lang.L("mapedit.geo.savedWith"), len(g.saved.Points))))
	case g.saved != nil:
		objs = append(objs, kit.StatusLabel(lang.L("mapedit.geo.savedFrame")))
	default:
		objs = append(objs, kit.StatusLabel(lang.L("mapedit.geo.none")))
	}
	objs = append(objs, kit.Wrapped(lang.L("mapedit.geo.help")),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("mapedit.geo.datum")), nil, g.datum))
	for i, p := range g.points {
		objs = append(objs, m.geoPointRow(g, i, p))
	}
	add := widget.NewButtonWithIcon(lang.L("mapedit.geo.add"), theme.ContentAddIcon(), func() {
		m.ed.PlacePoint()
		m.ed.SetSide(kit.Heading(lang.L("mapedit.geo.title")), kit.Wrapped(lang.L("mapedit.geo.tapHelp")),
			widget.NewButton(lang.L("Cancel"), func() { m.ed.SelectTool(); m.Show() }))
		m.shown = true
		m.ed.RefreshOverlay()
	})
	wpBtn := widget.NewButtonWithIcon(lang.L("mapedit.geo.waypoints"), theme.FolderOpenIcon(), m.chooseWaypoints)
	objs = append(objs, add, wpBtn)
	if g.wpsFile != "" {
		objs = append(objs, kit.StatusLabel(fmt.Sprintf(lang.L("mapedit.geo.waypointsRead"), g.wpsFile, len(g.wps))))
	}
	if at, name, ok := m.selectedPlace(); ok {
		objs = append(objs, widget.NewButtonWithIcon(fmt.Sprintf(lang.L("mapedit.geo.addSelected"), name), theme.ContentAddIcon(), func() {
			m.AddPoint(name, at)
		}))
	}
	try := widget.NewButton(lang.L("mapedit.geo.try"), func() { m.fitGeoref(true) })
	save := widget.NewButtonWithIcon(lang.L("mapedit.geo.save"), theme.DocumentSaveIcon(), func() { m.fitGeoref(false) })
	save.Importance = widget.HighImportance
	objs = append(objs, widget.NewSeparator(), container.NewGridWithColumns(2, try, save), g.accept)
	// The smooth correction is offered (5 points or more, the fit off by
	// more than a few metres), never chosen for the officer.
	if g.smooth.Checked || (g.fit != nil && g.fit.SmoothOffered) {
		objs = append(objs, g.smooth, kit.StatusLabel(lang.L("mapedit.geo.smoothHint")))
	}
	objs = append(objs, g.msg)
	if g.saved != nil {
		objs = append(objs, widget.NewButtonWithIcon(lang.L("mapedit.geo.clear"), theme.DeleteIcon(), m.clearGeoref))
	}
	objs = append(objs, widget.NewButton(lang.L("mapedit.geo.back"), func() { m.ed.ShowBasePanel(); m.ed.RefreshOverlay() }))
	m.ed.SetSide(objs...)
	m.shown = true
	m.ed.RefreshOverlay()
}

// geoPointRow is one point: its name and map position, its coordinates
// entry, how far off the fit it is, and a button that drops it.
func (m *Panel) geoPointRow(g *geoPanel, i int, p *geoPoint) fyne.CanvasObject {
	title := fmt.Sprintf(lang.L("mapedit.geo.point"), i+1, p.at.X, p.at.Y)
	if p.name != "" {
		title += "  " + p.name
	}
	drop := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		g.points = append(g.points[:i], g.points[i+1:]...)
		g.fit = nil
		m.ed.RefreshOverlay()
		m.Show()
	})
	rows := []fyne.CanvasObject{container.NewBorder(nil, nil, nil, drop, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})), p.coords}
	if len(g.wps) > 0 {
		var names []string
		for _, w := range g.wps {
			names = append(names, w.Name)
		}
		pick := kit.NewSelect(names, func(name string) {
			p.coords.SetText("@" + name)
			if p.name == "" {
				p.name = name
			}
		})
		pick.PlaceHolder = lang.L("mapedit.geo.pickWaypoint")
		rows = append(rows, pick)
	}
	if g.fit != nil && i < len(g.fit.Points) {
		pf := g.fit.Points[i]
		l := widget.NewLabel(fmt.Sprintf(lang.L("mapedit.geo.residual"), pf.ResidualM))
		if pf.Suspect {
			l.SetText(fmt.Sprintf(lang.L("mapedit.geo.suspect"), pf.ResidualM))
			l.Importance = widget.DangerImportance
		}
		l.Wrapping = fyne.TextWrapWord
		rows = append(rows, l)
	}
	return container.NewVBox(rows...)
}

// selectedPlace is the selected landmark's point or house's centre, as a
// control point the officer can give coordinates for.
func (m *Panel) selectedPlace() (maps.Point, string, bool) {
	v := m.ed.Village()
	id, kind := m.ed.Selected()
	if v == nil || id == "" {
		return maps.Point{}, "", false
	}
	return PlaceOf(v, id, kind)
}

// PlaceOf is a landmark's point or a house's centre, named as the officer
// knows it.
func PlaceOf(v *maps.Village, id string, kind maps.FeatureKind) (maps.Point, string, bool) {
	switch kind {
	case maps.FeatLandmark:
		for _, l := range v.Landmarks {
			if l.ID == id {
				name := l.Name
				if name == "" {
					name = l.Kind.Label()
				}
				return l.Point, name, true
			}
		}
	case maps.FeatHouse:
		if i := v.HouseByID(id); i >= 0 {
			return v.Houses[i].Polygon.Centroid(), fmt.Sprintf(lang.L("mapedit.geo.house"), search.PlainNumber(v.Houses[i].Number)), true
		}
	}
	return maps.Point{}, "", false
}

// AddPoint adds a point at map position at, with an empty coordinates
// entry to paste into, and shows the panel (the tool back to 选择).
func (m *Panel) AddPoint(name string, at maps.Point) {
	g := m.geo()
	if g == nil {
		return
	}
	e := kit.NewEntry()
	e.SetPlaceHolder(lang.L("mapedit.geo.coordsHint"))
	e.OnChanged = func(string) { g.fit = nil }
	g.points = append(g.points, &geoPoint{name: name, at: at, coords: e})
	g.fit = nil
	m.ed.SelectTool()
	m.Show()
	m.ed.RefreshOverlay()
}

// fitGeoref reads the points, fits the map to them and, unless dry,
// saves the fit; every mistake is said in Chinese, nothing saved.
func (m *Panel) fitGeoref(dry bool) {
	g := m.geo()
	if g == nil {
		return
	}
	i := g.datum.SelectedIndex()
	if i < 0 || i >= len(geoDatums) {
		g.say(lang.L("mapedit.geo.needDatum"), widget.WarningImportance)
		return
	}
	d := geoDatums[i].d
	var cps []geo.ControlPoint
	for n, p := range g.points {
		if strings.TrimSpace(p.coords.Text) == "" {
			g.say(fmt.Sprintf(lang.L("mapedit.geo.emptyCoords"), n+1), widget.WarningImportance)
			return
		}
		cp, err := georef.Point(p.name, p.at, p.coords.Text, d, g.wps)
		if err != nil {
			g.sayError(fmt.Sprintf(lang.L("mapedit.geo.badPoint"), n+1, pointWords(err)), err)
			return
		}
		cps = append(cps, cp)
	}
	if len(cps) < 2 {
		g.say(lang.L("mapedit.geo.tooFew"), widget.WarningImportance)
		return
	}
	opt := georef.Options{DryRun: dry, AcceptSuspect: g.accept.Checked, Smooth: g.smooth.Checked}
	villageID := g.villageID
	var res *geo.FitResult
	var saved bool
	kit.Run(m.u, func(ctx context.Context) (err error) {
		res, saved, err = georef.Apply(ctx, m.u.Store(), villageID, cps, opt)
		return err
	}, func(err error) {
		g.sayError(fitWords(err), err)
	}, func() {
		if m.state != g {
			return
		}
		g.fit = res
		switch {
		case res.Suspects > 0 && !saved && !dry:
			m.Show()
			g.say(fmt.Sprintf(lang.L("mapedit.geo.suspects"), res.Suspects), widget.DangerImportance)
			return
		case saved:
			m.loadGeoref(g)
			m.Show()
			g.say(fmt.Sprintf(lang.L("mapedit.geo.saved"), len(cps), res.RMS), widget.SuccessImportance)
			return
		}
		m.Show()
		text := fmt.Sprintf(lang.L("mapedit.geo.fitted"), len(cps), res.RMS)
		if !res.Checked {
			text += lang.L("mapedit.geo.unchecked")
		}
		g.say(text, widget.MediumImportance)
	})
}

// chooseWaypoints reads a GPX or KML/KMZ file walked with a phone: its
// named points can be picked for a point's coordinates.
func (m *Panel) chooseWaypoints() {
	g := m.geo()
	if g == nil {
		return
	}
	kit.OpenPath(m.u.Window(), []string{".gpx", ".kml", ".kmz"}, fyne.NewSize(900, 600), func(path string) {
		var wps []geo.Waypoint
		kit.Run(m.u, func(context.Context) (err error) {
			wps, err = georef.ReadWaypoints(path)
			return err
		}, func(err error) {
			g.sayError(lang.L("mapedit.geo.waypointsBad"), err)
		}, func() {
			m.setWaypoints(g, filepath.Base(path), wps)
		})
	})
}

// setWaypoints keeps a waypoint file's points for the panel's picks.
func (m *Panel) setWaypoints(g *geoPanel, file string, wps []geo.Waypoint) {
	g.wps, g.wpsFile, g.fit = wps, file, nil
	if m.state == g {
		m.Show()
	}
}

// clearGeoref removes the village's georeference (asking first).
func (m *Panel) clearGeoref() {
	g := m.geo()
	if g == nil {
		return
	}
	villageID := g.villageID
	m.u.ConfirmDelete(lang.L("mapedit.geo.clearWhat"), func() {
		kit.Run(m.u, func(ctx context.Context) error { return mapdata.ClearGeoref(ctx, m.u.Store(), villageID) },
			func(err error) { m.u.ShowError(lang.L("error.save"), err) },
			func() {
				g.saved, g.fit = nil, nil
				m.Show()
				g.say(lang.L("mapedit.geo.cleared"), widget.MediumImportance)
			})
	})
}

// pointWords says what is wrong with a point's coordinates.
func pointWords(err error) string {
	var mm *georef.DatumMismatchError
	switch {
	case errors.As(err, &mm):
		return fmt.Sprintf(lang.L("mapedit.geo.err.datum"), mm.Source, mm.Given.Label())
	case errors.Is(err, geo.ErrSwapped):
		return lang.L("mapedit.geo.err.swapped")
	case errors.Is(err, geo.ErrOutsideChina):
		return lang.L("mapedit.geo.err.outside")
	case errors.Is(err, geo.ErrNoWaypoint):
		return lang.L("mapedit.geo.err.noWaypoint")
	}
	return lang.L("mapedit.geo.err.unreadable")
}

// fitWords says why the points could not be fitted.
func fitWords(err error) string {
	switch {
	case errors.Is(err, geo.ErrTooFewPoints):
		return lang.L("mapedit.geo.tooFew")
	case errors.Is(err, geo.ErrCollinear):
		return lang.L("mapedit.geo.err.collinear")
	case errors.Is(err, geo.ErrMirror):
		return lang.L("mapedit.geo.err.mirror")
	}
	return lang.L("mapedit.geo.err.fit")
}
