package kit

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit/wrap"
	"cunjing/store"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// ShortID is the first block of a device ID, as Syncthing shows it.
func ShortID(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}

// AgoWords says how long ago an RFC 3339 time was.
func AgoWords(ts string, now time.Time) string {
	if ts == "" {
		return lang.L("sync.never")
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return DurationWords(now.Sub(t))
}

// clockSlack is how far in the future a time may lie and still be "just
// now": two PCs' clocks are seldom to the second.
const clockSlack = 5 * time.Minute

// DurationWords is an age in the largest whole unit. An age below
// -clockSlack (a time after now) says a clock is wrong instead of "just
// now": a post whose PC runs years ahead must not look freshly heard from.
func DurationWords(d time.Duration) string {
	switch {
	case d < -clockSlack:
		return lang.L("sync.future")
	case d < time.Minute:
		return lang.L("sync.justNow")
	case d < time.Hour:
		return fmt.Sprintf(lang.L("sync.minutesAgo"), int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(lang.L("sync.hoursAgo"), int(d.Hours()))
	}
	return fmt.Sprintf(lang.L("sync.daysAgo"), int(d.Hours()/24))
}

// AckWords says what a paired peer has received of what this device made
// for it (issue #14): "派出所已收到 12月4日 15:02 之前的全部修改", or what
// it still waits for: "还有 3 个数据包等着派出所收下（从 12月3日 起）".
// who names the peer (AckWho); through is when the newest package it
// acknowledged was made ("" none), since when the oldest it has not, and
// waiting how many it has not; times are shown in loc.
func AckWords(who, through string, waiting int, since string, loc *time.Location) string {
	var parts []string
	if through != "" {
		key := "sync.ackAll"
		if waiting > 0 {
			key = "sync.ackSome"
		}
		parts = append(parts, fmt.Sprintf(lang.L(key), who, minuteWords(through, loc)))
	}
	if waiting > 0 {
		parts = append(parts, fmt.Sprintf(lang.L("sync.ackWaiting"), waiting, who, dayWords(since, loc)))
	} else if through == "" {
		parts = append(parts, fmt.Sprintf(lang.L("sync.ackNothing"), who))
	}
	return strings.Join(parts, lang.L("sync.ackSep"))
}

// AckWho names a peer in AckWords: the one above is called by its role
// (a post's station 派出所, a station's county 县公安局), any other peer
// is named.
func AckWho(selfRole, peerRole, peerName string) string {
	if store.Above(peerRole, selfRole) {
		return lang.L("role." + peerRole)
	}
	return fmt.Sprintf(lang.L("sync.ackWhoNamed"), peerName)
}

func minuteWords(ts string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	t = t.In(loc)
	return fmt.Sprintf(lang.L("sync.ackMinute"), int(t.Month()), t.Day(), t.Hour(), t.Minute())
}

func dayWords(ts string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	t = t.In(loc)
	return fmt.Sprintf(lang.L("sync.ackDay"), int(t.Month()), t.Day())
}

// AckLabel is AckWords in a label at now: green when the peer has
// everything; plain while what waits for it is younger than stale (the
// station's limit: a notice just published waits for every post's next
// sync, which is normal, as 各警务室 says it), orange once the oldest has
// waited longer.
func AckLabel(who, through string, waiting int, since string, now time.Time, stale time.Duration) *wrap.Label {
	l := Wrapped(AckWords(who, through, waiting, since, now.Location()))
	switch {
	case waiting > 0:
		if t, err := time.Parse(time.RFC3339, since); err != nil || now.Sub(t) > stale {
			l.Importance = widget.WarningImportance
		}
	case through != "":
		l.Importance = widget.SuccessImportance
	}
	return l
}

// KindParts says a period's figures per kind of slot, one phrase a kind
// with slots planned, as 巡逻排班 and the station say them: 日常巡逻 12/13
// (92%), 逢集巡逻 3/4 (75%) ….
func KindParts(f tally.Figures) []string {
	var parts []string
	for _, k := range schedule.Kinds {
		kf, ok := f.ByKind[k]
		if !ok || kf.Planned == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf(lang.L("roster.comp.kind"), lang.L("shift."+k), kf.Done, kf.Planned, int(kf.Rate*100+0.5)))
	}
	return parts
}
