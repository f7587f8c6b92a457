package station

import (
	"cmp"
	"slices"
	"time"
)

// StaleAfter is how long a post may stay silent before the station's
// window lists it as stale (超过 3 天没有新数据): long enough that a post
// whose PC was off over the weekend is not flagged on Monday morning.
const StaleAfter = 72 * time.Hour

// LowPatrolRate is the share of planned patrols below which a post's
// patrols need the station's attention (巡逻完成不到六成): the demo post,
// which misses one patrol in five, is not flagged; a post that stopped
// logging for a week is.
const LowPatrolRate = 0.6

// MinPlannedForRate is how many patrols must have been planned before the
// share done can flag a post: the month to date counts today's turns,
// which are not done yet in the morning, so on the first days of a month
// every post stood at 0 of 1 or 1 of 3 and was flagged (巡逻只完成 0%).
const MinPlannedForRate = 5

// DefaultRange is the dates the station counts patrols and prints over
// when none are given: the first of now's month to now's date, as `cunjing
// station` counts, the post's 完成情况 by month and the month report.
func DefaultRange(now time.Time) (from, to string) {
	y, m, _ := now.Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, now.Location()).Format("2006-01-02"), now.Format("2006-01-02")
}

// Need is something about a post the station has to look into; the
// smaller, the more urgent.
type Need int

const (
	// NeedPaused: the station's sessions with the post are paused (its
	// files kept failing verification).
	NeedPaused Need = iota
	// NeedDiverged: a split waits to be healed (a refused place in the
	// chain, changesets waiting for one that has not come).
	NeedDiverged
	// NeedNoData: nothing of the post has arrived, or when is not known.
	NeedNoData
	// NeedStale: its newest data is older than the stale limit.
	NeedStale
	// NeedPatrols: fewer than LowPatrolRate of its planned patrols done.
	NeedPatrols
	// NeedRequests: requests to unlock an approved month wait for the
	// station's decision (月度审核).
	NeedRequests
	// NeedRoster: its roster or patrol log could not be counted.
	NeedRoster
	// NeedWaiting: it has not confirmed what the station sent it longer
	// than the stale limit ago (WaitingLong).
	NeedWaiting
	// NeedClock: its PC's clock is off by more than a day.
	NeedClock
)

// Needs lists what about the post the station has to look into, most
// urgent first; none for an unpaired post (nothing is expected of it).
// The patrol needs count only once the plans are counted (FillPlans: an
// Overview's plan has nothing planned).
func (p PostView) Needs() []Need {
	if p.Unpaired {
		return nil
	}
	var out []Need
	if p.Paused != "" {
		out = append(out, NeedPaused)
	}
	if len(p.Divergences) > 0 {
		out = append(out, NeedDiverged)
	}
	if p.Freshness < 0 {
		out = append(out, NeedNoData)
	} else if p.Stale {
		out = append(out, NeedStale)
	}
	if p.Plan.Planned >= MinPlannedForRate && p.Plan.Rate < LowPatrolRate {
		out = append(out, NeedPatrols)
	}
	if p.Requests > 0 {
		out = append(out, NeedRequests)
	}
	if len(p.Plan.Problems) > 0 {
		out = append(out, NeedRoster)
	}
	if p.WaitingLong {
		out = append(out, NeedWaiting)
	}
	if p.Clock != "" {
		out = append(out, NeedClock)
	}
	return out
}

// WorstFirst orders posts for the duty officer: those needing the most
// urgent attention first, then those needing more, then the lower patrol
// rate and the older data; posts needing nothing after them, unpaired
// posts last; by name within a tie. The window's 全镇总览 and 各警务室 show
// posts in this order.
func WorstFirst(posts []PostView) {
	type key struct {
		first, n int
		rate     float64
		fresh    time.Duration
	}
	keyOf := func(p PostView) key {
		needs := p.Needs()
		k := key{first: int(NeedClock) + 1, rate: 2, fresh: p.Freshness}
		if p.Unpaired {
			k.first++
		}
		if len(needs) > 0 {
			k.first, k.n = int(needs[0]), len(needs)
		}
		if p.Plan.Planned > 0 {
			k.rate = p.Plan.Rate
		}
		if k.fresh < 0 {
			k.fresh = 1<<63 - 1
		}
		return k
	}
	slices.SortStableFunc(posts, func(a, b PostView) int {
		ka, kb := keyOf(a), keyOf(b)
		return cmp.Or(cmp.Compare(ka.first, kb.first), cmp.Compare(kb.n, ka.n), cmp.Compare(ka.rate, kb.rate),
			cmp.Compare(kb.fresh, ka.fresh), cmp.Compare(a.Name, b.Name))
	})
}

// WaitState is how what the station sent a post and the post has not
// confirmed yet stands (PostView.Wait).
type WaitState int

const (
	// WaitNone: the post has confirmed everything sent to it.
	WaitNone WaitState = iota
	// WaitNormal: sent since the post last synced (a notice just
	// published): it takes them at its next sync. Normal.
	WaitNormal
	// WaitUnconfirmed: the post has been heard from since, but has not
	// confirmed them yet. Not yet a worry: its news may have come on a
	// USB stick that left before they were sent, and a receipt comes back
	// only after the session that took them (on a stick, the next trip).
	WaitUnconfirmed
	// WaitLate: the oldest has waited longer than the stale limit
	// (WaitingLong): the post needs a call (NeedWaiting).
	WaitLate
)

// Wait says how what waits for the post stands. Only days make it late:
// the post's last contact moves with any of its changesets applied here,
// whatever carried them, so "heard from since" is no proof that it had
// the station's packages within reach.
func (p PostView) Wait() WaitState {
	switch {
	case p.Waiting == 0:
		return WaitNone
	case p.WaitingLong:
		return WaitLate
	}
	since, err1 := time.Parse(time.RFC3339, p.WaitingSince)
	contact, err2 := time.Parse(time.RFC3339, p.LastContact)
	if err1 == nil && err2 == nil && contact.After(since) {
		return WaitUnconfirmed
	}
	return WaitNormal
}
