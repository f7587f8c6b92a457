package mapedit

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/georefpanel"
	"cunjing/app/ui/mapedit/mapcanvas"
	"cunjing/app/ui/mapedit/mapprint"
	"cunjing/app/ui/mapedit/mapscan"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/geo"
	"cunjing/maps/numbering"
	"cunjing/maps/render"
	"cunjing/maps/route"
	"cunjing/store"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// Screen is 地图: the village map editor. The officer finds a house by
// number (old numbers too), name, pinyin initials or phone; draws and
// reshapes houses, lanes, landmarks and labels over a scanned hand-drawn
// map or on a blank sheet; numbers houses along the lanes; works out the
// fire engine's route; and prints the map sheet.
//
// The map is read from the store once per village (and again only when
// the store changed behind it); every edit is one undoable step of a
// edit.Editor and is saved right away, only what it touched. Pan and zoom
// never touch the store: the canvas renders the viewport from the index.
type Screen struct {
	u    Env
	root fyne.CanvasObject

	village *widget.Select
	find    *kit.Entry
	summary *widget.Label
	status  *widget.Label // what just happened, or why not
	saved   *widget.Label // whether every step is saved
	canvas  *mapcanvas.Canvas
	side    *fyne.Container // the side panel's content
	// sideScroll scrolls the side panel; a new selection or find shows its top.
	sideScroll *kit.FormScroll
	tools      map[mapTool]*widget.Button
	undoBtn    *widget.Button
	redoBtn    *widget.Button
	delBtn     *widget.Button
	// platesBtn prints door plates (门牌) for the village or the
	// selected house.
	platesBtn *widget.Button

	// Everything below is touched only on the UI goroutine; background
	// work hands its results over through u.Do.
	villages    []store.Village
	villageID   string
	wantVillage string // village to open once the list is there (ShowHouseOnMap)
	loadGen     int    // a load overtaken by a newer one is dropped
	seq         int64  // store change position when the map was loaded or last saved
	ed          *edit.Editor
	rend        *render.Renderer
	rendFont    *kit.Font
	bases       map[string]*maps.BaseImage // decoded base maps by blob hash
	baseMissing bool                       // the layer's image is not in the store (yet)
	findGen     int                        // the newest find; older answers are dropped
	router      *route.Router              // nil after an edit, rebuilt on the next route
	pending     string                     // house to show once its village is loaded

	tool     mapTool
	pts      []maps.Point // points placed so far by a drawing tool
	hover    *maps.Point  // pointer position while drawing
	drag     *editDrag
	selected string
	selKind  maps.FeatureKind
	found    []search.Hit // several search hits, listed in the side panel

	// savePath asks where to save a PDF (the window's chooser; tests
	// answer with a path of their own).
	savePath func(name string, then func(path string))
	// readBase reads a chosen scan (readBaseImage: a file up to 64 MB,
	// maybe from a slow USB stick; tests read from memory).
	readBase func(path string) ([]byte, error)
	printer  *mapprint.Printer // 打印地图 and 门牌

	// settings of the drawing tools, kept between uses
	lane     namedLength // a lane's name and width
	markKind *widget.Select
	markName *kit.Entry
	label    namedLength // a label's text and height

	route        *route.Result
	routeHouse   string
	routeStart   *maps.Point
	vehicleWidth float64
	numberStart  *maps.Point
	renumbered   []numbering.Renumbering

	unsaved edit.DirtySet
	saving  bool
	saveErr error

	// geo is 地理配准 of the open village (georefpanel).
	geo *georefpanel.Panel

	// scan is 从扫描图识别 and the review of the village's trace draft
	// (mapscan).
	scan *mapscan.Review
	// scaleTo, while the scale tool measures for someone else (the trace
	// review), gets the two points and the distance instead of the map's
	// scale; scaleBack is where its 取消 goes.
	// wantReview: the village whose draft's review opens once it is
	// loaded (ReviewDraft).
	wantReview string
	scaleTo    func(p1, p2 maps.Point, metres float64)
	scaleBack  func()

	// readOnly: a station's window shows its posts' maps — find a house,
	// the fire engine's route, print — and changes nothing (the post
	// draws its maps). Every edit goes through edit, which refuses.
	readOnly bool
}

