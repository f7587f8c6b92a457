package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"
	"cunjing/store/schedule"
)

// patrolDays is how far back the patrol log on 巡逻排班 reaches.
const patrolDays = 14

// patrolScreen is 巡逻排班: the teams with their members and shift rules,
// and the patrols of the last two weeks.
type patrolScreen struct {
	u    *UI
	body *fyne.Container
	root fyne.CanvasObject
	now  func() time.Time
}

func newPatrolScreen(u *UI) *patrolScreen {
	p := &patrolScreen{u: u, body: container.NewVBox(), now: time.Now}
	p.root = container.NewBorder(container.NewPadded(heading(lang.L("nav.patrol"))), nil, nil, nil,
		container.NewVScroll(container.NewPadded(p.body)))
	p.refresh()
	return p
}

func (p *patrolScreen) object() fyne.CanvasObject { return p.root }

type patrolData struct {
	teams   []store.Team
	members []store.Member
	rules   []store.ShiftRule
	patrols []store.Patrol
}

func (p *patrolScreen) refresh() {
	from := p.now().AddDate(0, 0, -patrolDays).Format("2006-01-02")
	p.u.goBG(func(ctx context.Context) {
		var d patrolData
		var err error
		if d.teams, err = p.u.st.Teams(ctx); err == nil {
			if d.members, err = p.u.st.Members(ctx, ""); err == nil {
				if d.rules, err = p.u.st.ShiftRules(ctx); err == nil {
					d.patrols, err = p.u.st.Patrols(ctx, from, "")
				}
			}
		}
		if ctx.Err() != nil {
			return
		}
		p.u.do(func() {
			if err != nil {
				p.u.showError(lang.L("error.load"), err)
				return
			}
			p.body.Objects = patrolView(d)
			p.body.Refresh()
		})
	})
}

func patrolView(d patrolData) []fyne.CanvasObject {
	names := map[string]string{}
	for _, m := range d.members {
		names[m.ID] = m.Name
	}
	teamName := map[string]string{}
	var out []fyne.CanvasObject
	if len(d.teams) == 0 {
		out = append(out, statusLabel(lang.L("patrol.noTeams")))
	}
	for _, t := range d.teams {
		teamName[t.ID] = t.Name
		rows := []fyne.CanvasObject{}
		for _, m := range d.members {
			if m.TeamID != t.ID {
				continue
			}
			line := joinNonEmpty(m.Name, m.Role, m.Phone)
			if len(m.Leave) > 0 {
				line += "  " + lang.L("patrol.leave") + joinWith(", ", m.Leave...)
			}
			rows = append(rows, widget.NewLabel(line))
		}
		if len(rows) == 0 {
			rows = append(rows, statusLabel(lang.L("patrol.noMembers")))
		}
		var rules []fyne.CanvasObject
		for _, r := range d.rules {
			if r.TeamID != t.ID {
				continue
			}
			rules = append(rules, ruleLine(r, names))
		}
		content := container.NewVBox(append([]fyne.CanvasObject{heading(lang.L("patrol.members"))}, rows...)...)
		if len(rules) > 0 {
			content.Add(heading(lang.L("patrol.rules")))
			for _, r := range rules {
				content.Add(r)
			}
		}
		out = append(out, widget.NewCard(t.Name, t.Notes, content))
	}
	// Rules of no team (or of a team that is gone) still matter.
	for _, r := range d.rules {
		if _, ok := teamName[r.TeamID]; !ok {
			out = append(out, ruleLine(r, names))
		}
	}

	out = append(out, heading(fmt.Sprintf(lang.L("patrol.recent"), patrolDays, len(d.patrols))))
	if len(d.patrols) == 0 {
		out = append(out, statusLabel(lang.L("patrol.noPatrols")))
	}
	for i := len(d.patrols) - 1; i >= 0; i-- { // newest first
		pt := d.patrols[i]
		people := make([]string, 0, len(pt.People))
		for _, id := range pt.People {
			if n, ok := names[id]; ok {
				people = append(people, n)
			} else {
				people = append(people, id)
			}
		}
		line := fmt.Sprintf("%s  %s–%s  %s  %s", pt.Date, pt.Start, pt.End, teamName[pt.TeamID], joinWith("、", people...))
		if pt.Route != "" {
			line += "\n" + lang.L("patrol.route") + pt.Route
		}
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	return out
}

// ruleLine says a shift rule in words: what, when, how many.
func ruleLine(r store.ShiftRule, names map[string]string) fyne.CanvasObject {
	text := joinWith("  ·  ", r.Name, codeWord("shift", r.Kind), describeSpec(r.Spec), r.Windows)
	if r.MinPeople > 0 {
		text += "  ·  " + fmt.Sprintf(lang.L("patrol.minPeople"), r.MinPeople)
	}
	if r.ValidFrom != "" || r.ValidTo != "" {
		text += "  ·  " + r.ValidFrom + "…" + r.ValidTo
	}
	if r.Rotate > 0 {
		text += "  ·  " + fmt.Sprintf(lang.L("patrol.rotate"), r.Rotate)
	}
	if len(r.People) > 0 {
		ps := make([]string, 0, len(r.People))
		for _, id := range r.People {
			if n, ok := names[id]; ok {
				ps = append(ps, n)
			}
		}
		if len(ps) > 0 {
			text += "\n" + lang.L("patrol.rotation") + joinWith(" → ", ps...)
		}
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// describeSpec says a rule's calendar the way the village writes it
// (农历逢二、五、十); a spec this version cannot read is shown as stored.
func describeSpec(spec string) string {
	var sp schedule.Spec
	if err := json.Unmarshal([]byte(spec), &sp); err != nil {
		return spec
	}
	if err := sp.Validate(); err != nil {
		return spec
	}
	return sp.Describe()
}
