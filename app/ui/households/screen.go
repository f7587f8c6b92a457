package households

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/search"
)

// Paging of the household list: the first page comes quickly so the
// screen answers at once; the rest follow in larger pages while the user
// reads.
const (
	firstPage      = 60
	nextPage       = 400
	searchDebounce = 300 * time.Millisecond
)

// Screen is 住户: filters, one search box, the list of
// households and the selected household's residents and visits.
type Screen struct {
	u    Env
	root fyne.CanvasObject

	village  *widget.Select
	category *widget.Select
	warning  *widget.Select
	search   *kit.Entry
	count    *widget.Label
	list     *widget.List
	detail   *fyne.Container

	// atStation: a station's window, where households are not entered
	// (atStationNote says why).
	atStation bool

	villages []store.Village // village select options after "all"

	// mu guards the list's data: loads hand rows over from other
	// goroutines (directly under the test driver).
	mu       sync.Mutex
	rows     []store.HouseholdRow
	complete bool
	loads    *kit.Debouncer // the list load, once typing pauses
	stopLoad context.CancelFunc
	selected string

	form *kit.EditForm // the form open in the detail pane, if any (household_forms.go)
}

// New builds 住户 in env u and loads the first page of households.
func New(u Env) *Screen {
	h := &Screen{u: u, loads: kit.NewDebouncer(u), atStation: u.Store().Role() == store.RoleStation}
	h.village = kit.NewSelect([]string{lang.L("filter.allVillages")}, func(string) { h.schedule(0) })
	h.village.SetSelectedIndex(0)
	cats := []string{lang.L("filter.allCategories")}
	for _, c := range kit.FilterCategories {
		cats = append(cats, lang.L(c.Key))
	}
	h.category = kit.NewSelect(cats, func(string) { h.schedule(0) })
	h.category.SetSelectedIndex(0)
	warns := []string{lang.L("filter.allWarnings")}
	for _, w := range kit.Warnings {
		warns = append(warns, lang.L(w.Key))
	}
	h.warning = kit.NewSelect(warns, func(string) { h.schedule(0) })
	h.warning.SetSelectedIndex(0)

	h.search = kit.NewEntry() // passes Ctrl+E (紧急) on to the window
	h.search.SetPlaceHolder(lang.L("households.searchHint"))
	h.search.OnChanged = func(string) { h.schedule(searchDebounce) }
	h.search.OnSubmitted = func(string) { h.schedule(0) }
	h.search.ActionItem = widget.NewIcon(theme.SearchIcon())

	h.count = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})

	h.list = widget.NewList(h.length, h.newRow, h.updateRow)
	h.list.OnSelected = func(id widget.ListItemID) {
		h.mu.Lock()
		var row store.HouseholdRow
		ok := id < len(h.rows)
		if ok {
			row = h.rows[id]
			h.selected = row.ID
		}
		h.mu.Unlock()
		if ok {
			h.showDetail(row)
		}
	}

	h.detail = container.NewVBox()
	h.showHint()

	filters := container.NewGridWithColumns(3, h.village, h.category, h.warning)
	add := widget.NewButtonWithIcon(lang.L("households.hh.new"), theme.ContentAddIcon(), func() { h.editHousehold(store.Household{}) })
	add.Importance = widget.HighImportance
	imp := widget.NewButtonWithIcon(lang.L("households.ledger.import"), theme.UploadIcon(), h.importLedger)
	exp := widget.NewButtonWithIcon(lang.L("households.ledger.export"), theme.DownloadIcon(), h.exportLedger)
	actions := container.NewHBox(h.count, imp, exp, add)
	if h.atStation {
		// One line beside the count (a wrapping label in a row is one
		// character wide).
		note := widget.NewLabel(lang.L("households.atStation"))
		note.Importance = widget.LowImportance
		actions = container.NewHBox(note, h.count, exp)
	}
	top := container.NewVBox(
		container.NewBorder(nil, nil, kit.Heading(lang.L("nav.households")), actions),
		filters, h.search)
	split := container.NewHSplit(h.list, kit.NewFormScroll(container.NewPadded(h.detail)))
	split.Offset = 0.52
	h.root = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)

	h.loadVillages(nil)
	h.schedule(0)
	return h
}

