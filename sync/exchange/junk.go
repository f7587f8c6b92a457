package exchange

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"time"

	"cunjing/store/clock"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/quarantine"
)

// What sticks bring that fails verification, or verifies as addressed to
// other devices, is counted per day in sync/quarantine's bookkeeping, as
// a device's files are over BEP, under the day's name (stickKey): a file
// on a stick has no sender anyone verified, so the count is against no
// device (counting against the origin a file claims would let a planted
// stick pause an honest post). Each such file adds a line to the
// rejection log or the files seen, for good; once the day's reach
// quarantine's bounds (MaxFiles or MaxBytes refused, NotForUsBound
// addressed to others), files not known here are left unread until the
// next day (DirResult.Unexamined, said in Report.JunkWords): files
// already taken, and what this device writes, go on as before.
type stickJunk struct {
	held                syncbook.Refused // the day's before this pass
	refused, notForUs   int
	refusedB, notForUsB int64
	// What passes before remember (memory); e reads the store for it.
	mem *memory
	e   *cjsync.Engine
}

// stickKey names the day's count (the day in China by the store's clock).
func stickKey(e *cjsync.Engine) string {
	return stickPrefix + e.Store().Now().In(clock.Zone).Format(time.DateOnly)
}

const stickPrefix = "stick:"

func (j *stickJunk) More() bool {
	return j.held.PausedAt == "" &&
		j.held.Files+j.refused < quarantine.MaxFiles && j.held.Bytes+j.refusedB < quarantine.MaxBytes &&
		j.held.NotForUsFiles+j.notForUs < quarantine.NotForUsBound.Files && j.held.NotForUsBytes+j.notForUsB < quarantine.NotForUsBound.Bytes
}

func (j *stickJunk) Known(ctx context.Context, dir, name string) (cjsync.Result, bool) {
	return j.mem.known(ctx, j.e, dir, name)
}

func (j *stickJunk) Spent(r cjsync.Result, fi fs.FileInfo, data []byte) {
	j.mem.spent(r, fi, data)
	size := int64(len(data))
	switch {
	case r.Outcome == cjsync.NotForUs:
		j.notForUs++
		j.notForUsB += size
	case r.Outcome == cjsync.Rejected && r.New && quarantine.Counts(string(r.Kind)):
		j.refused++
		j.refusedB += size
	}
}

// note adds the pass's junk to the day's count. What that means for the
// officer, when the day's is past the bound, is worded in app
// (syncwords.Junk), for 同步 and `cunjing exchange` alike.
func (j *stickJunk) note(ctx context.Context, e *cjsync.Engine, key string, unexamined int) (syncbook.Refused, error) {
	book, r, err := e.Book(), j.held, error(nil)
	if j.refused > 0 {
		if r, _, err = book.NoteRefused(ctx, key, j.refused, j.refusedB, quarantine.MaxFiles, quarantine.MaxBytes); err != nil {
			return r, err
		}
	}
	if j.notForUs > 0 {
		b := quarantine.NotForUsBound
		if r, _, err = book.NoteNotForUs(ctx, key, j.notForUs, j.notForUsB, b.Files, b.Bytes); err != nil {
			return r, err
		}
	}
	if unexamined == 0 {
		return r, nil
	}
	e.Log().Warn("exchange folders brought too many files that fail verification or are addressed to others today: the rest are left unread until tomorrow",
		"refused", r.Files, "refused_bytes", r.Bytes, "not_for_us", r.NotForUsFiles, "not_for_us_bytes", r.NotForUsBytes, "unexamined", unexamined)
	return r, nil
}

// keepDays: a day's count of stick junk is kept this many days (only
// today's bounds anything; the rest say what came lately).
const keepDays = 30

// pruneDays removes the counts of days (stick:<day>) older than keepDays
// before today, and those after it, but never today's nor the day sticks
// were exchanged on last before today (the memory's Days, in the order
// passes ran, whatever the clock said): a clock set years ahead, or back,
// for a pass would otherwise delete the real day's count (and a stick
// would get the day's bound again once the clock is right), and a count
// dated years ahead would be kept until that year.
func pruneDays(ctx context.Context, e *cjsync.Engine, m *memory, today string) error {
	prev := ""
	if n := len(m.Days); n > 0 && m.Days[n-1] != today {
		prev = m.Days[n-1]
		m.Days = append(slices.DeleteFunc(m.Days, func(d string) bool { return d == today }), today)
		m.changed = true
	} else if n > 1 {
		prev = m.Days[n-2]
	} else if n == 0 {
		m.Days, m.changed = []string{today}, true
	}
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return err
	}
	all, err := e.Book().RefusedAll(ctx)
	if err != nil {
		return err
	}
	kept := func(day string) bool {
		d, err := time.Parse(time.DateOnly, day)
		return day == today || day == prev || err == nil && !d.After(t) && t.Sub(d) < keepDays*24*time.Hour
	}
	for key := range all {
		if day, ok := strings.CutPrefix(key, stickPrefix); ok && !kept(day) {
			if err := e.Book().ClearRefused(ctx, key); err != nil {
				return err
			}
		}
	}
	if n := len(m.Days); n > 0 {
		days := slices.DeleteFunc(slices.Clone(m.Days), func(d string) bool { return !kept(d) })
		if len(days) > maxDays {
			days = days[len(days)-maxDays:]
		}
		if len(days) != n {
			m.Days, m.changed = days, true
		}
	}
	return nil
}
