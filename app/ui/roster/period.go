package roster

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/dutytable"
	"cunjing/store/schedule"
)

// periodBar is the week-or-month choice with back and forward buttons and
// the name of the period shown, which the calendar and the counts share.
type periodBar struct {
	mode       *widget.RadioGroup
	period     *widget.Label
	prev, next *widget.Button

	month  bool
	anchor schedule.Date // a day of the week or month shown; 0 until shown (today)
	today  func() schedule.Date
	show   func() // redraws the tab
	moved  func() // called when back or forward moved the period (may be nil)
}

// newPeriodBar starts on today; show redraws the tab for the period.
func newPeriodBar(today func() schedule.Date, show func()) *periodBar {
	b := &periodBar{today: today, show: show}
	b.mode = widget.NewRadioGroup([]string{lang.L("roster.cal.week"), lang.L("roster.cal.month")}, func(s string) {
		b.month = s == lang.L("roster.cal.month")
		b.show()
	})
	b.mode.Horizontal = true
	b.mode.Required = true
	b.period = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.period.SizeName = theme.SizeNameSubHeadingText
	b.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { b.step(-1) })
	b.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { b.step(1) })
	return b
}

// at is the anchor, today until a period was chosen.
func (b *periodBar) at() schedule.Date {
	if b.anchor == 0 {
		b.anchor = b.today()
	}
	return b.anchor
}

// step moves a week or a month back (-1) or forward (1) and redraws.
func (b *periodBar) step(dir int) {
	at := b.at()
	if b.month {
		y, m, _ := at.YMD()
		b.anchor = schedule.FromTime(time.Date(y, time.Month(m)+time.Month(dir), 1, 0, 0, 0, 0, time.UTC))
	} else {
		b.anchor = at.AddDays(7 * dir)
	}
	if b.moved != nil {
		b.moved()
	}
	b.show()
}

// shown is the period the bar shows and its title: its week (Monday to
// Sunday), or its month, the 1st to the last day, or with wholeWeeks (the
// calendar's grid) from the Monday before the 1st to the Sunday after the
// last.
func (b *periodBar) shown(wholeWeeks bool) (from, to schedule.Date, title string) {
	at := b.at()
	if !b.month {
		return dutytable.WeekRange(at)
	}
	y, m, _ := at.YMD()
	from = schedule.DateOf(y, m, 1)
	to = schedule.FromTime(time.Date(y, time.Month(m)+1, 1, 0, 0, 0, 0, time.UTC)).AddDays(-1)
	if wholeWeeks {
		from, _, _ = dutytable.WeekRange(from)
		_, to, _ = dutytable.WeekRange(to)
	}
	return from, to, fmt.Sprintf(lang.L("roster.cal.monthTitle"), y, m)
}
