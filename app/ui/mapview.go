package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/maps"
	"cunjing/store"
)

// mapScreen is 地图: the village map (drag to move, wheel to zoom), one
// find box for a house number (old numbers too), householder or phone that
// zooms to the house, and the fire-engine route to it with the text to
// read out on the phone.
type mapScreen struct {
	u    *UI
	root fyne.CanvasObject

	village *widget.Select
	find    *widget.Entry
	summary *widget.Label
	canvas  *mapCanvas
	info    *fyne.Container

	mu       sync.Mutex
	villages []store.Village
	vil      *maps.Village
	router   *maps.Router
	selected string // house ID
	route    *maps.RouteResult
}

func newMapScreen(u *UI) *mapScreen {
	m := &mapScreen{u: u, info: container.NewVBox(),
		summary: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})}
	m.village = widget.NewSelect(nil, func(string) { m.loadVillage() })
	m.village.PlaceHolder = lang.L("map.pickVillage")
	m.find = widget.NewEntry()
	m.find.SetPlaceHolder(lang.L("map.findHint"))
	m.find.OnSubmitted = func(string) { m.findHouse() }
	m.find.ActionItem = widget.NewButtonWithIcon("", theme.SearchIcon(), m.findHouse)
	m.canvas = newMapCanvas()
	m.canvas.onTap = m.tapped
	m.canvas.onError = func(err error) { m.u.do(func() { m.u.showError(lang.L("map.renderError"), err) }) }

	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { m.canvas.zoomBy(1.5) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { m.canvas.zoomBy(1 / 1.5) })
	fit := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), m.canvas.fitAll)
	bar := container.NewBorder(nil, nil, withWidth(200, m.village), container.NewHBox(zoomOut, zoomIn, fit), m.find)
	top := container.NewVBox(container.NewBorder(nil, nil, heading(lang.L("nav.map")), nil, m.summary), bar)
	m.showInfoHint()
	side := withWidth(330, container.NewVScroll(container.NewPadded(m.info)))
	m.root = container.NewBorder(container.NewPadded(top), nil, nil, side, m.canvas)
	m.refresh()
	return m
}

func (m *mapScreen) object() fyne.CanvasObject { return m.root }

func (m *mapScreen) refresh() {
	m.u.goBG(func(ctx context.Context) {
		vs, err := m.u.st.Villages(ctx)
		if ctx.Err() != nil {
			return
		}
		m.u.do(func() {
			if err != nil {
				m.u.showError(lang.L("error.load"), err)
				return
			}
			m.mu.Lock()
			m.villages = vs
			m.mu.Unlock()
			names := make([]string, len(vs))
			for i, v := range vs {
				names[i] = v.Name
			}
			m.village.Options = names
			if len(vs) == 0 {
				m.summary.SetText(lang.L("map.noVillages"))
			}
			if m.village.SelectedIndex() < 0 && len(vs) > 0 {
				m.village.SetSelectedIndex(0) // loads it
			} else {
				m.village.Refresh()
				m.loadVillage()
			}
		})
	})
}

// loadVillage reads the chosen village's map and draws it.
func (m *mapScreen) loadVillage() {
	i := m.village.SelectedIndex()
	m.mu.Lock()
	if i < 0 || i >= len(m.villages) {
		m.mu.Unlock()
		return
	}
	v := m.villages[i]
	m.mu.Unlock()
	font := m.u.font
	m.u.goBG(func(ctx context.Context) {
		mv, err := m.u.st.LoadMap(ctx, v.ID)
		var r *maps.Renderer
		var ix *maps.Index
		var router *maps.Router
		if err == nil {
			if font == nil {
				err = errors.New(lang.L("map.needFont"))
			} else {
				r, err = maps.NewRenderer(font.TTF)
			}
		}
		if err == nil {
			ix = maps.BuildIndex(mv)
			// A village without lanes yet still shows; only routing waits
			// for lanes.
			router, _ = maps.NewRouter(mv)
		}
		if ctx.Err() != nil {
			return
		}
		m.u.do(func() {
			if err != nil {
				m.u.showError(lang.L("map.loadError"), err)
				return
			}
			m.mu.Lock()
			m.vil, m.router, m.selected, m.route = mv, router, "", nil
			m.mu.Unlock()
			m.summary.SetText(fmt.Sprintf(lang.L("map.summary"), len(mv.Houses), len(mv.Lanes)+len(mv.Landmarks)))
			m.canvas.setMap(r, ix)
			m.showInfoHint()
		})
	})
}

func (m *mapScreen) showInfoHint() {
	l := widget.NewLabel(lang.L("map.infoHint"))
	l.Wrapping = fyne.TextWrapWord
	m.info.Objects = []fyne.CanvasObject{l}
	m.info.Refresh()
}

// findHouse looks the find box up among the houses: number first (current
// or former), then householder name, then phone.
func (m *mapScreen) findHouse() {
	q := strings.TrimSpace(m.find.Text)
	m.mu.Lock()
	v := m.vil
	m.mu.Unlock()
	if q == "" || v == nil {
		return
	}
	hits := searchHouses(v, q)
	if len(hits) == 0 {
		m.info.Objects = []fyne.CanvasObject{statusLabel(fmt.Sprintf(lang.L("map.notFound"), q))}
		m.info.Refresh()
		m.canvas.update(func(st *maps.Style, _ *maps.Viewport) { st.Highlight = nil })
		return
	}
	ids := make([]string, len(hits))
	r := maps.EmptyRect()
	for i, hi := range hits {
		ids[i] = v.Houses[hi].ID
		for _, p := range v.Houses[hi].Polygon {
			r = r.Extend(p)
		}
	}
	m.canvas.update(func(st *maps.Style, _ *maps.Viewport) { st.Highlight = ids })
	m.canvas.fitTo(r, 90)
	m.selectHouse(v.Houses[hits[0]].ID)
	if len(hits) > 1 {
		m.info.Add(statusLabel(fmt.Sprintf(lang.L("map.moreFound"), len(hits))))
	}
}

