package roster

import (
	"encoding/json"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/schedule"
)

// Exception kinds the form offers: the schedule package's three actions
// plus a swap, which is two replacements (schedule.Swap).
const (
	excCancel  = 0 // 停排: a holiday, the Spring Festival break
	excReplace = 1 // 替班: someone stands in for someone on leave
	excSwap    = 2 // 换班: two people trade days
	excAdd     = 3 // 加排: the rules also run on these days
)

// exceptionsTab lists the roster exceptions and edits one at a time.
type exceptionsTab struct {
	*tab.ListEditor // root, list and editor panes
	p               *Screen
	ed              *exceptionEditor
}

func newExceptionsTab(p *Screen) *exceptionsTab {
	t := &exceptionsTab{p: p}
	t.ListEditor = tab.NewListEditor(lang.L("roster.tab.exceptions"), lang.L("roster.exc.new"), func() { t.edit(store.ShiftException{}) }, 0.45, lang.L("roster.exc.pick"))
	return t
}

func (t *exceptionsTab) closeEditor() {
	t.ed = nil
	t.ShowHint()
}

func (t *exceptionsTab) show() {
	d := t.p.data
	var out []fyne.CanvasObject
	if len(d.Exceptions) == 0 {
		out = append(out, kit.StatusLabel(lang.L("roster.exc.none")))
	}
	for _, x := range d.Exceptions {
		x := x
		out = append(out, t.p.RecordCard(x.Name, "", rosterwords.Exception(x, d), func() { t.edit(x) },
			x.Name, func() { t.p.Remove(&store.ShiftException{}, x.ID) }))
	}
	t.List.Objects = out
	t.List.Refresh()
}

// exceptionEditor is the form of one exception (or, for a swap, the pair
// schedule.Swap makes).
type exceptionEditor struct {
	t    *exceptionsTab
	rec  store.ShiftException
	form *kit.EditForm

	name     *kit.Entry
	action   *widget.RadioGroup
	yearly   *widget.Check
	from, to *kit.Entry
	lunar    *fyne.Container
	lfM, lfD *widget.Select
	ltM, ltD *widget.Select
	rules    *kit.MultiCheck
	rule     *widget.Select // the one rule of a swap
	person   *widget.Select
	sub      *widget.Select
	dateB    *kit.Entry
	rows     map[string]fyne.CanvasObject // rows shown for some actions only

	ruleIDs []string
	members []store.Member
}

