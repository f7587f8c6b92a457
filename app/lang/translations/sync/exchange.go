package syncwords

import (
	"fmt"

	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// Exchange sums up an exchange through a folder (a USB stick), a
// sentence each, as 同步's U 盘交换 and `cunjing exchange` say it: what
// was read and merged, what was packed and written, what was skipped,
// what waits for an earlier package, what was refused, what seems still
// being copied.
func Exchange(l L, r exchange.Report) []string {
	o := r.Imported.Outcomes
	lines := []string{
		fmt.Sprintf(l("sync.exchRead"), r.Imported.Files, o[cjsync.Applied], r.Imported.Changes),
		fmt.Sprintf(l("sync.exchWrote"), r.Cut, r.Written),
	}
	if n := o[cjsync.Duplicate] + o[cjsync.Own] + o[cjsync.NotForUs] + o[cjsync.Ignored]; n > 0 {
		lines = append(lines, fmt.Sprintf(l("sync.exchSkipped"), n))
	}
	if n := o[cjsync.Waiting]; n > 0 {
		lines = append(lines, fmt.Sprintf(l("sync.waitingIn"), n))
	}
	if n := o[cjsync.Rejected] + r.Imported.Refused; n > 0 {
		lines = append(lines, fmt.Sprintf(l("sync.rejected"), n))
	}
	if len(r.Pending) > 0 {
		lines = append(lines, fmt.Sprintf(l("sync.exchPending"), len(r.Pending)))
	}
	return lines
}
