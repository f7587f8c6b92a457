package roster

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// teamsTab lists the teams with their members (role, phone, leave) and
// edits a team or a member in the panel on the right.
type teamsTab struct {
	*tab.ListEditor // root, list and editor panes
	p               *Screen
	team            *teamEditor
	member          *memberEditor
}

func newTeamsTab(p *Screen) *teamsTab {
	t := &teamsTab{p: p}
	t.ListEditor = tab.NewListEditor(lang.L("roster.tab.teams"), lang.L("roster.team.new"), func() { t.editTeam(store.Team{}) }, 0.55, lang.L("roster.team.pick"))
	return t
}

func (t *teamsTab) closeEditor() {
	t.team, t.member = nil, nil
	t.ShowHint()
}

func (t *teamsTab) show() {
	d := t.p.data
	var out []fyne.CanvasObject
	if len(d.Teams) == 0 {
		out = append(out, kit.StatusLabel(lang.L("patrol.noTeams")))
	}
	for _, tm := range d.Teams {
		tm := tm
		rows := []fyne.CanvasObject{}
		for _, m := range d.Members {
			if m.TeamID != tm.ID {
				continue
			}
			m := m
			line := kit.JoinNonEmpty(m.Name, m.Role, m.Phone)
			if len(m.Leave) > 0 {
				line += "  " + lang.L("patrol.leave") + kit.JoinWith(", ", rosterwords.Leave(m.Leave)...)
			}
			if off := daysOffNow(m, t.p.Today()); len(off) > 0 {
				var days []string
				for _, w := range off {
					days = append(days, rosterwords.WeekdayShort(w))
				}
				line += "  " + fmt.Sprintf(lang.L("roster.member.offList"), strings.Join(days, lang.L("list.enum")))
			}
			l := kit.Wrapped(line)
			edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { t.editMember(m) })
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				t.p.u.ConfirmDelete(m.Name, func() { t.p.RemoveMember(m.ID) })
			})
			if t.p.readOnly {
				rows = append(rows, l)
				continue
			}
			rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(edit, del), l))
		}
		if len(rows) == 0 {
			rows = append(rows, kit.StatusLabel(lang.L("patrol.noMembers")))
		}
		addM := widget.NewButtonWithIcon(lang.L("roster.member.add"), theme.ContentAddIcon(), func() {
			t.editMember(store.Member{TeamID: tm.ID, Role: store.MemberRoles[0]})
		})
		editT := widget.NewButtonWithIcon(lang.L("roster.team.edit"), theme.DocumentCreateIcon(), func() { t.editTeam(tm) })
		delT := widget.NewButtonWithIcon(lang.L("roster.team.delete"), theme.DeleteIcon(), func() {
			t.p.u.ConfirmDelete(tm.Name, func() { t.removeTeam(tm.ID) })
		})
		if !t.p.readOnly {
			rows = append(rows, container.NewHBox(addM, layout.NewSpacer(), editT, delT))
		}
		out = append(out, widget.NewCard(tm.Name, tm.Notes, container.NewVBox(rows...)))
	}
	t.List.Objects = out
	t.List.Refresh()
}

// removeTeam tombstones a team and its members together, so no member is
// left belonging to a team that is gone (refused while rules draw on it).
func (t *teamsTab) removeTeam(id string) {
	t.p.RemoveTeam(id, t.closeEditor)
}

// teamEditor is the form of one team.
type teamEditor struct {
	t        *teamsTab
	rec      store.Team
	form     *kit.EditForm
	name     *kit.Entry
	village  *widget.Select
	notes    *kit.Entry
	villages []store.Village
}

func (t *teamsTab) editTeam(tm store.Team) {
	e := &teamEditor{t: t, rec: tm, form: kit.NewEditForm(), villages: t.p.data.Villages}
	e.form.Title(tm.ID, tm.Name, "roster.team.newTitle", "roster.team.editTitle")
	e.name = e.form.Entry("name", lang.L("roster.team.name"), tm.Name)
	opts := []string{lang.L("roster.team.noVillage")}
	sel := 0
	for i, v := range e.villages {
		opts = append(opts, v.Name)
		if v.ID == tm.VillageID {
			sel = i + 1
		}
	}
	e.village = kit.NewSelect(opts, nil)
	e.village.SetSelectedIndex(sel)
	e.form.Add("village_id", lang.L("roster.team.village"), e.village)
	e.notes = e.form.Entry("notes", lang.L("hh.notes"), tm.Notes)
	e.form.AddButtons(t.closeEditor, e.save)
	t.team, t.member = e, nil
	t.SetEditor(e.form.Object())
}

func (e *teamEditor) save() {
	e.form.ClearErrors()
	r := e.rec
	r.Name = strings.TrimSpace(e.name.Text)
	if r.Name == "" {
		e.form.SetError("name", lang.L("roster.err.required"))
		return
	}
	r.VillageID = ""
	if i := e.village.SelectedIndex(); i > 0 {
		r.VillageID = e.villages[i-1].ID
	}
	r.Notes = strings.TrimSpace(e.notes.Text)
	e.t.p.Save(e.form, e.t.closeEditor, &r)
}

// memberEditor is the form of one team member.
type memberEditor struct {
	t     *teamsTab
	rec   store.Member
	form  *kit.EditForm
	name  *kit.Entry
	role  *widget.Select
	team  *widget.Select
	phone *kit.Entry
	leave *kit.Entry
	off   *kit.MultiCheck // 固定休息: the weekdays in force today
	notes *kit.Entry
	teams []store.Team
}

