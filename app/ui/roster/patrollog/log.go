package patrollog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/schedule"
	"cunjing/store/search"
)

// patrolDays is how far back the patrol log list reaches.
const patrolDays = 14

// findingCategories are what a patrol finds, stored in Chinese like the
// household categories (the records go to Chinese-only stations).
var findingCategories = []kit.Value{
	{V: "治安隐患", Key: "roster.find.order"}, {V: "消防隐患", Key: "roster.find.fire"}, {V: "交通安全", Key: "roster.find.traffic"},
	{V: "矛盾纠纷", Key: "roster.find.dispute"}, {V: "可疑人员车辆", Key: "roster.find.suspect"}, {V: "需要帮助的群众", Key: "roster.find.help"},
	{V: "其他", Key: "roster.find.other"},
}

// Finding is one thing noticed on a patrol; Patrol.Findings holds a JSON
// list of them.
type Finding struct {
	Category string `json:"category"`
	Text     string `json:"text"`
}

func findingWord(v string) string {
	for _, c := range findingCategories {
		if c.V == v {
			return lang.L(c.Key)
		}
	}
	return v
}

// Tab lists the patrols of the last two weeks and records a new
// one, from a planned slot or ad hoc.
type Tab struct {
	*tab.ListEditor // root, list and editor panes
	h               tab.Host
	ed              *patrolForm
	patrols         []store.Patrol
	houses          map[string]store.House // by ID, for showing linked houses
}

// New makes the tab in h; Show fills it.
func New(h tab.Host) *Tab {
	t := &Tab{h: h}
	t.ListEditor = tab.NewListEditor(lang.L("roster.tab.log"), lang.L("roster.log.new"), func() { t.edit(store.Patrol{}) }, 0.45, lang.L("roster.log.pick"))
	return t
}

func (t *Tab) closeEditor() {
	t.ed = nil
	t.ShowHint()
}

// Show loads the recent patrols and the houses they name.
func (t *Tab) Show() {
	from := t.h.Today().AddDays(-patrolDays).String()
	villages := t.h.Data().Villages
	owner := t.h.Owner()
	t.h.Env().GoBG(func(ctx context.Context) {
		ps, err := t.h.Env().Store().Patrols(ctx, from, "")
		ps = tab.OwnedBy(ps, owner, func(x store.Patrol) string { return x.Owner })
		houses := map[string]store.House{}
		for _, v := range villages {
			if err != nil {
				break
			}
			var hs []store.House
			hs, err = t.h.Env().Store().Houses(ctx, v.ID)
			for _, h := range hs {
				houses[h.ID] = h
			}
		}
		if ctx.Err() != nil {
			return
		}
		t.h.Env().Do(func() {
			if err != nil {
				t.h.Env().ShowError(lang.L("error.load"), err)
				return
			}
			t.patrols, t.houses = ps, houses
			t.draw()
			if t.ed != nil {
				t.ed.setHouses(houses)
			}
		})
	})
}

