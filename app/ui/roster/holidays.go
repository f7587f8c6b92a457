package roster

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterclock"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// holidaysTab is 节假日: the holiday calendar the roster follows, one year
// at a time, each entry with 待核实/已核实 and whose it is (默认, 来自派出所,
// 本警务室). It edits this device's own entries through the same store use
// cases as `cunjing holidays` (SaveHoliday, DeleteHoliday,
// ConfirmHolidays). At a station, whose roster screen only shows, this tab
// still edits: the station's calendar is what it publishes to its posts.
type holidaysTab struct {
	*tab.ListEditor
	p      *Screen
	year   *widget.Select
	status *widget.Label
	ed     *holidayEditor
	// shown is the year on screen (0: not chosen yet).
	shown int
}

func newHolidaysTab(p *Screen) *holidaysTab {
	t := &holidaysTab{p: p, status: widget.NewLabel("")}
	t.status.Wrapping = fyne.TextWrapWord
	t.ListEditor = tab.NewListEditor(lang.L("roster.tab.holidays"), lang.L("roster.hol.new"), func() { t.edit(store.Holiday{}) }, 0.5, lang.L("roster.hol.pick"))
	t.year = kit.NewSelect(nil, func(s string) {
		if y, err := strconv.Atoi(strings.TrimSuffix(s, "年")); err == nil && y != t.shown {
			t.shown = y
			t.show()
		}
	})
	return t
}

// ShowHolidays opens the 节假日 tab (the screenshots show it).
func (p *Screen) ShowHolidays() { p.tabs.Select(p.tabs.Items[4]) }

func (t *holidaysTab) closeEditor() {
	t.ed = nil
	t.ShowHint()
}

// years are the years the calendar has entries for, and this year and
// the next.
func (t *holidaysTab) years() []int {
	y, _, _ := t.p.Today().YMD()
	ys := []int{y, y + 1}
	for _, e := range t.p.data.Holidays {
		if ey, _, _ := e.Dates.From.YMD(); !slices.Contains(ys, ey) {
			ys = append(ys, ey)
		}
	}
	slices.Sort(ys)
	return ys
}

// otherYear is the button beside the year: in December, when next
// year's list is being entered and checked (the State Council publishes
// it in November), next year one tap away; on another year, this year
// one tap back. The tab opens on this year, as the calendar opens on
// today: in December it opened on next year, and an officer looking up
// this year's last days found another year's list without a word why.
func (t *holidaysTab) otherYear() *widget.Button {
	y, m, _ := t.p.Today().YMD()
	switch {
	case t.shown != y:
		return widget.NewButton(fmt.Sprintf(lang.L("roster.hol.thisYear"), y), func() { t.showYear(y) })
	case m == 12:
		return widget.NewButton(fmt.Sprintf(lang.L("roster.hol.nextYear"), y+1), func() { t.showYear(y + 1) })
	}
	return nil
}

func (t *holidaysTab) showYear(y int) {
	t.shown = y
	t.show()
}

