package kit

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
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
		return lang.L("boards.sync.never")
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return DurationWords(now.Sub(t))
}

// DurationWords is an age in the largest whole unit.
func DurationWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return lang.L("boards.sync.justNow")
	case d < time.Hour:
		return fmt.Sprintf(lang.L("boards.sync.minutesAgo"), int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(lang.L("boards.sync.hoursAgo"), int(d.Hours()))
	}
	return fmt.Sprintf(lang.L("boards.sync.daysAgo"), int(d.Hours()/24))
}