func (t *Tab) draw() {
	d := *t.h.Data()
	out := []fyne.CanvasObject{widget.NewLabel(fmt.Sprintf(lang.L("patrol.recent"), patrolDays, len(t.patrols)))}
	if len(d.Approved) > 0 {
		var ms []string
		for _, a := range d.Approved {
			ms = append(ms, fmt.Sprintf(lang.L("roster.locked.month"), a.Month, a.By, a.At))
		}
		l := kit.Wrapped(lang.L("roster.locked.approved") + strings.Join(ms, lang.L("list.sep")))
		l.Importance = widget.SuccessImportance
		out = append(out, l)
	}
	if len(t.patrols) == 0 {
		out = append(out, kit.StatusLabel(lang.L("patrol.noPatrols")))
	}
	for i := len(t.patrols) - 1; i >= 0; i-- { // newest first
		pt := t.patrols[i]
		var people []string
		for _, id := range pt.People {
			if n := d.MemberName(id); n != "" {
				people = append(people, n)
			}
		}
		title := fmt.Sprintf("%s  %s–%s", pt.Date, pt.Start, pt.End)
		kind := lang.L("roster.log.adHoc")
		if n := d.RuleName(pt.RuleID); n != "" {
			kind = n
		}
		lines := []string{kit.JoinDistinct("  ·  ", d.TeamName(pt.TeamID), kind, kit.JoinWith("、", people...))}
		if pt.Route != "" {
			lines = append(lines, lang.L("patrol.route")+pt.Route)
		}
		for _, f := range parseFindings(pt.Findings) {
			lines = append(lines, findingWord(f.Category)+"："+f.Text)
		}
		var nums []string
		for _, id := range pt.Houses {
			if h, ok := t.houses[id]; ok {
				// 住户：254 read as 254 households: the house numbers visited.
				nums = append(nums, fmt.Sprintf(lang.L("roster.log.houseNo"), search.PlainNumber(h.Number)))
			}
		}
		if len(nums) > 0 {
			lines = append(lines, lang.L("roster.log.housesShort")+kit.JoinWith("、", nums...))
		}
		if b := boardsLine(pt, d.Venues); b != "" {
			lines = append(lines, b)
		}
		out = append(out, t.h.RecordCard("", title, strings.Join(lines, "\n"), func() { t.edit(pt) },
			title, func() { t.h.Remove(&store.Patrol{}, pt.ID) }))
	}
	t.List.Objects = out
	t.List.Refresh()
}

// boardsLine says which venues' boards a patrol put up and checked ("" if
// none); a venue since deleted is left out.
func boardsLine(pt store.Patrol, venues []store.Venue) string {
	names := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			for _, v := range venues {
				if v.ID == id {
					out = append(out, v.Name)
				}
			}
		}
		return out
	}
	var parts []string
	if n := names(pt.BoardsPosted); len(n) > 0 {
		parts = append(parts, lang.L("roster.log.boardsPostedShort")+kit.JoinWith("、", n...))
	}
	if n := names(pt.BoardsChecked); len(n) > 0 {
		parts = append(parts, lang.L("roster.log.boardsCheckedShort")+kit.JoinWith("、", n...))
	}
	if len(parts) == 0 {
		return ""
	}
	return lang.L("roster.log.boardsShort") + strings.Join(parts, lang.L("list.sep"))
}

func parseFindings(s string) []Finding {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var fs []Finding
	if err := json.Unmarshal([]byte(s), &fs); err != nil {
		// Older or hand-made records may hold plain text: show it.
		return []Finding{{Category: "其他", Text: s}}
	}
	return fs
}

// patrolForm records one patrol.
type patrolForm struct {
	t    *Tab
	rec  store.Patrol
	form *kit.EditForm

	date     *kit.Entry
	slot     *widget.Select
	start    *kit.Entry
	end      *kit.Entry
	team     *widget.Select
	people   *kit.MultiCheck
	route    *kit.Entry
	findings *fyne.Container
	village  *widget.Select
	houses   *kit.Entry
	venues   *kit.MultiCheck
	posted   *kit.MultiCheck // venues where a board went up
	checked  *kit.MultiCheck // venues whose board was checked
	notes    *kit.Entry

	slots    []schedule.Slot // options of slot after "ad hoc"
	finds    []*findingRow
	byNumber map[string]map[string]string // village ID → search.NumberKey of a house number → house ID
	members  []store.Member
	venueIDs []string
}

type findingRow struct {
	cat  *widget.Select
	text *kit.Entry
	row  fyne.CanvasObject
}

