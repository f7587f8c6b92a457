package store

// Drafts of traced village maps (migration 0019, issue #23): what
// `cunjing map trace` and the map editor's 从扫描图识别 found on a scan,
// kept until the officer accepts it in the editor. One draft per village,
// local to this PC: never synced, never in the change log.

import (
	"context"
	"cunjing/store/record"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MaxTraceDraftBytes bounds a draft's proposal (JSON): 3,000 houses with
// their outlines are about 1 MB.
const MaxTraceDraftBytes = 16 << 20

// TraceDraft is a village's draft: the scan it was traced from (a blob,
// by hash), the file's name, when it was made (this PC's wall clock: it is
// shown, never merged) and the proposal (maps/trace.Draft as JSON).
type TraceDraft struct {
	VillageID string
	ImageHash string
	Source    string
	Made      time.Time
	Proposal  []byte
}

// SaveTraceDraft stores the village's draft together with its scan (a
// blob under hash), replacing an earlier draft of the village. The
// village must exist.
func (s *Store) SaveTraceDraft(ctx context.Context, d TraceDraft, scan []byte) error {
	if d.VillageID == "" || d.ImageHash == "" {
		return errors.New("trace draft: village and scan are required")
	}
	if len(d.Proposal) == 0 || len(d.Proposal) > MaxTraceDraftBytes {
		return fmt.Errorf("trace draft: proposal of %d bytes (at most %d)", len(d.Proposal), MaxTraceDraftBytes)
	}
	if d.Made.IsZero() {
		d.Made = s.wall()
	}
	return s.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.tx.QueryRow(`SELECT count(*) FROM villages WHERE id = ? AND `+record.LiveSQL(""), d.VillageID).Scan(&n); err != nil {
			return fmt.Errorf("trace draft: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("trace draft: village %s: %w", d.VillageID, ErrNotFound)
		}
		var old string
		if err := tx.tx.QueryRow("SELECT image_hash FROM trace_drafts WHERE village_id = ?", d.VillageID).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("trace draft: %w", err)
		}
		if len(scan) > 0 {
			if _, err := tx.tx.Exec("INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)", d.ImageHash, len(scan), scan); err != nil {
				return fmt.Errorf("trace draft: store the scan: %w", err)
			}
		}
		_, err := tx.tx.Exec(`INSERT INTO trace_drafts (village_id, image_hash, source, made_ms, proposal) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (village_id) DO UPDATE SET image_hash = excluded.image_hash, source = excluded.source,
			made_ms = excluded.made_ms, proposal = excluded.proposal`,
			d.VillageID, d.ImageHash, d.Source, d.Made.UnixMilli(), d.Proposal)
		if err != nil {
			return fmt.Errorf("trace draft: %w", err)
		}
		if old != "" && old != d.ImageHash {
			return dropStrayScan(tx, old)
		}
		return nil
	})
}

// TraceDraft returns the village's draft; ErrNotFound when it has none.
func (s *Store) TraceDraft(ctx context.Context, villageID string) (TraceDraft, error) {
	d := TraceDraft{VillageID: villageID}
	var ms int64
	err := s.db.QueryRowContext(ctx, "SELECT image_hash, source, made_ms, proposal FROM trace_drafts WHERE village_id = ?", villageID).
		Scan(&d.ImageHash, &d.Source, &ms, &d.Proposal)
	if errors.Is(err, sql.ErrNoRows) {
		return TraceDraft{}, fmt.Errorf("trace draft of village %s: %w", villageID, ErrNotFound)
	}
	if err != nil {
		return TraceDraft{}, fmt.Errorf("trace draft of village %s: %w", villageID, err)
	}
	d.Made = time.UnixMilli(ms)
	return d, nil
}

// DeleteTraceDraft drops the village's draft (accepted or thrown away).
// Its scan stays among the blobs while a base map refers to it.
func (s *Store) DeleteTraceDraft(ctx context.Context, villageID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		var hash string
		err := tx.tx.QueryRow("SELECT image_hash FROM trace_drafts WHERE village_id = ?", villageID).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err == nil {
			_, err = tx.tx.Exec("DELETE FROM trace_drafts WHERE village_id = ?", villageID)
		}
		if err != nil {
			return fmt.Errorf("delete trace draft of village %s: %w", villageID, err)
		}
		return dropStrayScan(tx, hash)
	})
}

// dropStrayScan deletes a draft's scan from the blobs once neither a
// record (a base map, through the change log) nor another draft refers
// to it: a thrown-away draft leaves nothing behind.
func dropStrayScan(tx *Tx, hash string) error {
	_, err := tx.tx.Exec(`DELETE FROM blobs WHERE hash = ?
		AND NOT EXISTS (SELECT 1 FROM trace_drafts WHERE image_hash = ?)
		AND NOT EXISTS (SELECT 1 FROM changes WHERE field LIKE '%hash' AND value = ?)`, hash, hash, `"`+hash+`"`)
	if err != nil {
		return fmt.Errorf("drop the scan %s: %w", hash, err)
	}
	return nil
}

// TraceDraftVillages lists the villages that have a draft, by ID.
func (s *Store) TraceDraftVillages(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT village_id FROM trace_drafts ORDER BY village_id")
	if err != nil {
		return nil, fmt.Errorf("trace drafts: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("trace drafts: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
