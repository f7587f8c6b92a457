package syncbook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"cunjing/store/clock"
)

// metaExcused prefixes, in the local meta table (never synced), the blobs
// addressed to other devices that a paired device sent and that were
// excused from its count of such files because a changeset applied here
// refers to them (sync/bep's session, sync/quarantine.NoteNotForUs): such
// a blob is never opened here, so it never verifies, and a stolen post PC
// could sign changesets naming any number of hashes and send junk under
// those names. A per-session bound let a device that reconnects send as
// much again each time; the bound is now per device and day, and in all
// since the device was last paired again (ClearRefused): a day's bound
// alone let a hostile device send a day's allowance every day, for ever.
// What a reference names past either bound is not excused: the caller
// counts it as addressed to others (sync/quarantine.NoteNotForUs, which
// pauses the device), and it is counted here too (OverFiles) for the
// status to say. (Kept in meta: no migration.)
const metaExcused = "peer.excused."

// Excused is what a paired device sent that a reference excused: on Day
// (YYYY-MM-DD, Beijing time, by the book's clock: the window; never
// before the device's last window, see ExcusedOf), and in all.
type Excused struct {
	Device     string `json:"-"`
	Day        string `json:"day"`
	Files      int    `json:"files"`
	Bytes      int64  `json:"bytes"`
	TotalFiles int    `json:"total_files"`
	TotalBytes int64  `json:"total_bytes"`
	// OverFiles and OverBytes count, on Day, the blobs a reference named
	// past the bound: not excused, counted as addressed to others.
	OverFiles int   `json:"over_files,omitempty"`
	OverBytes int64 `json:"over_bytes,omitempty"`
}

// ExcuseBound bounds what a reference excuses of one device's files: so
// many files and bytes a day, and so many in all since it was last paired
// again.
type ExcuseBound struct {
	DayFiles int
	DayBytes int64
	AllFiles int
	AllBytes int64
}

// over says whether one more file of bytes is past the bound for x.
func (bd ExcuseBound) over(x Excused, bytes int64) bool {
	return x.Files+1 > bd.DayFiles || x.Bytes+bytes > bd.DayBytes ||
		x.TotalFiles+1 > bd.AllFiles || x.TotalBytes+bytes > bd.AllBytes
}

// today is the book's day, the window of Excused.
func (b *Book) today() string { return b.now().In(clock.Zone).Format("2006-01-02") }

// ExcusedOf reads what a reference excused of device's files, today's
// window and in all (today's counts zero on a day with none, a damaged
// entry zero). The window never goes back for a device: a PC whose clock
// was set back (by hand, a dead BIOS battery) is still in the device's
// last window, not a fresh day with a fresh allowance, until its clock
// passes that day again.
func (b *Book) ExcusedOf(ctx context.Context, device string) (Excused, error) {
	x := Excused{Device: device, Day: b.today()}
	var v string
	err := b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaExcused+device).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return x, nil
	}
	if err != nil {
		return x, fmt.Errorf("read excused files of %s: %w", device, err)
	}
	var kept Excused
	if json.Unmarshal([]byte(v), &kept) != nil || kept.Files < 0 || kept.Bytes < 0 || kept.TotalFiles < 0 || kept.TotalBytes < 0 ||
		kept.OverFiles < 0 || kept.OverBytes < 0 {
		return x, nil
	}
	x.TotalFiles, x.TotalBytes = kept.TotalFiles, kept.TotalBytes
	if _, err := time.Parse("2006-01-02", kept.Day); err == nil && kept.Day > x.Day {
		x.Day = kept.Day
	}
	if kept.Day == x.Day {
		x.Files, x.Bytes, x.OverFiles, x.OverBytes = kept.Files, kept.Bytes, kept.OverFiles, kept.OverBytes
	}
	return x, nil
}

// Excuse counts one file of bytes of device's as excused, when today's
// window and what it was excused in all stay within bound; ok is false
// when they would not (the file counted as past it, OverFiles): it is
// then the caller's to count as addressed to others. A negative size is
// never excused, nor counted.
func (b *Book) Excuse(ctx context.Context, device string, bytes int64, bound ExcuseBound) (x Excused, ok bool, err error) {
	err = b.inTx(ctx, func(t *Book) error {
		if x, err = t.ExcusedOf(ctx, device); err != nil {
			return err
		}
		if bytes < 0 {
			return nil
		}
		if ok = !bound.over(x, bytes); ok {
			x.Files++
			x.Bytes += bytes
			x.TotalFiles++
			x.TotalBytes += bytes
		} else {
			x.OverFiles++
			x.OverBytes += bytes
		}
		return t.setMetaJSON(ctx, metaExcused+device, x)
	})
	if err != nil {
		return x, false, fmt.Errorf("count excused files of %s: %w", device, err)
	}
	return x, ok, nil
}