func (t *Tab) edit(pt store.Patrol) {
	d := *t.h.Data()
	e := &patrolForm{t: t, rec: pt, form: kit.NewEditForm(), members: d.Members}
	e.form.Title(pt.ID, pt.Date, "roster.log.newTitle", "roster.log.editTitle")

	e.date = kit.NewEntry()
	e.date.SetPlaceHolder(lang.L("roster.dateHint"))
	if pt.Date == "" {
		pt.Date = t.h.Today().String()
	}
	e.form.Add("date", lang.L("roster.log.date"), e.date)
	e.slot = kit.NewSelect(nil, func(string) { e.pickSlot() })
	e.form.Add("rule_id", lang.L("roster.log.slot"), e.slot)

	e.start, e.end = kit.NewEntry(), kit.NewEntry()
	e.start.SetPlaceHolder("19:00")
	e.end.SetPlaceHolder("21:00")
	e.start.SetText(pt.Start)
	e.end.SetText(pt.End)
	e.form.Add("start", lang.L("roster.log.time"), container.NewGridWithColumns(2, e.start, e.end))

	var teams []string
	for _, tm := range d.Teams {
		teams = append(teams, tm.Name)
	}
	e.team = kit.NewSelect(teams, nil)
	for i, tm := range d.Teams {
		if tm.ID == pt.TeamID {
			e.team.SetSelectedIndex(i)
		}
	}
	if e.team.SelectedIndex() < 0 && len(teams) > 0 {
		e.team.SetSelectedIndex(0)
	}
	e.form.Add("team_id", lang.L("roster.rule.team"), e.team)

	var names []string
	for _, m := range d.Members {
		names = append(names, tab.MemberLabel(m, d))
	}
	e.people = kit.CheckRecords(names, tab.MemberIDs(d.Members), pt.People, 2)
	e.form.Add("people", lang.L("roster.log.people"), e.people)

	e.route = e.form.Entry("route", lang.L("roster.log.route"), pt.Route)
	e.route.SetPlaceHolder(lang.L("roster.log.routeHint"))

	e.findings = container.NewVBox()
	addFinding := widget.NewButtonWithIcon(lang.L("roster.log.addFinding"), theme.ContentAddIcon(), func() { e.addFinding(Finding{}) })
	e.form.Add("findings", lang.L("roster.log.findings"), container.NewVBox(e.findings, container.NewHBox(addFinding)))
	for _, f := range parseFindings(pt.Findings) {
		e.addFinding(f)
	}

	vs := []string{}
	for _, v := range d.Villages {
		vs = append(vs, v.Name)
	}
	e.village = kit.NewSelect(vs, nil)
	if len(vs) > 0 {
		e.village.SetSelectedIndex(0)
	}
	for i, v := range d.Villages {
		if tm := e.teamRec(); tm != nil && tm.VillageID == v.ID {
			e.village.SetSelectedIndex(i)
		}
	}
	e.houses = kit.NewEntry()
	e.houses.SetPlaceHolder(lang.L("roster.log.housesHint"))
	var nums []string
	for _, id := range pt.Houses {
		if h, ok := t.houses[id]; ok {
			nums = append(nums, search.PlainNumber(h.Number))
			for i, v := range d.Villages {
				if v.ID == h.VillageID {
					e.village.SetSelectedIndex(i)
				}
			}
		}
	}
	e.houses.SetText(strings.Join(nums, "、"))
	e.form.Add("houses", lang.L("roster.log.houses"), container.NewBorder(nil, nil, e.village, nil, e.houses))

	var venueNames []string
	for _, v := range d.Venues {
		e.venueIDs = append(e.venueIDs, v.ID)
		venueNames = append(venueNames, v.Name)
	}
	e.venues = kit.CheckRecords(venueNames, e.venueIDs, pt.Venues, 2)
	e.form.Add("venues", lang.L("roster.log.venues"), e.venues)
	// The cost-of-fighting boards: put up at a venue, or the one there
	// checked (still up, legible); the month report counts both.
	e.posted = kit.CheckRecords(venueNames, e.venueIDs, pt.BoardsPosted, 2)
	e.form.Add("boards_posted", lang.L("roster.log.boardsPosted"), e.posted)
	e.checked = kit.CheckRecords(venueNames, e.venueIDs, pt.BoardsChecked, 2)
	e.form.Add("boards_checked", lang.L("roster.log.boardsChecked"), e.checked)

	e.notes = e.form.MultiLineEntry("notes", lang.L("hh.notes"), pt.Notes)

	e.form.AddButtons(t.closeEditor, e.save)

	e.setHouses(t.houses)
	e.date.OnChanged = func(string) { e.loadSlots() }
	e.date.SetText(pt.Date)
	t.ed = e
	t.SetEditor(e.form.Object())
}

