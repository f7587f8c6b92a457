package kit

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"
	"cunjing/store/record"
)

// EditForm lays out an edit form as label | input rows with a red line
// under each input for what is wrong with it, so a store.FieldError lands
// next to the field it names instead of in a dialog far away.
type EditForm struct {
	grid  *fyne.Container
	errs  map[string]*widget.Label // by store field name
	order []string
	// Owner is the form struct (householdForm, residentForm …) the
	// editForm belongs to, so whoever holds the editForm can reach it.
	Owner any
	// checks re-run the as-you-type checks after clearErrors, so a save
	// shows every problem at once.
	checks []func() bool
	// saving is set while a Save of this form runs (UI goroutine): a
	// second 保存 meanwhile saved the new record a second time.
	saving bool
}

// Recheck clears the messages, runs the as-you-type checks again and
// reports whether they all pass.
func (f *EditForm) Recheck() bool {
	f.ClearErrors()
	ok := true
	for _, c := range f.checks {
		ok = c() && ok
	}
	return ok
}

func NewEditForm() *EditForm {
	return &EditForm{grid: container.NewVBox(), errs: map[string]*widget.Label{}}
}

// Add appends a row for the store field name (may be "" for an input no
// store field stands behind) and returns the row's error label.
func (f *EditForm) Add(field, label string, input fyne.CanvasObject) *widget.Label {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{})
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	msg.Hide()
	f.grid.Add(container.NewBorder(nil, nil, WithWidth(120, l), nil, container.NewVBox(input, msg)))
	if field != "" {
		f.errs[field] = msg
		f.order = append(f.order, field)
	}
	return msg
}

// Entry adds a row (Add) with a one-line entry holding text and returns
// the entry, a kit.Entry (Ctrl+E, 紧急, reaches the window from it).
func (f *EditForm) Entry(field, label, text string) *Entry {
	e := NewEntry()
	e.SetText(text)
	f.Add(field, label, e)
	return e
}

// MultiLineEntry adds a row (Add) with a multi-line entry holding text
// and returns the entry (a kit.Entry, as Entry).
func (f *EditForm) MultiLineEntry(field, label, text string) *Entry {
	e := NewMultiLineEntry()
	e.SetText(text)
	f.Add(field, label, e)
	return e
}

// SelectEntry adds a row (Add) with an entry offering options and holding
// text, and returns the entry (a kit.SelectEntry's own, as Entry).
func (f *EditForm) SelectEntry(field, label string, options []string, text string) *widget.SelectEntry {
	e := NewSelectEntry(options)
	e.SetText(text)
	f.Add(field, label, e)
	return &e.SelectEntry
}

// Err is the error label under field's input (nil when there is none).
func (f *EditForm) Err(field string) *widget.Label { return f.errs[field] }

// ShowUnder makes field's problems show under other's input (two stored
// fields in one row).
func (f *EditForm) ShowUnder(field, other string) { f.errs[field] = f.errs[other] }

// AddCheck adds an as-you-type check that recheck runs again.
func (f *EditForm) AddCheck(check func() bool) { f.checks = append(f.checks, check) }

// Title heads the form: the translation newKey for a new record (id ""),
// else editKey, a format, with the record's name.
func (f *EditForm) Title(id, name, newKey, editKey string) {
	title := lang.L(newKey)
	if id != "" {
		title = fmt.Sprintf(lang.L(editKey), name)
	}
	f.AddRow(TitleHeading(title))
}

// AddRow appends a full-width row (a heading, a note, a preview).
func (f *EditForm) AddRow(o fyne.CanvasObject) { f.grid.Add(o) }

// AddButtons ends the form with its 取消 / 保存 row and returns the save
// button (a form may keep it disabled until everything reads).
func (f *EditForm) AddButtons(cancel, save func()) *widget.Button {
	s := widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), save)
	s.Importance = widget.HighImportance
	f.AddRow(container.NewHBox(layout.NewSpacer(), widget.NewButton(lang.L("Cancel"), cancel), s))
	return s
}

// Object is the form's content, scrollable on a short screen.
func (f *EditForm) Object() fyne.CanvasObject { return f.grid }

