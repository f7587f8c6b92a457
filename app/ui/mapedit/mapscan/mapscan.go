// Package mapscan is the map editor's 从扫描图识别 (issue #23): tracing a
// chosen scan or the base map into the village's draft (app/scantrace), and
// the review of a draft — the proposal drawn over the map and its scan,
// each unread or doubtful house shown as its piece of the scan for its
// number, the scale, then 全部接受 as one undoable step or 放弃草稿. It
// also reads a base map's scan out of the store (LoadBaseImage), for the
// editor.
//
// It works on the open map through Editor, which the editor implements; it
// knows nothing else of the editor.
package mapscan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/infile"
	"cunjing/app/scantrace"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/mapcanvas"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/render"
	"cunjing/maps/trace"
	"cunjing/store"
)

// Env is what the review needs from the window.
type Env interface {
	kit.Base
	ConfirmDelete(what string, del func())
}

// Editor is the open map as the review works on it.
type Editor interface {
	Village() *maps.Village // nil: none open
	VillageID() string
	VillageName() string
	// Gen changes whenever another village is loaded: work started for
	// one village is dropped when it ends on another.
	Gen() int
	BaseImage(hash string) *maps.BaseImage // decoded scans by blob hash
	KeepBaseImage(img *maps.BaseImage)     // a scan that becomes the base map
	// Edit makes one step of the map's editor (saved, undoable); false
	// when it was refused (and said why).
	Edit(op func(ed *edit.Editor) error) bool
	Canvas() *mapcanvas.Canvas
	SetSide(objs ...fyne.CanvasObject)
	Say(msg string, imp widget.Importance)
	ReadOnly() bool // a station's view of its posts' maps: nothing to trace
	// Measure lets the officer click two points on the map and type the
	// real distance between them, which go to then (the map's own scale
	// is not touched); back is where cancelling returns.
	Measure(help string, then func(p1, p2 maps.Point, metres float64), back func())
	SelectTool() // back to 选择, nothing half drawn
	ShowBasePanel()
	RefreshOverlay()
}

// Review is the review of the open village's draft.
type Review struct {
	u  Env
	ed Editor
	// draft is the village's trace draft, nil when it has none;
	// reviewing: the side panel walks through it.
	draft     *scanDraft
	reviewing bool
	// measuring: the scale tool measures on the scan for the review,
	// which keeps it shown meanwhile.
	measuring bool
	// ReadScan reads a chosen scan (a file up to 64 MB, maybe from a
	// slow USB stick; tests read from memory).
	ReadScan func(path string) ([]byte, error)
}

// New is the review over the editor ed in window u.
func New(u Env, ed Editor) *Review { return &Review{u: u, ed: ed, ReadScan: readScan} }

// Draft is a village's draft as LoadDraft read it.
type Draft = scanDraft

// SetDraft gives the review the draft of the village just loaded (nil:
// none), closed.
func (m *Review) SetDraft(d *Draft) { m.draft, m.reviewing = d, false }

// HasDraft reports whether the open village has a draft.
func (m *Review) HasDraft() bool { return m.draft != nil }

// Reviewing reports whether the side panel walks through the draft.
func (m *Review) Reviewing() bool { return m.reviewing }

// Current is the index in the draft of the house being looked at, and
// how far the walk is (cur of n); -1 when there is none.
func (m *Review) Current() (house, cur, n int) {
	if m.draft == nil || len(m.draft.walk) == 0 {
		return -1, 0, 0
	}
	return m.draft.walk[m.draft.cur], m.draft.cur + 1, len(m.draft.walk)
}

// ScanLoaded reports whether the draft's scan is decoded (the review
// shows it).
func (m *Review) ScanLoaded() bool { return m.draft != nil && m.draft.scan != nil }

// Closed says the side panel shows something else now: the scan's preview
// goes.
func (m *Review) Closed() {
	if m.reviewing && !m.measuring {
		m.reviewing = false
		m.preview()
	}
}

// scanDraft is the open village's trace draft (issue #23): what `map
// trace` or 从扫描图识别 found on a scan, kept on this PC until accepted.
type scanDraft struct {
	d    *trace.Draft
	rec  store.TraceDraft
	scan *maps.BaseImage // decoded when the review opens
	// walk lists the houses to look at (number unread or doubtful), cur
	// the one shown.
	walk []int
	cur  int
	ppm  string // the scale typed so far
	// placed is the last placement, for the scale and map it was made
	// for (the overlay is drawn at every move of the pointer).
	placed    scantrace.Placement
	placedFor string
	guess     float64 // previewScale's guess, once made
	// orig is the file traced when that was done in this window (nil
	// for a draft read from the store, whose scan may be the flattened
	// sheet): the officer can click its corners and trace it again.
	orig []byte
	// flattened: the sheet's corners were found (or clicked) on it and it
	// was flattened from them.
	flattened bool
	clicked   bool // from corners the officer clicked
}

