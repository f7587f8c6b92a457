// Package rostercmd holds the commands of the rosters area: the roster
// itself (teams, members, rules, patrol logs), its printed duty tables
// (print roster) and the holiday calendar rules consult (holidays).
package rostercmd