// New builds the map screen in env u; it loads the village list at once.
func New(u Env) *Screen {
	m := &Screen{u: u, vehicleWidth: route.DefaultVehicleWidth, bases: map[string]*maps.BaseImage{},
		tools: map[mapTool]*widget.Button{}, lane: namedLength{last: "4"}, label: namedLength{last: "6"}, readOnly: u.Store().Role() == store.RoleStation}
	m.savePath = m.saveDialog
	m.readBase = readBaseImage
	m.printer = mapprint.New(u, printHost{m})
	m.scan = mapscan.New(u, scanHost{m})
	m.geo = georefpanel.New(u, geoHost{m})
	m.summary = widget.NewLabel("")
	m.summary.Importance = widget.LowImportance
	m.status = widget.NewLabel("")
	m.status.Truncation = fyne.TextTruncateEllipsis
	m.saved = widget.NewLabel("")
	m.village = kit.NewSelect(nil, func(string) { m.loadVillage() })
	m.village.PlaceHolder = lang.L("map.pickVillage")
	m.find = kit.NewEntry() // passes Ctrl+E (紧急) on to the window
	m.find.SetPlaceHolder(lang.L("mapedit.findHint"))
	m.find.OnSubmitted = func(string) { m.findHouse() }
	m.find.ActionItem = widget.NewButtonWithIcon("", theme.SearchIcon(), m.findHouse)
	m.canvas = mapcanvas.New()
	m.wireCanvas()
	m.side = container.NewVBox()

	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { m.canvas.ZoomBy(1.5) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { m.canvas.ZoomBy(1 / 1.5) })
	fit := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), m.canvas.FitAll)
	row1 := container.NewBorder(nil, nil,
		container.NewHBox(kit.Heading(lang.L("nav.map")), kit.WithWidth(180, m.village)),
		container.NewHBox(zoomOut, zoomIn, fit), m.find)
	top := container.NewVBox(row1, m.toolbar())
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(m.saved, m.summary), m.status)
	m.sideScroll = kit.NewFormScroll(container.NewPadded(m.side))
	side := kit.WithWidth(330, m.sideScroll)
	m.root = container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, side, m.canvas)
	m.showHint()
	m.updateButtons()
	m.Refresh()
	return m
}

// toolbar is the row of drawing tools, undo/redo/delete and the base
// map, numbering and print panels.
func (m *Screen) toolbar() fyne.CanvasObject {
	tool := func(t mapTool, label string) *widget.Button {
		b := widget.NewButton(label, func() { m.setTool(t) })
		m.tools[t] = b
		return b
	}
	m.undoBtn = widget.NewButtonWithIcon(lang.L("mapedit.undo"), theme.ContentUndoIcon(), m.undo)
	m.redoBtn = widget.NewButtonWithIcon(lang.L("mapedit.redo"), theme.ContentRedoIcon(), m.redo)
	m.delBtn = widget.NewButtonWithIcon(lang.L("mapedit.delete"), theme.DeleteIcon(), m.deleteSelected)
	base := widget.NewButtonWithIcon(lang.L("mapedit.base"), theme.FileImageIcon(), func() { m.setTool(toolSelect); m.showBasePanel() })
	numbers := widget.NewButton(lang.L("mapedit.numbers"), func() { m.setTool(toolSelect); m.showNumbersPanel() })
	print := widget.NewButtonWithIcon(lang.L("mapedit.print"), theme.DocumentPrintIcon(), m.printer.ShowMapDialog)
	m.platesBtn = widget.NewButtonWithIcon(lang.L("mapedit.plates"), theme.DocumentPrintIcon(), m.printer.ShowPlatesDialog)
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	if m.readOnly {
		tool(toolSelect, lang.L("mapedit.tool.select"))
		note := widget.NewLabel(lang.L("mapedit.readOnly"))
		note.Importance = widget.LowImportance
		return container.NewHBox(note, layout.NewSpacer(), m.platesBtn, print)
	}
	return container.NewHBox(
		tool(toolSelect, lang.L("mapedit.tool.select")),
		tool(toolRect, lang.L("mapedit.tool.rect")),
		tool(toolPolygon, lang.L("mapedit.tool.polygon")),
		tool(toolLane, lang.L("mapedit.tool.lane")),
		tool(toolLandmark, lang.L("mapedit.tool.landmark")),
		tool(toolLabel, lang.L("mapedit.tool.label")),
		sep(), m.undoBtn, m.redoBtn, m.delBtn,
		sep(), base, numbers, layout.NewSpacer(), m.platesBtn, print)
}