// searchHouses returns the indexes of houses matching q: an exact number
// (current or former) wins outright; otherwise name or phone containing q.
func searchHouses(v *maps.Village, q string) []int {
	if i, ok := maps.FindByNumber(v, q); ok {
		return []int{i}
	}
	var out []int
	for i, h := range v.Houses {
		if (h.Name != "" && strings.Contains(h.Name, q)) || (len(q) >= 4 && strings.Contains(h.Phone, q)) {
			out = append(out, i)
		}
	}
	return out
}

func (m *mapScreen) tapped(h maps.Hit, ok bool) {
	if !ok || h.Kind != maps.FeatHouse {
		return
	}
	m.selectHouse(h.ID)
}

// selectHouse shows one house in the side panel, with its route button.
func (m *mapScreen) selectHouse(id string) {
	m.mu.Lock()
	v := m.vil
	m.selected = id
	m.route = nil
	m.mu.Unlock()
	if v == nil {
		return
	}
	i := v.HouseByID(id)
	if i < 0 {
		return
	}
	h := v.Houses[i]
	m.canvas.update(func(st *maps.Style, _ *maps.Viewport) {
		st.Selected = ""
		st.Route = nil
		if len(st.Highlight) == 0 || !slices.Contains(st.Highlight, id) {
			st.Highlight = []string{id}
		}
	})
	_, d := dot(maps.WarningColour(h.Warning), 18)
	title := heading(fmt.Sprintf(lang.L("households.title"), h.Number, h.Name))
	objs := []fyne.CanvasObject{container.NewHBox(d, title)}
	if h.Phone != "" {
		objs = append(objs, field(lang.L("hh.phone"), h.Phone))
	}
	if len(h.History) > 0 {
		objs = append(objs, field(lang.L("map.formerly"), joinWith(", ", h.History...)))
	}
	if len(h.Categories) > 0 {
		labels := make([]string, len(h.Categories))
		for i, c := range h.Categories {
			labels[i] = c.Label()
		}
		objs = append(objs, field(lang.L("map.categories"), joinNonEmpty(labels...)))
	}
	number := h.Number
	open := widget.NewButtonWithIcon(lang.L("map.openHousehold"), theme.HomeIcon(), func() { m.u.SearchHouseholds(number) })
	route := widget.NewButtonWithIcon(lang.L("map.route"), theme.NavigateNextIcon(), func() { m.showRoute(number) })
	route.Importance = widget.DangerImportance
	objs = append(objs, open, route)
	m.info.Objects = objs
	m.info.Refresh()
}

// showRoute works out the fire engine's way to a house and draws it.
func (m *mapScreen) showRoute(number string) {
	m.mu.Lock()
	router := m.router
	m.mu.Unlock()
	var res *maps.RouteResult
	var err error
	if router == nil {
		err = errors.New(lang.L("map.noLanes"))
	} else {
		res, err = router.Route(maps.RouteOptions{To: number})
	}
	if err != nil {
		m.u.showError(lang.L("map.routeError"), err)
		return
	}
	m.mu.Lock()
	m.route = res
	m.mu.Unlock()
	m.canvas.update(func(st *maps.Style, _ *maps.Viewport) {
		st.Route = nil
		if res.Reachable {
			ov := &maps.RouteOverlay{Drive: res.Path, Hose: res.HosePath}
			if res.Stop != nil {
				ov.Stop = &maps.Point{X: res.Stop.X, Y: res.Stop.Y}
			}
			st.Route = ov
		}
	})
	if res.Reachable {
		r := maps.BoundsOf(append(append([]maps.Point(nil), res.Path...), res.HosePath...))
		m.canvas.fitTo(r, 60)
	}
	m.info.Add(widget.NewSeparator())
	m.info.Add(routePanel(m.u, res))
	m.info.Refresh()
}

// routePanel is the route in numbers and the sentence to read out to the
// fire brigade, with a button to copy it.
func routePanel(u *UI, res *maps.RouteResult) fyne.CanvasObject {
	text := res.PhoneText()
	read := widget.NewLabel(text)
	read.Wrapping = fyne.TextWrapWord
	read.TextStyle = fyne.TextStyle{Bold: true}
	copyBtn := widget.NewButtonWithIcon(lang.L("map.copyText"), theme.ContentCopyIcon(), func() { u.app.Clipboard().SetContent(text) })
	// The sentence comes first: it is what the officer reads to the brigade.
	objs := []fyne.CanvasObject{heading(lang.L("map.routeTitle")), read, copyBtn}
	if res.Reachable {
		objs = append(objs,
			field(lang.L("map.drive"), fmt.Sprintf(lang.L("map.metres"), res.LengthM)),
			field(lang.L("map.stop"), res.StopName),
			field(lang.L("map.hose"), fmt.Sprintf(lang.L("map.metres"), res.HoseM)))
	} else {
		p := widget.NewLabel(res.Problem)
		p.Wrapping = fyne.TextWrapWord
		p.Importance = widget.DangerImportance
		objs = append(objs, p)
	}
	for _, w := range res.Water {
		objs = append(objs, field(lang.L("map.water"), fmt.Sprintf("%s  "+lang.L("map.metres"), w.Name, w.DistanceM)))
	}
	return container.NewVBox(objs...)
}
