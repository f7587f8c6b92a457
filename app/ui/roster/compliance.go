package roster

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/dutytable"
	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/schedule"
)

// complianceTab compares, per team, the patrols planned in a week or month
// with the ones logged.
type complianceTab struct {
	*periodBar // week or month, and which
	p          *Screen
	root       fyne.CanvasObject
	body       *fyne.Container
	rows       []schedule.ComplianceRow // shown (tests read them)
}

func newComplianceTab(p *Screen) *complianceTab {
	c := &complianceTab{p: p, body: container.NewVBox()}
	c.periodBar = newPeriodBar(p.today, func() { c.show() })
	bar := container.NewHBox(c.mode, c.prev, c.next, c.period)
	note := kit.LowLabel(lang.L("roster.comp.note"))
	c.root = container.NewBorder(container.NewVBox(container.NewPadded(bar), note), nil, nil, nil,
		container.NewVScroll(container.NewPadded(c.body)))
	c.mode.SetSelected(lang.L("roster.cal.month"))
	return c
}

func (c *complianceTab) Object() fyne.CanvasObject { return c.root }

func (c *complianceTab) rangeShown() (from, to schedule.Date, period string) {
	if !c.month {
		return dutytable.WeekRange(c.at())
	}
	y, m, _ := c.at().YMD()
	from, to, _, _ = dutytable.MonthRange(fmt.Sprintf("%04d-%02d", y, m))
	return from, to, fmt.Sprintf(lang.L("roster.cal.monthTitle"), y, m)
}

// show loads the logged patrols of the period and counts them against the
// plan.
func (c *complianceTab) show() {
	if c.body == nil || c.period == nil {
		return // still being built
	}
	from, to, period := c.rangeShown()
	c.period.SetText(period)
	in, inErr := c.p.data.in, c.p.data.inErr
	// Days still to come are not missed yet: count up to today.
	if today := c.p.today(); to > today {
		to = today
	}
	byPeriod := schedule.ByWeek
	if c.month {
		byPeriod = schedule.ByMonth
	}
	c.p.u.GoBG(func(ctx context.Context) {
		var rows []schedule.ComplianceRow
		var err error
		if from <= to {
			rows, err = complianceRows(ctx, c.p.u.Store(), in, inErr, from, to, byPeriod)
		}
		if ctx.Err() != nil {
			return
		}
		c.p.u.Do(func() {
			if err != nil {
				c.rows = nil
				c.body.Objects = []fyne.CanvasObject{kit.ErrorLine(lang.L("roster.comp.failed"), err)}
				c.body.Refresh()
				return
			}
			c.draw(rows)
		})
	})
}

// complianceRows expands the patrol slots of [from, to] (24-hour post duty
// is not logged as patrols, so it is left out) and matches the logged
// patrols to them.
func complianceRows(ctx context.Context, s *store.Store, in schedule.Input, inErr error, from, to schedule.Date, period string) ([]schedule.ComplianceRow, error) {
	if inErr != nil {
		return nil, inErr
	}
	sch, err := schedule.Expand(in, from, to)
	if err != nil {
		return nil, fmt.Errorf("expand roster: %w", err)
	}
	var planned []schedule.Slot
	for _, sl := range sch.Slots {
		if sl.Kind != schedule.KindDuty {
			planned = append(planned, sl)
		}
	}
	ps, err := s.Patrols(ctx, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read patrols: %w", err)
	}
	var recs []schedule.PatrolRecord
	for _, p := range ps {
		d, err := schedule.ParseDate(p.Date)
		if err != nil {
			continue // Patrol.Validate keeps dates readable; a bad one cannot be counted anyway
		}
		r := schedule.PatrolRecord{ID: p.ID, TeamID: p.TeamID, RuleID: p.RuleID, Date: d}
		// A patrol logged without times still counts against its rule.
		r.Start, _ = schedule.ParseClock(p.Start)
		r.End, _ = schedule.ParseClock(p.End)
		recs = append(recs, r)
	}
	return schedule.Compliance(planned, recs, in.Teams, period)
}

func (c *complianceTab) draw(rows []schedule.ComplianceRow) {
	c.rows = rows
	var out []fyne.CanvasObject
	if len(rows) == 0 {
		out = append(out, kit.StatusLabel(lang.L("roster.comp.none")))
	}
	if today := c.p.today(); c.anchor >= today || c.month && sameMonth(c.anchor, today) {
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
	c.body.Objects = out
	c.body.Refresh()
}

func sameMonth(a, b schedule.Date) bool {
	ay, am, _ := a.YMD()
	by, bm, _ := b.YMD()
	return ay == by && am == bm
}
