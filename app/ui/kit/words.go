package kit

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	syncwords "cunjing/app/lang/translations/sync"
	"cunjing/app/ui/kit/wrap"
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

// AgoWords says how long ago an RFC 3339 time was, in the words 同步 and
// the command line share (syncwords.Ago).
func AgoWords(ts string, now time.Time) string { return syncwords.Ago(windowL, ts, now) }

// DurationWords is an age in the largest whole unit (syncwords.Age: a
// time after now says a clock is wrong).
func DurationWords(d time.Duration) string { return syncwords.Age(windowL, d) }

// AckWords says what a paired peer has received of what this device made
// for it (issue #14), in the words 同步 and the command line share
// (syncwords.Ack): who names the peer (AckWho); through is when the
// newest package it acknowledged was made ("" none), since when the
// oldest it has not, and waiting how many it has not; times are shown in
// loc.
func AckWords(who, through string, waiting int, since string, loc *time.Location) string {
	return syncwords.Ack(windowL, who, through, waiting, since, loc)
}

// AckWho names a peer in AckWords (syncwords.Who): the one above by its
// role, any other peer by name.
func AckWho(selfRole, peerRole, peerName string) string {
	return syncwords.Who(windowL, selfRole, peerRole, peerName)
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

// windowL is Fyne's lang.L as syncwords takes it: the sentences the window
// shares with the command line, in the window's language.
func windowL(key string) string { return lang.L(key) }
