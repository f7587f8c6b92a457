package rosterdata

import (
	"context"
	"fmt"
	"time"

	"cunjing/store"
	"cunjing/store/schedule"
)

// PeerClock is what a paired device (the station, another post) last
// measured of this PC's clock: the sync engine keeps it (store/syncbook's
// Peer.ClockMs, ClockAt, ClockBy: from a BEP hello, the stamps of changes
// merged, a peer's clock note); PeerClocks reads them (TodayOf), and the
// caller — the window, the command line — hands them to ConfirmToday as
// plain values (a test its own).
type PeerClock struct {
	Name, Role string
	// Offset is the peer's clock minus this PC's (0: within a day).
	Offset time.Duration
	// At is when it was measured, by this PC's clock (zero: never).
	At time.Time
}

// PeerClockOf is a peer's measurement as the sync bookkeeping keeps it:
// ms the offset, at when (RFC 3339; "" or unreadable: never measured).
func PeerClockOf(name, role string, ms int64, at string) PeerClock {
	p := PeerClock{Name: name, Role: role, Offset: time.Duration(ms) * time.Millisecond}
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		p.At = t
	}
	return p
}

// ClockFreshFor is how long a peer's measurement of this PC's clock
// stands as evidence: older, it says little (the clock may have been set
// since, and the next sync measures it again).
const ClockFreshFor = 14 * 24 * time.Hour

// OutsideClock is the latest measurement of this PC's clock by a paired
// device, taken at most ClockFreshFor before now (by this PC's clock: a
// measurement "after" now was taken before the clock was set back), when
// it found the clock off by more than a day (store.MaxAhead) and still
// stands (Stale); false when there is none (never synced, all too old,
// the latest agrees, or it is stale).
func OutsideClock(peers []PeerClock, now time.Time) (PeerClock, bool) {
	var latest PeerClock
	for _, p := range peers {
		age := now.Sub(p.At)
		if p.At.IsZero() || age < -store.MaxAhead || age > ClockFreshFor || p.At.Before(latest.At) {
			continue
		}
		latest = p
	}
	return latest, (latest.Offset > store.MaxAhead || latest.Offset < -store.MaxAhead) && !latest.Stale(now)
}

// Stale says the PC's clock has moved against the measurement since: one
// that found it behind, once it reads (now) the peer's time when it
// measured or later — set forward since (set right, by the officer told
// it was wrong), or that many days passed without a sync measuring it
// again —, which would otherwise offer the PC's date plus the offset, a
// day not come yet; one that found it ahead, once it reads more than a
// day before its own reading then (set back since). Until the next sync
// measures again, the officer's word stands, as when never synced.
func (p PeerClock) Stale(now time.Time) bool {
	if p.Offset > 0 {
		return !now.Before(p.At.Add(p.Offset))
	}
	return now.Before(p.At.Add(-store.MaxAhead))
}

// StationDateError refuses to confirm this PC's date as today: a paired
// device (Peer) measured this PC's clock (PC) off by more than a day, so
// today is most likely that device's date (Today), and confirming the
// PC's would rewrite the rosters of the days between (a clock a month
// behind: the month just past). The officer sets the computer's date, or
// takes the peer's date (ConfirmStationDate).
type StationDateError struct {
	PC   time.Time
	Peer PeerClock
}

// Today is the peer's date: the PC's time plus the offset measured.
func (e *StationDateError) Today() time.Time { return e.PC.Add(e.Peer.Offset) }

// Ahead says the PC's clock runs ahead of the peer's: its date is not
// one to take (ConfirmStationDate refuses it; set the computer's date).
func (e *StationDateError) Ahead() bool { return e.Peer.Offset < 0 }

// MeasuredOn is when the peer measured, by its own clock (the PC's then
// read At, as wrong as it is now).
func (e *StationDateError) MeasuredOn() time.Time { return e.Peer.At.Add(e.Peer.Offset) }

// Days is the offset measured in whole days (rounded, without its sign).
func (e *StationDateError) Days() int64 { return offsetDays(e.Peer.Offset) }

func (e *StationDateError) Error() string {
	who := "派出所"
	if e.Peer.Role != store.RoleStation {
		who = "同步的电脑"
	}
	way := "慢"
	if e.Ahead() {
		way = "快"
	}
	return fmt.Sprintf("「%s」%s同步时测得本机的时钟%s了%d天：今天应是%s（%s的日期），不是电脑上的%s。请先把电脑的日期改对，或者以%s的日期为准",
		e.Peer.Name, e.MeasuredOn().In(schedule.Zone).Format("1月2日"), way, e.Days(), schedule.FromTime(e.Today()),
		who, schedule.FromTime(e.PC), who)
}

// offsetDays is an offset in whole days, rounded, without its sign.
func offsetDays(d time.Duration) int64 {
	if d < 0 {
		d = -d
	}
	return int64((d + 12*time.Hour) / (24 * time.Hour))
}

// ConfirmStationDate is an officer saying today is the date a paired
// device measured (OutsideClock: the PC's time now plus the offset), not
// the PC's, whose clock is behind: in one transaction the high-water mark
// goes on to that time (store.Tx.ConfirmClock, in the audit log), so
// roster edits apply from that day — not from the last day this database
// saw, which would rewrite the days since — until the computer's date is
// set right. It returns the day confirmed. With no such measurement, or
// one that says the PC runs ahead (the mark cannot go back past the PC's
// own clock: set the computer's date), it confirms nothing.
func ConfirmStationDate(ctx context.Context, s *store.Store, now time.Time, user, role string, peers []PeerClock) (schedule.Date, error) {
	p, ok := OutsideClock(peers, now)
	if !ok || p.Offset < 0 {
		return 0, fmt.Errorf("roster: confirm the station's date: no paired device measured this PC's clock behind in the last %d days", ClockFreshFor/(24*time.Hour))
	}
	at := now.Add(p.Offset)
	if _, err := confirmDay(ctx, s, at, user, role); err != nil {
		return 0, err
	}
	return schedule.FromTime(at), nil
}
