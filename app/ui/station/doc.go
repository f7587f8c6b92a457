// Package station is the numbers: 统计 (the record counts as tiles) and,
// at a station, the tabs the shell adds to 同步: the township dashboard
// (per post and in total, stale posts standing out) and publishing cost
// items, board templates and notices to the posts, over package
// sync/station.
//
// It takes what it needs from the window through Env; Env.Published tells
// the window what publishing changed.
package station