func (t *exceptionsTab) edit(x store.ShiftException) {
	e := &exceptionEditor{t: t, rec: x, form: kit.NewEditForm(), rows: map[string]fyne.CanvasObject{}}
	d := t.p.data
	e.members = d.Members
	var spec schedule.Exception
	if x.Spec != "" {
		if err := json.Unmarshal([]byte(x.Spec), &spec); err != nil {
			t.p.u.ShowError(lang.L("roster.exc.unreadable"), err)
			return
		}
	} else {
		spec.Action = schedule.Cancel
	}
	e.form.Title(x.ID, x.Name, "roster.exc.newTitle", "roster.exc.editTitle")
	e.name = e.form.Entry("name", lang.L("roster.exc.name"), x.Name)
	e.name.SetPlaceHolder(lang.L("roster.exc.nameHint"))

	actions := []string{lang.L("roster.exc.cancel"), lang.L("roster.exc.replace"), lang.L("roster.exc.swap"), lang.L("roster.exc.add")}
	if x.ID != "" {
		actions = []string{lang.L("roster.exc.cancel"), lang.L("roster.exc.replace"), lang.L("roster.exc.add")}
	}
	e.action = widget.NewRadioGroup(actions, func(string) { e.layout() })
	e.action.Required = true
	e.action.Horizontal = true
	e.form.Add("action", lang.L("roster.exc.action"), e.action)

	e.yearly = widget.NewCheck(lang.L("roster.exc.yearly"), func(bool) { e.layout() })
	e.rows["yearly"] = e.yearly
	e.form.Add("", "", e.yearly)

	e.from = kit.NewEntry()
	e.from.SetPlaceHolder(lang.L("roster.dateHint"))
	e.to = kit.NewEntry()
	e.to.SetPlaceHolder(lang.L("roster.exc.toHint"))
	if spec.Dates != nil {
		e.from.SetText(spec.Dates.From.String())
		if spec.Dates.To != spec.Dates.From {
			e.to.SetText(spec.Dates.To.String())
		}
	}
	solar := container.NewGridWithColumns(2, e.from, e.to)
	e.rows["solar"] = solar
	e.form.Add("dates", lang.L("roster.exc.dates"), solar)

	e.lfM, e.lfD = kit.NewSelect(rosterwords.LunarMonthNames, nil), kit.NewSelect(rosterwords.LunarDayNames, nil)
	e.ltM, e.ltD = kit.NewSelect(rosterwords.LunarMonthNames, nil), kit.NewSelect(rosterwords.LunarDayNames, nil)
	setMD := func(m, dd *widget.Select, v *schedule.LunarMD, defM, defD int) {
		if v != nil && v.Month >= 1 && v.Month <= 12 && v.Day >= 1 && v.Day <= 30 {
			defM, defD = v.Month, v.Day
		}
		m.SetSelectedIndex(defM - 1)
		dd.SetSelectedIndex(defD - 1)
	}
	// The usual Spring Festival break: 腊月廿三 (小年) to 正月初五.
	setMD(e.lfM, e.lfD, spec.LunarFrom, 12, 23)
	setMD(e.ltM, e.ltD, spec.LunarTo, 1, 5)
	e.lunar = container.NewHBox(e.lfM, e.lfD, widget.NewLabel(lang.L("roster.exc.until")), e.ltM, e.ltD)
	e.rows["lunar"] = e.lunar
	e.form.Add("lunar", lang.L("roster.exc.lunarDates"), e.lunar)

	var ruleNames []string
	for _, r := range d.Rules {
		e.ruleIDs = append(e.ruleIDs, r.ID)
		ruleNames = append(ruleNames, r.Name)
	}
	e.rules = kit.CheckRecords(ruleNames, e.ruleIDs, spec.Rules, 3)
	e.rows["rules"] = e.rules
	e.form.Add("rules", lang.L("roster.exc.rules"), container.NewVBox(e.rules, kit.LowLabel(lang.L("roster.exc.rulesHint"))))

	e.rule = kit.NewSelect(ruleNames, nil)
	e.rows["rule"] = e.rule
	e.form.Add("rule", lang.L("roster.exc.swapRule"), e.rule)

	var people []string
	for _, m := range d.Members {
		people = append(people, tab.MemberLabel(m, d))
	}
	e.person = kit.NewSelect(people, nil)
	e.rows["person"] = e.person
	e.form.Add("person", lang.L("roster.exc.person"), e.person)
	e.sub = kit.NewSelect(append([]string{lang.L("roster.exc.nobody")}, people...), nil)
	e.sub.SetSelectedIndex(0)
	e.rows["sub"] = e.sub
	e.form.Add("substitute", lang.L("roster.exc.substitute"), e.sub)
	for i, m := range d.Members {
		if m.ID == spec.Person {
			e.person.SetSelectedIndex(i)
		}
		if m.ID == spec.Substitute {
			e.sub.SetSelectedIndex(i + 1)
		}
	}
	e.dateB = kit.NewEntry()
	e.dateB.SetPlaceHolder(lang.L("roster.dateHint"))
	e.rows["dateB"] = e.dateB
	e.form.Add("date_b", lang.L("roster.exc.dateB"), e.dateB)

	e.form.AddButtons(t.closeEditor, e.save)

	switch spec.Action {
	case schedule.Replace:
		e.action.SetSelected(lang.L("roster.exc.replace"))
	case schedule.Add:
		e.action.SetSelected(lang.L("roster.exc.add"))
	default:
		e.action.SetSelected(lang.L("roster.exc.cancel"))
	}
	e.yearly.SetChecked(spec.LunarFrom != nil)
	t.ed = e
	t.SetEditor(e.form.Object())
	e.layout()
}

func (e *exceptionEditor) kind() int {
	switch e.action.Selected {
	case lang.L("roster.exc.replace"):
		return excReplace
	case lang.L("roster.exc.swap"):
		return excSwap
	case lang.L("roster.exc.add"):
		return excAdd
	}
	return excCancel
}

// layout shows the inputs the chosen kind of exception needs. Each row
// is the input's parent in the form, so hiding the input hides the row's
// label too.
func (e *exceptionEditor) layout() {
	if e.rows == nil || e.dateB == nil {
		return // still being built
	}
	k := e.kind()
	yearly := e.yearly.Checked && k == excCancel
	show := map[string]bool{
		"yearly": k == excCancel,
		"solar":  !yearly,
		"lunar":  yearly,
		"rules":  k != excSwap,
		"rule":   k == excSwap,
		"person": k == excReplace || k == excSwap,
		"sub":    k == excReplace || k == excSwap,
		"dateB":  k == excSwap,
	}
	for name, o := range e.rows {
		e.form.ShowRow(o, show[name])
	}
	e.form.Object().Refresh()
}