func (m *Screen) Object() fyne.CanvasObject { return m.root }

// v is the map being edited (nil before one is loaded).
func (m *Screen) v() *maps.Village {
	if m.ed == nil {
		return nil
	}
	return m.ed.Village()
}

// Refresh re-reads the village list; the open map is read again only when
// the store changed since it was loaded or saved (a household edited on
// 住户, a sync), so undo history survives a look at another area.
func (m *Screen) Refresh() {
	m.u.GoBG(func(ctx context.Context) {
		vs, err := m.u.Store().Villages(ctx)
		var seq int64
		if err == nil {
			seq, err = m.u.Store().MaxChangeSeq(ctx)
		}
		// A station sees its georeferenced villages together too (全镇).
		if err == nil && m.readOnly {
			var placed []mapdata.PlacedVillage
			if placed, err = mapdata.GeoreferencedVillages(ctx, m.u.Store()); err == nil && len(placed) > 0 {
				vs = append(vs, store.Village{Meta: store.Meta{ID: townshipID}, Name: fmt.Sprintf(lang.L("map.township"), len(placed))})
			}
		}
		if ctx.Err() != nil {
			return
		}
		m.u.Do(func() {
			if err != nil {
				m.u.ShowError(lang.L("error.load"), err)
				return
			}
			m.villages = vs
			names := make([]string, len(vs))
			want := -1
			for i, v := range vs {
				names[i] = v.Name
				if v.ID == m.wantVillage || (want < 0 && v.ID == m.villageID) {
					want = i
				}
			}
			m.village.Options = names
			if len(vs) == 0 {
				m.summary.SetText(lang.L("map.noVillages"))
			}
			switch {
			case want >= 0 && m.village.SelectedIndex() != want:
				m.village.SetSelectedIndex(want) // loads it
			case m.village.SelectedIndex() < 0 && len(vs) > 0:
				m.village.SetSelectedIndex(0)
			case seq != m.seq && m.unsaved.Empty() && !m.saving:
				m.village.Refresh()
				m.loadVillage()
			default:
				m.village.Refresh()
			}
		})
	})
}

