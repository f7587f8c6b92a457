// Package rosterdata owns the roster as the store holds it, turned into
// what package schedule computes with: the teams, members, shift rules
// and exceptions read as a schedule.Input (ScheduleInput, and one owner's
// at a station, ScheduleInputOf), the holiday calendar (the stored
// holidays laid over the shipped defaults, whose each entry is, saving,
// deleting and confirming them), and the patrol figures every screen,
// `cunjing station` and the monthly report count with (PatrolFigures,
// PatrolFiguresOf over tally.Tally). It sits above store and reads
// and writes through its exported API (typed lists through store.List and
// store.Live, which only store's sub-packages may call).
package rosterdata
