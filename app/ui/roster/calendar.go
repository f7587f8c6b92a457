package roster

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/dutytable"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/print/duty"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/printlog"
	"cunjing/store/schedule"
)

var (
	colMarket  = color.NRGBA{R: 0xff, G: 0xf4, B: 0xd6, A: 0xff} // market days: a warm tint, as on the printed table
	colToday   = kit.ColPrimary
	colCellBG  = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	colOutside = color.NRGBA{R: 0xee, G: 0xf0, B: 0xf3, A: 0xff} // days of the next or last month in the month grid
)

// calendarTab shows the expanded roster a week or a month at a time, each
// day with its lunar name and market flag, each slot with its people and
// what is wrong with it in red; the tapped day is spelled out on the
// right. It prints the duty table of what it shows.
type calendarTab struct {
	*periodBar // week or month, and which
	p          *Screen
	root       fyne.CanvasObject
	grid       *fyne.Container
	detail     *fyne.Container
	status     *kit.Message

	sel   schedule.Date
	sch   *schedule.Schedule
	cells []*dayCell
}

func newCalendarTab(p *Screen) *calendarTab {
	c := &calendarTab{p: p}
	c.periodBar = newPeriodBar(p.Today, func() { c.show() })
	c.moved = func() { c.sel = 0 }
	today := widget.NewButton(lang.L("roster.cal.today"), func() {
		c.anchor, c.sel = 0, 0
		c.show()
	})
	printPDF := widget.NewButtonWithIcon(lang.L("roster.cal.print"), theme.DocumentPrintIcon(), func() { c.export(false) })
	printPDF.Importance = widget.HighImportance
	xlsx := widget.NewButtonWithIcon(lang.L("roster.cal.xlsx"), theme.DownloadIcon(), func() { c.export(true) })
	bar := container.NewHBox(c.mode, c.prev, today, c.next, c.period, layout.NewSpacer(), printPDF, xlsx)
	c.status = kit.NewMessage()
	c.status.SetImportance(widget.DangerImportance)
	c.status.Hide()
	c.grid = container.NewGridWithColumns(7)
	head := container.NewGridWithColumns(7)
	for _, k := range []string{"monday.short", "tuesday.short", "wednesday.short", "thursday.short", "friday.short", "saturday.short", "sunday.short"} {
		head.Add(widget.NewLabelWithStyle(lang.L(k), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	}
	c.detail = container.NewVBox()
	right := container.NewVScroll(container.NewPadded(c.detail))
	split := container.NewHSplit(container.NewBorder(head, nil, nil, nil, container.NewVScroll(c.grid)), right)
	split.Offset = 0.74
	c.root = container.NewBorder(container.NewVBox(container.NewPadded(bar), c.status), nil, nil, nil, split)
	c.mode.SetSelected(lang.L("roster.cal.week"))
	return c
}

func (c *calendarTab) Object() fyne.CanvasObject { return c.root }

// rangeShown is the first and last day of the week or month grid (a month
// grid runs from the Monday before the 1st to the Sunday after the last).
func (c *calendarTab) rangeShown() (from, to schedule.Date, period string) {
	return c.shown(true)
}

// printRange is what the printed table covers: the week, or the month
// itself (not the neighbouring days the grid shows).
func (c *calendarTab) printRange() (from, to schedule.Date, period string) {
	if !c.month {
		from, to, period = dutytable.WeekRange(c.anchor)
		return from, to, period
	}
	y, m, _ := c.anchor.YMD()
	from, to, period, _ = dutytable.MonthRange(fmt.Sprintf("%04d-%02d", y, m))
	return from, to, period
}

// show expands the roster over the range and redraws the grid. Expanding
// a month is pure and takes milliseconds, so it runs here.
func (c *calendarTab) show() {
	if c.grid == nil {
		return // still being built (SetSelected fires OnChanged)
	}
	from, to, period := c.rangeShown()
	c.period.SetText(period)
	c.sch = nil
	c.status.Hide()
	c.status.SetImportance(widget.DangerImportance)
	if err := c.p.data.InErr; err != nil {
		c.status.SetError(lang.L("roster.cal.badRecord"), err)
		c.status.Show()
	} else if sch, err := schedule.Expand(c.p.data.In, from, to); err != nil {
		c.status.SetError(lang.L("roster.cal.expandFailed"), kit.RosterProblem(err))
		c.status.Show()
	} else {
		c.sch = sch
		if len(sch.HolidayGaps) > 0 {
			// Beyond the calendar's years holidays are planned as
			// ordinary days: say so rather than plan them in silence.
			lines := make([]string, len(sch.HolidayGaps))
			for i, g := range sch.HolidayGaps {
				lines[i] = rosterwords.HolidayGap(g)
			}
			c.status.SetImportance(widget.WarningImportance)
			c.status.SetText(kit.JoinLines(lines...))
			c.status.Show()
		}
	}
	c.draw(from, to)
}

func (c *calendarTab) draw(from, to schedule.Date) {
	today := c.p.Today()
	_, month, _ := c.anchor.YMD()
	if c.sel == 0 || c.sel < from || c.sel > to {
		c.sel = c.anchor
		if today >= from && today <= to {
			c.sel = today
		}
	}
	byDay := map[schedule.Date][]schedule.Slot{}
	days := map[schedule.Date]schedule.Day{}
	if c.sch != nil {
		for _, s := range c.sch.Slots {
			byDay[s.Date] = append(byDay[s.Date], s)
		}
		for _, d := range c.sch.Days {
			days[d.Date] = d
		}
	}
	objs := make([]fyne.CanvasObject, 0, int(to-from)+1)
	c.cells = c.cells[:0]
	lines := 14
	if c.month {
		lines = 3
	}
	for d := from; d <= to; d = d.AddDays(1) {
		_, m, _ := d.YMD()
		cell := newDayCell(c, d, days[d], byDay[d], lines, c.month && m != month, d == today)
		c.cells = append(c.cells, cell)
		objs = append(objs, cell)
	}
	c.grid.Objects = objs
	c.grid.Refresh()
	c.showDay(c.sel)
}

// showDay spells out one day on the right: every slot, who stands it and,
// in red, what is wrong with it.
func (c *calendarTab) showDay(d schedule.Date) {
	c.sel = d
	for _, cell := range c.cells {
		cell.setSelected(cell.date == d)
	}
	var day schedule.Day
	var slots []schedule.Slot
	if c.sch != nil {
		for _, x := range c.sch.Days {
			if x.Date == d {
				day = x
			}
		}
		for _, s := range c.sch.Slots {
			if s.Date == d {
				slots = append(slots, s)
			}
		}
	}
	y, m, dd := d.YMD()
	title := kit.Heading(fmt.Sprintf(lang.L("roster.cal.dayTitle"), y, m, dd, rosterwords.Weekday(d.Weekday())))
	out := []fyne.CanvasObject{title}
	sub := day.Lunar.String()
	if sub != "" {
		sub = lang.L("roster.cal.lunar") + sub
	}
	if day.Market {
		sub = kit.JoinWith("  ·  ", sub, lang.L("roster.cal.marketDay"))
	}
	if sub != "" {
		out = append(out, widget.NewLabel(sub))
	}
	for _, e := range day.Exceptions {
		l := widget.NewLabel(lang.L("roster.cal.exception") + e)
		l.Importance = widget.WarningImportance
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	if len(slots) == 0 {
		out = append(out, kit.StatusLabel(lang.L("roster.cal.noSlots")))
	}
	for _, s := range slots {
		end := s.End.String()
		if !s.EndDate.IsZero() {
			end += lang.L("roster.rule.overnight")
		}
		head := widget.NewLabelWithStyle(fmt.Sprintf("%s–%s  %s", s.Start, end, s.Rule), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapWord
		rows := []fyne.CanvasObject{head}
		who := kit.JoinWith("、", s.People...)
		if who == "" {
			who = lang.L("roster.cal.nobody")
		}
		rows = append(rows, kit.Wrapped(kit.JoinWith("  ·  ", s.Team, who)))
		for _, cf := range s.Conflicts {
			w := kit.Wrapped(rosterwords.Conflict(cf))
			w.Importance = widget.DangerImportance
			rows = append(rows, w)
		}
		bg := canvas.NewRectangle(colCellBG)
		bg.CornerRadius = 6
		if len(s.Conflicts) > 0 {
			bg.StrokeColor = kit.ColRed
			bg.StrokeWidth = 2
		}
		out = append(out, container.NewStack(bg, container.NewPadded(container.New(kit.TightVBox{}, rows...))))
	}
	c.detail.Objects = out
	c.detail.Refresh()
}

// dayCell is one day of the grid: the date and lunar day on top, then a
// line per slot (red when something is wrong with it). Tapping it spells
// the day out.
type dayCell struct {
	widget.BaseWidget
	c      *calendarTab
	date   schedule.Date
	bg     *canvas.Rectangle
	border *canvas.Rectangle
	box    *fyne.Container
	// conflicts counts the slots with a problem (tests read it).
	conflicts int
	slots     int
}

func newDayCell(c *calendarTab, d schedule.Date, day schedule.Day, slots []schedule.Slot, maxLines int, outside, today bool) *dayCell {
	cell := &dayCell{c: c, date: d, slots: len(slots)}
	cell.bg = canvas.NewRectangle(colCellBG)
	switch {
	case outside:
		cell.bg.FillColor = colOutside
	case day.Market:
		cell.bg.FillColor = colMarket
	}
	cell.bg.CornerRadius = 4
	cell.border = canvas.NewRectangle(color.Transparent)
	cell.border.CornerRadius = 4
	cell.border.StrokeColor = kit.ColHeader
	cell.border.StrokeWidth = 1
	if today {
		cell.border.StrokeColor = colToday
		cell.border.StrokeWidth = 2
	}
	_, _, dd := d.YMD()
	num := canvas.NewText(fmt.Sprint(dd), kit.ColForeground)
	num.TextStyle = fyne.TextStyle{Bold: true}
	num.TextSize = theme.TextSize() + 2
	lunarText := day.Lunar.DayName()
	if day.Market {
		lunarText += " " + lang.L("roster.cal.market")
	}
	lun := canvas.NewText(lunarText, kit.ColSecondary)
	lun.TextSize = theme.CaptionTextSize()
	rows := []fyne.CanvasObject{container.NewHBox(num, lun)}
	week := maxLines > 3
	small := func(text string, imp widget.Importance) fyne.CanvasObject {
		if week { // names wrap with 、 kept at a line's end
			l := kit.Wrapped(text)
			l.Items = '、'
			l.SizeName = theme.SizeNameCaptionText
			l.Importance = imp
			return l
		}
		l := widget.NewLabel(text)
		l.SizeName = theme.SizeNameCaptionText
		l.Importance = imp
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	if len(day.Exceptions) > 0 {
		rows = append(rows, small(strings.Join(day.Exceptions, "、"), widget.WarningImportance))
	}
	shown := 0
	for _, s := range slots {
		if len(s.Conflicts) > 0 {
			cell.conflicts++
		}
		if shown >= maxLines {
			continue
		}
		shown++
		imp := widget.MediumImportance
		mark := ""
		if len(s.Conflicts) > 0 {
			imp, mark = widget.DangerImportance, "! "
		}
		rows = append(rows, small(mark+s.Start.String()+" "+s.Rule, imp))
		if week {
			who := strings.Join(s.People, "、")
			if who == "" {
				who = lang.L("roster.cal.nobody")
			}
			if imp != widget.DangerImportance {
				imp = widget.LowImportance
			}
			rows = append(rows, small(who, imp))
		}
	}
	if more := len(slots) - shown; more > 0 {
		rows = append(rows, small(fmt.Sprintf(lang.L("roster.cal.more"), more), widget.LowImportance))
	}
	content := container.New(kit.TightVBox{}, rows...)
	cell.box = container.NewStack(cell.bg, cell.border, container.NewPadded(content))
	cell.ExtendBaseWidget(cell)
	return cell
}

func (d *dayCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(d.box) }

// MinSize keeps a week cell tall enough for a day of slots and a month
// cell small enough for six weeks on a 768-line screen.
func (d *dayCell) MinSize() fyne.Size {
	m := d.box.MinSize()
	return fyne.NewSize(min(m.Width, 60), m.Height)
}

func (d *dayCell) Tapped(*fyne.PointEvent) { d.c.showDay(d.date) }

func (d *dayCell) setSelected(on bool) {
	if on {
		d.border.StrokeColor = kit.ColPrimary
		d.border.StrokeWidth = 3
	} else if d.date == d.c.p.Today() {
		d.border.StrokeColor = colToday
		d.border.StrokeWidth = 2
	} else {
		d.border.StrokeColor = kit.ColHeader
		d.border.StrokeWidth = 1
	}
	d.border.Refresh()
}

// export asks where to save the duty table of the week or month shown and
// writes it there: a PDF to print, or an .xlsx to edit.
func (c *calendarTab) export(asXLSX bool) {
	from, to, period := c.printRange()
	y, m, d := from.YMD()
	name := fmt.Sprintf("%s%04d-%02d.pdf", lang.L("roster.cal.fileName"), y, m)
	if !c.month {
		name = fmt.Sprintf("%s%04d-%02d-%02d.pdf", lang.L("roster.cal.fileName"), y, m, d)
	}
	if asXLSX {
		name = strings.TrimSuffix(name, ".pdf") + ".xlsx"
	}
	if c.p.readOnly && c.p.owner == "" {
		// A station showing every post's roster: a duty table is one
		// post's (titled and signed with its name), never all of them
		// mixed under the station's.
		c.p.u.ShowError(lang.L("roster.cal.pickPost"), nil)
		return
	}
	var font *fonts.Font
	if !asXLSX {
		if c.p.u.Font() == nil {
			c.p.u.ShowError(lang.L("roster.cal.needFont"), c.p.u.FontErr())
			return
		}
		f, err := c.p.u.PDFFont()
		if err != nil {
			c.p.u.ShowError(lang.L("roster.cal.needFont"), err)
			return
		}
		font = f
	}
	template := fmt.Sprintf("%s..%s", from, to)
	ext := ".xlsx"
	if font != nil {
		ext = ".pdf"
	}
	kit.SavePath(c.p.u.Window(), name, []string{ext}, fyne.NewSize(900, 600), func(path string) {
		c.writeTable(kit.CreateFile(path), path, from, to, period, template, font)
	})
}

// writeTable lays out the table in the background, writes it to w and
// records the print. The whole file is built in memory first, so a
// failure leaves no half-written table behind the officer's back.
func (c *calendarTab) writeTable(w io.WriteCloser, path string, from, to schedule.Date, period, template string, font *fonts.Font) {
	u := c.p.u
	by := u.Actor()
	u.GoBG(func(ctx context.Context) {
		err := writeDutyTable(ctx, u.Store(), w, c.p.owner, c.p.ownerName, from, to, period, template, font, by, u.Now())
		if ctx.Err() != nil {
			return
		}
		u.Do(func() {
			if err != nil {
				u.ShowError(lang.L("roster.cal.exportFailed"), err)
				return
			}
			u.ShowSaved(path, lang.L("roster.cal.saved"))
		})
	})
}

// writeDutyTable builds the duty table of [from, to] of owner's roster
// (name: its post's name; "" this device's own), writes it to w (a PDF
// with font, an .xlsx without) and records the print; w is closed.
func writeDutyTable(ctx context.Context, s *store.Store, w io.WriteCloser, owner, name string, from, to schedule.Date, period, template string, font *fonts.Font, by string, now time.Time) (err error) {
	defer func() {
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close duty table file: %w", cerr)
		}
	}()
	t, err := dutytable.BuildOf(ctx, s, owner, name, from, to, period, now)
	if err != nil {
		return fmt.Errorf("build duty table: %w", err)
	}
	var buf bytes.Buffer
	if font == nil {
		err = duty.WriteXLSX(&buf, t)
	} else {
		err = duty.WritePDF(ctx, &buf, font, t)
	}
	if err != nil {
		return fmt.Errorf("lay out duty table: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write duty table: %w", err)
	}
	size := "A4"
	if font == nil {
		size = "xlsx"
	}
	return printlog.SaveRoster(ctx, s, &store.PrintRecord{Kind: "roster", Template: template, Size: size, Copies: 1,
		PrintedAt: now.Format("2006-01-02 15:04:05"), By: by}, owner)
}
