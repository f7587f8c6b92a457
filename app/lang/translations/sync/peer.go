package syncwords

import (
	"fmt"
	"strings"
	"time"

	"cunjing/app/synconce"
	"cunjing/store"
	"cunjing/sync/status"
)

// clockSlack is how far in the future a time may lie and still be "just
// now": two PCs' clocks are seldom to the second.
const clockSlack = 5 * time.Minute

// Ago says how long before now an RFC 3339 time was (从未联系 for "", the
// text itself when it is not a time). now is the caller's clock.
func Ago(l L, ts string, now time.Time) string {
	if ts == "" {
		return l("sync.never")
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return Age(l, now.Sub(t))
}

// Age is an age in the largest whole unit: 刚刚, 3 分钟前, 2 小时前 (up to
// two days), 3 天前. An age below -clockSlack (a time after now) says a
// clock is wrong instead of "just now": a post whose PC runs years ahead
// must not look freshly heard from.
func Age(l L, d time.Duration) string {
	switch {
	case d < -clockSlack:
		return l("sync.future")
	case d < time.Minute:
		return l("sync.justNow")
	case d < time.Hour:
		return fmt.Sprintf(l("sync.minutesAgo"), int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(l("sync.hoursAgo"), int(d.Hours()))
	}
	return fmt.Sprintf(l("sync.daysAgo"), int(d.Hours()/24))
}

// Role names a role as the window's role words do (派出所, 警务室,
// 县公安局); anything else is a carrier (中转设备).
func Role(l L, role string) string {
	switch role {
	case store.RolePost, store.RoleStation, store.RoleCounty:
		return l("role." + role)
	}
	return l("sync.carrier")
}

// Who names a peer in what it has received: the one above by its role (a
// post's station 派出所, a station's county 县公安局), any other by name
// (「东关村警务室」).
func Who(l L, selfRole, peerRole, peerName string) string {
	if store.Above(peerRole, selfRole) {
		return Role(l, peerRole)
	}
	return fmt.Sprintf(l("sync.ackWhoNamed"), peerName)
}

// Ack says what a peer (who) has received of what this device made for
// it: "派出所已收到 12月4日 15:02 之前的全部修改", or what it still waits
// for: "还有 3 个数据包等着派出所收下（从 12月3日 起）". through is when
// the newest package it acknowledged was made ("" none), since when the
// oldest it has not, waiting how many it has not; times shown in loc.
func Ack(l L, who, through string, waiting int, since string, loc *time.Location) string {
	var parts []string
	if through != "" {
		key := "sync.ackAll"
		if waiting > 0 {
			key = "sync.ackSome"
		}
		parts = append(parts, fmt.Sprintf(l(key), who, minute(l, through, loc)))
	}
	if waiting > 0 {
		parts = append(parts, fmt.Sprintf(l("sync.ackWaiting"), waiting, who, day(l, since, loc)))
	} else if through == "" {
		parts = append(parts, fmt.Sprintf(l("sync.ackNothing"), who))
	}
	return strings.Join(parts, l("sync.ackSep"))
}

func minute(l L, ts string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	t = t.In(loc)
	return fmt.Sprintf(l("sync.ackMinute"), int(t.Month()), t.Day(), t.Hour(), t.Minute())
}

func day(l L, ts string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	t = t.In(loc)
	return fmt.Sprintf(l("sync.ackDay"), int(t.Month()), t.Day())
}

// Forgotten says that the peer (who) refused this device at its last
// session because it does not know it, that what it acknowledged before
// no longer counts, and what to do.
func Forgotten(l L, who string) string { return fmt.Sprintf(l("sync.forgotten.ack"), who) }

// Acks reports whether what a peer has received is said of it: of a paired
// post, station or county, or of any peer that forgot this device.
func Acks(p status.Peer) bool {
	switch p.Role {
	case store.RolePost, store.RoleStation, store.RoleCounty:
		return true
	}
	return p.LastCause == status.CauseForgotten
}

// Received is what the peer p has received of what this device (selfRole)
// made for it (Ack), or, once it forgot this device, that it refused it
// (Forgotten); "" for a peer nothing is said of (Acks).
func Received(l L, selfRole string, p status.Peer, loc *time.Location) string {
	if !Acks(p) {
		return ""
	}
	who := Who(l, selfRole, p.Role, p.Name)
	if p.LastCause == status.CauseForgotten {
		return Forgotten(l, who)
	}
	return Ack(l, who, p.AckThrough, p.Unacknowledged, p.WaitingSince, loc)
}

// Contact says when the peer was last reached: 上次联系：3 分钟前.
func Contact(l L, p status.Peer, now time.Time) string {
	return fmt.Sprintf(l("sync.lastContact"), Ago(l, p.LastContact, now))
}

// Path says how the last session reached the peer (上次连接方式：直连), ""
// for a way not known.
func Path(l L, path string) string {
	if key := synconce.PathKey(path); key != "" {
		return fmt.Sprintf(l("sync.lastPath"), l(key))
	}
	return ""
}

// Fetch says how many files the peer announced that are not here yet (""
// for none).
func Fetch(l L, n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(l("sync.fetchWaiting"), n)
}

// Bytes says what the peer sent and received, over the network and on
// sticks (status.BytesWords).
func Bytes(l L, in, out int64) string {
	return fmt.Sprintf(l("sync.bytes"), status.BytesWords(in), status.BytesWords(out))
}

// Cause is the words of why the last session with a peer failed, as
// 立即同步 says a failure (sync.why.…: what happened, what to do); a last
// error without a key of its own is CauseOther's. "" when the last
// exchange went well.
func Cause(l L, p status.Peer) string {
	if p.LastError == "" && p.LastCause == "" {
		return ""
	}
	cause := p.LastCause
	if cause == "" {
		cause = status.CauseOther
	}
	return l(cause)
}

// Problem is 上次的问题：and Cause, "" when the last exchange went well or
// when the peer forgot this device (Received says so).
func Problem(l L, p status.Peer) string {
	if p.LastCause == status.CauseForgotten {
		return ""
	}
	if c := Cause(l, p); c != "" {
		return l("sync.lastProblem") + c
	}
	return ""
}

// Raw is the peer's last error in the program's own words, to show under
// Problem when its cause has no words of its own ("" otherwise).
func Raw(p status.Peer) string {
	if p.LastError == "" || (p.LastCause != "" && p.LastCause != status.CauseOther) {
		return ""
	}
	return p.LastError
}
