// Package schedule owns the patrol-roster logic of cunjing: market-day and
// shift rules written the way villages write them (农历逢二、五、十, 赶辰戌,
// 每周一、五 …), their expansion into dated slots with teams and people,
// fair 24-hour duty rotations, exceptions (holidays, the Spring Festival
// break, swaps), conflict flags, and the planned-versus-done compliance
// counts of the patrol log.
//
// It is pure logic: no database, no clock, no network. The store persists a
// rule's Spec as JSON text (Spec marshals to stable, documented keys) and
// converts its rows into Input; the app renders Schedule and Slot values.
//
// Dates, clock times and lunar dates are its sub-package almanac's (re-named
// here: schedule.Date is almanac.Date); almanac precomputes a table of lunar
// months for the range being expanded so that a year of rules costs a
// handful of library calls instead of one per day per rule.
//
// Choices a market-goer would expect, decided here once:
//   - A lunar month has 29 or 30 days. A rule that holds a market on day 30
//     (the "十" of 逢二、五、十, or 三十 written out) holds it on day 29 in a
//     29-day month, because villagers say "小月赶廿九"; Spec.ShortMonth =
//     "skip" drops it instead for towns that do so.
//   - A leap month (闰月) is an ordinary month for markets: its days are
//     counted 初一 … 廿九/三十 and markets fall on them like any other month.
//   - A weekly rule held on every working weekday (工作日, 周一至周五) is
//     also held on a 调休上班 weekend day, which is a working day; a rule
//     on some weekdays only (每周一、五) is not.
//   - A solar "逢1" includes the 31st (it ends in 1); a solar 逢十/逢0 on the
//     30th moves to the last day of February like the lunar rule above.
package schedule
