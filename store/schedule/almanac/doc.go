// Package almanac is the calendar the roster is written in: civil dates as
// day numbers (Date, DateRange, ParseDate), clock times and duty windows
// (Clock, Window, ParseWindows), and the Chinese lunar calendar (LunarDate,
// the sexagenary day, LunarTable: the lunar months of a range computed once
// so that expanding a year of rules costs a handful of calls to
// github.com/6tail/lunar-go instead of one per day per rule), and the
// holiday calendar (Holiday, DefaultHolidays, MergeHolidays).
//
// It is pure: no database, no clock, no network; package schedule builds
// the roster's rules on it.
package almanac
