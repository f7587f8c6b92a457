package roster

import (
	"context"
	"cunjing/store/rosterdata"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// complianceTab compares, per team, the patrols planned in a week or month
// with the ones logged.
type complianceTab struct {
	*periodBar // week or month, and which
	p          *Screen
	root       fyne.CanvasObject
	body       *fyne.Container
	rows       []tally.ComplianceRow // shown (tests read them)
	figures    tally.Figures         // what rows were cut from
}

func newComplianceTab(p *Screen) *complianceTab {
	c := &complianceTab{p: p, body: container.NewVBox()}
	c.periodBar = newPeriodBar(p.Today, func() { c.show() })
	bar := container.NewHBox(c.mode, c.prev, c.next, c.period)
	note := kit.LowLabel(lang.L("roster.comp.note"))
	c.root = container.NewBorder(container.NewVBox(container.NewPadded(bar), note), nil, nil, nil,
		container.NewVScroll(container.NewPadded(c.body)))
	c.mode.SetSelected(lang.L("roster.cal.month"))
	return c
}

func (c *complianceTab) Object() fyne.CanvasObject { return c.root }

func (c *complianceTab) rangeShown() (from, to schedule.Date, period string) {
	return c.shown(false)
}

// show loads the logged patrols of the period and counts them against the
// plan.
func (c *complianceTab) show() {
	if c.body == nil || c.period == nil {
		return // still being built
	}
	from, to, period := c.rangeShown()
	c.period.SetText(period)
	byPeriod := tally.ByWeek
	if c.month {
		byPeriod = tally.ByMonth
	}
	due := tally.DueAt(c.p.now())
	s := c.p.u.Store()
	owner := c.p.owner
	if owner == "" {
		owner = s.DeviceID()
	}
	if c.p.readOnly && c.p.owner == "" {
		// A station has no roster of its own: one post's figures at a time.
		c.rows, c.figures = nil, tally.Figures{}
		c.body.Objects = []fyne.CanvasObject{kit.StatusLabel(lang.L("roster.scope.pickPost"))}
		c.body.Refresh()
		return
	}
	c.p.u.GoBG(func(ctx context.Context) {
		// The one definition of the figures (the station counts with the
		// same function): turns still to come are not missed yet.
		f, err := rosterdata.PatrolFigures(ctx, s, owner, from, to, due, byPeriod)
		if ctx.Err() != nil {
			return
		}
		c.p.u.Do(func() {
			if err != nil {
				c.rows, c.figures = nil, tally.Figures{}
				c.body.Objects = []fyne.CanvasObject{kit.ErrorContent(lang.L("roster.comp.failed"), err)}
				c.body.Refresh()
				return
			}
			c.draw(f)
		})
	})
}

func (c *complianceTab) draw(f tally.Figures) {
	rows := f.Rows
	c.rows, c.figures = rows, f
	var out []fyne.CanvasObject
	if len(rows) == 0 {
		out = append(out, kit.StatusLabel(lang.L("roster.comp.none")))
	}
	for _, pr := range kit.FigureProblems(f) {
		l := kit.Wrapped(lang.L("roster.comp.problem") + pr)
		l.Importance = widget.WarningImportance
		out = append(out, l)
	}
	for _, g := range f.HolidayGaps {
		l := kit.Wrapped(rosterwords.HolidayGap(g))
		l.Importance = widget.WarningImportance
		out = append(out, l)
	}
	if today := c.p.Today(); c.anchor >= today || c.month && sameMonth(c.anchor, today) {
		out = append(out, kit.LowLabel(lang.L("roster.comp.untilToday")))
	}
	head := container.NewGridWithColumns(6)
	for _, k := range []string{"roster.comp.team", "roster.comp.planned", "roster.comp.done", "roster.comp.missed", "roster.comp.adHoc", "roster.comp.rate"} {
		head.Add(widget.NewLabelWithStyle(lang.L(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	if len(rows) > 0 {
		out = append(out, head, widget.NewSeparator())
	}
	for _, r := range rows {
		name := r.Team
		missed := widget.NewLabel(fmt.Sprint(r.Missed))
		if r.Missed > 0 {
			missed.Importance = widget.DangerImportance
		}
		bar := widget.NewProgressBar()
		bar.SetValue(r.Rate)
		bar.TextFormatter = func() string { return fmt.Sprintf("%.0f%%", r.Rate*100) }
		out = append(out, container.NewGridWithColumns(6,
			widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabel(fmt.Sprint(r.Planned)), widget.NewLabel(fmt.Sprint(r.Done)), missed,
			widget.NewLabel(fmt.Sprint(r.AdHoc)), bar))
	}
	if f.Planned > 0 {
		out = append(out, widget.NewSeparator(), widget.NewLabel(rosterwords.KindFigures(f)))
	}
	c.body.Objects = out
	c.body.Refresh()
}

func sameMonth(a, b schedule.Date) bool {
	ay, am, _ := a.YMD()
	by, bm, _ := b.YMD()
	return ay == by && am == bm
}
