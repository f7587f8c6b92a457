package schedule

import (
	"time"

	"cunjing/store/schedule/almanac"
)

// The calendar the roster is written in is package almanac's: civil dates,
// clock times and windows, the lunar calendar. These names keep schedule's
// callers as they were (schedule.Date, schedule.ParseDate …).
type (
	Date       = almanac.Date
	DateRange  = almanac.DateRange
	Clock      = almanac.Clock
	Window     = almanac.Window
	LunarDate  = almanac.LunarDate
	LunarTable = almanac.LunarTable
	// WeekdaysOff is almanac.WeekdaysOff: regular days off from a day on.
	WeekdaysOff = almanac.WeekdaysOff
)

// DateOf is almanac.DateOf: y-m-d without range checks.
func DateOf(y, m, d int) Date { return almanac.DateOf(y, m, d) }

// Zone is almanac.Zone: Beijing time, in which every calendar day is reckoned.
var Zone = almanac.Zone

// FromTime is almanac.DayOf: the calendar day of the instant t in Beijing
// time, whatever t's location (a UTC server's 23:30 is the next day).
func FromTime(t time.Time) Date { return almanac.DayOf(t) }

// ParseDate is almanac.ParseDate: YYYY-MM-DD within the supported years.
func ParseDate(s string) (Date, error) { return almanac.ParseDate(s) }

// ParseDateRange is almanac.ParseDateRange.
func ParseDateRange(s string) (DateRange, error) { return almanac.ParseDateRange(s) }

// ParseWeekdaysOff is almanac.ParseWeekdaysOff.
func ParseWeekdaysOff(ss []string) ([]WeekdaysOff, error) { return almanac.ParseWeekdaysOff(ss) }

// ParseLeave is almanac.ParseLeave.
func ParseLeave(ss []string) ([]DateRange, error) { return almanac.ParseLeave(ss) }

// ParseClock is almanac.ParseClock: HH:MM.
func ParseClock(s string) (Clock, error) { return almanac.ParseClock(s) }

// ParseWindows is almanac.ParseWindows.
func ParseWindows(s string) ([]Window, error) { return almanac.ParseWindows(s) }

// NewLunarTable is almanac.NewLunarTable: the lunar months covering from..to.
func NewLunarTable(from, to Date) (*LunarTable, error) { return almanac.NewLunarTable(from, to) }