// Colours of the proposal over the map: a number read and trusted, one
// to look at, none read, the house being looked at.
var (
	colScanOK      = color.NRGBA{0x2e, 0x7d, 0x32, 0xff}
	colScanDoubt   = color.NRGBA{0xef, 0x6c, 0x00, 0xff}
	colScanUnread  = color.NRGBA{0xc6, 0x28, 0x28, 0xff}
	colScanCurrent = color.NRGBA{0x15, 0x65, 0xc0, 0xff}
)

// LoadDraft reads the village's draft off the UI goroutine (nil: none).
func LoadDraft(ctx context.Context, s *store.Store, villageID string) (*scanDraft, error) {
	d, rec, err := scantrace.Load(ctx, s, villageID)
	if err != nil || d == nil {
		return nil, err
	}
	sd := &scanDraft{d: d, rec: rec}
	sd.rewalk()
	if d.PxPerM > 0 {
		sd.ppm = strconv.FormatFloat(d.PxPerM, 'f', -1, 64)
	}
	return sd, nil
}

func (sd *scanDraft) rewalk() {
	sd.walk = sd.walk[:0]
	for i, h := range sd.d.Houses {
		if h.Number == "" || h.Doubtful {
			sd.walk = append(sd.walk, i)
		}
	}
	sd.cur = min(sd.cur, max(0, len(sd.walk)-1))
}

// Buttons are the 底图 panel's way in: trace a chosen scan, trace
// the base map already under the map, or review the draft there is.
func (m *Review) Buttons() []fyne.CanvasObject {
	if m.ed.ReadOnly() {
		return nil
	}
	objs := []fyne.CanvasObject{widget.NewSeparator(), kit.Heading(lang.L("mapedit.scan.title"))}
	if sd := m.draft; sd != nil {
		objs = append(objs, kit.Wrapped(fmt.Sprintf(lang.L("mapedit.scan.have"), len(sd.d.Houses), len(sd.walk), sd.rec.Source)),
			widget.NewButtonWithIcon(lang.L("mapedit.scan.review"), theme.VisibilityIcon(), m.Show))
		return objs
	}
	objs = append(objs, kit.Wrapped(lang.L("mapedit.scan.help")),
		widget.NewButtonWithIcon(lang.L("mapedit.scan.choose"), theme.SearchIcon(), m.chooseScan))
	if v := m.ed.Village(); v != nil && v.Base != nil && m.ed.BaseImage(v.Base.ImageHash) != nil {
		objs = append(objs, widget.NewButton(lang.L("mapedit.scan.base"), func() { m.traceScan(nil, "", v.Base, nil) }))
	}
	return objs
}

// chooseScan asks for the scan or photo to trace.
func (m *Review) chooseScan() {
	if m.ed.Village() == nil {
		return
	}
	kit.OpenPath(m.u.Window(), []string{".jpg", ".jpeg", ".png"}, fyne.NewSize(900, 600), m.TraceFile)
}

// readScan reads a chosen scan, refusing one past maps.MaxBaseImageBytes.
func readScan(path string) ([]byte, error) {
	return infile.ReadBounded(path, maps.MaxBaseImageBytes)
}

// TraceFile traces the scan at path (traceScan), read off the UI
// goroutine while the status says so: a 64 MB scan on a slow USB stick
// took seconds, with the window frozen. A file that cannot be read is
// said in a dialog; a village opened meanwhile drops it.
func (m *Review) TraceFile(path string) {
	if m.ed.Village() == nil {
		return
	}
	gen, read := m.ed.Gen(), m.ReadScan
	m.ed.Say(lang.L("mapedit.base.reading"), widget.LowImportance)
	var data []byte
	kit.Run(m.u, func(context.Context) (err error) {
		data, err = read(path)
		return err
	}, func(err error) {
		if gen == m.ed.Gen() {
			m.ed.Say("", widget.MediumImportance)
			m.u.ShowError(lang.L("mapedit.base.bad"), err)
		}
	}, func() {
		if gen == m.ed.Gen() {
			m.traceScan(data, filepath.Base(path), nil, nil)
		}
	})
}

