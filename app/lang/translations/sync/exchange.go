package syncwords

import (
	"errors"
	"fmt"
	"strings"
	"time"

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
	if r.Imported.Other > 0 {
		names := strings.Join(r.Imported.OtherNames, "、")
		if r.Imported.Other > len(r.Imported.OtherNames) {
			names += l("sync.exchOtherMore")
		}
		lines = append(lines, fmt.Sprintf(l("sync.exchOther"), r.Imported.Other, names))
	}
	if w := Junk(l, r); w != "" {
		lines = append(lines, w)
	}
	return lines
}

// Junk says, when a stick brought more junk today than quarantine's
// bounds allow and the rest of the folder was left unread, what that
// means and what to do; "" otherwise.
func Junk(l L, r exchange.Report) string {
	if r.Imported.Unexamined == 0 {
		return ""
	}
	return fmt.Sprintf(l("sync.exchJunk"), r.JunkToday.Files, r.JunkToday.NotForUsFiles, r.Imported.Unexamined)
}

// FillExchange puts the Chinese of what is worded here into the report's
// JSON (junk_words) and its status (Fill), as 同步 says it.
func FillExchange(r *exchange.Report, now time.Time) {
	r.JunkWords = Junk(Zh, *r)
	Fill(&r.Status, now)
}

// WriteFailed says, when err is a failed write to the exchange folder
// (exchange.WriteError), what became of the stick and what to do, and
// that what it brought for this PC was read and saved already; "" for any
// other error.
func WriteFailed(l L, err error) string {
	var we *exchange.WriteError
	if !errors.As(err, &we) {
		return ""
	}
	return fmt.Sprintf(l("sync.exchWrite."+we.Why), l("sync.exchWriteKept"))
}