// loadVillage reads the chosen village's map (and its base map image)
// and shows it.
func (m *Screen) loadVillage() {
	i := m.village.SelectedIndex()
	if i < 0 || i >= len(m.villages) {
		return
	}
	vil := m.villages[i]
	m.loadGen++
	gen := m.loadGen
	font := m.u.Font()
	pdfFont, _ := m.u.PDFFont() // the same font, nil with it
	rend := m.rend
	if m.rendFont != font {
		rend = nil
	}
	bases := m.bases
	if vil.ID != m.villageID {
		bases = map[string]*maps.BaseImage{}
	}
	m.say(lang.L("mapedit.loading"), widget.LowImportance)
	m.u.GoBG(func(ctx context.Context) {
		seq, err := m.u.Store().MaxChangeSeq(ctx)
		var mv *maps.Village
		switch {
		case err == nil && vil.ID == townshipID:
			mv, err = townshipMap(ctx, m.u.Store(), vil.Name)
		case err == nil:
			mv, err = mapdata.Load(ctx, m.u.Store(), vil.ID)
		}
		if err == nil && rend == nil {
			if font == nil {
				err = errors.New(lang.L("map.needFont"))
			} else {
				rend, err = render.NewRenderer(font.TTF)
				if err == nil {
					rend.SetFallbacks(pdfFont.Fallbacks) // 㙟 or 𠮷 in a lane's or a shop's name
				}
			}
		}
		var ed *edit.Editor
		var baseErr error
		var draft *mapscan.Draft
		var draftErr error
		missing := false
		if err == nil && vil.ID != townshipID {
			draft, draftErr = mapscan.LoadDraft(ctx, m.u.Store(), vil.ID)
		}
		if err == nil {
			ed = edit.NewEditor(mv, store.NewID)
			ed.Index() // built here, off the UI goroutine
			if b := mv.Base; b != nil && b.ImageHash != "" && bases[b.ImageHash] == nil {
				var img *maps.BaseImage
				img, missing, baseErr = mapscan.LoadBaseImage(ctx, m.u.Store(), b.ImageHash)
				if img != nil {
					bases[b.ImageHash] = img
				}
			}
		}
		if ctx.Err() != nil {
			return
		}
		m.u.Do(func() {
			if gen != m.loadGen {
				return
			}
			if err != nil {
				m.say("", widget.MediumImportance)
				m.u.ShowError(lang.L("map.loadError"), err)
				return
			}
			m.villageID, m.seq, m.ed, m.rend, m.rendFont, m.bases = vil.ID, seq, ed, rend, font, bases
			if m.wantVillage == vil.ID {
				m.wantVillage = ""
			}
			m.baseMissing = missing
			m.scan.SetDraft(draft)
			m.router, m.route, m.routeHouse, m.routeStart, m.numberStart = nil, nil, "", nil, nil
			m.selected, m.found, m.pts, m.drag, m.unsaved, m.saveErr = "", nil, nil, nil, edit.DirtySet{}, nil
			m.tool = toolSelect
			m.canvas.SetMap(rend, ed.Index(), render.Style{Names: true, BaseImage: m.baseDisplay(), VehicleWidth: m.vehicleWidth})
			m.updateSummary()
			m.updateButtons()
			m.say("", widget.MediumImportance)
			m.showSaved("", widget.MediumImportance)
			if draftErr != nil {
				// a damaged draft: said, and the map opens as it is
				m.u.ShowError(lang.L("mapedit.scan.failed"), draftErr)
			}
			if baseErr != nil {
				m.u.ShowError(lang.L("mapedit.base.loadError"), baseErr)
			}
			if m.wantReview == vil.ID {
				m.wantReview = ""
				if m.scan.HasDraft() {
					m.scan.Show()
					return
				}
			}
			if id := m.pending; id != "" && ed.Village().HouseByID(id) >= 0 {
				m.pending = ""
				m.focusHouse(id)
				return
			}
			m.showHint()
		})
	})
}

// baseDisplay is the decoded copy of the current base layer's image, nil
// when there is none or it is not loaded.
func (m *Screen) baseDisplay() image.Image {
	v := m.v()
	if v == nil || v.Base == nil {
		return nil
	}
	if b := m.bases[v.Base.ImageHash]; b != nil {
		return b.Display
	}
	return nil
}

func (m *Screen) updateSummary() {
	v := m.v()
	if v == nil {
		return
	}
	m.summary.SetText(fmt.Sprintf(lang.L("map.summary"), len(v.Houses), len(v.Lanes)+len(v.Landmarks)+len(v.Labels)))
}

// say shows a short message under the map (what just happened, or why
// something was not done).
func (m *Screen) say(msg string, imp widget.Importance) {
	m.status.Importance = imp
	m.status.SetText(msg)
}