// traceScan traces a scan (data, or the blob of base when data is nil) in
// the background, keeps the result as the village's draft and opens its
// review. The scale comes from the base layer when the scan is the base
// map and its scale has been set. corners, when not nil, are the sheet's
// corners as the officer clicked them on a photo.
func (m *Review) traceScan(data []byte, source string, base *maps.BaseLayer, corners *[4]trace.Pt) {
	gen, villageID, villageName := m.ed.Gen(), m.ed.VillageID(), m.ed.VillageName()
	ppm := 0.0
	if base != nil && base.MetresPerPx > 0 && base.MetresPerPx != 1 {
		ppm = 1 / base.MetresPerPx
	}
	m.ed.Say(lang.L("mapedit.scan.working"), widget.LowImportance)
	var sd *scanDraft
	kit.Run(m.u, func(ctx context.Context) error {
		if data == nil {
			var err error
			if data, err = m.u.Store().Blob(ctx, base.ImageHash); err != nil {
				return err
			}
			source = lang.L("mapedit.scan.baseName")
		}
		t, err := scantrace.Trace(ctx, data, ppm, corners)
		if err != nil {
			return err
		}
		if _, _, err := scantrace.Save(ctx, m.u.Store(), villageName, source, t); err != nil {
			return err
		}
		if sd, err = LoadDraft(ctx, m.u.Store(), villageID); err != nil {
			return err
		}
		if sd == nil {
			return errors.New("trace draft: not kept")
		}
		sd.scan, sd.orig, sd.flattened, sd.clicked = t.Image, data, t.Flattened, corners != nil
		return nil
	}, func(err error) {
		if gen == m.ed.Gen() {
			m.ed.Say("", widget.MediumImportance)
			m.u.ShowError(lang.L("mapedit.scan.failed"), err)
		}
	}, func() {
		if gen != m.ed.Gen() {
			return
		}
		m.draft = sd
		m.Show()
	})
}

