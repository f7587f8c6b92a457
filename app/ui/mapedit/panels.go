package mapedit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/numbering"
	"cunjing/maps/render"
	"cunjing/maps/route"
	"cunjing/store"
	"cunjing/store/search"
)

// The side panel beside the map: instructions for the tool in hand, the
// selected feature's details and fields, the base map, numbering and the
// fire route.

// setSide replaces the side panel's content.
func (m *Screen) setSide(objs ...fyne.CanvasObject) {
	m.geo.Closed()  // geo.Show opens it again after
	m.scan.Closed() // and scan.Show opens it after
	m.side.Objects = objs
	m.side.Refresh()
	// A wrapped label knows its height only once it has its width: lay
	// the panel out again with the heights the first pass gave, or long
	// help text runs over what follows it.
	m.sideScroll.Refresh()
	m.side.Refresh()
}

// showHint is the panel with nothing selected.
func (m *Screen) showHint() {
	objs := []fyne.CanvasObject{kit.Heading(lang.L("mapedit.hint.title")), kit.Wrapped(lang.L("mapedit.hint.find")),
		kit.Wrapped(lang.L("mapedit.hint.draw")), kit.Wrapped(lang.L("mapedit.hint.keys"))}
	if m.readOnly {
		objs = []fyne.CanvasObject{kit.Heading(lang.L("mapedit.hint.title")), kit.Wrapped(lang.L("mapedit.hint.find")), kit.Wrapped(lang.L("mapedit.readOnly"))}
	}
	if v := m.v(); !m.readOnly && v != nil && len(v.Houses) == 0 && v.Base == nil {
		b := widget.NewButtonWithIcon(lang.L("mapedit.base.import"), theme.FileImageIcon(), m.chooseBaseImage)
		objs = append(objs, widget.NewSeparator(), kit.Wrapped(lang.L("mapedit.hint.empty")), b)
	}
	if l := legend(m.v(), m.vehicleWidth); len(l) > 0 {
		objs = append(append(objs, widget.NewSeparator()), l...)
	}
	m.setSide(objs...)
}

// selectFeature selects a feature (id "" clears) and shows its panel.
func (m *Screen) selectFeature(id string, kind maps.FeatureKind) {
	if id != m.selected {
		m.say("", widget.MediumImportance) // news about the last feature is stale now
		defer m.sideScroll.ScrollToTop()   // another feature's panel starts at its top
	}
	m.selected, m.selKind = id, kind
	if id == "" {
		m.found = nil
	}
	m.canvas.Update(func(st *render.Style, _ *render.Viewport) {
		st.Selected = id
		if id == "" {
			st.Highlight = nil
		}
	})
	m.updateButtons()
	m.reshowPanel()
}

// showSelected shows the panel of the selected feature.
func (m *Screen) showSelected() {
	ref, ok := m.refOf(m.selected)
	if !ok {
		m.selected = ""
		m.showHint()
		return
	}
	switch ref.Kind {
	case maps.FeatHouse:
		m.showHouse(ref.Index)
	case maps.FeatLane:
		m.showLane(ref.Index)
	case maps.FeatLandmark:
		m.showLandmark(ref.Index)
	case maps.FeatLabel:
		m.showLabel(ref.Index)
	}
}

// maxFoundShown is how many search hits are listed; more means the
// query should be narrowed (all of them stay outlined on the map).
const maxFoundShown = 10

// foundList lists several search hits to pick from.
func (m *Screen) foundList() []fyne.CanvasObject {
	if len(m.found) < 2 {
		return nil
	}
	objs := []fyne.CanvasObject{widget.NewSeparator(), kit.StatusLabel(fmt.Sprintf(lang.L("map.moreFound"), len(m.found)))}
	for i, h := range m.found {
		if i == maxFoundShown {
			objs = append(objs, kit.StatusLabel(lang.L("mapedit.found.narrow")))
			break
		}
		text := strings.TrimSpace(numberText(h.Number) + "  " + h.Name)
		b := widget.NewButton(text, func() {
			if h.HouseID != "" {
				found := m.found
				m.focusHouse(h.HouseID)
				m.found = found
				m.reshowPanel()
			} else if at, ok := landmarkAt(m.v(), h.LandmarkID); ok {
				m.canvas.FitTo(maps.BoundsOf([]maps.Point{at}), 90)
				m.selectFeature(h.LandmarkID, maps.FeatLandmark)
			}
		})
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		if h.HouseID == m.selected || (h.LandmarkID != "" && h.LandmarkID == m.selected) {
			b.Importance = widget.HighImportance
		}
		objs = append(objs, b)
	}
	return objs
}

func numberText(n string) string {
	if n == "" {
		return lang.L("mapedit.house.noNumber")
	}
	return fmt.Sprintf(lang.L("mapedit.house.number"), search.PlainNumber(n))
}