// daysOffNow are a member's regular days off in force on today.
func daysOffNow(m store.Member, today schedule.Date) []time.Weekday {
	ws, err := schedule.ParseWeekdaysOff(m.Off)
	if err != nil {
		return nil
	}
	return almanac.OffOn(ws, today)
}

func (t *teamsTab) editMember(m store.Member) {
	e := &memberEditor{t: t, rec: m, form: kit.NewEditForm(), teams: t.p.data.Teams}
	e.form.Title(m.ID, m.Name, "roster.member.newTitle", "roster.member.editTitle")
	e.name = e.form.Entry("name", lang.L("roster.member.name"), m.Name)
	e.role = kit.NewSelect(store.MemberRoles, nil)
	e.role.SetSelected(m.Role)
	if e.role.SelectedIndex() < 0 {
		e.role.SetSelectedIndex(0)
	}
	e.form.Add("role", lang.L("roster.member.role"), e.role)
	var opts []string
	sel := 0
	for i, tm := range e.teams {
		opts = append(opts, tm.Name)
		if tm.ID == m.TeamID {
			sel = i
		}
	}
	e.team = kit.NewSelect(opts, nil)
	if len(opts) > 0 {
		e.team.SetSelectedIndex(sel)
	}
	e.form.Add("team_id", lang.L("roster.member.team"), e.team)
	e.phone = kit.NewEntry()
	e.phone.SetText(m.Phone)
	e.phone.OnChanged = func(s string) { e.checkPhone() }
	e.form.Add("phone", lang.L("roster.member.phone"), e.phone)
	e.leave = kit.NewMultiLineEntry()
	e.leave.SetMinRowsVisible(3)
	e.leave.SetPlaceHolder(lang.L("roster.member.leaveHint"))
	e.leave.SetText(strings.Join(rosterwords.Leave(m.Leave), "\n"))
	e.leave.OnChanged = func(string) { e.checkLeave() }
	e.form.Add("leave", lang.L("roster.member.leave"), e.leave)
	var names, on []string
	off := daysOffNow(m, t.p.Today())
	for _, w := range rosterwords.WeekdaysMonFirst() {
		names = append(names, rosterwords.WeekdayShort(w))
		if slices.Contains(off, w) {
			on = append(on, rosterwords.WeekdayShort(w))
		}
	}
	e.off = kit.NewMultiCheck(names, 4, nil)
	e.off.Selected = on
	e.off.Refresh()
	e.form.Add("off", lang.L("roster.member.off"), container.NewVBox(e.off, kit.StatusLabel(lang.L("roster.member.offHint"))))
	e.notes = e.form.Entry("notes", lang.L("hh.notes"), m.Notes)
	e.form.AddButtons(t.closeEditor, e.save)
	t.member, t.team = e, nil
	t.SetEditor(e.form.Object())
}

func (e *memberEditor) checkPhone() bool {
	if s := strings.TrimSpace(e.phone.Text); s != "" {
		if _, err := store.NormalisePhone(s); err != nil {
			e.form.SetError("phone", lang.L("roster.err.phone"))
			return false
		}
	}
	e.form.SetError("phone", "")
	return true
}

// leaveRanges reads the leave box: one day or range a line.
func (e *memberEditor) leaveRanges() ([]string, bool) {
	var out []string
	for _, line := range strings.Split(e.leave.Text, "\n") {
		line = strings.TrimSpace(strings.NewReplacer("～", "..", "~", "..", "至", "..", "到", "..", "to", "..").Replace(line))
		if line == "" {
			continue
		}
		r, err := schedule.ParseDateRange(line)
		if err != nil {
			return nil, false
		}
		if r.From == r.To {
			out = append(out, r.From.String())
		} else {
			out = append(out, r.From.String()+".."+r.To.String())
		}
	}
	return out, true
}

// daysOff is the member's regular days off as the boxes set them, from
// today on (the days before keep theirs: rosterdata.SaveKeepingPast puts
// the change on the edit day).
func (e *memberEditor) daysOff() []string {
	var days []time.Weekday
	for _, w := range rosterwords.WeekdaysMonFirst() {
		if slices.Contains(e.off.Selected, rosterwords.WeekdayShort(w)) {
			days = append(days, w)
		}
	}
	was, err := schedule.ParseWeekdaysOff(e.rec.Off)
	if err != nil {
		was = nil // refused by the store as it stands; the boxes start anew
	}
	return almanac.FormatWeekdaysOff(almanac.KeepPastWeekdaysOff(was, days, e.t.p.Today()))
}

func (e *memberEditor) checkLeave() bool {
	if _, ok := e.leaveRanges(); !ok {
		e.form.SetError("leave", lang.L("roster.member.leaveBad"))
		return false
	}
	e.form.SetError("leave", "")
	return true
}

func (e *memberEditor) save() {
	e.form.ClearErrors()
	ok := e.checkPhone()
	ok = e.checkLeave() && ok
	r := e.rec
	r.Name = strings.TrimSpace(e.name.Text)
	if r.Name == "" {
		e.form.SetError("name", lang.L("roster.err.required"))
		ok = false
	}
	if e.team.SelectedIndex() < 0 {
		e.form.SetError("team_id", lang.L("roster.rule.needTeam"))
		ok = false
	}
	if !ok {
		return
	}
	r.Role = e.role.Selected
	r.TeamID = e.teams[e.team.SelectedIndex()].ID
	r.Phone = strings.TrimSpace(e.phone.Text)
	r.Leave, _ = e.leaveRanges()
	r.Off = e.daysOff()
	r.Notes = strings.TrimSpace(e.notes.Text)
	e.t.p.Save(e.form, e.t.closeEditor, &r)
}