// Show is the walk through the draft: what was found, the
// scale, each house whose number was not read or breaks the sequence (its
// piece of the scan, the number to type, Enter for the next), then
// 全部接受 or 放弃.
func (m *Review) Show() {
	sd := m.draft
	if sd == nil {
		m.ed.ShowBasePanel()
		return
	}
	if sd.scan == nil {
		gen := m.ed.Gen()
		var img *maps.BaseImage
		kit.Run(m.u, func(ctx context.Context) (err error) {
			img, _, err = LoadBaseImage(ctx, m.u.Store(), sd.rec.ImageHash)
			if err == nil && img == nil {
				err = errors.New(lang.L("mapedit.base.missing"))
			}
			return err
		}, func(err error) { m.u.ShowError(lang.L("mapedit.scan.failed"), err) }, func() {
			if gen == m.ed.Gen() && m.draft == sd {
				sd.scan = img
				m.Show()
			}
		})
		return
	}
	m.ed.SelectTool()
	defer func() { m.reviewing = true; m.ed.RefreshOverlay(); m.preview() }()
	d := sd.d
	wells, ponds := 0, 0
	for _, l := range d.Landmarks {
		if l.Kind == string(maps.KindWell) {
			wells++
		} else {
			ponds++
		}
	}
	objs := []fyne.CanvasObject{kit.Heading(lang.L("mapedit.scan.title")),
		kit.Wrapped(fmt.Sprintf(lang.L("mapedit.scan.found"), len(d.Houses), len(d.Lanes), ponds, wells, d.Unread, len(sd.walk)-d.Unread))}
	scale := kit.NewEntry()
	scale.SetText(sd.ppm)
	scale.SetPlaceHolder(lang.L("mapedit.scan.scaleExample"))
	scale.OnChanged = func(s string) { sd.ppm = s; m.ed.RefreshOverlay(); m.preview() }
	objs = append(objs, widget.NewForm(widget.NewFormItem(lang.L("mapedit.scan.scale"), scale)),
		widget.NewButton(lang.L("mapedit.scan.measure"), func() { m.measure(sd) }), kit.StatusLabel(lang.L("mapedit.scan.scaleHelp")))
	if sd.orig != nil {
		objs = append(objs, widget.NewButtonWithIcon(lang.L("mapedit.scan.corners"), theme.ViewFullScreenIcon(), func() { m.pickCorners(sd) }),
			kit.StatusLabel(lang.L(cornersHelp(sd))))
	}
	if len(sd.walk) > 0 {
		i := sd.walk[sd.cur]
		h := d.Houses[i]
		num := kit.NewEntry()
		num.SetText(h.Number)
		next := func(step int) {
			sd.cur = (sd.cur + step + len(sd.walk)) % len(sd.walk)
			m.Show()
		}
		num.OnSubmitted = func(s string) {
			s = strings.TrimSpace(s)
			if s != d.Houses[i].Number || d.Houses[i].Doubtful {
				m.setDraftNumber(sd, i, s)
			}
			next(1)
		}
		crop := canvas.NewImageFromImage(scanCrop(sd.scan.Original, h))
		crop.FillMode = canvas.ImageFillContain
		crop.ScaleMode = canvas.ImageScaleFastest
		crop.SetMinSize(fyne.NewSize(240, 160))
		objs = append(objs, widget.NewSeparator(),
			kit.Wrapped(fmt.Sprintf(lang.L("mapedit.scan.walk"), sd.cur+1, len(sd.walk))), crop,
			widget.NewForm(widget.NewFormItem(lang.L("mapedit.scan.number"), num)), kit.StatusLabel(lang.L("mapedit.scan.enterHint")),
			container.NewGridWithColumns(2,
				widget.NewButtonWithIcon(lang.L("mapedit.scan.prev"), theme.NavigateBackIcon(), func() { next(-1) }),
				widget.NewButtonWithIcon(lang.L("mapedit.scan.next"), theme.NavigateNextIcon(), func() { next(1) })))
		defer func() {
			if c := m.u.Window().Canvas(); c != nil {
				c.Focus(num)
			}
		}()
		m.ed.Canvas().FitTo(m.draftRect(sd, i), 30)
	}
	accept := widget.NewButtonWithIcon(lang.L("mapedit.scan.accept"), theme.ConfirmIcon(), func() { m.acceptDraft(sd) })
	accept.Importance = widget.HighImportance
	drop := widget.NewButtonWithIcon(lang.L("mapedit.scan.drop"), theme.DeleteIcon(), func() {
		m.u.ConfirmDelete(lang.L("mapedit.scan.dropWhat"), func() { m.dropDraft(sd) })
	})
	objs = append(objs, widget.NewSeparator(), accept, drop,
		widget.NewButton(lang.L("mapedit.scan.later"), func() { m.ed.ShowBasePanel() }))
	m.ed.SetSide(objs...)
}

// cornersHelp says how the sheet was found on the photo, under the
// button that lets the officer click its corners instead.
func cornersHelp(sd *scanDraft) string {
	switch {
	case sd.clicked:
		return "mapedit.scan.cornersClicked"
	case sd.flattened:
		return "mapedit.scan.cornersFound"
	}
	return "mapedit.scan.cornersNone"
}

// setDraftNumber keeps a number the officer typed in the draft (saved at
// once: a closed window loses nothing typed).
func (m *Review) setDraftNumber(sd *scanDraft, i int, number string) {
	sd.d.Houses[i].Number, sd.d.Houses[i].Doubtful = number, false
	unread := 0
	for _, h := range sd.d.Houses {
		if h.Number == "" {
			unread++
		}
	}
	sd.d.Unread = unread
	b, err := sd.d.JSON()
	if err != nil {
		m.u.ShowError(lang.L("mapedit.scan.failed"), err)
		return
	}
	rec := sd.rec
	rec.Proposal = b
	kit.Run(m.u, func(ctx context.Context) error {
		return m.u.Store().SaveTraceDraft(ctx, rec, nil)
	}, func(err error) { m.u.ShowError(lang.L("mapedit.scan.failed"), err) }, func() {})
}

// scanScale reads the scale typed (pixels a metre).
func (sd *scanDraft) scanScale() (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(sd.ppm), 64)
	return f, err == nil && f > 0 && f <= 1000
}

// previewScale is the scale the draft is previewed at while none is
// typed: its houses' median size taken as guessHouseSide metres, so that
// the scan lies beside a village at about its size rather than at 1 px a
// metre (ten times too large for a 150 dpi sheet). Accepting still needs
// a scale typed or measured.
func (sd *scanDraft) previewScale() float64 {
	if ppm, ok := sd.scanScale(); ok {
		return ppm
	}
	if sd.guess > 0 {
		return sd.guess
	}
	sides := make([]float64, 0, len(sd.d.Houses))
	for _, h := range sd.d.Houses {
		if a := polygonArea(h.OutlinePx); a > 0 {
			sides = append(sides, math.Sqrt(a))
		}
	}
	sd.guess = 1
	if len(sides) > 0 {
		slices.Sort(sides)
		sd.guess = min(max(sides[len(sides)/2]/guessHouseSide, 0.1), 100)
	}
	return sd.guess
}