func (e *patrolForm) teamRec() *store.Team {
	i := e.team.SelectedIndex()
	if i < 0 || i >= len(e.t.h.Data().Teams) {
		return nil
	}
	return &e.t.h.Data().Teams[i]
}

func (e *patrolForm) setHouses(houses map[string]store.House) {
	e.byNumber = map[string]map[string]string{}
	for _, h := range houses {
		if e.byNumber[h.VillageID] == nil {
			e.byNumber[h.VillageID] = map[string]string{}
		}
		// As the screens and plates write a number: 203号 and ２０３ are
		// 203, and so is '203号' stored by an older version.
		e.byNumber[h.VillageID][search.NumberKey(h.Number)] = h.ID
	}
}

func (e *patrolForm) addFinding(f Finding) {
	r := &findingRow{}
	opts := make([]string, len(findingCategories))
	for i, c := range findingCategories {
		opts[i] = lang.L(c.Key)
	}
	r.cat = kit.NewSelect(opts, nil)
	r.cat.SetSelectedIndex(len(findingCategories) - 1)
	for i, c := range findingCategories {
		if c.V == f.Category {
			r.cat.SetSelectedIndex(i)
		}
	}
	r.text = kit.NewEntry()
	r.text.SetText(f.Text)
	r.text.SetPlaceHolder(lang.L("roster.log.findingHint"))
	rm := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		for i, x := range e.finds {
			if x == r {
				e.finds = append(e.finds[:i], e.finds[i+1:]...)
				break
			}
		}
		e.findings.Remove(r.row)
	})
	r.row = container.NewBorder(nil, nil, r.cat, rm, r.text)
	e.finds = append(e.finds, r)
	e.findings.Add(r.row)
}

// loadSlots offers the planned slots of the date typed, so a patrol done
// as planned is one pick.
func (e *patrolForm) loadSlots() {
	opts := []string{lang.L("roster.log.adHocOption")}
	e.slots = nil
	if d, err := schedule.ParseDate(strings.TrimSpace(e.date.Text)); err == nil && e.t.h.Data().InErr == nil {
		e.form.SetError("date", "")
		if sch, err := schedule.Expand(e.t.h.Data().In, d, d); err == nil {
			for _, s := range sch.Slots {
				if s.Kind == schedule.KindDuty {
					continue // post duty is not a patrol
				}
				e.slots = append(e.slots, s)
				opts = append(opts, fmt.Sprintf("%s–%s %s  %s", s.Start, s.End, s.Rule, strings.Join(s.People, "、")))
			}
		}
	}
	e.slot.Options = opts
	sel := 0
	for i, s := range e.slots {
		if s.RuleID == e.rec.RuleID && e.rec.RuleID != "" {
			sel = i + 1
		}
	}
	e.slot.OnChanged = nil
	e.slot.SetSelectedIndex(sel)
	e.slot.OnChanged = func(string) { e.pickSlot() }
	e.slot.Refresh()
}

// pickSlot fills the form from the planned slot chosen.
func (e *patrolForm) pickSlot() {
	i := e.slot.SelectedIndex() - 1
	if i < 0 || i >= len(e.slots) {
		return
	}
	s := e.slots[i]
	e.start.SetText(s.Start.String())
	e.end.SetText(s.End.String())
	for j, tm := range e.t.h.Data().Teams {
		if tm.ID == s.TeamID {
			e.team.SetSelectedIndex(j)
		}
	}
	on := map[string]bool{}
	for _, id := range s.PersonIDs {
		on[id] = true
	}
	var sel []string
	for j, m := range e.members {
		if on[m.ID] {
			sel = append(sel, e.people.Options[j])
		}
	}
	e.people.SetSelected(sel)
}

