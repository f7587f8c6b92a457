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
// much again each time; the bound is now per device and day, and the
// excused are counted in all too. (Kept in meta: no migration.)
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
	if json.Unmarshal([]byte(v), &kept) != nil || kept.Files < 0 || kept.Bytes < 0 || kept.TotalFiles < 0 || kept.TotalBytes < 0 {
		return x, nil
	}
	x.TotalFiles, x.TotalBytes = kept.TotalFiles, kept.TotalBytes
	if _, err := time.Parse("2006-01-02", kept.Day); err == nil && kept.Day > x.Day {
		x.Day = kept.Day
	}
	if kept.Day == x.Day {
		x.Files, x.Bytes = kept.Files, kept.Bytes
	}
	return x, nil
}

// Excuse counts one file of bytes of device's as excused, when today's
// window stays within maxFiles files and maxBytes bytes; ok is false (and
// nothing counted) when it would not: the file is then the caller's to
// count as addressed to others.
func (b *Book) Excuse(ctx context.Context, device string, bytes int64, maxFiles int, maxBytes int64) (x Excused, ok bool, err error) {
	err = b.inTx(ctx, func(t *Book) error {
		if x, err = t.ExcusedOf(ctx, device); err != nil {
			return err
		}
		if x.Files+1 > maxFiles || x.Bytes+bytes > maxBytes || bytes < 0 {
			return nil
		}
		x.Files++
		x.Bytes += bytes
		x.TotalFiles++
		x.TotalBytes += bytes
		if err := t.setMetaJSON(ctx, metaExcused+device, x); err != nil {
			return err
		}
		ok = true
		return nil
	})
	if err != nil {
		return x, false, fmt.Errorf("count excused files of %s: %w", device, err)
	}
	return x, ok, nil
}