// guessHouseSide is the side of a typical village house with its yard
// (metres), for the preview's guessed scale only.
const guessHouseSide = 12.0

// polygonArea is the area of a ring of pixel points (shoelace).
func polygonArea(ring [][2]float64) float64 {
	a := 0.0
	for i := range ring {
		j := (i + 1) % len(ring)
		a += ring[i][0]*ring[j][1] - ring[j][0]*ring[i][1]
	}
	return math.Abs(a) / 2
}

// placement is where the draft goes at the scale typed (while there is
// none, at previewScale's guess, for the preview only).
func (m *Review) placement(sd *scanDraft) (scantrace.Placement, error) {
	ppm := sd.previewScale()
	v := m.ed.Village()
	if v == nil {
		return scantrace.Placement{}, errors.New("trace draft: no map open")
	}
	key := fmt.Sprintf("%g %d %d %p", ppm, len(v.Houses), len(v.Lanes), v.Base)
	if sd.placedFor == key {
		return sd.placed, nil
	}
	pl, err := scantrace.Place(sd.d, v, sd.rec.ImageHash, ppm)
	if err != nil {
		return pl, err
	}
	sd.placed, sd.placedFor = pl, key
	return pl, nil
}

func (m *Review) draftRect(sd *scanDraft, i int) maps.Rect {
	pl, err := m.placement(sd)
	if err != nil || i >= len(pl.Houses) {
		return maps.EmptyRect()
	}
	r := maps.BoundsOf(pl.Houses[i].Polygon)
	pad := 4 * max(r.W(), r.H())
	return maps.Rect{Min: r.Min.Sub(maps.Point{X: pad, Y: pad}), Max: r.Max.Add(maps.Point{X: pad, Y: pad})}
}

// Overlay draws the proposal over the map while it is reviewed.
func (m *Review) Overlay(o *mapcanvas.Overlay) {
	sd := m.draft
	if sd == nil || !m.reviewing {
		return
	}
	pl, err := m.placement(sd)
	if err != nil {
		return
	}
	cur := -1
	if len(sd.walk) > 0 {
		cur = sd.walk[sd.cur]
	}
	for i, h := range pl.Houses {
		dh := sd.d.Houses[i]
		c, w := colScanOK, 2.0
		switch {
		case i == cur:
			c, w = colScanCurrent, 4
		case dh.Number == "":
			c = colScanUnread
		case dh.Doubtful:
			c = colScanDoubt
		}
		o.Shapes = append(o.Shapes, mapcanvas.Shape{Pts: h.Polygon, Closed: true, Line: c, Width: w})
	}
	for _, l := range pl.Lanes {
		o.Shapes = append(o.Shapes, mapcanvas.Shape{Pts: l.Points, Line: colScanDoubt, Width: 1.5})
	}
	for _, l := range pl.Landmarks {
		o.Dots = append(o.Dots, mapcanvas.Dot{At: l.Point, R: 5, Fill: colScanOK})
	}
}

// acceptDraft turns the draft into the village's houses, lanes and signs
// in one step the officer can undo, then drops the draft.
func (m *Review) acceptDraft(sd *scanDraft) {
	ppm, ok := sd.scanScale()
	if !ok {
		m.ed.Say(lang.L("mapedit.scan.needScale"), widget.WarningImportance)
		return
	}
	pl, err := scantrace.Place(sd.d, m.ed.Village(), sd.rec.ImageHash, ppm)
	if err != nil {
		m.u.ShowError(lang.L("mapedit.scan.failed"), err)
		return
	}
	if pl.Base != nil && sd.scan != nil {
		m.ed.KeepBaseImage(sd.scan)
	}
	var got edit.Traced
	if !m.ed.Edit(func(ed *edit.Editor) error {
		got, err = ed.AddTraced(pl.Houses, pl.Lanes, pl.Landmarks, pl.Base)
		return err
	}) {
		return
	}
	m.draft, m.reviewing = nil, false
	m.preview()
	villageID := m.ed.VillageID()
	kit.Run(m.u, func(ctx context.Context) error { return m.u.Store().DeleteTraceDraft(ctx, villageID) },
		func(err error) { m.u.ShowError(lang.L("mapedit.scan.failed"), err) }, func() {})
	msg := fmt.Sprintf(lang.L("mapedit.scan.accepted"), got.Houses, got.Lanes, got.Landmarks)
	if len(got.Unnumbered) > 0 {
		msg += " " + fmt.Sprintf(lang.L("mapedit.scan.unnumbered"), len(got.Unnumbered), strings.Join(got.Unnumbered, "、"))
	}
	if pl.Beside {
		msg += " " + lang.L("mapedit.scan.beside")
	}
	m.ed.Say(msg, widget.SuccessImportance)
	m.ed.Canvas().FitAll()
	m.ed.ShowBasePanel()
}

