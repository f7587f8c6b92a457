// Package tally owns the patrol figures, the one definition of a post's
// patrol numbers: how many logged turns its roster planned over a range
// (store/schedule expands it), how many a patrol log entry answers
// (Match), how many patrols answer none, per kind of turn (market days,
// 护学岗), per team and week or month (Compliance), and what could not be
// counted (Problems, with the errors behind them). The post's 巡逻排班,
// the station's screens, `cunjing station` and the month report all count
// with Tally, so they cannot disagree. It is pure: no database, no clock.
package tally
