// Package rosterwords is what 巡逻排班 says of its records in words, for
// every tab alike: an exception (停排、替班、换班、加排) as its card reads,
// a conflict of the calendar, a weekday, a year the holiday calendar lacks,
// the figures per kind of slot, a holiday entry's kind and state, leave as
// the officer reads and types it. It draws nothing.
package rosterwords

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// LunarMonthNames and LunarDayNames are the lunar months and days as a
// calendar names them (冬月, 腊月; 初一 … 三十).
var LunarMonthNames = []string{"正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"}

var LunarDayNames = []string{"初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
	"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
	"廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"}

// Exception says what an exception does in words.
func Exception(x store.ShiftException, d tab.Data) string {
	var e schedule.Exception
	if err := json.Unmarshal([]byte(x.Spec), &e); err != nil {
		return lang.L("roster.exc.unreadable")
	}
	var parts []string
	switch e.Action {
	case schedule.Cancel:
		parts = append(parts, lang.L("roster.exc.cancel"))
	case schedule.Add:
		parts = append(parts, lang.L("roster.exc.add"))
	case schedule.Replace:
		if e.Substitute == "" {
			parts = append(parts, fmt.Sprintf(lang.L("roster.exc.excused"), d.MemberName(e.Person)))
		} else {
			parts = append(parts, fmt.Sprintf(lang.L("roster.exc.replaces"), d.MemberName(e.Substitute), d.MemberName(e.Person)))
		}
	}
	switch {
	case e.Dates != nil:
		if e.Dates.From == e.Dates.To {
			parts = append(parts, e.Dates.From.String())
		} else {
			parts = append(parts, e.Dates.From.String()+" – "+e.Dates.To.String())
		}
	case e.LunarFrom != nil && e.LunarTo != nil:
		parts = append(parts, fmt.Sprintf(lang.L("roster.exc.lunarYearly"), LunarMD(*e.LunarFrom), LunarMD(*e.LunarTo)))
	}
	var rules []string
	for _, id := range e.Rules {
		rules = append(rules, d.RuleName(id))
	}
	for _, k := range e.Kinds {
		rules = append(rules, kit.CodeWord("shift", k))
	}
	if len(rules) == 0 {
		parts = append(parts, lang.L("roster.exc.allRules"))
	} else {
		parts = append(parts, kit.JoinWith("、", rules...))
	}
	return kit.JoinWith("  ·  ", parts...)
}

// LunarMD is a lunar month and day in words: 腊月廿三 (? when out of range).
func LunarMD(m schedule.LunarMD) string {
	if m.Month < 1 || m.Month > 12 || m.Day < 1 || m.Day > 30 {
		return "?"
	}
	return LunarMonthNames[m.Month-1] + LunarDayNames[m.Day-1]
}

// Conflict says what is wrong with a slot in plain words: 重复排班,
// 人数不足, 请假, 替班.
func Conflict(cf schedule.Conflict) string {
	switch cf.Kind {
	case schedule.ConflictDoubleBooked:
		if cf.With != nil {
			_, m, d := cf.With.Date.YMD()
			return fmt.Sprintf(lang.L("roster.conflict.double"), cf.Person, m, d, cf.With.Start.String(), cf.With.Rule)
		}
		return fmt.Sprintf(lang.L("roster.conflict.doubleShort"), cf.Person)
	case schedule.ConflictShort:
		return fmt.Sprintf(lang.L("roster.conflict.short"), cf.Need, cf.Have)
	case schedule.ConflictOnLeave:
		return fmt.Sprintf(lang.L("roster.conflict.leave"), cf.Person)
	case schedule.ConflictSubstituted:
		return fmt.Sprintf(lang.L("roster.conflict.substituted"), cf.Person, cf.By)
	}
	return lang.L("roster.conflict.other")
}

// Weekday is a weekday in the window's words: 星期三.
func Weekday(w time.Weekday) string {
	return lang.L(weekdayKey(w))
}

// WeekdayShort is a weekday in a few words: 周三.
func WeekdayShort(w time.Weekday) string {
	return lang.L(weekdayKey(w) + ".short")
}

func weekdayKey(w time.Weekday) string {
	return [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}[w]
}

// WeekdaysMonFirst are the weekdays as a week is written, Monday first.
func WeekdaysMonFirst() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
}

// KindFigures says the period's figures per kind of slot, as the station
// and the reports say them: 日常巡逻 12/13，逢集巡逻 3/4，护学岗 1/2 (50%).
func KindFigures(f tally.Figures) string {
	parts := kit.KindParts(f)
	return lang.L("roster.comp.byKind") + strings.Join(parts, lang.L("list.sep"))
}

// HolidayGap says a year the holiday calendar does not hold
// (schedule.HolidayGap), or the school break it lacks: the calendar's
// status line and 完成情况 say it alike.
func HolidayGap(g schedule.HolidayGap) string {
	what := lang.L("roster.gap.public")
	if g.Kind == schedule.HolidaySchool {
		what = lang.L("roster.gap.school")
		// One break missing (the other stored): name it.
		if len(g.Missing) == 1 {
			switch g.Missing[0] {
			case "寒假":
				what = lang.L("roster.gap.winter")
			case "暑假":
				what = lang.L("roster.gap.summer")
			}
		}
	}
	return fmt.Sprintf(lang.L("roster.gap.text"), g.Year, what, strings.Join(g.Rules, "、"), g.Year)
}

// HolidayKind is a kind as the calendar says it.
func HolidayKind(kind string) string {
	switch kind {
	case schedule.HolidayWorkday:
		return lang.L("roster.hol.kind.workday")
	case schedule.HolidaySchool:
		return lang.L("roster.hol.kind.school")
	}
	return lang.L("roster.hol.kind.public")
}

// HolidayState is 已核实 or 待核实, and whose the entry is (at a station
// its own entries are the ones it publishes).
func HolidayState(e rosterdata.HolidayEntry, atStation bool) (state, whose string) {
	state = lang.L("roster.hol.unconfirmed")
	if e.Confirmed {
		state = lang.L("roster.hol.confirmed")
	}
	switch e.From {
	case rosterdata.HolidayFromStation:
		whose = lang.L("roster.hol.fromStation")
		if atStation {
			whose = lang.L("roster.hol.published")
		}
	case rosterdata.HolidayFromPost:
		whose = lang.L("roster.hol.fromPost")
	default:
		whose = lang.L("roster.hol.shipped")
	}
	if e.Shadowed {
		whose += " · " + lang.L("roster.hol.shadowed")
	}
	return state, whose
}

// Leave are leave as the officer reads and types it: 2026-12-01 至
// 2026-12-05 (roster.leave.to; the store keeps 2026-12-01..2026-12-05,
// and leaveRanges reads either, as it reads 到 and ~).
func Leave(leave []string) []string {
	out := make([]string, len(leave))
	for i, l := range leave {
		if from, to, ok := strings.Cut(l, ".."); ok && from == to {
			l = from // a typed end's own day (rosterdata's mark): one day
		}
		out[i] = strings.Replace(l, "..", " "+lang.L("roster.leave.to")+" ", 1)
	}
	return out
}