func (e *patrolForm) save() {
	f := e.form
	f.ClearErrors()
	ok := true
	r := e.rec
	date, err := schedule.ParseDate(strings.TrimSpace(e.date.Text))
	if err != nil {
		f.SetError("date", lang.L("roster.err.date"))
		ok = false
	}
	r.Date = date.String()
	r.RuleID = ""
	if i := e.slot.SelectedIndex() - 1; i >= 0 && i < len(e.slots) {
		r.RuleID = e.slots[i].RuleID
	}
	start, err1 := schedule.ParseClock(strings.TrimSpace(e.start.Text))
	end, err2 := schedule.ParseClock(strings.TrimSpace(e.end.Text))
	if err1 != nil || err2 != nil {
		f.SetError("start", lang.L("roster.log.timeBad"))
		ok = false
	}
	r.Start, r.End = start.String(), end.String()
	r.TeamID = ""
	if tm := e.teamRec(); tm != nil {
		r.TeamID = tm.ID
	}
	r.People = kit.CheckedIDs(e.people, tab.MemberIDs(e.members))
	if len(r.People) == 0 {
		f.SetError("people", lang.L("roster.err.people"))
		ok = false
	}
	r.Route = strings.TrimSpace(e.route.Text)
	var finds []Finding
	for _, fr := range e.finds {
		text := strings.TrimSpace(fr.text.Text)
		if text == "" {
			continue
		}
		finds = append(finds, Finding{Category: findingCategories[max(fr.cat.SelectedIndex(), 0)].V, Text: text})
	}
	r.Findings = ""
	if len(finds) > 0 {
		b, err := json.Marshal(finds)
		if err != nil {
			e.t.h.Env().ShowError(lang.L("error.save"), err)
			return
		}
		r.Findings = string(b)
	}
	r.Houses = nil
	var missing []string
	if vi := e.village.SelectedIndex(); vi >= 0 && vi < len(e.t.h.Data().Villages) {
		nums := e.byNumber[e.t.h.Data().Villages[vi].ID]
		for _, n := range kit.SplitList(e.houses.Text) {
			if id, found := nums[search.NumberKey(n)]; found && search.NumberKey(n) != "" {
				r.Houses = append(r.Houses, id)
			} else {
				missing = append(missing, n)
			}
		}
	} else if len(kit.SplitList(e.houses.Text)) > 0 {
		missing = kit.SplitList(e.houses.Text)
	}
	if len(missing) > 0 {
		f.SetError("houses", fmt.Sprintf(lang.L("roster.log.noSuchHouse"), strings.Join(missing, "、")))
		ok = false
	}
	if err1 == nil && err2 == nil && r.Date != "" {
		if err := r.CheckDone(e.t.h.Env().Now()); err != nil {
			f.SetError("start", lang.L("roster.err.patrolFuture"))
			ok = false
		}
	}
	r.Venues = kit.CheckedIDs(e.venues, e.venueIDs)
	r.BoardsPosted = kit.CheckedIDs(e.posted, e.venueIDs)
	r.BoardsChecked = kit.CheckedIDs(e.checked, e.venueIDs)
	// A venue where a board went up or was checked is one the patrol
	// walked to.
	for _, id := range append(append([]string(nil), r.BoardsPosted...), r.BoardsChecked...) {
		if !slices.Contains(r.Venues, id) {
			r.Venues = append(r.Venues, id)
		}
	}
	r.Notes = strings.TrimSpace(e.notes.Text)
	if !ok {
		return
	}
	e.t.h.Save(f, e.t.closeEditor, &r)
}
