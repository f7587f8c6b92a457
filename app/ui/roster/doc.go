// Package roster is the 巡逻排班 area: the roster calendar with its
// conflicts and duty-table print, the shift rules read as typed, teams
// and members, exceptions (holidays, stand-ins, swaps), the patrol log and
// planned-versus-done counts, over package store/schedule.
//
// Its tabs are drawn in the screen through tab.Host; the 巡逻记录 tab is
// package patrollog, what the tabs share is package tab, and what they
// say of records in words (an exception, a conflict, leave …) is package
// rosterwords.
//
// It takes what it needs from the window through Env; the shell (app/ui)
// wires it.
package roster