// plainNumbers are numbers as shown (search.PlainNumber): one stored with
// 号 by an older version ('205号') is shown 205.
func plainNumbers(ns []string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = search.PlainNumber(n)
	}
	return out
}

// showHouse is a house's panel: who lives there, its route and its
// number and shape.
func (m *Screen) showHouse(i int) {
	v := m.v()
	h := v.Houses[i]
	id := h.ID
	_, d := kit.Dot(warnColour(h.Warning), 18)
	title := kit.Heading(strings.TrimSpace(numberText(h.Number) + "  " + h.Name))
	title.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{container.NewBorder(nil, nil, d, nil, title)}
	if len(h.History) > 0 {
		objs = append(objs, kit.Field(lang.L("map.formerly"), strings.Join(plainNumbers(h.History), lang.L("list.sep"))))
	}
	objs = append(objs, m.foundList()...)
	// The householder's phone, categories and warning colour come with
	// the household read below; the map's copy of them would only repeat it.
	open := widget.NewButtonWithIcon(lang.L("map.openHousehold"), theme.HomeIcon(), func() { m.openHousehold(id) })
	if m.route != nil && m.routeHouse == id {
		// The route first: it is what the officer reads out on the phone.
		objs = append(objs, widget.NewSeparator(), m.routeView(), widget.NewSeparator())
	} else {
		routeBtn := widget.NewButtonWithIcon(lang.L("map.route"), theme.NavigateNextIcon(), func() { m.showRoute(id) })
		routeBtn.Importance = widget.DangerImportance
		objs = append(objs, routeBtn)
	}
	people := container.NewVBox(kit.StatusLabel(lang.L("mapedit.loading")))
	objs = append(objs, people, open)
	m.loadHousehold(id, people)

	// Editing the house: number, courtyard, shape.
	objs = append(objs, widget.NewSeparator(), kit.Heading(lang.L("mapedit.house.edit")))
	num := kit.NewEntry()
	num.SetText(search.PlainNumber(h.Number))
	num.SetPlaceHolder(lang.L("mapedit.house.numberHint"))
	setNum := func() { m.setHouseNumber(id, num.Text) }
	num.OnSubmitted = func(string) { setNum() }
	objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel(lang.L("mapedit.house.numberLabel")),
		widget.NewButton(lang.L("mapedit.house.setNumber"), setNum), num))
	if h.Number == "" {
		auto := widget.NewButton(lang.L("mapedit.house.autoNumber"), func() { m.autoNumber(numbering.NumberNew) })
		objs = append(objs, auto)
	}
	yard := widget.NewCheck(lang.L("mapedit.house.courtyard"), nil)
	yard.SetChecked(h.Courtyard)
	yard.OnChanged = func(on bool) {
		i := m.v().HouseByID(id)
		if i < 0 {
			return
		}
		cur := m.v().Houses[i]
		in := edit.HouseInfo{Name: cur.Name, Phone: cur.Phone, Warning: cur.Warning, Categories: cur.Categories, Courtyard: on}
		m.edit(func(ed *edit.Editor) error { return ed.SetHouseInfo(id, in) })
	}
	objs = append(objs, yard, kit.StatusLabel(lang.L("mapedit.house.shapeHint")))
	objs = append(objs, m.vertexButtons(), m.deleteButton())
	m.setSide(objs...)
}

func warnColour(w maps.Warning) color.Color {
	if w == maps.WarningNone {
		return color.Transparent
	}
	return render.WarningColour(w)
}