// showSaved shows whether the map's steps are all in the store.
func (m *Screen) showSaved(msg string, imp widget.Importance) {
	m.saved.Importance = imp
	m.saved.SetText(msg)
}

// edit runs one editor step. The canvas lock keeps a frame from being
// drawn from a half-changed map; a refused step is explained under the
// map and changes nothing (the editor puts back what it touched).
func (m *Screen) edit(op func(ed *edit.Editor) error) bool {
	if m.ed == nil {
		return false
	}
	if m.readOnly {
		m.say(lang.L("mapedit.readOnly"), widget.WarningImportance)
		return false
	}
	var err error
	m.canvas.Change(func() *maps.Index {
		// The new index goes in under the canvas's lock, with the change.
		if err = op(m.ed); err != nil {
			return nil
		}
		return m.ed.Index()
	})
	if err != nil {
		what, known := editProblem(err)
		m.say(what, widget.WarningImportance)
		if !known {
			m.u.ShowError(what, err)
		}
		return false
	}
	m.afterEdit()
	return true
}

// editProblem says in plain words why the editor refused a step.
func editProblem(err error) (string, bool) {
	switch {
	case errors.Is(err, maps.ErrSelfIntersect):
		return lang.L("mapedit.err.crossing"), true
	case errors.Is(err, maps.ErrZeroArea), errors.Is(err, maps.ErrTooFewVertices):
		return lang.L("mapedit.err.tooSmall"), true
	case errors.Is(err, maps.ErrShortLane):
		return lang.L("mapedit.err.shortLane"), true
	case errors.Is(err, edit.ErrNotFound):
		return lang.L("mapedit.err.gone"), true
	case errors.Is(err, numbering.ErrBadNumber):
		return lang.L("mapedit.number.bad"), true
	}
	var taken *numbering.TakenError
	if errors.As(err, &taken) {
		if taken.HouseID == "" {
			return fmt.Sprintf(lang.L("mapedit.number.retired"), search.PlainNumber(taken.Number)), true
		}
		return fmt.Sprintf(lang.L("mapedit.number.taken"), search.PlainNumber(taken.Number), search.PlainNumber(taken.Current)), true
	}
	return lang.L("mapedit.err.other"), false
}

// afterEdit brings everything that depends on the map up to date and
// saves the step.
func (m *Screen) afterEdit() {
	v := m.v()
	m.router = nil
	if m.selected != "" && !m.exists(m.selected) {
		m.selected = ""
	}
	if m.routeHouse != "" && v.HouseByID(m.routeHouse) < 0 {
		m.route, m.routeHouse = nil, ""
	}
	m.syncBase()
	m.canvas.Update(func(st *render.Style, _ *render.Viewport) {
		st.Selected = m.selected
		st.BaseImage = m.baseDisplay()
		st.Route = routeOverlay(m.route)
	})
	m.updateSummary()
	m.updateButtons()
	m.showOverlay()
	m.queueSave()
}

// syncBase loads the image of a base layer that came back with undo or
// redo and is not decoded yet.
func (m *Screen) syncBase() {
	v := m.v()
	if v.Base == nil || v.Base.ImageHash == "" || m.bases[v.Base.ImageHash] != nil {
		return
	}
	hash, gen := v.Base.ImageHash, m.loadGen
	m.u.GoBG(func(ctx context.Context) {
		img, missing, err := mapscan.LoadBaseImage(ctx, m.u.Store(), hash)
		m.u.Do(func() {
			if gen != m.loadGen {
				return
			}
			if err != nil {
				m.u.ShowError(lang.L("mapedit.base.loadError"), err)
				return
			}
			m.baseMissing = missing
			if img != nil {
				m.bases[hash] = img
				m.canvas.Update(func(st *render.Style, _ *render.Viewport) { st.BaseImage = m.baseDisplay() })
			}
		})
	})
}

// exists reports whether the map has a feature with this ID.
func (m *Screen) exists(id string) bool {
	_, ok := m.refOf(id)
	return ok
}

