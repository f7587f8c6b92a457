// Package patrollog is the 巡逻记录 tab of 巡逻排班: the patrols of the
// last two weeks and the form that logs one, from a planned slot or ad hoc
// (team, people, route, houses visited, boards posted or checked,
// findings). It is drawn in a tab.Host, the roster screen.
package patrollog