// dates reads the solar range (a single day when 到 is empty).
func (e *exceptionEditor) dates() (*schedule.DateRange, bool) {
	from, err := schedule.ParseDate(strings.TrimSpace(e.from.Text))
	if err != nil {
		e.form.SetError("dates", lang.L("roster.err.date"))
		return nil, false
	}
	to := from
	if s := strings.TrimSpace(e.to.Text); s != "" {
		if to, err = schedule.ParseDate(s); err != nil {
			e.form.SetError("dates", lang.L("roster.err.date"))
			return nil, false
		}
	}
	if to < from {
		e.form.SetError("dates", lang.L("roster.rule.toBeforeFrom"))
		return nil, false
	}
	return &schedule.DateRange{From: from, To: to}, true
}

func (e *exceptionEditor) save() {
	f := e.form
	f.ClearErrors()
	name := strings.TrimSpace(e.name.Text)
	ok := true
	if name == "" {
		f.SetError("name", lang.L("roster.err.required"))
		ok = false
	}
	k := e.kind()
	var x schedule.Exception
	switch k {
	case excCancel:
		x.Action = schedule.Cancel
	case excAdd:
		x.Action = schedule.Add
	default:
		x.Action = schedule.Replace
	}
	if k == excCancel && e.yearly.Checked {
		x.LunarFrom = &schedule.LunarMD{Month: e.lfM.SelectedIndex() + 1, Day: e.lfD.SelectedIndex() + 1}
		x.LunarTo = &schedule.LunarMD{Month: e.ltM.SelectedIndex() + 1, Day: e.ltD.SelectedIndex() + 1}
	} else if r, good := e.dates(); good {
		x.Dates = r
	} else {
		ok = false
	}
	if k != excSwap {
		x.Rules = kit.CheckedIDs(e.rules, e.ruleIDs)
	}
	var person, sub string
	if k == excReplace || k == excSwap {
		if i := e.person.SelectedIndex(); i >= 0 {
			person = e.members[i].ID
		} else {
			f.SetError("person", lang.L("roster.exc.needPerson"))
			ok = false
		}
		if i := e.sub.SelectedIndex(); i > 0 {
			sub = e.members[i-1].ID
		}
		if sub != "" && sub == person {
			f.SetError("substitute", lang.L("roster.exc.samePerson"))
			ok = false
		}
	}
	if k == excAdd && len(x.Rules) == 0 {
		f.SetError("rules", lang.L("roster.exc.addNeedsRules"))
		ok = false
	}
	var swapRule string
	var dateB schedule.Date
	if k == excSwap {
		if sub == "" {
			f.SetError("substitute", lang.L("roster.exc.needPerson"))
			ok = false
		}
		if i := e.rule.SelectedIndex(); i >= 0 {
			swapRule = e.ruleIDs[i]
		} else {
			f.SetError("rule", lang.L("roster.exc.needRule"))
			ok = false
		}
		var err error
		if dateB, err = schedule.ParseDate(strings.TrimSpace(e.dateB.Text)); err != nil {
			f.SetError("date_b", lang.L("roster.err.date"))
			ok = false
		}
	}
	if !ok {
		return
	}
	x.Person, x.Substitute = person, sub
	var excs []schedule.Exception
	if k == excSwap {
		excs = schedule.Swap("", swapRule, person, x.Dates.From, sub, dateB)
	} else {
		excs = []schedule.Exception{x}
	}
	recs := make([]store.Record, 0, len(excs))
	for i, ex := range excs {
		spec, err := encodeException(ex)
		if err != nil {
			e.t.p.u.ShowError(lang.L("error.save"), err)
			return
		}
		rec := store.ShiftException{Name: name, Spec: spec}
		if i == 0 {
			rec.Meta = e.rec.Meta
		}
		recs = append(recs, &rec)
	}
	e.t.p.Save(f, e.t.closeEditor, recs...)
}

// encodeException is the JSON the store keeps for x: without the id and
// name, which the record itself holds.
func encodeException(x schedule.Exception) (string, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return "", fmt.Errorf("encode exception: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("encode exception: %w", err)
	}
	delete(m, "id")
	delete(m, "name")
	b, err = json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode exception: %w", err)
	}
	return string(b), nil
}