func (h *Screen) Object() fyne.CanvasObject { return h.root }

func (h *Screen) Refresh() { h.schedule(0) }

// Search searches for q (a house number, name, phone or ID number); a
// single match opens.
func (h *Screen) Search(q string) {
	h.search.SetText(q)
	h.schedule(0)
}

// loadVillages fills the village filter, then runs then (if not nil)
// with the villages.
func (h *Screen) loadVillages(then func(vs []store.Village)) {
	var vs []store.Village
	kit.Load(h.u, func(ctx context.Context) (err error) {
		vs, err = h.u.Store().Villages(ctx)
		return err
	}, func() {
		h.mu.Lock()
		h.villages = vs
		h.mu.Unlock()
		opts := []string{lang.L("filter.allVillages")}
		for _, v := range vs {
			opts = append(opts, v.Name)
		}
		h.village.Options = opts
		h.village.Refresh()
		if then != nil {
			then(vs)
		}
	})
}

// filter reads the filter bar.
func (h *Screen) filter() store.HouseholdFilter {
	var f store.HouseholdFilter
	h.mu.Lock()
	if i := h.village.SelectedIndex(); i > 0 && i-1 < len(h.villages) {
		f.VillageID = h.villages[i-1].ID
	}
	h.mu.Unlock()
	if i := h.category.SelectedIndex(); i > 0 {
		f.Category = kit.FilterCategories[i-1].V
	}
	if i := h.warning.SelectedIndex(); i > 0 {
		f.Warning = kit.Warnings[i-1].V
	}
	f.Query = h.search.Text
	return f
}

// schedule (re)starts the list load after delay, dropping any load or
// pending search still running: typing a name fires one query once the
// typing pauses, not one per keystroke.
func (h *Screen) schedule(delay time.Duration) {
	if h.search == nil || h.warning == nil || h.category == nil {
		return // still being built (SetSelectedIndex fires OnChanged)
	}
	f := h.filter()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopLoad != nil {
		h.stopLoad()
	}
	ctx, cancel := context.WithCancel(h.u.Ctx())
	h.stopLoad = cancel
	h.loads.Run(delay, func(gen int) { h.load(ctx, gen, f) })
}

// load pages through the matching households, showing each page as it
// arrives.
func (h *Screen) load(ctx context.Context, gen int, f store.HouseholdFilter) {
	f.Offset, f.Limit = 0, firstPage
	for {
		rows, err := h.u.Store().Households(ctx, f)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			h.u.Do(func() { h.u.ShowError(lang.L("error.load"), err) })
			return
		}
		done := len(rows) < f.Limit
		first := f.Offset == 0
		h.u.Do(func() { h.apply(gen, rows, first, done) })
		if done {
			return
		}
		f.Offset += len(rows)
		f.Limit = nextPage
	}
}