// loadHousehold fills box with the households living in the house and
// their residents.
func (m *Screen) loadHousehold(houseID string, box *fyne.Container) {
	m.u.GoBG(func(ctx context.Context) {
		hhs, err := m.u.Store().HouseholdsOfHouse(ctx, houseID)
		// The owner's household first, as the map names the house after it.
		slices.SortStableFunc(hhs, func(a, b store.Household) int {
			return cmp.Compare(boolInt(a.Status == store.StatusRented), boolInt(b.Status == store.StatusRented))
		})
		residents := map[string][]store.Resident{}
		for _, hh := range hhs {
			if err != nil {
				break
			}
			residents[hh.ID], err = m.u.Store().Residents(ctx, hh.ID)
		}
		if ctx.Err() != nil {
			return
		}
		m.u.Do(func() {
			if m.selected != houseID {
				return
			}
			if err != nil {
				box.Objects = []fyne.CanvasObject{kit.ErrorLine(lang.L("error.load"), err)}
				box.Refresh()
				return
			}
			box.Objects = householdView(hhs, residents)
			box.Refresh()
		})
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// householdView shows each household of a house: owner, status,
// categories, warning colour, and its people.
func householdView(hhs []store.Household, residents map[string][]store.Resident) []fyne.CanvasObject {
	if len(hhs) == 0 {
		return []fyne.CanvasObject{kit.StatusLabel(lang.L("mapedit.house.nobody"))}
	}
	var objs []fyne.CanvasObject
	for _, hh := range hhs {
		objs = append(objs, widget.NewSeparator())
		if hh.OwnerName != "" {
			objs = append(objs, kit.Field(lang.L("mapedit.house.owner"), kit.JoinWith("  ", hh.OwnerName, hh.OwnerPhone)))
		}
		if hh.Address != "" {
			objs = append(objs, kit.Field(lang.L("mapedit.house.address"), hh.Address))
		}
		if hh.Status != "" {
			objs = append(objs, kit.Field(lang.L("mapedit.house.status"), kit.Show(hh.Status)))
		}
		if len(hh.Categories) > 0 {
			objs = append(objs, kit.Field(lang.L("map.categories"), kit.ShowList(hh.Categories)))
		}
		if hh.Warning != "" {
			objs = append(objs, kit.Field(lang.L("mapedit.house.warning"), kit.Show(hh.Warning)))
		}
		rs := residents[hh.ID]
		if len(rs) == 0 {
			continue
		}
		names := make([]string, 0, len(rs))
		for _, r := range rs {
			if r.Relation != "" {
				names = append(names, fmt.Sprintf(lang.L("mapedit.house.resident"), r.Name, r.Relation))
			} else {
				names = append(names, r.Name)
			}
		}
		objs = append(objs, kit.Field(fmt.Sprintf(lang.L("mapedit.house.people"), len(rs)), strings.Join(names, lang.L("list.sep"))))
	}
	return objs
}

// openHousehold shows the household living in the house on 住户 (a new
// household form for the house when nobody is recorded yet).
func (m *Screen) openHousehold(houseID string) {
	m.u.OpenHousehold(houseID)
}

// setHouseNumber gives a house a number typed by hand, refusing numbers
// another house has or had (they are painted on doors) in plain words.
func (m *Screen) setHouseNumber(id, typed string) {
	// "998号" is how people write a door number; the number is 998 (the
	// screens and plates add 号).
	n := strings.TrimSuffix(numbering.Normalize(typed), "号")
	v := m.v()
	i := v.HouseByID(id)
	if i < 0 || n == v.Houses[i].Number {
		return
	}
	// numbering.Set refuses numbers another house has or had; edit says
	// why in plain words (editProblem).
	if m.edit(func(ed *edit.Editor) error { return ed.SetNumber(id, n) }) {
		m.say(fmt.Sprintf(lang.L("mapedit.number.set"), n), widget.SuccessImportance)
		m.showSelected()
	}
}

// vertexButtons switch to adding or removing corners of the selected
// house or lane.
func (m *Screen) vertexButtons() fyne.CanvasObject {
	add := widget.NewButton(lang.L("mapedit.vertex.add"), func() {
		m.setTool(toolAddVertex)
		m.say(lang.L("mapedit.vertex.tapEdge"), widget.MediumImportance)
	})
	del := widget.NewButton(lang.L("mapedit.vertex.remove"), func() {
		m.setTool(toolDelVertex)
		m.say(lang.L("mapedit.vertex.tapCorner"), widget.MediumImportance)
	})
	if m.tool == toolAddVertex {
		add.Importance = widget.HighImportance
	}
	if m.tool == toolDelVertex {
		del.Importance = widget.HighImportance
	}
	return container.NewGridWithColumns(2, add, del)
}

func (m *Screen) deleteButton() fyne.CanvasObject {
	return widget.NewButtonWithIcon(lang.L("mapedit.delete"), theme.DeleteIcon(), m.deleteSelected)
}

// entryWith is an entry holding text.
func entryWith(text string) *kit.Entry {
	e := kit.NewEntry()
	e.SetText(text)
	return e
}

// applyEdit makes one change to the selected feature and, once it is made,
// says so and shows the feature's panel again.
func (m *Screen) applyEdit(change func(ed *edit.Editor) error) {
	if m.edit(change) {
		m.say(lang.L("mapedit.changed"), widget.SuccessImportance)
		m.showSelected()
	}
}

// panelForm lays out a feature panel's inputs and its 应用 button, which
// runs apply; Enter in any of its entries applies too.
func panelForm(apply func(), items ...*widget.FormItem) (*widget.Form, *widget.Button) {
	for _, it := range items {
		if e, ok := it.Widget.(*kit.Entry); ok {
			e.OnSubmitted = func(string) { apply() }
		}
	}
	save := widget.NewButton(lang.L("mapedit.apply"), apply)
	save.Importance = widget.HighImportance
	return widget.NewForm(items...), save
}

// showLane is a lane's panel: name and width (the fire route depends on
// it).
func (m *Screen) showLane(i int) {
	l := m.v().Lanes[i]
	id := l.ID
	name := entryWith(l.Name)
	width := entryWith(trimFloat(l.Width))
	apply := func() {
		w, ok := m.laneWidthIn(width.Text)
		if !ok {
			return
		}
		m.applyEdit(func(ed *edit.Editor) error { return ed.SetLane(id, strings.TrimSpace(name.Text), w) })
	}
	title := l.Name
	if title == "" {
		title = lang.L("mapedit.lane.unnamed")
	}
	objs := []fyne.CanvasObject{kit.Heading(title),
		kit.Field(lang.L("mapedit.lane.length"), fmt.Sprintf(lang.L("map.metres"), maps.PolylineLength(l.Points))),
	}
	if l.Width < m.vehicleWidth {
		warn := kit.Wrapped(fmt.Sprintf(lang.L("mapedit.lane.narrow"), trimFloat(m.vehicleWidth)))
		warn.Importance = widget.WarningImportance
		objs = append(objs, warn)
	}
	form, save := panelForm(apply, widget.NewFormItem(lang.L("mapedit.lane.name"), name),
		widget.NewFormItem(lang.L("mapedit.lane.width"), width))
	objs = append(objs, form, save, kit.StatusLabel(lang.L("mapedit.lane.shapeHint")), m.vertexButtons(), m.deleteButton())
	m.setSide(objs...)
}

func trimFloat(f float64) string {
	return fmt.Sprintf("%g", math.Round(f*100)/100)
}

// kindKeys are the message keys of the landmark kinds.
var kindKeys = map[maps.LandmarkKind]string{
	maps.KindEntrance: "mapedit.kind.entrance", maps.KindPond: "mapedit.kind.pond", maps.KindWell: "mapedit.kind.well",
	maps.KindHydrant: "mapedit.kind.hydrant", maps.KindCommittee: "mapedit.kind.committee", maps.KindSchool: "mapedit.kind.school",
	maps.KindShop: "mapedit.kind.shop", maps.KindClinic: "mapedit.kind.clinic", maps.KindTemple: "mapedit.kind.temple",
	maps.KindSquare: "mapedit.kind.square", maps.KindParcel: "mapedit.kind.parcel",
}

// kindName shows a landmark kind in the UI language.
func kindName(k maps.LandmarkKind) string {
	if key, ok := kindKeys[k]; ok {
		return lang.L(key)
	}
	return lang.L("mapedit.kind.other")
}

func kindNames() []string {
	out := make([]string, len(maps.LandmarkKinds))
	for i, k := range maps.LandmarkKinds {
		out[i] = kindName(k)
	}
	return out
}

func kindOf(name string) maps.LandmarkKind {
	for _, k := range maps.LandmarkKinds {
		if kindName(k) == name {
			return k
		}
	}
	return maps.KindOther
}

// chosenKind is the landmark kind picked in the tool panel.
func (m *Screen) chosenKind() maps.LandmarkKind {
	if m.markKind == nil || m.markKind.Selected == "" {
		return maps.KindEntrance
	}
	return kindOf(m.markKind.Selected)
}

func (m *Screen) showLandmark(i int) {
	lm := m.v().Landmarks[i]
	id := lm.ID
	kind := kit.NewSelect(kindNames(), nil)
	kind.SetSelected(kindName(lm.Kind))
	name := entryWith(lm.Name)
	apply := func() {
		k := kindOf(kind.Selected)
		m.applyEdit(func(ed *edit.Editor) error { return ed.SetLandmark(id, k, strings.TrimSpace(name.Text)) })
	}
	title := lm.Name
	if title == "" {
		title = kindName(lm.Kind)
	}
	form, save := panelForm(apply, widget.NewFormItem(lang.L("mapedit.landmark.kind"), kind),
		widget.NewFormItem(lang.L("mapedit.landmark.name"), name))
	objs := []fyne.CanvasObject{kit.Heading(title), form, save, kit.StatusLabel(lang.L("mapedit.point.moveHint")), m.deleteButton()}
	objs = append(objs, m.foundList()...)
	m.setSide(objs...)
}

func (m *Screen) showLabel(i int) {
	lb := m.v().Labels[i]
	id := lb.ID
	text := entryWith(lb.Text)
	s := lb.Size
	if s <= 0 {
		s = maps.DefaultLabelSize
	}
	size := entryWith(trimFloat(s))
	apply := func() {
		t := strings.TrimSpace(text.Text)
		if t == "" {
			m.say(lang.L("mapedit.label.needText"), widget.WarningImportance)
			return
		}
		sz, ok := m.labelSizeIn(size.Text)
		if !ok {
			return
		}
		m.applyEdit(func(ed *edit.Editor) error { return ed.SetLabel(id, t, sz) })
	}
	form, save := panelForm(apply, widget.NewFormItem(lang.L("mapedit.label.text"), text),
		widget.NewFormItem(lang.L("mapedit.label.size"), size))
	m.setSide(kit.Heading(lb.Text), form, save, kit.StatusLabel(lang.L("mapedit.point.moveHint")), m.deleteButton())
}

// showToolPanel explains the drawing tool in hand and holds its settings.
func (m *Screen) showToolPanel() {
	var objs []fyne.CanvasObject
	finish := func() fyne.CanvasObject {
		done := widget.NewButton(lang.L("mapedit.draw.finish"), m.finishShape)
		done.Importance = widget.HighImportance
		back := widget.NewButton(lang.L("mapedit.draw.undoPoint"), m.undoPoint)
		cancel := widget.NewButton(lang.L("Cancel"), m.cancelDrawing)
		if len(m.pts) == 0 {
			done.Disable()
			back.Disable()
			cancel.Disable()
		}
		return container.NewGridWithColumns(3, done, back, cancel)
	}
	switch m.tool {
	case toolRect:
		objs = append(objs, kit.Heading(lang.L("mapedit.tool.rect")), kit.Wrapped(lang.L("mapedit.rect.help")))
	case toolPolygon:
		objs = append(objs, kit.Heading(lang.L("mapedit.tool.polygon")), kit.Wrapped(lang.L("mapedit.polygon.help")),
			kit.StatusLabel(fmt.Sprintf(lang.L("mapedit.draw.points"), len(m.pts))), finish())
	case toolLane:
		form := m.lane.form("mapedit.lane.name", "mapedit.lane.namePlaceholder", "mapedit.lane.width")
		objs = append(objs, kit.Heading(lang.L("mapedit.tool.lane")), kit.Wrapped(lang.L("mapedit.lane.help")), form,
			kit.StatusLabel(fmt.Sprintf(lang.L("mapedit.draw.points"), len(m.pts))), finish())
	case toolLandmark:
		if m.markKind == nil {
			m.markKind = kit.NewSelect(kindNames(), nil)
			m.markKind.SetSelected(kindName(maps.KindEntrance))
			m.markName = kit.NewEntry()
			m.markName.SetPlaceHolder(lang.L("mapedit.landmark.namePlaceholder"))
		}
		form := widget.NewForm(widget.NewFormItem(lang.L("mapedit.landmark.kind"), m.markKind),
			widget.NewFormItem(lang.L("mapedit.landmark.name"), m.markName))
		objs = append(objs, kit.Heading(lang.L("mapedit.tool.landmark")), form, kit.Wrapped(lang.L("mapedit.landmark.help")))
	case toolLabel:
		form := m.label.form("mapedit.label.text", "mapedit.label.placeholder", "mapedit.label.size")
		objs = append(objs, kit.Heading(lang.L("mapedit.tool.label")), form, kit.Wrapped(lang.L("mapedit.label.help")))
	}
	objs = append(objs, kit.StatusLabel(lang.L("mapedit.draw.escHint")))
	m.setSide(objs...)
}

// showBasePanel is the scanned map: import, opacity, scale, remove.
func (m *Screen) showBasePanel() {
	v := m.v()
	if v == nil {
		return
	}
	objs := []fyne.CanvasObject{kit.Heading(lang.L("mapedit.base.title"))}
	importBtn := widget.NewButtonWithIcon(lang.L("mapedit.base.import"), theme.FileImageIcon(), m.chooseBaseImage)
	scaleBtn := widget.NewButton(lang.L("mapedit.scale.set"), func() {
		m.setTool(toolScale)
		m.setSide(kit.Heading(lang.L("mapedit.scale.title")), kit.Wrapped(lang.L("mapedit.scale.help")),
			widget.NewButton(lang.L("Cancel"), func() { m.setTool(toolSelect); m.showBasePanel() }))
	})
	geoBtn := widget.NewButtonWithIcon(lang.L("mapedit.geo.open"), theme.NavigateNextIcon(), func() { m.setTool(toolSelect); m.geo.Show() })
	if v.Base == nil {
		objs = append(objs, kit.Wrapped(lang.L("mapedit.base.none")), importBtn)
		objs = append(objs, m.scan.Buttons()...)
		objs = append(objs, widget.NewSeparator(), kit.Wrapped(lang.L("mapedit.scale.noBase")), scaleBtn, widget.NewSeparator(), geoBtn)
		m.setSide(objs...)
		return
	}
	b := *v.Base
	if m.baseMissing && m.bases[b.ImageHash] == nil {
		warn := kit.Wrapped(lang.L("mapedit.base.missing"))
		warn.Importance = widget.WarningImportance
		objs = append(objs, warn)
	}
	objs = append(objs, kit.Field(lang.L("mapedit.base.size"), fmt.Sprintf(lang.L("mapedit.base.pixels"), b.Width, b.Height)))
	if b.MetresPerPx > 0 {
		bounds := b.Bounds()
		objs = append(objs, kit.Field(lang.L("mapedit.base.scale"), fmt.Sprintf(lang.L("mapedit.base.scaleValue"), b.MetresPerPx, bounds.W(), bounds.H())))
	} else {
		objs = append(objs, kit.Field(lang.L("mapedit.base.scale"), lang.L("mapedit.base.noScale")))
	}
	pct := widget.NewLabel(fmt.Sprintf("%.0f%%", b.Opacity*100))
	slider := widget.NewSlider(0, 100)
	slider.Step = 5
	slider.SetValue(math.Round(b.Opacity * 100))
	slider.OnChanged = func(f float64) { pct.SetText(fmt.Sprintf("%.0f%%", f)) }
	slider.OnChangeEnded = func(f float64) {
		if v := m.v(); v.Base == nil || math.Abs(v.Base.Opacity*100-f) < 0.5 {
			return
		}
		m.edit(func(ed *edit.Editor) error { return ed.SetBaseOpacity(f / 100) })
	}
	objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel(lang.L("mapedit.base.opacity")), pct, slider))
	objs = append(objs, kit.Wrapped(lang.L("mapedit.scale.help")), scaleBtn, importBtn)
	remove := widget.NewButtonWithIcon(lang.L("mapedit.base.remove"), theme.DeleteIcon(), func() {
		if m.edit(func(ed *edit.Editor) error { return ed.SetBase(nil) }) {
			m.say(lang.L("mapedit.base.removed"), widget.MediumImportance)
			m.showBasePanel()
		}
	})
	objs = append(objs, remove)
	objs = append(objs, m.scan.Buttons()...)
	objs = append(objs, widget.NewSeparator(), geoBtn)
	m.setSide(objs...)
}

// chooseBaseImage asks for a JPEG or PNG scan or photo.
func (m *Screen) chooseBaseImage() {
	if m.ed == nil {
		return
	}
	kit.OpenPath(m.u.Window(), []string{".jpg", ".jpeg", ".png"}, fyne.NewSize(900, 600), m.importBaseFile)
}

// importBaseFile imports the scan at path as the base map (importBase),
// read off the UI goroutine: a 64 MB scan on a slow USB stick took
// seconds, with the window frozen.
func (m *Screen) importBaseFile(path string) {
	read := m.readBase
	m.importBaseFrom(func() ([]byte, error) { return read(path) })
}

// readBaseImage reads a chosen scan, refusing one past maps.MaxBaseImageBytes
// without reading it all.
func readBaseImage(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maps.MaxBaseImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	if len(data) > maps.MaxBaseImageBytes {
		return nil, fmt.Errorf("%s: larger than %d MB", filepath.Base(path), maps.MaxBaseImageBytes>>20)
	}
	return data, nil
}

// importBase imports a scan already read (importBaseFrom).
func (m *Screen) importBase(data []byte) {
	m.importBaseFrom(func() ([]byte, error) { return data, nil })
}

// importBaseFrom reads a scan with read and decodes it (turned upright by
// its EXIF orientation, a small copy for the screen), both in the
// background while the status says so, keeps the file as a blob that
// syncs by itself, and lays it under the map: over the features already
// drawn, or at 1 m per pixel on an empty map until the scale is set. A
// scan that cannot be read or decoded is said in a dialog; a village
// opened meanwhile drops it.
func (m *Screen) importBaseFrom(read func() ([]byte, error)) {
	gen := m.loadGen
	m.say(lang.L("mapedit.base.reading"), widget.LowImportance)
	var img *maps.BaseImage
	kit.Run(m.u, func(ctx context.Context) error {
		data, err := read()
		if err != nil {
			return err
		}
		if img, err = maps.DecodeBaseImage(data, 0); err != nil {
			return err
		}
		return m.u.Store().PutBlob(ctx, img.Hash, data)
	}, func(err error) {
		if gen == m.loadGen {
			m.say("", widget.MediumImportance)
			m.u.ShowError(lang.L("mapedit.base.bad"), err)
		}
	}, func() {
		if gen != m.loadGen {
			return
		}
		m.bases[img.Hash] = img
		m.baseMissing = false
		layer := img.Layer(0.6)
		if ext := m.ed.Index().Extent(); !ext.IsEmpty() && img.Width > 0 && img.Height > 0 {
			// Stretch the scan over what is drawn already; the officer
			// then sets the exact scale from two known points.
			layer.MetresPerPx = math.Max(ext.W()/float64(img.Width), ext.H()/float64(img.Height))
			layer.Origin = maps.Point{X: ext.Min.X, Y: ext.Max.Y}
		}
		if m.edit(func(ed *edit.Editor) error { return ed.SetBase(&layer) }) {
			m.say(lang.L("mapedit.base.imported"), widget.SuccessImportance)
			m.canvas.FitAll()
			m.showBasePanel()
		}
	})
}

// showNumbersPanel numbers houses along the lanes from the entrance.
func (m *Screen) showNumbersPanel() {
	v := m.v()
	if v == nil {
		return
	}
	unnumbered := 0
	for _, h := range v.Houses {
		if h.Number == "" {
			unnumbered++
		}
	}
	objs := []fyne.CanvasObject{kit.Heading(lang.L("mapedit.numbers.title")), kit.Wrapped(lang.L("mapedit.numbers.help"))}
	start := lang.L("mapedit.numbers.fromEntrance")
	if m.numberStart != nil {
		start = lang.L("mapedit.numbers.fromPoint")
	}
	objs = append(objs, kit.Field(lang.L("mapedit.numbers.start"), start))
	pick := widget.NewButton(lang.L("mapedit.numbers.pickStart"), func() {
		m.setTool(toolNumberStart)
		m.say(lang.L("mapedit.numbers.tapStart"), widget.MediumImportance)
	})
	row := []fyne.CanvasObject{pick}
	if m.numberStart != nil {
		row = append(row, widget.NewButton(lang.L("mapedit.numbers.useEntrance"), func() {
			m.numberStart = nil
			m.showOverlay()
			m.showNumbersPanel()
		}))
	}
	objs = append(objs, container.NewGridWithColumns(len(row), row...))
	newBtn := widget.NewButton(fmt.Sprintf(lang.L("mapedit.numbers.new"), unnumbered), func() { m.autoNumber(numbering.NumberNew) })
	newBtn.Importance = widget.HighImportance
	if unnumbered == 0 {
		newBtn.Disable()
	}
	all := widget.NewButton(lang.L("mapedit.numbers.all"), m.confirmRenumber)
	objs = append(objs, newBtn, all, kit.StatusLabel(lang.L("mapedit.numbers.stable")))
	if len(m.renumbered) > 0 {
		objs = append(objs, widget.NewSeparator(), widget.NewLabel(fmt.Sprintf(lang.L("mapedit.numbers.changed"), len(m.renumbered))))
		for i, r := range m.renumbered {
			if i == 40 {
				objs = append(objs, kit.StatusLabel(fmt.Sprintf(lang.L("mapedit.numbers.more"), len(m.renumbered)-40)))
				break
			}
			text := fmt.Sprintf(lang.L("mapedit.numbers.newOnly"), r.New)
			if r.Old != "" {
				text = fmt.Sprintf(lang.L("mapedit.numbers.oldNew"), r.Old, r.New)
			}
			id := r.HouseID
			b := widget.NewButton(text, func() { m.focusHouse(id) })
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			objs = append(objs, b)
		}
	}
	m.setSide(objs...)
}

// autoNumber runs the numbering scheme as one undoable step.
func (m *Screen) autoNumber(mode numbering.Mode) {
	var changes []numbering.Renumbering
	opt := numbering.Options{Mode: mode, Start: m.numberStart}
	ok := m.edit(func(ed *edit.Editor) (err error) { changes, err = ed.Renumber(opt); return err })
	if !ok {
		m.say(lang.L("mapedit.numbers.failed")+" "+m.status.Text, widget.WarningImportance)
		return
	}
	m.renumbered = changes
	m.say(fmt.Sprintf(lang.L("mapedit.numbers.done"), len(changes)), widget.SuccessImportance)
	m.canvas.Update(func(st *render.Style, _ *render.Viewport) {
		st.Highlight = st.Highlight[:0]
		for _, c := range changes {
			st.Highlight = append(st.Highlight, c.HouseID)
		}
	})
	m.showNumbersPanel()
}

// confirmRenumber says how many doors would change before renumbering
// the whole village.
func (m *Screen) confirmRenumber() {
	plan, err := numbering.Plan(m.v(), numbering.Options{Mode: numbering.Renumber, Start: m.numberStart})
	if err != nil {
		m.say(lang.L("mapedit.numbers.failed"), widget.WarningImportance)
		m.u.ShowError(lang.L("mapedit.numbers.failed"), err)
		return
	}
	if len(plan) == 0 {
		m.say(lang.L("mapedit.numbers.inOrder"), widget.SuccessImportance)
		return
	}
	changed := 0
	for _, r := range plan {
		if r.Old != "" {
			changed++
		}
	}
	msg := kit.Wrapped(fmt.Sprintf(lang.L("mapedit.numbers.confirm"), changed, len(plan)-changed))
	d := dialog.NewCustomConfirm(lang.L("mapedit.numbers.all"), lang.L("mapedit.numbers.go"), lang.L("Cancel"), msg,
		func(ok bool) {
			if ok {
				m.autoNumber(numbering.Renumber)
			}
		}, m.u.Window())
	d.Resize(fyne.NewSize(460, 260))
	d.Show()
}

// ShowRoute works out the fire engine's route to a house of the village
// on screen by its number and draws it (the screenshots show it).
func (m *Screen) ShowRoute(number string) {
	v := m.v()
	if v == nil {
		return
	}
	for _, h := range v.Houses {
		if h.Number == number {
			m.showRoute(h.ID)
			return
		}
	}
}

// showRoute works out the fire engine's way to a house and draws it.
func (m *Screen) showRoute(houseID string) {
	v := m.v()
	i := v.HouseByID(houseID)
	if i < 0 {
		return
	}
	number := v.Houses[i].Number
	if number == "" {
		m.say(lang.L("mapedit.route.needNumber"), widget.WarningImportance)
		return
	}
	if m.router == nil {
		r, err := route.NewRouter(v)
		if err != nil {
			m.u.ShowError(lang.L("map.noLanes"), err)
			return
		}
		m.router = r
	}
	res, err := m.router.Route(route.Options{To: number, Start: m.routeStart, Width: m.vehicleWidth})
	if errors.Is(err, route.ErrNoEntrance) {
		// The route starts at a 村口: say where to put one.
		m.say(lang.L("mapedit.route.needEntrance"), widget.WarningImportance)
		return
	}
	if err != nil {
		m.u.ShowError(lang.L("map.routeError"), err)
		return
	}
	m.route, m.routeHouse = res, houseID
	m.canvas.Update(func(st *render.Style, _ *render.Viewport) {
		st.Route = routeOverlay(res)
		st.VehicleWidth = m.vehicleWidth
	})
	if pts := routePoints(res); len(pts) > 0 {
		m.canvas.FitTo(maps.BoundsOf(pts).Union(v.Houses[i].Polygon.Bounds()), 60)
	}
	m.showOverlay()
	if m.selected != houseID {
		m.selectFeature(houseID, maps.FeatHouse)
	} else {
		m.showSelected()
	}
}

// routeOverlay is the route as the map draws it, on screen and on the
// printed sheet: render.OverlayOf, the one definition (the drive, the hose,
// the stop and the water sources the sentence names, ringed). An
// unreachable route still shows where the engine stops and the hose from
// there.
func routeOverlay(res *route.Result) *render.RouteOverlay { return render.OverlayOf(res) }

// routePoints are the points the view fits to show a route whole: the
// drive, the hose and the water sources it names.
func routePoints(res *route.Result) []maps.Point {
	ov := render.OverlayOf(res)
	if ov == nil {
		return nil
	}
	pts := append(append(append([]maps.Point(nil), ov.Drive...), ov.Hose...), ov.Water...)
	if ov.Stop != nil {
		pts = append(pts, *ov.Stop)
	}
	return pts
}

// routeView is the route in numbers and the sentence to read out to the
// fire brigade, with a button to copy it, the vehicle width and the
// start.
func (m *Screen) routeView() fyne.CanvasObject {
	res := m.route
	text := res.PhoneText()
	read := kit.Wrapped(text)
	read.TextStyle = fyne.TextStyle{Bold: true}
	copyBtn := widget.NewButtonWithIcon(lang.L("map.copyText"), theme.ContentCopyIcon(), func() {
		m.u.App().Clipboard().SetContent(text)
		m.say(lang.L("mapedit.route.copied"), widget.SuccessImportance)
	})
	// The sentence comes first: it is what the officer reads to the brigade.
	objs := []fyne.CanvasObject{kit.Heading(lang.L("map.routeTitle")), read, copyBtn}
	if res.Reachable {
		objs = append(objs,
			kit.Field(lang.L("map.drive"), fmt.Sprintf(lang.L("map.metres"), res.LengthM)),
			kit.Field(lang.L("map.stop"), res.StopName),
			kit.Field(lang.L("map.hose"), fmt.Sprintf(lang.L("map.metres"), res.HoseM)))
	} else {
		p := kit.Wrapped(res.Problem)
		p.Importance = widget.DangerImportance
		objs = append(objs, p)
	}
	for _, w := range res.Water {
		objs = append(objs, kit.Field(lang.L("map.water"), fmt.Sprintf("%s  "+lang.L("map.metres"), w.Name, w.DistanceM)))
	}
	width := kit.NewEntry()
	width.SetText(trimFloat(m.vehicleWidth))
	recalc := func() {
		w, ok := m.typedMetres(width.Text, 1, 20, "mapedit.route.badWidth")
		if !ok {
			return
		}
		m.vehicleWidth = w
		m.showRoute(m.routeHouse)
	}
	width.OnSubmitted = func(string) { recalc() }
	objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel(lang.L("mapedit.route.width")),
		widget.NewButton(lang.L("mapedit.route.recalc"), recalc), width))
	start := lang.L("mapedit.route.fromEntrance")
	if m.routeStart != nil {
		start = lang.L("mapedit.route.fromPoint")
	}
	objs = append(objs, kit.Field(lang.L("mapedit.route.start"), start))
	pick := widget.NewButton(lang.L("mapedit.route.pickStart"), func() {
		m.tool = toolRouteStart
		m.canvas.SetCursor(desktop.CrosshairCursor)
		m.updateButtons()
		m.say(lang.L("mapedit.route.tapStart"), widget.MediumImportance)
	})
	row := []fyne.CanvasObject{pick}
	if m.routeStart != nil {
		row = append(row, widget.NewButton(lang.L("mapedit.route.useEntrance"), func() {
			m.routeStart = nil
			m.showRoute(m.routeHouse)
		}))
	}
	objs = append(objs, container.NewGridWithColumns(len(row), row...))
	return container.NewVBox(objs...)
}
