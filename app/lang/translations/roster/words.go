// Package clockwords says what 巡逻排班 knows of the PC's clock in the
// words of the roster's translations (zh.json, en.json beside it), for
// the window's clock line and its question (app/ui/roster/rosterclock,
// through Fyne's lang.L) and for `cunjing roster confirm-today` and the
// roster commands' warnings (through Zh, the Chinese table read without
// Fyne): each sentence both say is worded by one function from one entry,
// as packages stationwords and syncwords do for their areas.
// store/rosterdata decides (TodayOf, ConfirmToday, ConfirmStationDate).
package clockwords

import (
	"fmt"

	"cunjing/app/lang/translations"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// L looks a message key up: lang.L in the window, Zh on the command line.
type L = translations.L

// Zh is the Chinese words of key (translations.Zh), for the command line.
func Zh(key string) string { return translations.Zh(key) }

// Behind says the PC's date is before what the database has seen, so
// edits apply from the later day (d.ClockBehind).
func Behind(l L, d rosterdata.EditDay) string {
	return fmt.Sprintf(l("roster.clock.behind"), d.PC, d.Seen, d.Day)
}

// Wrong says why the PC's date cannot be today and what to do: set the
// computer's date (a flat clock battery reads 1999).
func Wrong(l L, e *almanac.DateImpossibleError) string {
	key := "roster.clock.wrongBuilt"
	if e.ByPeers {
		key = "roster.clock.wrongPeers"
	}
	return fmt.Sprintf(l(key), e.PC.Format("2006-01-02"), e.Floor.Format("2006-01-02"))
}

// Who is the device that measured the PC's clock, as the sentences name
// it: 派出所, or 同步的电脑 (another post).
func Who(l L, se *rosterdata.StationDateError) string {
	if se.Peer.Role == store.RoleStation {
		return l("roster.clock.station.station")
	}
	return l("roster.clock.station.peer")
}

// Measured says that a paired device measured this PC's clock off (se):
// by how much, when, its date, and what to do — take its date (a clock
// behind) or set the computer's (ahead).
func Measured(l L, se *rosterdata.StationDateError) string {
	key := "roster.clock.station.behind"
	if se.Ahead() {
		key = "roster.clock.station.ahead"
	}
	return fmt.Sprintf(l(key), se.Peer.Name, schedule.FromTime(se.MeasuredOn()), se.Days(), schedule.FromTime(se.Today()), Who(l, se), schedule.FromTime(se.PC))
}

// CheckDay says which day a check (a holiday's 核实) is dated and why
// (rosterdata.TodayState.CheckDay): the computer's date, or the date a
// paired device measured (se), which the officer took as today.
func CheckDay(l L, day schedule.Date, se *rosterdata.StationDateError) string {
	if se == nil {
		return fmt.Sprintf(l("roster.day.pc"), day)
	}
	return fmt.Sprintf(l("roster.day.station"), day, Who(l, se), se.Peer.Name, se.Days(), schedule.FromTime(se.PC))
}

// Unknown says why a check is not dated by the PC's clock (e): the date
// cannot be today, a paired device measured the clock off, or it is
// before what the file has seen; the caller adds the way on (a date
// given, which day is today answered, the computer's date set).
func Unknown(l L, e *rosterdata.DayUnknownError) string {
	switch se := e.Measured; {
	case e.Day.Impossible != nil:
		return fmt.Sprintf(l("roster.day.wrong"), e.Day.Impossible.PC.Format("2006-01-02"), e.Day.Impossible.Floor.Format("2006-01-02"))
	case se != nil:
		way := l("roster.day.slow")
		if se.Ahead() {
			way = l("roster.day.fast")
		}
		return fmt.Sprintf(l("roster.day.measured"), se.Peer.Name, schedule.FromTime(se.MeasuredOn()), way, se.Days(), schedule.FromTime(se.Today()), Who(l, se), schedule.FromTime(se.PC))
	}
	return fmt.Sprintf(l("roster.day.behind"), e.Day.PC, e.Day.Seen)
}