// apply shows one page of a load unless a newer load has started.
func (h *Screen) apply(gen int, rows []store.HouseholdRow, first, done bool) {
	h.mu.Lock()
	if !h.loads.Current(gen) {
		h.mu.Unlock()
		return
	}
	if first {
		h.rows = rows
	} else {
		h.rows = append(h.rows, rows...)
	}
	h.complete = done
	n := len(h.rows)
	sel := -1
	for i, r := range h.rows {
		if r.ID == h.selected {
			sel = i
			break
		}
	}
	var only store.HouseholdRow
	if done && n == 1 {
		only = h.rows[0]
	}
	h.mu.Unlock()

	if done {
		h.count.SetText(fmt.Sprintf(lang.L("households.count"), n))
	} else {
		h.count.SetText(fmt.Sprintf(lang.L("households.countMore"), n))
	}
	h.list.Refresh()
	switch {
	case h.form != nil:
		// A form open in the detail pane stays, what was typed in it
		// with it: the list reloads when the screen is shown again (after
		// 紧急), and put the hint or a household over it.
	case only.ID != "":
		// A search that finds one household opens it: the usual case of
		// typing a house number or a name.
		h.list.Select(0)
	case done && sel < 0:
		// The open household is not in the list (a new search, a
		// filter): the hint. Only once the list is whole: one opened
		// from the map (查看住户和居民) may be on a later page.
		h.list.UnselectAll()
		h.mu.Lock()
		h.selected = ""
		h.mu.Unlock()
		h.showHint()
	}
}

func (h *Screen) length() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rows)
}

// householdRow is one list line: the warning dot, the house number, owner
// and phone, address and categories, how many people and the last visit.
type householdRow struct {
	widget.BaseWidget
	dot    *canvas.Circle
	number *widget.Label
	owner  *widget.Label
	info   *widget.Label
	people *widget.Label
	visit  *widget.Label
	box    *fyne.Container
}

func newHouseholdRow() *householdRow {
	r := &householdRow{
		number: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		owner:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		info:   widget.NewLabel(""),
		people: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		visit:  widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
	}
	r.number.SizeName = theme.SizeNameSubHeadingText
	r.info.Truncation = fyne.TextTruncateEllipsis
	r.owner.Truncation = fyne.TextTruncateEllipsis
	r.info.Importance = widget.LowImportance
	r.visit.Importance = widget.LowImportance
	var dotObj fyne.CanvasObject
	r.dot, dotObj = kit.Dot(kit.ColNone, 16)
	left := container.NewHBox(dotObj, kit.WithWidth(84, container.NewVBox(layout.NewSpacer(), r.number, layout.NewSpacer())))
	right := kit.WithWidth(150, container.New(kit.TightVBox{}, r.people, r.visit))
	r.box = container.NewBorder(nil, nil, left, right, container.New(kit.TightVBox{}, r.owner, r.info))
	r.ExtendBaseWidget(r)
	return r
}

func (r *householdRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.box)
}

func (h *Screen) newRow() fyne.CanvasObject { return newHouseholdRow() }

func (h *Screen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	h.mu.Lock()
	if id >= len(h.rows) {
		h.mu.Unlock()
		return
	}
	hh := h.rows[id]
	h.mu.Unlock()
	r := o.(*householdRow)
	r.dot.FillColor = kit.WarningColor(hh.Warning)
	r.dot.Refresh()
	num := hh.HouseNumber
	if num == "" {
		num = hh.DoorNumber
	}
	r.number.SetText(num)
	owner := hh.OwnerName
	if hh.OwnerPhone != "" {
		owner += "  " + hh.OwnerPhone
	}
	r.owner.SetText(owner)
	info := hh.Address
	if len(hh.Categories) > 0 {
		info += "  ·  " + kit.ShowList(hh.Categories)
	}
	r.info.SetText(info)
	r.people.SetText(fmt.Sprintf(lang.L("households.people"), hh.Residents))
	if hh.LastVisit != "" {
		r.visit.SetText(fmt.Sprintf(lang.L("households.lastVisit"), hh.LastVisit))
	} else {
		r.visit.SetText(lang.L("households.neverVisited"))
	}
}

// enteredAtPost says, in the detail, where households are entered, when
// a station's window was asked to make one, and reports whether it did.
// A household made at a station would be the station's own record
// (store: a new record's owner is the device that writes it), sent in its
// broadcast to every post, and its post could see it but never change it.
func (h *Screen) enteredAtPost() bool {
	if !h.atStation {
		return false
	}
	h.detail.Objects = []fyne.CanvasObject{kit.Wrapped(lang.L("households.atStation"))}
	h.detail.Refresh()
	return true
}