// SetError shows msg under field ("" clears it).
func (f *EditForm) SetError(field, msg string) {
	l, ok := f.errs[field]
	if !ok {
		return
	}
	ShowWrapped(l, msg)
}

func (f *EditForm) ClearErrors() {
	for _, k := range f.order {
		f.SetError(k, "")
	}
}

// RevealProblem scrolls the scroll the form is in so the first field
// showing a problem is in sight: 保存 is at a long form's foot, and a
// problem with a field at its head (身份证号) showed where the officer was
// not looking, so 保存 seemed to do nothing. A problem in sight, or a form
// in no scroll, moves nothing.
func (f *EditForm) RevealProblem() {
	var first *widget.Label
	for _, k := range f.order {
		if l := f.errs[k]; l != nil && l.Visible() {
			first = l
			break
		}
	}
	app := fyne.CurrentApp()
	if first == nil || app == nil {
		return
	}
	d := app.Driver()
	c := d.CanvasForObject(f.grid)
	if c == nil {
		return
	}
	var sc *container.Scroll
	for _, root := range append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...) {
		if scrollAbove(root, f.grid, nil, &sc) {
			break
		}
	}
	if sc == nil {
		return
	}
	row := f.Row(first)
	y := d.AbsolutePositionForObject(row).Y - d.AbsolutePositionForObject(sc).Y + sc.Offset.Y
	if y >= sc.Offset.Y && y+row.Size().Height <= sc.Offset.Y+sc.Size().Height {
		return
	}
	sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, max(0, y-theme.Padding())))
}

// scrollAbove sets *holder to the nearest scroll above target under o
// (inner: the nearest above o) and reports whether target is under o.
func scrollAbove(o, target fyne.CanvasObject, inner *container.Scroll, holder **container.Scroll) bool {
	if o == target {
		*holder = inner
		return true
	}
	if sc, ok := o.(*container.Scroll); ok {
		inner = sc
	}
	for _, c := range Held(o) {
		if scrollAbove(c, target, inner, holder) {
			return true
		}
	}
	return false
}

// HasErrors reports whether any field shows a problem.
func (f *EditForm) HasErrors() bool {
	for _, l := range f.errs {
		if l.Visible() {
			return true
		}
	}
	return false
}

// ShowSaveError puts a store.FieldError next to its field in plain words
// and reports whether it could; other errors are for the caller's dialog.
func (f *EditForm) ShowSaveError(err error) bool {
	var fe *store.FieldError
	if !errors.As(err, &fe) {
		return false
	}
	field := fe.Field
	if _, ok := f.errs[field]; !ok && field == "end" {
		field = "start" // forms say a time span's problems under its start
	}
	if _, ok := f.errs[field]; !ok {
		return false
	}
	f.SetError(field, fieldErrorText(fe))
	return true
}

// fieldErrorText says a store validation problem in the UI language. The
// store's messages are English for logs; the screens say the same thing by
// field.
func fieldErrorText(fe *store.FieldError) string {
	if fe.Msg == "required" {
		return lang.L("roster.err.required")
	}
	if fe.Msg == record.MsgNotFinite {
		// NaN or Inf from a ledger or a peer: forms never send them.
		switch fe.Field {
		case "area_m2":
			return lang.L("households.hh.areaBad")
		case "amount_min", "amount_max":
			return lang.L("station.pub.fig.badAmount")
		}
		return lang.L("roster.err.invalid")
	}
	if fe.Msg == store.MsgFuture {
		if fe.Field == "id_number" {
			return lang.L("roster.err.idFuture")
		}
		return lang.L("roster.err.patrolFuture")
	}
	switch fe.Field {
	case "owner_phone", "tenant_phone", "phone", "emergency_phone":
		return lang.L("roster.err.phone")
	case "id_number":
		return lang.L("roster.err.idNumber")
	case "date", "birth_date", "move_in", "move_out", "valid_from", "valid_to", "leave":
		return lang.L("roster.err.date")
	case "area_m2", "min_people", "rotate":
		return lang.L("roster.err.number")
	case "owner_name":
		return lang.L("roster.err.ownerOrAddress")
	case "people":
		return lang.L("roster.err.people")
	}
	return lang.L("roster.err.invalid")
}