func (t *holidaysTab) show() {
	if t.shown == 0 {
		t.shown, _, _ = t.p.Today().YMD()
	}
	var opts []string
	for _, y := range t.years() {
		opts = append(opts, fmt.Sprintf(lang.L("roster.hol.year"), y))
	}
	t.year.Options = opts
	t.year.Selected = fmt.Sprintf(lang.L("roster.hol.year"), t.shown)
	t.year.Refresh()

	confirm := widget.NewButtonWithIcon(fmt.Sprintf(lang.L("roster.hol.confirmYear"), t.shown), theme.ConfirmIcon(), t.askConfirmYear)
	note := kit.LowLabel(lang.L("roster.hol.notePost"))
	if t.p.u.Store().Role() == store.RoleStation {
		note = kit.LowLabel(lang.L("roster.hol.noteStation"))
	}
	head := container.NewHBox(t.year)
	if b := t.otherYear(); b != nil {
		head.Add(b)
	}
	head.Add(layout.NewSpacer())
	head.Add(confirm)
	out := []fyne.CanvasObject{head, note}
	if t.status.Text != "" {
		out = append(out, t.status)
	}
	// This year's days still to come first, those already over after
	// them: in December this year's list is nearly all past, and what is
	// left of it is what the officer looks for.
	var unconfirmed int
	var over []fyne.CanvasObject
	top := len(out)
	today := t.p.Today()
	thisYear, _, _ := today.YMD()
	for _, e := range t.p.data.Holidays {
		if y, _, _ := e.Dates.From.YMD(); y != t.shown {
			continue
		}
		if !e.Confirmed && !e.Shadowed {
			unconfirmed++
		}
		if t.shown == thisYear && e.Dates.To < today {
			over = append(over, t.card(e))
			continue
		}
		out = append(out, t.card(e))
	}
	if len(over) > 0 {
		if len(out) == top { // nothing still to come
			out = append(out, kit.StatusLabel(fmt.Sprintf(lang.L("roster.hol.noneLeft"), thisYear)))
		}
		out = append(out, widget.NewLabelWithStyle(fmt.Sprintf(lang.L("roster.hol.over"), len(over)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		out = append(out, over...)
	}
	if unconfirmed == 0 {
		confirm.Disable()
	}
	t.List.Objects = out
	t.List.Refresh()
	// A year chosen once the tab was laid out: the note made anew above
	// was given one line's height (kit.Refit).
	kit.Refit(note)
}

// card is one entry: its dates and kind, 待核实/已核实, whose, its source,
// and edit/delete when it is this device's own.
func (t *holidaysTab) card(e rosterdata.HolidayEntry) fyne.CanvasObject {
	dates := e.Dates.From.String()
	if e.Dates.To != e.Dates.From {
		dates += " – " + e.Dates.To.String()
	}
	state, whose := rosterwords.HolidayState(e, t.p.u.Store().Role() == store.RoleStation)
	stateL := widget.NewLabel(state)
	if !e.Confirmed {
		stateL.Importance = widget.WarningImportance
	}
	title := widget.NewLabelWithStyle(e.Name+"  "+dates, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	line := container.NewHBox(widget.NewLabel(rosterwords.HolidayKind(e.Kind)), stateL, widget.NewLabel(whose))
	body := []fyne.CanvasObject{title, line}
	if e.Source != "" {
		src := kit.LowLabel(lang.L("roster.hol.source") + e.Source)
		src.Wrapping = fyne.TextWrapWord
		body = append(body, src)
	}
	if rosterdata.Editable(t.p.u.Store(), e) {
		rec := *e.Record
		ed := widget.NewButtonWithIcon(lang.L("roster.edit"), theme.DocumentCreateIcon(), func() { t.edit(rec) })
		del := widget.NewButtonWithIcon(lang.L("roster.delete"), theme.DeleteIcon(), func() {
			t.p.u.ConfirmDelete(rec.Name+" "+dates, func() { t.remove(rec.ID) })
		})
		body = append(body, container.NewHBox(layout.NewSpacer(), ed, del))
	}
	return container.NewVBox(widget.NewSeparator(), container.NewVBox(body...))
}

func (t *holidaysTab) remove(id string) {
	kit.Save(t.p.u, nil, func(ctx context.Context) error {
		_, err := rosterdata.DeleteHoliday(ctx, t.p.u.Store(), id)
		return err
	}, func() {
		t.closeEditor()
		t.p.Refresh()
	})
}

// askConfirmYear asks before the year's entries are marked checked.
func (t *holidaysTab) askConfirmYear() {
	year := t.shown
	d := dialog.NewConfirm(fmt.Sprintf(lang.L("roster.hol.confirmYear"), year), fmt.Sprintf(lang.L("roster.hol.confirmQuestion"), year),
		func(ok bool) {
			if ok {
				t.confirmYear(year)
			}
		}, t.p.u.Window())
	d.SetConfirmText(lang.L("roster.hol.confirmYes"))
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
}

// confirmYear marks year's calendar checked today (store.ConfirmHolidays):
// the shipped defaults still in use become this device's records.
func (t *holidaysTab) confirmYear(year int) {
	var n int
	var said string // the day checked, and why (rosterclock.CheckDay)
	kit.SaveOr(t.p.u, nil, func(ctx context.Context) (err error) {
		var day string
		if day, said, err = rosterclock.CheckDay(ctx, t.p.u.Store(), t.p.now()); err == nil {
			n, err = rosterdata.ConfirmHolidays(ctx, t.p.u.Store(), year, "", day)
		}
		return err
	}, t.p.clock.Unknown(func(err error) { t.p.u.SaveFailed(nil, err) }), func() {
		kit.SetWrapped(t.status, fmt.Sprintf(lang.L("roster.hol.confirmedN"), n, year)+" "+said)
		t.p.Refresh()
	})
}

// holidayEditor is the form of one holiday entry.
type holidayEditor struct {
	t        *holidaysTab
	rec      store.Holiday
	form     *kit.EditForm
	name     *kit.Entry
	kind     *widget.RadioGroup
	from, to *kit.Entry
	source   *kit.Entry
	checked  *widget.Check
}

var holidayKinds = []string{schedule.HolidayPublic, schedule.HolidayWorkday, schedule.HolidaySchool}

func (t *holidaysTab) edit(h store.Holiday) {
	e := &holidayEditor{t: t, rec: h, form: kit.NewEditForm()}
	e.form.Title(h.ID, h.Name, "roster.hol.newTitle", "roster.hol.editTitle")
	e.name = e.form.Entry("name", lang.L("roster.hol.name"), h.Name)
	e.name.SetPlaceHolder(lang.L("roster.hol.nameHint"))
	var words []string
	for _, k := range holidayKinds {
		words = append(words, rosterwords.HolidayKind(k))
	}
	e.kind = widget.NewRadioGroup(words, nil)
	e.kind.Required = true
	kind := h.Kind
	if kind == "" {
		kind = schedule.HolidaySchool // what a post adds most: its county's school calendar
	}
	e.kind.SetSelected(rosterwords.HolidayKind(kind))
	e.form.Add("kind", lang.L("roster.hol.kind"), e.kind)
	e.from, e.to = kit.NewEntry(), kit.NewEntry()
	e.from.SetPlaceHolder(lang.L("roster.dateHint"))
	e.to.SetPlaceHolder(lang.L("roster.exc.toHint"))
	e.from.SetText(h.DateFrom)
	if h.DateTo != h.DateFrom {
		e.to.SetText(h.DateTo)
	}
	e.form.Add("date_from", lang.L("roster.hol.dates"), container.NewGridWithColumns(2, e.from, e.to))
	e.source = e.form.Entry("source", lang.L("roster.hol.sourceField"), h.Source)
	e.source.SetPlaceHolder(lang.L("roster.hol.sourceHint"))
	e.checked = widget.NewCheck(lang.L("roster.hol.checked"), nil)
	e.checked.SetChecked(h.Confirmed)
	e.form.Add("confirmed", "", e.checked)
	e.form.AddButtons(t.closeEditor, e.save)
	t.ed = e
	t.SetEditor(e.form.Object())
}

func (e *holidayEditor) save() {
	f := e.form
	f.ClearErrors()
	ok := true
	h := e.rec
	h.Name = strings.TrimSpace(e.name.Text)
	if h.Name == "" {
		f.SetError("name", lang.L("roster.err.required"))
		ok = false
	}
	for i, k := range holidayKinds {
		if e.kind.Selected == rosterwords.HolidayKind(holidayKinds[i]) {
			h.Kind = k
		}
	}
	from, err := schedule.ParseDate(strings.TrimSpace(e.from.Text))
	to := from
	if err == nil && strings.TrimSpace(e.to.Text) != "" {
		to, err = schedule.ParseDate(strings.TrimSpace(e.to.Text))
	}
	switch {
	case err != nil:
		f.SetError("date_from", lang.L("roster.err.date"))
		ok = false
	case to < from:
		f.SetError("date_from", lang.L("roster.rule.toBeforeFrom"))
		ok = false
	case int(to-from) > 92:
		f.SetError("date_from", lang.L("roster.hol.tooLong"))
		ok = false
	}
	if !ok {
		return
	}
	h.DateFrom, h.DateTo = from.String(), to.String()
	h.Source = strings.TrimSpace(e.source.Text)
	if h.Confirmed != e.checked.Checked {
		h.CheckedOn = "" // checked again today, or no longer
	}
	h.Confirmed = e.checked.Checked
	kit.SaveOr(e.t.p.u, f, func(ctx context.Context) (err error) {
		var day string // the 核实 date, when checked (rosterclock.CheckDay)
		if h.Confirmed && h.CheckedOn == "" {
			day, _, err = rosterclock.CheckDay(ctx, e.t.p.u.Store(), e.t.p.now())
		}
		if err == nil {
			err = rosterdata.SaveHoliday(ctx, e.t.p.u.Store(), &h, day)
		}
		return err
	}, e.t.p.clock.Unknown(func(err error) { e.t.p.u.SaveFailed(f, err) }), func() {
		e.t.closeEditor()
		if y, _, _ := from.YMD(); y != e.t.shown {
			e.t.shown = y
		}
		e.t.p.Refresh()
	})
}