func (h *Screen) showHint() {
	text := lang.L("households.pick")
	if utf8.RuneCountInString(strings.TrimSpace(h.search.Text)) > search.MaxQueryRunes {
		// The search reads no more: the empty list is not "nobody".
		text = fmt.Sprintf(lang.L("households.searchTooLong"), search.MaxQueryRunes)
	}
	l := kit.Wrapped(text)
	h.detail.Objects = []fyne.CanvasObject{l}
	h.detail.Refresh()
}

// showDetail loads and shows one household's residents and visits.
func (h *Screen) showDetail(row store.HouseholdRow) {
	full := h.u.SeesFullIDs()
	h.u.GoBG(func(ctx context.Context) {
		h.u.AuditView(ctx, row.HouseNumber+" "+row.OwnerName, row.ID)
		rs, err := h.u.Store().Residents(ctx, row.ID)
		var vs []store.Visit
		if err == nil {
			vs, err = h.u.Store().Visits(ctx, row.ID)
		}
		if ctx.Err() != nil {
			return
		}
		h.u.Do(func() {
			h.mu.Lock()
			current := h.selected == row.ID
			h.mu.Unlock()
			if !current {
				return
			}
			if err != nil {
				h.u.ShowError(lang.L("error.load"), err)
				return
			}
			h.form = nil
			h.detail.Objects = householdDetail(row, rs, vs, full, h.actionsFor(row, rs))
			h.detail.Refresh()
		})
	})
}

// householdDetail lays out one household: who lives there and when it was
// last visited; act (nil for none) adds the buttons of the forms.
func householdDetail(row store.HouseholdRow, rs []store.Resident, vs []store.Visit, fullIDs bool, act *householdActions) []fyne.CanvasObject {
	num := row.HouseNumber
	if num == "" {
		num = row.DoorNumber
	}
	_, d := kit.Dot(kit.WarningColor(row.Warning), 20)
	// Names are typed (or imported): the title wraps rather than widen
	// the window past the screen.
	title := kit.TitleHeading(fmt.Sprintf(lang.L("households.title"), num, row.OwnerName))
	title.SizeName = theme.SizeNameHeadingText
	out := []fyne.CanvasObject{container.NewBorder(nil, nil, d, nil, title)}
	if act != nil {
		out = append(out, householdToolbar(act))
	}

	var chips []fyne.CanvasObject
	if row.Warning != "" {
		chips = append(chips, kit.Chip(kit.Show(row.Warning), tint(kit.WarningColor(row.Warning))))
	}
	for _, c := range row.Categories {
		chips = append(chips, kit.Chip(kit.Show(c), kit.ColSelection))
	}
	if len(chips) > 0 {
		out = append(out, container.NewHBox(chips...))
	}
	for _, f := range []struct{ Key, val string }{
		{"hh.address", row.Address}, {"hh.door", row.DoorNumber}, {"hh.phone", row.OwnerPhone},
		{"hh.status", kit.Show(row.Status)}, {"hh.tenant", kit.JoinNonEmpty(row.TenantName, row.TenantPhone)},
		{"hh.house", kit.JoinNonEmpty(row.HouseType, row.HouseUse, row.Structure)},
		{"hh.grid", row.GridCell}, {"hh.notes", row.Notes},
	} {
		if f.val != "" {
			out = append(out, kit.Field(lang.L(f.Key), f.val))
		}
	}

	out = append(out, widget.NewSeparator(), kit.Heading(fmt.Sprintf(lang.L("households.residents"), len(rs))))
	if len(rs) == 0 {
		out = append(out, widget.NewLabel(lang.L("households.noResidents")))
	}
	for _, r := range rs {
		card := residentCard(r, fullIDs)
		if act != nil {
			r := r
			card = withButtons(card, func() { act.editResident(r) }, func() { act.removeResident(r) }, func() { act.residentHistory(r) })
		}
		out = append(out, card)
	}

	out = append(out, widget.NewSeparator(), kit.Heading(fmt.Sprintf(lang.L("households.visits"), len(vs))))
	if len(vs) == 0 {
		out = append(out, widget.NewLabel(lang.L("households.neverVisited")))
	}
	for _, v := range vs {
		text := v.Date + "  " + v.Officer
		if v.Notes != "" {
			text += "\n" + v.Notes
		}
		if v.FollowUp != "" {
			text += "\n" + lang.L("visit.followUp") + v.FollowUp
		}
		l := kit.Wrapped(text)
		if act != nil {
			v := v
			out = append(out, withButtons(l, func() { act.editVisit(v) }, func() { act.removeVisit(v) }))
			continue
		}
		out = append(out, l)
	}
	return out
}

