// Package tracedrafts keeps the drafts of traced village maps (migration
// 0019, issue #23): what `cunjing map trace` and the map editor's
// 从扫描图识别 found on a scan, kept until the officer accepts it in the
// editor. One draft per village, local to this PC: never synced, never in
// the change log; its scan is a blob, dropped with the draft unless a base
// map refers to it. It sits below store over its database handle and its
// write transactions (New); Store.SaveTraceDraft, TraceDraft,
// DeleteTraceDraft and TraceDraftVillages hand it out.
package tracedrafts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cunjing/store/record"
)

// MaxTraceDraftBytes bounds a draft's proposal (JSON): 3,000 houses with
// their outlines are about 1 MB.
const MaxTraceDraftBytes = 16 << 20

// DB is the store's database, read outside a transaction.
type DB interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a write transaction of the store.
type Tx interface {
	Exec(query string, args ...any) (sql.Result, error)
	QueryRow(query string, args ...any) *sql.Row
}

// Drafts are the trace drafts of one database.
type Drafts struct {
	db     DB
	update func(ctx context.Context, fn func(Tx) error) error
	now    func() time.Time
}

// New is the drafts of db, written in the store's write transactions
// (update) and dated by now (what people see as now).
func New(db DB, update func(ctx context.Context, fn func(Tx) error) error, now func() time.Time) *Drafts {
	return &Drafts{db: db, update: update, now: now}
}

// Draft is a village's draft: the scan it was traced from (a blob,
// by hash), the file's name, when it was made (this PC's wall clock: it is
// shown, never merged) and the proposal (maps/trace.Draft as JSON).
type Draft struct {
	VillageID string
	ImageHash string
	Source    string
	Made      time.Time
	Proposal  []byte
}

// Save stores the village's draft together with its scan (a
// blob under hash), replacing an earlier draft of the village. The
// village must exist.
func (dr *Drafts) Save(ctx context.Context, d Draft, scan []byte) error {
	if d.VillageID == "" || d.ImageHash == "" {
		return errors.New("trace draft: village and scan are required")
	}
	if len(d.Proposal) == 0 || len(d.Proposal) > MaxTraceDraftBytes {
		return fmt.Errorf("trace draft: proposal of %d bytes (at most %d)", len(d.Proposal), MaxTraceDraftBytes)
	}
	if d.Made.IsZero() {
		d.Made = dr.now()
	}
	return dr.update(ctx, func(tx Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM villages WHERE id = ? AND `+record.LiveSQL(""), d.VillageID).Scan(&n); err != nil {
			return fmt.Errorf("trace draft: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("trace draft: village %s: %w", d.VillageID, record.ErrNotFound)
		}
		var old string
		if err := tx.QueryRow("SELECT image_hash FROM trace_drafts WHERE village_id = ?", d.VillageID).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("trace draft: %w", err)
		}
		if len(scan) > 0 {
			if _, err := tx.Exec("INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)", d.ImageHash, len(scan), scan); err != nil {
				return fmt.Errorf("trace draft: store the scan: %w", err)
			}
		}
		_, err := tx.Exec(`INSERT INTO trace_drafts (village_id, image_hash, source, made_ms, proposal) VALUES (?, ?, ?, ?, ?)
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

// Get returns the village's draft; record.ErrNotFound (store.record.ErrNotFound)
// when it has none.
func (dr *Drafts) Get(ctx context.Context, villageID string) (Draft, error) {
	d := Draft{VillageID: villageID}
	var ms int64
	err := dr.db.QueryRowContext(ctx, "SELECT image_hash, source, made_ms, proposal FROM trace_drafts WHERE village_id = ?", villageID).
		Scan(&d.ImageHash, &d.Source, &ms, &d.Proposal)
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, fmt.Errorf("trace draft of village %s: %w", villageID, record.ErrNotFound)
	}
	if err != nil {
		return Draft{}, fmt.Errorf("trace draft of village %s: %w", villageID, err)
	}
	d.Made = time.UnixMilli(ms)
	return d, nil
}

// Delete drops the village's draft (accepted or thrown away).
// Its scan stays among the blobs while a base map refers to it.
func (dr *Drafts) Delete(ctx context.Context, villageID string) error {
	return dr.update(ctx, func(tx Tx) error {
		var hash string
		err := tx.QueryRow("SELECT image_hash FROM trace_drafts WHERE village_id = ?", villageID).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err == nil {
			_, err = tx.Exec("DELETE FROM trace_drafts WHERE village_id = ?", villageID)
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
func dropStrayScan(tx Tx, hash string) error {
	_, err := tx.Exec(`DELETE FROM blobs WHERE hash = ?
		AND NOT EXISTS (SELECT 1 FROM trace_drafts WHERE image_hash = ?)
		AND NOT EXISTS (SELECT 1 FROM changes WHERE field LIKE '%hash' AND value = ?)`, hash, hash, `"`+hash+`"`)
	if err != nil {
		return fmt.Errorf("drop the scan %s: %w", hash, err)
	}
	return nil
}

// Villages lists the villages that have a draft, by ID.
func (dr *Drafts) Villages(ctx context.Context) ([]string, error) {
	rows, err := dr.db.QueryContext(ctx, "SELECT village_id FROM trace_drafts ORDER BY village_id")
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
