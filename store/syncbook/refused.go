package syncbook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// metaRefused prefixes, in the local meta table (never synced), what a
// paired device sent that failed verification here, per device: counted
// across sessions (sync/quarantine), so a device whose files keep failing
// is paused. (Kept in meta, not a table of its own: no migration.)
const metaRefused = "peer.refused."

// Refused is what a paired device sent that failed verification here,
// counted across sessions.
type Refused struct {
	Device   string `json:"-"`
	Files    int    `json:"files"`
	Bytes    int64  `json:"bytes"`
	PausedAt string `json:"paused_at,omitempty"` // when its sessions were paused ("": they are not)
	// NotForUsFiles and NotForUsBytes count, apart, files it sent that
	// verify as addressed to other devices and that no changeset applied
	// here explains (sync/quarantine.NoteNotForUs).
	NotForUsFiles int   `json:"not_for_us_files,omitempty"`
	NotForUsBytes int64 `json:"not_for_us_bytes,omitempty"`
	// PausedFor says which count paused it: "" the files that failed
	// verification, PausedNotForUs those addressed to others.
	PausedFor string `json:"paused_for,omitempty"`
}

// PausedNotForUs is Refused.PausedFor of a device paused for the files
// it sent that are addressed to other devices.
const PausedNotForUs = "not-for-us"

// RefusedOf reads what device sent that failed verification (zero when
// nothing did, or the entry is damaged).
func (b *Book) RefusedOf(ctx context.Context, device string) (Refused, error) {
	var v string
	err := b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaRefused+device).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return Refused{Device: device}, nil
	}
	if err != nil {
		return Refused{Device: device}, fmt.Errorf("read refused files of %s: %w", device, err)
	}
	return decodeRefused(device, v), nil
}

// decodeRefused reads device's entry v (zero when damaged).
func decodeRefused(device, v string) Refused {
	var r Refused
	if json.Unmarshal([]byte(v), &r) != nil || r.Files < 0 || r.Bytes < 0 || r.NotForUsFiles < 0 || r.NotForUsBytes < 0 {
		r = Refused{}
	}
	r.Device = device
	return r
}

// RefusedAll is RefusedOf of every device that has an entry, in one
// query (a station's overview asks for all its posts at once).
func (b *Book) RefusedAll(ctx context.Context) (map[string]Refused, error) {
	// The prefix's range: keys from "peer.refused." up to, not
	// including, "peer.refused/" ('/' follows '.').
	rows, err := b.q.QueryContext(ctx, "SELECT key, value FROM meta WHERE key >= ? AND key < ?",
		metaRefused, metaRefused[:len(metaRefused)-1]+"/")
	if err != nil {
		return nil, fmt.Errorf("read refused files: %w", err)
	}
	defer rows.Close()
	out := map[string]Refused{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read refused files: %w", err)
		}
		d := k[len(metaRefused):]
		out[d] = decodeRefused(d, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read refused files: %w", err)
	}
	return out, nil
}

// NoteRefused adds files of bytes that failed verification to device's
// count, and pauses its sessions when the count reaches maxFiles files or
// maxBytes bytes. It returns the count and whether it paused them now.
func (b *Book) NoteRefused(ctx context.Context, device string, files int, bytes int64, maxFiles int, maxBytes int64) (Refused, bool, error) {
	return b.noteRefused(ctx, device, func(r *Refused) string {
		r.Files += files
		r.Bytes += bytes
		if r.Files >= maxFiles || r.Bytes >= maxBytes {
			return "pause"
		}
		return ""
	})
}

// NoteNotForUs adds files of bytes addressed to other devices to
// device's count of them (apart from the refused ones), and pauses its
// sessions (PausedFor PausedNotForUs) when it reaches maxFiles files or
// maxBytes bytes. It returns the count and whether it paused them now.
func (b *Book) NoteNotForUs(ctx context.Context, device string, files int, bytes int64, maxFiles int, maxBytes int64) (Refused, bool, error) {
	return b.noteRefused(ctx, device, func(r *Refused) string {
		r.NotForUsFiles += files
		r.NotForUsBytes += bytes
		if r.NotForUsFiles >= maxFiles || r.NotForUsBytes >= maxBytes {
			return PausedNotForUs
		}
		return ""
	})
}

// noteRefused updates device's counts with add, which says whether (and
// for what) they pause it, in one transaction.
func (b *Book) noteRefused(ctx context.Context, device string, add func(*Refused) string) (Refused, bool, error) {
	var (
		out    Refused
		paused bool
	)
	err := b.inTx(ctx, func(t *Book) error {
		r, err := t.RefusedOf(ctx, device)
		if err != nil {
			return err
		}
		if why := add(&r); why != "" && r.PausedAt == "" {
			r.PausedAt = t.nowText()
			if why == PausedNotForUs {
				r.PausedFor = why
			}
			paused = true
		}
		if err := t.setMetaJSON(ctx, metaRefused+device, r); err != nil {
			return err
		}
		out = r
		return nil
	})
	if err != nil {
		return out, false, fmt.Errorf("count refused files of %s: %w", device, err)
	}
	return out, paused, nil
}

// ClearRefused forgets what device sent that failed verification or
// that a reference excused (its allowance in all starts again) and ends a
// pause of its sessions (it was paired again on purpose).
func (b *Book) ClearRefused(ctx context.Context, device string) error {
	if _, err := b.q.ExecContext(ctx, "DELETE FROM meta WHERE key IN (?, ?)", metaRefused+device, metaExcused+device); err != nil {
		return fmt.Errorf("clear refused files of %s: %w", device, err)
	}
	return nil
}