// residentCard is one resident: name and relation first, then the ID
// number (masked unless the role may see it) and phone, then the rest.
func residentCard(r store.Resident, fullIDs bool) fyne.CanvasObject {
	id := r.IDNumber
	if !fullIDs {
		id = store.MaskIDNumber(id)
	}
	// The name, then relation, gender and birth date beside it, wrapped:
	// a long name or relation (typed, imported) wraps instead of widening
	// the window past the screen. A name too long to sit beside the rest
	// gets a line of its own.
	name := widget.NewLabelWithStyle(r.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	about := kit.Wrapped(kit.JoinNonEmpty(r.Relation, kit.Show(r.Gender), r.BirthDate))
	var head fyne.CanvasObject = container.NewBorder(nil, nil, name, nil, about)
	if utf8.RuneCountInString(r.Name) > maxSideName {
		name.Wrapping = fyne.TextWrapWord
		head = container.New(kit.TightVBox{}, name, about)
	}
	lines := []string{}
	if id != "" {
		lines = append(lines, lang.L("res.id")+id)
	}
	if r.Phone != "" {
		lines = append(lines, lang.L("res.phone")+r.Phone)
	}
	rows := []fyne.CanvasObject{head}
	if len(lines) > 0 {
		rows = append(rows, widget.NewLabel(kit.JoinWith("    ", lines...)))
	}
	if n := needsWords(r, fullIDs); n != "" {
		l := widget.NewLabel(n)
		l.Importance = widget.DangerImportance
		rows = append(rows, l)
	}
	if more := kit.JoinNonEmpty(kit.ShowPersonList(r.Categories), kit.Show(r.CensusStatus), r.Occupation, kit.FloatLevel(r.FloatLevel)); more != "" {
		third := widget.NewLabel(more)
		third.Importance = widget.LowImportance
		third.Wrapping = fyne.TextWrapWord
		rows = append(rows, third)
	}
	bg := canvas.NewRectangle(color.White)
	bg.CornerRadius = 6
	return container.NewStack(bg, container.NewPadded(container.New(kit.TightVBox{}, rows...)))
}

// maxSideName is the longest name (in characters) the resident card puts
// beside the relation; a longer one wraps on a line of its own.
const maxSideName = 12

// needsWords says who must be helped out in an emergency (残疾, 行动不便,
// 卧床), shown like the ID number: a role that may not see it gets 需协助.
func needsWords(r store.Resident, full bool) string {
	if !r.Disabled && r.Mobility == "" {
		return ""
	}
	if !full {
		return lang.L("emergency.res.needsHelp")
	}
	var ws []string
	if r.Disabled {
		ws = append(ws, lang.L("emergency.res.disabled"))
	}
	for i, m := range mobilityValues {
		if m != "" && m == r.Mobility {
			ws = append(ws, lang.L([]string{"", "emergency.res.impaired", "emergency.res.bedridden"}[i]))
		}
	}
	return kit.JoinWith("、", ws...)
}

// tint lightens a colour for a chip background.
func tint(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8((v>>8)/3 + 0xff*2/3) }
	return color.NRGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}