// dropDraft throws the draft away (asked first); nothing else changes.
func (m *Review) dropDraft(sd *scanDraft) {
	villageID := m.ed.VillageID()
	kit.Run(m.u, func(ctx context.Context) error { return m.u.Store().DeleteTraceDraft(ctx, villageID) },
		func(err error) { m.u.ShowError(lang.L("mapedit.scan.failed"), err) }, func() {
			if m.draft == sd {
				m.draft, m.reviewing = nil, false
				m.preview()
			}
			m.ed.Say(lang.L("mapedit.scan.dropped"), widget.MediumImportance)
			m.ed.RefreshOverlay()
			m.ed.ShowBasePanel()
		})
}

// scanCrop is the piece of the scan around a house, for reading its
// number by eye.
func scanCrop(img image.Image, h trace.DraftHouse) image.Image {
	r := image.Rectangle{}
	for i, p := range h.OutlinePx {
		q := image.Pt(int(p[0]), int(p[1]))
		if i == 0 {
			r = image.Rectangle{Min: q, Max: q.Add(image.Pt(1, 1))}
		}
		r = r.Union(image.Rectangle{Min: q, Max: q.Add(image.Pt(1, 1))})
	}
	pad := max(r.Dx(), r.Dy()) / 2
	r = r.Inset(-pad).Intersect(img.Bounds())
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok && !r.Empty() {
		return s.SubImage(r)
	}
	return img
}

// preview lays the draft's scan under the map while it is reviewed,
// where accepting would put it, unless it is the map's base layer there
// already; and takes it away when the review closes.
func (m *Review) preview() {
	var pv *render.Preview
	if sd := m.draft; sd != nil && m.reviewing && sd.scan != nil {
		if pl, err := m.placement(sd); err == nil && (pl.Base != nil || pl.Beside) {
			pv = &render.Preview{Layer: pl.Layer, Image: sd.scan.Display}
		}
	}
	if cur := m.ed.Canvas().Style().Preview; cur == nil && pv == nil {
		return
	}
	m.ed.Canvas().Update(func(st *render.Style, _ *render.Viewport) { st.Preview = pv })
}

// LoadBaseImage reads and decodes a scan kept as a blob; missing is true
// when the blob has not arrived yet (a scan made on another device, still
// syncing).
func LoadBaseImage(ctx context.Context, s *store.Store, hash string) (img *maps.BaseImage, missing bool, err error) {
	ok, err := s.HasBlob(ctx, hash)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		return nil, true, nil
	}
	data, err := s.Blob(ctx, hash)
	if err != nil {
		return nil, false, err
	}
	img, err = maps.DecodeBaseImage(data, 0)
	if err != nil {
		return nil, false, fmt.Errorf("base map %s: %w", hash, err)
	}
	return img, false, nil
}

// measure sets the scale from two points clicked on the scan and the real
// distance between them: the scan lies at the scale typed so far
// (previewScale's guess when none), so the points are that many pixels
// apart per metre of the map.
func (m *Review) measure(sd *scanDraft) {
	m.measuring = true
	m.ed.Measure(lang.L("mapedit.scan.measureHelp"), func(p1, p2 maps.Point, metres float64) {
		m.measuring = false
		px := maps.Dist(p1, p2) * sd.previewScale()
		if ppm := px / metres; px >= 5 && ppm > 0 && ppm <= 1000 {
			sd.ppm = strconv.FormatFloat(math.Round(ppm*1000)/1000, 'f', -1, 64)
		} else {
			m.ed.Say(lang.L("mapedit.scan.measureBad"), widget.WarningImportance)
		}
	}, func() {
		m.measuring = false
		m.Show()
	})
}