// refOf finds a feature by ID.
func (m *Screen) refOf(id string) (maps.Ref, bool) {
	v := m.v()
	if v == nil || id == "" {
		return maps.Ref{}, false
	}
	if i := v.HouseByID(id); i >= 0 {
		return maps.Ref{Kind: maps.FeatHouse, Index: i}, true
	}
	for i := range v.Lanes {
		if v.Lanes[i].ID == id {
			return maps.Ref{Kind: maps.FeatLane, Index: i}, true
		}
	}
	for i := range v.Landmarks {
		if v.Landmarks[i].ID == id {
			return maps.Ref{Kind: maps.FeatLandmark, Index: i}, true
		}
	}
	for i := range v.Labels {
		if v.Labels[i].ID == id {
			return maps.Ref{Kind: maps.FeatLabel, Index: i}, true
		}
	}
	return maps.Ref{}, false
}

func (m *Screen) updateButtons() {
	has := m.ed != nil
	setEnabled(m.undoBtn, has && m.ed.CanUndo())
	setEnabled(m.redoBtn, has && m.ed.CanRedo())
	setEnabled(m.delBtn, has && m.selected != "")
	setEnabled(m.platesBtn, m.villageID != townshipID) // plates are printed village by village
	for t, b := range m.tools {
		imp := widget.MediumImportance
		if t == m.tool || (t == toolSelect && m.tool >= toolScale) {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (m *Screen) undo() {
	if m.ed == nil || !m.ed.CanUndo() {
		return
	}
	label := m.ed.UndoLabel()
	m.cancelDrawing()
	if m.edit(func(ed *edit.Editor) error { ed.Undo(); return nil }) {
		m.say(fmt.Sprintf(lang.L("mapedit.undone"), stepName(label)), widget.MediumImportance)
		m.reshowPanel()
	}
}

func (m *Screen) redo() {
	if m.ed == nil || !m.ed.CanRedo() {
		return
	}
	label := m.ed.RedoLabel()
	m.cancelDrawing()
	if m.edit(func(ed *edit.Editor) error { ed.Redo(); return nil }) {
		m.say(fmt.Sprintf(lang.L("mapedit.redone"), stepName(label)), widget.MediumImportance)
		m.reshowPanel()
	}
}

// stepName shows the editor's step label (Chinese, from package maps) in
// the UI language.
func stepName(label string) string {
	switch label {
	case "添加房屋":
		return lang.L("mapedit.step.addHouse")
	case "添加道路":
		return lang.L("mapedit.step.addLane")
	case "添加地标":
		return lang.L("mapedit.step.addLandmark")
	case "添加标注":
		return lang.L("mapedit.step.addLabel")
	case "删除":
		return lang.L("mapedit.step.delete")
	case "移动":
		return lang.L("mapedit.step.move")
	case "修改房屋信息":
		return lang.L("mapedit.step.houseInfo")
	case "修改门牌号":
		return lang.L("mapedit.step.number")
	case "编号":
		return lang.L("mapedit.step.renumber")
	case "修改道路":
		return lang.L("mapedit.step.lane")
	case "修改地标":
		return lang.L("mapedit.step.landmark")
	case "修改标注":
		return lang.L("mapedit.step.label")
	case "底图":
		return lang.L("mapedit.step.base")
	case "设置比例尺":
		return lang.L("mapedit.step.scale")
	case "接受识别结果":
		return lang.L("mapedit.step.trace")
	}
	return lang.L("mapedit.step.other")
}

func (m *Screen) deleteSelected() {
	id := m.selected
	if id == "" {
		return
	}
	if m.edit(func(ed *edit.Editor) error { return ed.Delete(id) }) {
		m.say(lang.L("mapedit.deleted"), widget.MediumImportance)
		m.showHint()
	}
}

// reshowPanel redraws the side panel for what is selected after undo or
// redo changed it.
func (m *Screen) reshowPanel() {
	if m.selected != "" {
		m.showSelected()
		return
	}
	m.showHint()
}

// queueSave saves what the editor changed. One save runs at a time;
// steps made meanwhile are saved together next. Only the changed
// features are copied for the background writer, so the map can go on
// being edited while it writes.
func (m *Screen) queueSave() {
	m.unsaved = m.unsaved.Union(m.ed.TakeDirty())
	if m.saving || m.unsaved.Empty() {
		return
	}
	d := m.unsaved
	m.unsaved = edit.DirtySet{}
	snap := d.CopyOf(m.v())
	vid, ed := m.villageID, m.ed
	m.saving = true
	m.showSaved(lang.L("mapedit.saving"), widget.LowImportance)
	m.u.GoBG(func(ctx context.Context) {
		err := mapdata.SaveChanges(ctx, m.u.Store(), vid, snap, d)
		var seq int64
		if err == nil {
			seq, err = m.u.Store().MaxChangeSeq(ctx)
		}
		m.u.Do(func() {
			if m.ed != ed {
				// Another map was opened meanwhile; a failure still matters.
				if err != nil {
					m.u.ShowError(lang.L("mapedit.saveFailed"), err)
				}
				return
			}
			m.saving = false
			m.saveErr = err
			if err != nil {
				m.unsaved = d.Union(m.unsaved)
				m.showSaved(lang.L("mapedit.notSaved"), widget.DangerImportance)
				m.u.ShowError(lang.L("mapedit.saveFailed"), err)
				return
			}
			m.seq = seq
			if !m.unsaved.Empty() {
				m.queueSave()
				return
			}
			m.showSaved(lang.L("mapedit.saved"), widget.SuccessImportance)
		})
	})
}

// Find types q into the find box and looks it up.
func (m *Screen) Find(q string) {
	m.find.SetText(q)
	m.findHouse()
}

// findHouse looks the find box up with the one search (store/search, the
// same as 住户's list and `cunjing locate`): house numbers (current or
// former), names and their pinyin, phones, ID numbers; and the map's
// landmarks. The index is read off the UI goroutine; a newer find or
// another village drops the answer.
func (m *Screen) findHouse() {
	q := strings.TrimSpace(m.find.Text)
	v := m.v()
	if q == "" || v == nil {
		return
	}
	plan, err := search.Parse(q)
	if err != nil {
		m.showFound(q, nil)
		return
	}
	m.findGen++
	gen, vid, ed := m.findGen, m.villageID, m.ed
	if vid == townshipID {
		vid = "" // every village on the township map
	}
	var found []search.Hit
	kit.Load(m.u, func(ctx context.Context) (err error) {
		found, err = m.u.Store().Search(ctx, store.SearchQuery{Text: q, VillageID: vid})
		return err
	}, func() {
		if gen != m.findGen || m.ed != ed {
			return
		}
		m.showFound(q, search.OnMap(plan, found, m.v()))
	})
}

// showFound outlines what a find found: one house (a number names one
// door), or all of them, listed beside the map, the best selected.
func (m *Screen) showFound(q string, hits []search.Hit) {
	v := m.v()
	if len(hits) == 0 {
		m.found = nil
		m.setSide(kit.StatusLabel(fmt.Sprintf(lang.L("map.notFound"), q)))
		m.canvas.Update(func(st *render.Style, _ *render.Viewport) { st.Highlight = nil })
		return
	}
	first := hits[0]
	if first.Match == search.MatchNumber || first.Match == search.MatchOldNumber || len(hits) == 1 {
		hits = hits[:1]
	}
	var ids []string
	r := maps.EmptyRect()
	for _, h := range hits {
		if i := v.HouseByID(h.HouseID); h.HouseID != "" && i >= 0 {
			ids = append(ids, h.HouseID)
			r = r.Union(v.Houses[i].Polygon.Bounds())
		} else if at, ok := landmarkAt(v, h.LandmarkID); ok {
			r = r.Extend(at)
		}
	}
	m.canvas.Update(func(st *render.Style, _ *render.Viewport) { st.Highlight = ids })
	m.canvas.FitTo(r, 90)
	m.found = nil
	if len(hits) > 1 {
		m.found = hits
	}
	if first.HouseID != "" {
		m.selectFeature(first.HouseID, maps.FeatHouse)
	} else if first.LandmarkID != "" {
		m.selectFeature(first.LandmarkID, maps.FeatLandmark)
	}
	// The panel opens at its top: "共找到 N 户" and the list first, not
	// where the last house's panel had been scrolled to.
	m.sideScroll.ScrollToTop()
}

// landmarkAt is where a landmark of v is.
func landmarkAt(v *maps.Village, id string) (maps.Point, bool) {
	for _, lm := range v.Landmarks {
		if lm.ID == id && id != "" {
			return lm.Point, true
		}
	}
	return maps.Point{}, false
}

// focusHouse selects a house, outlines it and zooms to it.
func (m *Screen) focusHouse(id string) {
	v := m.v()
	i := v.HouseByID(id)
	if i < 0 {
		return
	}
	m.found = nil
	m.canvas.Update(func(st *render.Style, _ *render.Viewport) { st.Highlight = []string{id} })
	m.canvas.FitTo(v.Houses[i].Polygon.Bounds(), 90)
	m.selectFeature(id, maps.FeatHouse)
}

// VillageOptions are the maps the village picker offers (a station's
// last is 全镇 when a village is georeferenced).
func (m *Screen) VillageOptions() []string { return m.village.Options }

// Village is the map shown (nil before one is loaded).
func (m *Screen) Village() *maps.Village { return m.v() }

// ReviewDraft opens a village's map and the review of its trace draft
// (the screenshots show it).
func (m *Screen) ReviewDraft(villageID string) {
	if m.villageID == villageID && m.ed != nil {
		if m.scan.HasDraft() {
			m.scan.Show()
		}
		return
	}
	m.wantReview = villageID
	m.ShowVillage(villageID)
}

// ShowVillage opens a village's map (a station's 各警务室 comes here).
func (m *Screen) ShowVillage(villageID string) {
	m.wantVillage = villageID
	for i, v := range m.villages {
		if v.ID == villageID {
			m.village.SetSelectedIndex(i)
			return
		}
	}
	m.Refresh()
}

// ShowHouse opens the house's village, zoomed to the house with its
// details beside it (the households screen's 在地图上查看 comes here).
func (m *Screen) ShowHouse(houseID string) {
	u := m.u
	m.pending = houseID
	u.GoBG(func(ctx context.Context) {
		var h store.House
		err := u.Store().Get(ctx, &h, houseID)
		if ctx.Err() != nil {
			return
		}
		u.Do(func() {
			if m.pending != houseID {
				return
			}
			if err != nil {
				m.pending = ""
				u.ShowError(lang.L("mapedit.houseMissing"), err)
				return
			}
			if h.VillageID == m.villageID && m.ed != nil && m.v().HouseByID(houseID) >= 0 {
				m.pending = ""
				m.setTool(toolSelect)
				m.focusHouse(houseID)
				return
			}
			// Another village: open it; loadVillage shows the house.
			m.wantVillage = h.VillageID
			for i, v := range m.villages {
				if v.ID == h.VillageID {
					m.village.SetSelectedIndex(i)
					return
				}
			}
			m.Refresh()
		})
	})
}

// townshipID stands in the village list for a station's township map:
// every georeferenced village on one map (maps/geo.Township), to look at.
const townshipID = "township"

// townshipMap is the township map: each georeferenced village's map moved
// into one frame by its own georeference; a village whose map or fit
// cannot be read is left out (export --all says which).
func townshipMap(ctx context.Context, s *store.Store, name string) (*maps.Village, error) {
	placed, _, err := mapdata.TownshipMap(ctx, s)
	if err != nil {
		return nil, err
	}
	return geo.Township(placed, name)
}
