// Package stationwords says a station's and a county's figures in the
// words of the station's translations (zh.json, en.json beside it), for
// the window (through Fyne's lang.L) and for `cunjing station` and
// `cunjing county` (through Zh, the Chinese table read here without Fyne):
// each figure shown in both is worded by one function, so the window and
// the command line never say a number two ways.
package stationwords

import (
	"cunjing/app/lang/translations"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/postcounts"
	"cunjing/store/schedule/tally"
	syncstation "cunjing/sync/station"
)

// L looks a message key up: lang.L in the window, Zh on the command line.
type L = translations.L

// Zh is the Chinese words of key (translations.Zh), for the command line.
func Zh(key string) string { return translations.Zh(key) }

// Percent is a plan's rate as the whole per cent every line shows.
func Percent(p syncstation.PatrolPlan) int { return int(p.Rate*100 + 0.5) }

// Counts is houses, households and residents on one line.
func Counts(l L, st postcounts.Stats) string {
	return fmt.Sprintf(l("station.dash.counts"), st.Houses, st.Households, st.Residents)
}

// Warnings is the households by warning colour: 按颜色：红色 3，橙色 5，绿色 90.
func Warnings(l L, st postcounts.Stats) string {
	return l("station.dash.byWarning") + fmt.Sprintf(l("station.dash.warnings"),
		st.ByWarning[store.WarnRed], st.ByWarning[store.WarnOrange], st.ByWarning[store.WarnGreen])
}

// rosterBroken reports whether nothing is planned because the roster does
// not expand (its problem is said apart), not because there is none.
func rosterBroken(p syncstation.PatrolPlan) bool {
	return p.Planned == 0 && slices.ContainsFunc(p.Problems, func(s string) bool { return strings.HasPrefix(s, tally.RosterProblem) })
}

// Patrols is a post's (or a total's) patrol line, the same words
// everywhere. "0 of 0 planned (100%)" reads as a post doing everything
// asked of it; with no roster the honest line is that nothing is planned,
// and with a roster that does not expand, that it has a problem.
// Patrols made with no roster behind them are said only when there are
// some: 另有临时巡逻 0 次 on every line was noise.
func Patrols(l L, p syncstation.PatrolPlan) string {
	adHoc := func(key string) string {
		if p.AdHoc == 0 {
			return ""
		}
		return fmt.Sprintf(l(key), p.AdHoc)
	}
	switch {
	case rosterBroken(p):
		return l("station.dash.patrolsBroken") + adHoc("station.dash.adHoc")
	case p.Planned == 0:
		return l("station.dash.patrolsNone") + adHoc("station.dash.adHoc")
	}
	return fmt.Sprintf(l("station.dash.patrols"), p.Done, p.Planned, Percent(p)) + adHoc("station.dash.adHocBeside")
}

// PatrolsShort is the patrols in a few words for a post's row.
func PatrolsShort(l L, p syncstation.PatrolPlan) string {
	switch {
	case rosterBroken(p):
		return l("station.posts.rosterBroken")
	case p.Planned == 0:
		return l("station.posts.noPlan")
	}
	return fmt.Sprintf(l("station.posts.patrols"), p.Done, p.Planned, Percent(p))
}

// For is a length of time in the largest whole unit that fits: 5 分钟,
// 3 小时 (under two days), 4 天.
func For(l L, d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf(l("station.for.minutes"), int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(l("station.for.hours"), int(d.Hours()))
	}
	return fmt.Sprintf(l("station.for.days"), int(d.Hours()/24))
}

// Fresh says how long ago a device's newest data arrived (negative: none
// yet, or when is not known), to the minute.
func Fresh(l L, d time.Duration) string {
	if d < 0 {
		return l("station.dash.noData")
	}
	d = d.Round(time.Minute)
	if d < time.Minute {
		return l("station.justNow")
	}
	return fmt.Sprintf(l("station.ago"), For(l, d))
}