// ParseCount reads a small whole number typed by the officer ("" is 0).
func ParseCount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 32)
	return n, err == nil && n >= 0
}

// SplitList splits a list typed with Chinese or Western separators.
func SplitList(s string) []string {
	f := func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' || r == ' ' || r == '\u3000'
	}
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// MultiCheck is a set of check boxes in columns. Fyne's horizontal
// CheckGroup puts every option on one line, which makes a form with nine
// categories or a dozen team members wider than an old 1366-pixel screen.
type MultiCheck struct {
	widget.BaseWidget
	Options  []string
	Selected []string
	cols     int
	changed  func([]string)
	box      *fyne.Container
	checks   []*widget.Check
}

func NewMultiCheck(opts []string, cols int, changed func([]string)) *MultiCheck {
	m := &MultiCheck{Options: opts, cols: cols, changed: changed, box: container.NewGridWithColumns(cols)}
	m.ExtendBaseWidget(m)
	m.Refresh()
	return m
}

func (m *MultiCheck) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(m.box) }

// Refresh rebuilds the boxes from Options and Selected.
func (m *MultiCheck) Refresh() {
	if m.box == nil {
		return
	}
	on := map[string]bool{}
	for _, s := range m.Selected {
		on[s] = true
	}
	m.checks = m.checks[:0]
	objs := make([]fyne.CanvasObject, 0, len(m.Options))
	for _, o := range m.Options {
		c := widget.NewCheck(o, nil)
		c.SetChecked(on[o])
		c.OnChanged = func(bool) { m.read() }
		m.checks = append(m.checks, c)
		objs = append(objs, c)
	}
	m.box.Objects = objs
	m.box.Refresh()
	m.BaseWidget.Refresh()
}

func (m *MultiCheck) read() {
	m.Selected = m.Selected[:0]
	for _, c := range m.checks {
		if c.Checked {
			m.Selected = append(m.Selected, c.Text)
		}
	}
	if m.changed != nil {
		m.changed(m.Selected)
	}
}

// SetSelected ticks exactly the options named.
func (m *MultiCheck) SetSelected(sel []string) {
	m.Selected = append([]string(nil), sel...)
	m.Refresh()
	if m.changed != nil {
		m.changed(m.Selected)
	}
}

// CheckRecords is a MultiCheck of records in cols columns: names[i] is
// the label of the record with ids[i], ticked when on holds its ID.
func CheckRecords(names, ids, on []string, cols int) *MultiCheck {
	m := NewMultiCheck(names, cols, nil)
	for i, id := range ids {
		if i < len(names) && slices.Contains(on, id) {
			m.Selected = append(m.Selected, names[i])
		}
	}
	m.Refresh()
	return m
}

// CheckedIDs are the IDs of the ticked records of m, in the order of ids
// (ids[i] stands for m's i-th option).
func CheckedIDs(m *MultiCheck, ids []string) []string {
	on := map[string]bool{}
	for _, s := range m.Selected {
		on[s] = true
	}
	var out []string
	for i, id := range ids {
		if i < len(m.Options) && on[m.Options[i]] {
			out = append(out, id)
		}
	}
	return out
}

// NewSelect is a Select whose empty state asks in the UI language (Fyne's
// own placeholder is English).
func NewSelect(opts []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(opts, changed)
	s.PlaceHolder = lang.L("roster.pick")
	return s
}

// Row is the form row holding o (o itself when it is in none).
func (f *EditForm) Row(o fyne.CanvasObject) fyne.CanvasObject {
	for _, r := range f.grid.Objects {
		if containsObject(r, o) {
			return r
		}
	}
	return o
}

// ShowRow shows or hides the form row holding o (its label too).
func (f *EditForm) ShowRow(o fyne.CanvasObject, on bool) {
	row := f.Row(o)
	if on {
		row.Show()
	} else {
		row.Hide()
	}
}

func containsObject(in, o fyne.CanvasObject) bool {
	if in == o {
		return true
	}
	if c, ok := in.(*fyne.Container); ok {
		for _, x := range c.Objects {
			if containsObject(x, o) {
				return true
			}
		}
	}
	return false
}
