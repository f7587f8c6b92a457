// Package households is the 住户 area: the household list with its
// filters and one search box, a household's residents and visits, the
// forms that add and change them (an ID number checked as it is typed),
// and importing and exporting a household ledger (.xlsx/.csv) over
// package store/ledger.
//
// It takes what it needs from the window through Env and reaches the map
// only through Env.ShowHouseOnMap; the shell (app/ui) wires it.
package households
