package almanac

import (
	"errors"
	"fmt"
	"time"
)

// ErrDateImpossible: a PC's date that cannot be today (DateImpossibleError).
var ErrDateImpossible = errors.New("this PC's date cannot be right")

// DateImpossibleError says a PC's date (PC) cannot be today: it is before
// Floor, the day of the newest notice this build carries (NewestNotice:
// the build was made after it; ByPeers false) or what the other devices
// whose changes a database holds had all reached by their own clocks
// (ByPeers true). A PC whose clock battery went flat reads 1999 or 2009:
// confirmed as today (store.Tx.ConfirmClock), roster edits would rewrite
// every turn since.
type DateImpossibleError struct {
	PC, Floor time.Time
	ByPeers   bool
}

func (e *DateImpossibleError) Error() string {
	why := "this build was made after"
	if e.ByPeers {
		why = "other devices' changes held here were made on or after"
	}
	return fmt.Sprintf("this PC's date %s cannot be right: %s %s; set the computer's date and time", e.PC.Format("2006-01-02"), why, e.Floor.Format("2006-01-02"))
}

func (e *DateImpossibleError) Is(target error) bool { return target == ErrDateImpossible }

// CheckToday says (a *DateImpossibleError) when pc cannot be today: it is
// before NewestNotice, or before peers (the other devices' newest stamp;
// zero: none), by more than tolerance (clocks that differ a little).
func CheckToday(pc, peers time.Time, tolerance time.Duration) error {
	floor, byPeers := NewestNotice.Time(Zone), false
	if peers.After(floor) {
		floor, byPeers = peers.In(Zone), true
	}
	if pc.Before(floor.Add(-tolerance)) {
		return &DateImpossibleError{PC: pc.In(Zone), Floor: floor, ByPeers: byPeers}
	}
	return nil
}
