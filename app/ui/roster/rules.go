package roster

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// previewDates is how many coming days the rule editor lists.
const previewDates = 10

// rulesTab lists the shift rules and edits one at a time. The editor reads
// the rule as the officer types it in words and shows, at once, how it was
// understood and the next dates it falls on; nothing is saved until every
// part reads.
type rulesTab struct {
	*tab.ListEditor // root, list and editor panes
	p               *Screen
	ed              *ruleEditor // the open editor, nil when none
}

func newRulesTab(p *Screen) *rulesTab {
	t := &rulesTab{p: p}
	t.ListEditor = tab.NewListEditor(lang.L("patrol.rules"), lang.L("roster.rule.new"), func() { t.edit(store.ShiftRule{}) }, 0.42, lang.L("roster.rule.pick"))
	return t
}

func (t *rulesTab) show() {
	d := t.p.data
	var out []fyne.CanvasObject
	if len(d.Rules) == 0 {
		out = append(out, kit.StatusLabel(lang.L("roster.rule.none")))
	}
	// Rules still planning come first; those that ended (a rule deleted
	// after it ran ends the day before: rosterdata.DeleteRule) below,
	// since their days stay in the calendar and the figures.
	today := t.p.Today()
	var ended []fyne.CanvasObject
	for _, r := range d.Rules {
		r := r
		question := fmt.Sprintf(lang.L("roster.delete.question"), r.Name)
		switch {
		case rosterdata.RuleEnded(r, today):
			question = fmt.Sprintf(lang.L("roster.rule.deleteEnded"), r.Name)
		case rosterdata.RuleBegan(r, today):
			question = fmt.Sprintf(lang.L("roster.rule.endQuestion"), r.Name)
		}
		card := t.p.RecordCardAsking("", d.TeamName(r.TeamID), ruleText(r, d), func() { t.edit(r) }, question, func() {
			if t.ed != nil && t.ed.rule.ID == r.ID {
				t.closeEditor()
			}
			t.p.RemoveRule(r.ID)
		})
		if rosterdata.RuleEnded(r, today) {
			ended = append(ended, card)
			continue
		}
		out = append(out, card)
	}
	if len(ended) > 0 {
		out = append(out, widget.NewLabelWithStyle(lang.L("roster.rule.endedTitle"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		out = append(out, ended...)
	}
	t.List.Objects = out
	t.List.Refresh()
	if t.ed != nil {
		t.ed.setMembers(d)
	}
}

func (t *rulesTab) closeEditor() {
	t.ed = nil
	t.ShowHint()
}

// edit opens the editor on r (a zero rule for a new one).
func (t *rulesTab) edit(r store.ShiftRule) {
	t.ed = newRuleEditor(t, r)
	t.SetEditor(t.ed.Object())
}

// ruleEditor is the form of one shift rule.
type ruleEditor struct {
	t    *rulesTab
	rule store.ShiftRule
	form *kit.EditForm

	name      *kit.Entry
	kind      *widget.Select
	team      *widget.Select
	spec      *kit.Entry
	preview   *fyne.Container
	windows   *kit.Entry
	winNote   *widget.Label
	people    *kit.MultiCheck
	rotate    *kit.Entry
	minPeople *kit.Entry
	from      *kit.Entry
	to        *kit.Entry
	notes     *kit.Entry
	saveBtn   *widget.Button
	// missing says, under 保存, what keeps the rule from being saved,
	// once 保存 was tapped (tried): 保存 stays enabled, as in every other
	// form, and a newcomer tapping it is told what to fill in instead of
	// finding a grey button and a red line somewhere above.
	missing *widget.Label
	tried   bool
	blocked []string // the fields' labels (validate)
	// holidays is what the rule does on holidays (one tick per kind of
	// day skipped, none: 照常排); holNote says the kind's default.
	holidays *kit.MultiCheck
	holNote  *widget.Label
	holTouch bool // the officer changed the ticks (a kind change keeps them)

	teams   []store.Team
	members []store.Member // check group options, in order

	// shownSpec is the calendar as the form opened on it; storedText says
	// it is the words the rule was written in (not a description of a
	// rule saved before they were kept).
	shownSpec  string
	storedText bool

	// parsed parts, valid when the matching error is nil
	parsed   schedule.Spec
	specErr  bool
	wins     []schedule.Window
	winsErr  bool
	previewN int // dates shown in the preview (tests read it)
}

// checkedEntry adds a row with an entry holding text, hinted by the
// translation hintKey, whose every change validates the rule.
func (e *ruleEditor) checkedEntry(field, labelKey, hintKey, text string) *kit.Entry {
	w := e.form.Entry(field, lang.L(labelKey), text)
	w.SetPlaceHolder(lang.L(hintKey))
	w.OnChanged = func(string) { e.validate() }
	return w
}

// countText is a count as an entry shows it: empty for none.
func countText(n int64) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprint(n)
}

func newRuleEditor(t *rulesTab, r store.ShiftRule) *ruleEditor {
	e := &ruleEditor{t: t, rule: r, form: kit.NewEditForm()}
	e.form.Title(r.ID, r.Name, "roster.rule.newTitle", "roster.rule.editTitle")

	e.name = e.checkedEntry("name", "roster.rule.name", "roster.rule.nameHint", r.Name)

	kinds := make([]string, len(schedule.Kinds))
	for i, k := range schedule.Kinds {
		kinds[i] = kit.CodeWord("shift", k)
	}
	e.kind = kit.NewSelect(kinds, nil)
	e.kind.SetSelectedIndex(0)
	for i, k := range schedule.Kinds {
		if k == r.Kind {
			e.kind.SetSelectedIndex(i)
		}
	}
	e.form.Add("kind", lang.L("roster.rule.kind"), e.kind)

	e.holNote = widget.NewLabel("")
	e.holNote.Importance = widget.LowImportance
	e.holNote.Wrapping = fyne.TextWrapWord
	e.holidays = kit.NewMultiCheck(holidayWords(), 1, func([]string) { e.holTouch = true; e.showHolidayNote() })
	e.setHolidays(r.Holidays, r.Kind)
	e.kind.OnChanged = func(string) {
		if !e.holTouch {
			e.setHolidays("", e.kindCode())
		}
		e.showHolidayNote()
	}
	e.form.Add("holidays", lang.L("roster.rule.holidays"), container.NewVBox(e.holidays, e.holNote))

	e.team = kit.NewSelect(nil, func(string) { e.validate() })
	e.form.Add("team_id", lang.L("roster.rule.team"), e.team)

	e.spec = kit.NewEntry()
	e.spec.SetPlaceHolder(lang.L("roster.rule.specHint"))
	e.preview = container.NewVBox()
	e.spec.OnChanged = func(string) { e.updatePreview(); e.validate() }
	specBox := container.NewVBox(e.spec, e.preview)
	if note := recheckText(r.Spec); note != "" {
		l := widget.NewLabel(note)
		l.Importance = widget.WarningImportance
		l.Wrapping = fyne.TextWrapWord
		specBox.Add(l)
	}
	e.form.Add("spec", lang.L("roster.rule.spec"), specBox)

	e.windows = kit.NewEntry()
	e.windows.SetPlaceHolder(lang.L("roster.rule.windowsHint"))
	e.windows.SetText(r.Windows)
	e.winNote = widget.NewLabel("")
	e.winNote.Importance = widget.LowImportance
	e.windows.OnChanged = func(string) { e.validate() }
	e.form.Add("windows", lang.L("roster.rule.windows"), container.NewVBox(e.windows, e.winNote))

	e.people = kit.NewMultiCheck(nil, 2, func([]string) { e.validate() })
	e.form.Add("people", lang.L("roster.rule.people"), e.people)

	e.rotate = e.checkedEntry("rotate", "roster.rule.rotate", "roster.rule.rotateHint", countText(r.Rotate))
	e.minPeople = e.checkedEntry("min_people", "roster.rule.min", "roster.rule.minHint", countText(r.MinPeople))

	e.from = e.checkedEntry("valid_from", "roster.rule.from", "roster.dateHint", r.ValidFrom)
	e.to = e.checkedEntry("valid_to", "roster.rule.to", "roster.rule.toHint", r.ValidTo)

	e.notes = e.form.Entry("notes", lang.L("hh.notes"), r.Notes)

	e.saveBtn = e.form.AddButtons(t.closeEditor, e.save)
	e.missing = widget.NewLabel("")
	e.missing.Importance = widget.DangerImportance
	e.missing.Wrapping = fyne.TextWrapWord
	e.missing.Alignment = fyne.TextAlignTrailing
	e.missing.Hide()
	e.form.AddRow(e.missing)

	e.setMembers(t.p.data)
	// The stored calendar is shown in the words it was written in, or (a
	// rule saved before they were kept) the way the village writes it, so
	// the officer edits words, not JSON.
	e.shownSpec = describeSpec(r.Spec)
	var stored schedule.Spec
	if json.Unmarshal([]byte(r.Spec), &stored) == nil && strings.TrimSpace(stored.Text) != "" {
		e.shownSpec, e.storedText = stored.Text, true
	}
	e.spec.SetText(e.shownSpec)
	e.updatePreview()
	e.validate()
	if r.ID == "" {
		// A new rule opens blank, not in red (这一项必须填写 under a name
		// not typed yet): what is missing is said once the officer starts
		// typing, or taps 保存.
		e.form.ClearErrors()
	}
	return e
}

func (e *ruleEditor) Object() fyne.CanvasObject { return e.form.Object() }

// setMembers fills the team choice and the people check boxes from the
// roster, keeping what is ticked.
func (e *ruleEditor) setMembers(d tab.Data) {
	e.teams = d.Teams
	opts := make([]string, len(d.Teams))
	sel := e.team.SelectedIndex()
	for i, t := range d.Teams {
		opts[i] = t.Name
		if sel < 0 && t.ID == e.rule.TeamID {
			sel = i
		}
	}
	e.team.Options = opts
	if sel < 0 && len(opts) > 0 {
		sel = 0
	}
	if sel >= 0 && sel < len(opts) {
		e.team.SetSelectedIndex(sel)
	}
	e.team.Refresh()

	ticked := map[string]bool{}
	if e.people.Options == nil {
		for _, id := range e.rule.People {
			ticked[id] = true
		}
	} else {
		for _, id := range e.peopleIDs() {
			ticked[id] = true
		}
	}
	// Rotation order is the order of the rule's people: keep the stored
	// order first, then everyone else.
	e.members = e.members[:0]
	seen := map[string]bool{}
	for _, id := range e.rule.People {
		for _, m := range d.Members {
			if m.ID == id && !seen[id] {
				e.members = append(e.members, m)
				seen[id] = true
			}
		}
	}
	for _, m := range d.Members {
		if !seen[m.ID] {
			e.members = append(e.members, m)
			seen[m.ID] = true
		}
	}
	var names, on []string
	for _, m := range e.members {
		label := tab.MemberLabel(m, d)
		names = append(names, label)
		if ticked[m.ID] {
			on = append(on, label)
		}
	}
	e.people.Options = names
	e.people.Selected = on
	e.people.Refresh()
}

// peopleIDs are the ticked members in rotation order.
func (e *ruleEditor) peopleIDs() []string { return kit.CheckedIDs(e.people, tab.MemberIDs(e.members)) }

// updatePreview reads the calendar rule as typed and shows how it was
// understood and the next dates, or why it cannot be read.
func (e *ruleEditor) updatePreview() {
	e.previewN = 0
	e.specErr = true
	text := strings.TrimSpace(e.spec.Text)
	var out []fyne.CanvasObject
	bad := func(msg string) {
		l := widget.NewLabel(msg)
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	if text == "" {
		l := widget.NewLabel(lang.L("roster.rule.specExamples"))
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
		e.preview.Objects = out
		e.preview.Refresh()
		return
	}
	sp, err := schedule.ParseSpec(text)
	switch {
	case err != nil:
		bad(lang.L("roster.rule.specBad"))
	case sp.Kind == schedule.EveryN && sp.Anchor.IsZero():
		bad(lang.L("roster.rule.needAnchor"))
	case sp.Validate() != nil:
		bad(lang.L("roster.rule.specBad"))
	default:
		from := e.t.p.Today()
		dates, err := schedule.NextDates(sp, from, previewDates)
		if err != nil || len(dates) == 0 {
			bad(lang.L("roster.rule.noDates"))
			break
		}
		e.parsed, e.specErr = sp, false
		ok := widget.NewLabelWithStyle(lang.L("roster.rule.understood")+sp.Describe(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		ok.Importance = widget.SuccessImportance
		ok.Wrapping = fyne.TextWrapWord
		out = append(out, ok, widget.NewLabel(fmt.Sprintf(lang.L("roster.rule.nextDates"), len(dates))))
		table, terr := schedule.NewLunarTable(dates[0], dates[len(dates)-1])
		grid := container.NewGridWithColumns(2)
		for _, d := range dates {
			_, m, dd := d.YMD()
			line := fmt.Sprintf(lang.L("roster.rule.dateLine"), m, dd, rosterwords.Weekday(d.Weekday()))
			if terr == nil {
				if l, err := table.At(d); err == nil {
					line += "  " + l.String()
				}
			}
			t := canvas.NewText(line, kit.ColForeground)
			grid.Add(t)
		}
		e.previewN = len(dates)
		out = append(out, grid)
	}
	e.preview.Objects = out
	e.preview.Refresh()
}

// validate checks every field as typed, says what is wrong next to it
// and, once 保存 was tapped, under 保存 which fields keep the rule from
// being saved.
func (e *ruleEditor) validate() {
	if e.saveBtn == nil {
		return // still being built
	}
	f := e.form
	f.ClearErrors()
	if strings.TrimSpace(e.name.Text) == "" {
		f.SetError("name", lang.L("roster.err.required"))
	}
	if e.team.SelectedIndex() < 0 {
		f.SetError("team_id", lang.L("roster.rule.needTeam"))
	}
	e.winsErr = true
	e.winNote.SetText("")
	e.winNote.Hide()
	if strings.TrimSpace(e.windows.Text) == "" {
		f.SetError("windows", lang.L("roster.rule.windowsExamples"))
	} else if wins, err := schedule.ParseWindows(e.windows.Text); err != nil {
		f.SetError("windows", lang.L("roster.rule.windowsBad"))
	} else {
		e.wins, e.winsErr = wins, false
		var parts []string
		for _, w := range wins {
			s := w.String()
			if w.Overnight() {
				s += lang.L("roster.rule.overnight")
			}
			parts = append(parts, s)
		}
		e.winNote.SetText(lang.L("roster.rule.understood") + strings.Join(parts, "、"))
		e.winNote.Show()
	}
	rot, okRot := kit.ParseCount(e.rotate.Text)
	if !okRot {
		f.SetError("rotate", lang.L("roster.err.number"))
	}
	if _, ok := kit.ParseCount(e.minPeople.Text); !ok {
		f.SetError("min_people", lang.L("roster.err.number"))
	}
	n := len(e.peopleIDs())
	if okRot && rot > 0 && n > 0 && int(rot) > n {
		f.SetError("rotate", fmt.Sprintf(lang.L("roster.rule.rotateTooMany"), rot, n))
	}
	// Nobody ticked: the turns go round the whole team chosen.
	if i := e.team.SelectedIndex(); okRot && rot > 0 && n == 0 && i >= 0 && i < len(e.teams) {
		inTeam := 0
		for _, m := range e.t.p.data.Members {
			if m.TeamID == e.teams[i].ID {
				inTeam++
			}
		}
		if int(rot) > inTeam {
			f.SetError("rotate", fmt.Sprintf(lang.L("roster.rule.rotateTeamTooMany"), rot, inTeam))
		}
	}
	var fromD, toD schedule.Date
	var err error
	if s := strings.TrimSpace(e.from.Text); s != "" {
		if fromD, err = schedule.ParseDate(s); err != nil {
			f.SetError("valid_from", lang.L("roster.err.date"))
		}
	} else if okRot && rot > 0 {
		f.SetError("valid_from", lang.L("roster.rule.rotateNeedsStart"))
	}
	if s := strings.TrimSpace(e.to.Text); s != "" {
		if toD, err = schedule.ParseDate(s); err != nil {
			f.SetError("valid_to", lang.L("roster.err.date"))
		} else if !fromD.IsZero() && toD < fromD {
			f.SetError("valid_to", lang.L("roster.rule.toBeforeFrom"))
		}
	}
	// Days not typed yet show the examples, not an error, until 保存 is
	// tapped.
	if e.tried && strings.TrimSpace(e.spec.Text) == "" {
		f.SetError("spec", lang.L("roster.err.required"))
	}
	e.blocked = e.blocked[:0]
	for _, fl := range ruleFields {
		if l := f.Err(fl.field); fl.field == "spec" && e.specErr || fl.field == "windows" && e.winsErr || l != nil && l.Visible() {
			e.blocked = append(e.blocked, lang.L(fl.label))
		}
	}
	e.showMissing()
}

// ruleFields are the rule form's fields in the order the form shows them,
// with their labels, for the line under 保存.
var ruleFields = []struct{ field, label string }{
	{"name", "roster.rule.name"}, {"team_id", "roster.rule.team"}, {"spec", "roster.rule.spec"},
	{"windows", "roster.rule.windows"}, {"people", "roster.rule.people"}, {"rotate", "roster.rule.rotate"},
	{"min_people", "roster.rule.min"}, {"valid_from", "roster.rule.from"}, {"valid_to", "roster.rule.to"},
}

// ready says the rule as typed can be saved.
func (e *ruleEditor) ready() bool { return len(e.blocked) == 0 }

// showMissing says under 保存, once it was tapped, which fields keep the
// rule from being saved, and nothing once none does.
func (e *ruleEditor) showMissing() {
	text := ""
	if e.tried && !e.ready() {
		text = fmt.Sprintf(lang.L("roster.rule.missing"), strings.Join(e.blocked, "、"))
	}
	kit.ShowWrapped(e.missing, text)
}

// save stores the rule: the calendar as the schedule package's JSON with
// the words it was written in, the times as read back.
func (e *ruleEditor) save() {
	e.tried = true
	e.validate()
	if !e.ready() {
		// The officer's eyes are on 保存: the line under it names the
		// fields, and the form stays where it is.
		return
	}
	// The words typed are kept with what they were read as, so a later
	// fix of the reading can re-read them; a rule saved before they were
	// kept and saved again untouched keeps none (its description is not
	// what the officer wrote).
	sp := e.parsed
	sp.Text = strings.TrimSpace(e.spec.Text)
	if !e.storedText && e.rule.ID != "" && e.spec.Text == e.shownSpec {
		sp.Text = ""
	}
	spec, err := schedule.EncodeSpec(sp)
	if err != nil {
		e.form.SetError("spec", lang.L("roster.rule.specBad"))
		return
	}
	var wins []string
	for _, w := range e.wins {
		wins = append(wins, w.String())
	}
	rot, _ := kit.ParseCount(e.rotate.Text)
	minP, _ := kit.ParseCount(e.minPeople.Text)
	r := e.rule
	r.Name = strings.TrimSpace(e.name.Text)
	r.Kind = e.kindCode()
	r.Holidays = e.holidayPolicy()
	r.TeamID = e.teams[e.team.SelectedIndex()].ID
	r.Spec = spec
	r.Windows = strings.Join(wins, "、")
	r.People = e.peopleIDs()
	r.Rotate, r.MinPeople = rot, minP
	r.ValidFrom, r.ValidTo = strings.TrimSpace(e.from.Text), strings.TrimSpace(e.to.Text)
	r.Notes = strings.TrimSpace(e.notes.Text)
	e.t.p.Save(e.form, e.t.closeEditor, &r)
}

// holidaySkips are the kinds of day a rule can skip, in the order the form
// offers them (schedule's holiday policies).
var holidaySkips = []struct{ code, key string }{
	{schedule.SkipPublic, "roster.rule.hol.public"},
	{schedule.SkipSchool, "roster.rule.hol.school"},
	{schedule.SkipSpring, "roster.rule.hol.spring"},
}

func holidayWords() []string {
	out := make([]string, len(holidaySkips))
	for i, h := range holidaySkips {
		out[i] = lang.L(h.key)
	}
	return out
}

// kindCode is the kind chosen.
func (e *ruleEditor) kindCode() string { return schedule.Kinds[max(e.kind.SelectedIndex(), 0)] }

// setHolidays ticks what policy skips ("" is kind's default).
func (e *ruleEditor) setHolidays(policy, kind string) {
	if strings.TrimSpace(policy) == "" {
		policy = schedule.DefaultHolidayPolicy(kind)
	}
	var on []string
	for _, tok := range strings.FieldsFunc(policy, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		for _, h := range holidaySkips {
			if tok == h.code {
				on = append(on, lang.L(h.key))
			}
		}
	}
	e.holidays.SetSelected(on)
	e.holTouch = false
	e.showHolidayNote()
}

// holidayPolicy is the policy the ticks say: "" when it is the kind's
// default (so the rule follows the default), keep when nothing is ticked.
func (e *ruleEditor) holidayPolicy() string {
	var codes []string
	for _, h := range holidaySkips {
		if slices.Contains(e.holidays.Selected, lang.L(h.key)) {
			codes = append(codes, h.code)
		}
	}
	p := schedule.HolidaysKeep
	if len(codes) > 0 {
		p = strings.Join(codes, ",")
	}
	if p == schedule.DefaultHolidayPolicy(e.kindCode()) {
		return ""
	}
	return p
}

// showHolidayNote says what the rule does on holidays and whether that is
// its kind's default.
func (e *ruleEditor) showHolidayNote() {
	if e.holidayPolicy() == "" {
		kit.SetWrapped(e.holNote, lang.L("roster.rule.hol.default"))
		return
	}
	kit.SetWrapped(e.holNote, lang.L("roster.rule.hol.custom"))
}
