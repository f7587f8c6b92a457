// Package searchindex owns the search index in a device's database and
// the searches over it: the tables and triggers that keep it (search_keys,
// search_dirty), deriving every key of store/search's rules from the typed
// tables, working off what writes queued, rebuilding it when the rules
// change, and answering a query with ranked hits. store/search says what
// a query means, which keys a record gives and how hits rank (pure); this
// package keeps those keys in SQLite. It sits below store: store hands it
// its database handle (New) and calls Reindex inside each of its write
// transactions before it commits; it never imports store.
package searchindex

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"cunjing/store/internal/table"
	"cunjing/store/record"
	"cunjing/store/search"
)

// The search index (store/search says what it finds and why it is shaped
// so). search_keys holds every key of store/search's rules — numbers, old
// numbers, names, pinyin, initials, phones and ID numbers reversed (so a
// tail is a prefix) — for houses, households and residents, with the
// village, so one indexed range answers a query at a station holding a
// million residents.
//
// The keys are derived here, from the typed tables, never synced as record
// fields: triggers on houses, households and residents queue every written
// row in search_dirty, whatever wrote it (Save, the ledger import, sync's
// Apply, a repair), and the queue is worked off in the same transaction
// before it commits (Reindex from store's Update), on open (Ensure), and
// before a search if anything is still queued. The index is a cache of the derivation, not schema: its
// tables are made on open and rebuilt whole when searchIndexVersion (the
// rules that derive the keys) changes, so it needs no migration number.

// searchIndexVersion names the key derivation; bump it when store/search's
// keys change and every database rebuilds its index on open. 2: house
// and door numbers are keyed plain (numbering.Plain: '205号' as 205);
// version 1 indexes kept the 号 of numbers an older cunjing stored.
const searchIndexVersion = "2"

var searchIndexDDL = []string{
	`CREATE TABLE IF NOT EXISTS search_keys (
	  kind TEXT NOT NULL, key TEXT NOT NULL, village TEXT NOT NULL, tbl TEXT NOT NULL, rec TEXT NOT NULL,
	  PRIMARY KEY (kind, key, village, tbl, rec)) WITHOUT ROWID`,
	`CREATE INDEX IF NOT EXISTS search_keys_by_rec ON search_keys (rec)`,
	`CREATE TABLE IF NOT EXISTS search_dirty (tbl TEXT NOT NULL, rec TEXT NOT NULL, PRIMARY KEY (tbl, rec)) WITHOUT ROWID`,
	`CREATE TRIGGER IF NOT EXISTS search_houses_ai AFTER INSERT ON houses BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('houses', new.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_houses_au AFTER UPDATE OF number, history, village_id, deleted ON houses BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('houses', new.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_houses_ad AFTER DELETE ON houses BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('houses', old.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_households_ai AFTER INSERT ON households BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('households', new.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_households_au AFTER UPDATE OF owner_name, owner_phone, tenant_name, tenant_phone,
	  door_number, house_id, village_id, deleted ON households BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('households', new.id); END`,
	// A household that moves village takes its people's keys with it.
	`CREATE TRIGGER IF NOT EXISTS search_households_village AFTER UPDATE OF village_id ON households BEGIN
	  INSERT OR IGNORE INTO search_dirty SELECT 'residents', id FROM residents WHERE household_id = new.id; END`,
	`CREATE TRIGGER IF NOT EXISTS search_households_ad AFTER DELETE ON households BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('households', old.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_residents_ai AFTER INSERT ON residents BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('residents', new.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_residents_au AFTER UPDATE OF name, phone, id_number, household_id, deleted ON residents BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('residents', new.id); END`,
	`CREATE TRIGGER IF NOT EXISTS search_residents_ad AFTER DELETE ON residents BEGIN
	  INSERT OR IGNORE INTO search_dirty VALUES ('residents', old.id); END`,
}

// DB is the database the index lives in: store's *sql.DB. The index
// reads through it and runs its own transactions on it (a rebuild, the
// queue worked off in batches), outside store's write transactions, which
// would reindex before they commit.
type DB interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Tx is a write transaction already open (store's *sql.Tx), for Reindex.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Index is the search index of one database.
type Index struct{ db DB }

// New returns the index over db. Only store calls it; Ensure makes the
// index's tables before anything else is asked of it.
func New(db DB) *Index { return &Index{db: db} }

// work is the index's writes inside one transaction, with its prepared
// statements (a rebuild inserts millions of keys through one of them).
type work struct {
	ctx   context.Context
	tx    Tx
	stmts map[string]*sql.Stmt
}

func newWork(ctx context.Context, tx Tx) *work { return &work{ctx: ctx, tx: tx} }

// exec runs a cached statement.
func (w *work) exec(q string, args ...any) (sql.Result, error) {
	st, ok := w.stmts[q]
	if !ok {
		var err error
		st, err = w.tx.PrepareContext(w.ctx, q)
		if err != nil {
			return nil, err
		}
		if w.stmts == nil {
			w.stmts = map[string]*sql.Stmt{}
		}
		w.stmts[q] = st
	}
	return st.ExecContext(w.ctx, args...)
}

func (w *work) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

var searchIndexDrop = []string{
	"DROP TABLE IF EXISTS search_keys", "DROP TABLE IF EXISTS search_dirty",
	"DROP TRIGGER IF EXISTS search_houses_ai", "DROP TRIGGER IF EXISTS search_houses_au", "DROP TRIGGER IF EXISTS search_houses_ad",
	"DROP TRIGGER IF EXISTS search_households_ai", "DROP TRIGGER IF EXISTS search_households_au",
	"DROP TRIGGER IF EXISTS search_households_village", "DROP TRIGGER IF EXISTS search_households_ad",
	"DROP TRIGGER IF EXISTS search_residents_ai", "DROP TRIGGER IF EXISTS search_residents_au", "DROP TRIGGER IF EXISTS search_residents_ad",
}

// Ensure makes the index's tables and triggers, rebuilds it when it was
// derived by other rules (or never), and works off what is queued (rows
// written by an older cunjing, or a crash between). Store calls it on
// open, after the migrations.
func (ix *Index) Ensure(ctx context.Context) error {
	var v string
	err := ix.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'search_index'").Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("search index: %w", err)
	}
	if v != searchIndexVersion {
		if err := ix.rebuild(ctx); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return ix.flush(ctx)
}

// rebuild derives every key afresh in one transaction: the keys
// are spelt in Go while every row is read once, appended to a plain
// scratch table, and copied into search_keys in key order, so the B-tree
// is filled front to back instead of at random (at 1,000,000 residents
// the queue took 6 min 52 s, this a fraction of it: docs/BENCHMARKS.md).
// The queue is cleared: everything in it was just indexed.
func (ix *Index) rebuild(ctx context.Context) error {
	sqlTx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback() // after Commit, a no-op
	tx := newWork(ctx, sqlTx)
	defer tx.close()
	for _, q := range searchIndexDrop {
		if _, err := sqlTx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for _, q := range searchIndexDDL {
		if strings.Contains(q, "search_keys_by_rec") {
			continue // made once the table is full
		}
		if _, err := sqlTx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := sqlTx.ExecContext(ctx, `CREATE TEMP TABLE search_build (kind TEXT, key TEXT, village TEXT, tbl TEXT, rec TEXT)`); err != nil {
		return err
	}
	const ins = "INSERT INTO search_build VALUES (?, ?, ?, ?, ?)"
	for _, src := range []struct{ tbl, q string }{
		{"houses", "SELECT id, village_id, number, history FROM houses WHERE " + record.LiveSQL("")},
		{"households", "SELECT id, village_id, owner_name, owner_phone, tenant_name, tenant_phone, door_number, house_id FROM households WHERE " + record.LiveSQL("")},
		{"residents", `SELECT r.id, coalesce(h.village_id, ''), r.name, r.phone, r.id_number FROM residents r
		  LEFT JOIN households h ON h.id = r.household_id WHERE ` + record.LiveSQL("r")},
	} {
		rows, err := sqlTx.QueryContext(ctx, src.q)
		if err != nil {
			return err
		}
		for rows.Next() {
			id, r, err := scanIndexed(src.tbl, rows)
			if err != nil {
				rows.Close()
				return err
			}
			for _, k := range r.keys {
				if _, err := tx.exec(ins, k.Kind, k.Value, r.village, src.tbl, id); err != nil {
					rows.Close()
					return err
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, q := range []string{
		"INSERT OR IGNORE INTO search_keys SELECT kind, key, village, tbl, rec FROM search_build ORDER BY kind, key, village, tbl, rec",
		"DROP TABLE search_build",
		"CREATE INDEX search_keys_by_rec ON search_keys (rec)",
		"DELETE FROM search_dirty",
	} {
		if _, err := sqlTx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := sqlTx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('search_index', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", searchIndexVersion); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// flush works off the queue in transactions of a few thousand
// rows, so a rebuild at a station neither holds the write lock for long
// nor keeps a huge transaction.
func (ix *Index) flush(ctx context.Context) error {
	for {
		sqlTx, err := ix.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		tx := newWork(ctx, sqlTx)
		n, err := tx.reindex(20000)
		tx.close()
		if err != nil {
			sqlTx.Rollback()
			return err
		}
		if err := sqlTx.Commit(); err != nil {
			return fmt.Errorf("search index: commit: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}

// pending says whether rows wait to be indexed.
func (ix *Index) pending(ctx context.Context) (bool, error) {
	var one int
	err := ix.db.QueryRowContext(ctx, "SELECT 1 FROM search_dirty LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("search index: %w", err)
	}
	return true, nil
}

// Reindex works off the whole queue inside the write transaction tx
// (store's Update calls it before committing, so what a transaction wrote
// is searchable the moment it is visible).
func Reindex(ctx context.Context, tx Tx) error {
	w := newWork(ctx, tx)
	defer w.close()
	for {
		n, err := w.reindex(2000)
		if err != nil || n == 0 {
			return err
		}
	}
}

// reindex indexes up to max queued rows and returns how many it took.
func (tx *work) reindex(max int) (int, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT tbl, rec FROM search_dirty LIMIT ?", max)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	byTable := map[string][]string{}
	n := 0
	for rows.Next() {
		var tbl, rec string
		if err := rows.Scan(&tbl, &rec); err != nil {
			rows.Close()
			return 0, fmt.Errorf("search index: %w", err)
		}
		byTable[tbl] = append(byTable[tbl], rec)
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	for tbl, recs := range byTable {
		for start := 0; start < len(recs); start += 500 {
			if err := tx.reindexChunk(tbl, recs[start:min(start+500, len(recs))]); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// scanIndexed reads one row of the reindex queries and spells its keys.
func scanIndexed(tbl string, rows *sql.Rows) (string, indexedRow, error) {
	var id string
	var r indexedRow
	var err error
	switch tbl {
	case "houses":
		var number, history string
		err = rows.Scan(&id, &r.village, &number, &history)
		var hist []string
		if err == nil && history != "" {
			if jerr := json.Unmarshal([]byte(history), &hist); jerr != nil {
				hist = nil // a damaged history still leaves the current number findable
			}
		}
		r.keys = search.HouseKeys(number, hist)
	case "households":
		var owner, ownerPhone, tenant, tenantPhone, door, house string
		err = rows.Scan(&id, &r.village, &owner, &ownerPhone, &tenant, &tenantPhone, &door, &house)
		r.keys = search.HouseholdKeys(owner, ownerPhone, tenant, tenantPhone, door, house != "")
	case "residents":
		var name, phone, idn string
		err = rows.Scan(&id, &r.village, &name, &phone, &idn)
		r.keys = search.PersonKeys(name, idn, phone)
	default:
		err = fmt.Errorf("unknown table %q", tbl)
	}
	return id, r, err
}

// indexedRow is a row's keys and village.
type indexedRow struct {
	village string
	keys    []search.Key
}

func (tx *work) reindexChunk(tbl string, recs []string) error {
	in, args := table.In(recs)
	in = "(" + in + ")"
	var q string
	switch tbl {
	case "houses":
		q = "SELECT id, village_id, number, history FROM houses WHERE " + record.LiveSQL("") + " AND id IN " + in
	case "households":
		q = "SELECT id, village_id, owner_name, owner_phone, tenant_name, tenant_phone, door_number, house_id FROM households WHERE " + record.LiveSQL("") + " AND id IN " + in
	case "residents":
		q = `SELECT r.id, coalesce(h.village_id, ''), r.name, r.phone, r.id_number FROM residents r
		  LEFT JOIN households h ON h.id = r.household_id WHERE ` + record.LiveSQL("r") + ` AND r.id IN ` + in
	default:
		return fmt.Errorf("search index: unknown table %q", tbl)
	}
	rows, err := tx.tx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("search index %s: %w", tbl, err)
	}
	found := map[string]indexedRow{}
	for rows.Next() {
		id, r, err := scanIndexed(tbl, rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("search index %s: %w", tbl, err)
		}
		found[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search index %s: %w", tbl, err)
	}
	for _, rec := range recs {
		if _, err := tx.exec("DELETE FROM search_keys WHERE rec = ? AND tbl = ?", rec, tbl); err != nil {
			return fmt.Errorf("search index %s: %w", tbl, err)
		}
		for _, k := range found[rec].keys {
			if _, err := tx.exec("INSERT OR IGNORE INTO search_keys (kind, key, village, tbl, rec) VALUES (?, ?, ?, ?, ?)",
				k.Kind, k.Value, found[rec].village, tbl, rec); err != nil {
				return fmt.Errorf("search index %s: %w", tbl, err)
			}
		}
		if _, err := tx.exec("DELETE FROM search_dirty WHERE tbl = ? AND rec = ?", tbl, rec); err != nil {
			return fmt.Errorf("search index %s: %w", tbl, err)
		}
	}
	return nil
}

// Query is what to search for.
type Query struct {
	Text      string
	VillageID string // "" for every village (a station's township search)
	// Limit bounds the keys each rule reads (≤ 0: 1000); a prefix such as
	// 王 reads the first Limit names in order.
	Limit int
}

// Search finds houses, households and people by store/search's rules,
// best first, one hit per household in a house (an empty house, or a
// household with no house, is a hit of its own). search.Houses and
// search.Households narrow the list to what a map or a list shows.
func (ix *Index) Search(ctx context.Context, q Query) ([]search.Hit, error) {
	plan, err := search.Parse(q.Text)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	if pending, err := ix.pending(ctx); err != nil {
		return nil, err
	} else if pending {
		if err := ix.flush(ctx); err != nil {
			return nil, err
		}
	}
	type recKey struct{ tbl, rec string }
	best := map[recKey]search.Match{}
	var order []recKey
	for _, l := range plan.Lookups {
		cond := "kind = ? AND key = ?"
		args := []any{l.Kind, l.Value}
		if l.Prefix != search.MatchNone {
			cond = "kind = ? AND key >= ? AND key < ?"
			args = append(args, l.Upper())
		}
		if q.VillageID != "" {
			cond += " AND village = ?"
			args = append(args, q.VillageID)
		}
		args = append(args, limit)
		rows, err := ix.db.QueryContext(ctx, "SELECT key, tbl, rec FROM search_keys WHERE "+cond+" ORDER BY key LIMIT ?", args...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for rows.Next() {
			var key string
			var k recKey
			if err := rows.Scan(&key, &k.tbl, &k.rec); err != nil {
				rows.Close()
				return nil, fmt.Errorf("search: %w", err)
			}
			m := l.Classify(key)
			if m == search.MatchNone {
				continue
			}
			if old, ok := best[k]; !ok {
				order = append(order, k)
				best[k] = m
			} else if m < old {
				best[k] = m
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	byTable := map[string][]string{}
	for _, k := range order {
		byTable[k.tbl] = append(byTable[k.tbl], k.rec)
	}
	var hits []search.Hit
	for tbl, recs := range byTable {
		for start := 0; start < len(recs); start += 500 {
			chunk := recs[start:min(start+500, len(recs))]
			got, err := ix.resolveHits(ctx, tbl, chunk)
			if err != nil {
				return nil, err
			}
			for _, h := range got {
				h.Match = best[recKey{tbl, h.rec}]
				hits = append(hits, h.Hit)
			}
		}
	}
	search.Sort(hits)
	// One hit per (house, household): the best of what matched it.
	type place struct{ house, household string }
	seen := map[place]bool{}
	out := hits[:0]
	for _, h := range hits {
		p := place{h.HouseID, h.HouseholdID}
		if !seen[p] {
			seen[p] = true
			out = append(out, h)
		}
	}
	return out, nil
}

type resolved struct {
	search.Hit
	rec string
}

// resolveHits turns matched rows into places: a house into each live
// household in it (or itself, empty), a household into its house, a
// person into their household and its house. Rows deleted since, and
// people whose household is gone, are no hits.
func (ix *Index) resolveHits(ctx context.Context, tbl string, recs []string) ([]resolved, error) {
	in, args := table.In(recs)
	in = "(" + in + ")"
	var q string
	switch tbl {
	case "houses":
		q = `SELECT hs.id, hs.village_id, hs.id, coalesce(h.id, ''), '', hs.number, coalesce(h.owner_name, '')
		  FROM houses hs LEFT JOIN households h ON h.house_id = hs.id AND ` + record.LiveSQL("h") + `
		  WHERE ` + record.LiveSQL("hs") + ` AND hs.id IN ` + in
	case "households":
		q = `SELECT h.id, h.village_id, coalesce(hs.id, ''), h.id, '', coalesce(hs.number, h.door_number), h.owner_name
		  FROM households h LEFT JOIN houses hs ON hs.id = h.house_id AND ` + record.LiveSQL("hs") + `
		  WHERE ` + record.LiveSQL("h") + ` AND h.id IN ` + in
	case "residents":
		q = `SELECT r.id, h.village_id, coalesce(hs.id, ''), h.id, r.id, coalesce(hs.number, h.door_number), r.name
		  FROM residents r JOIN households h ON h.id = r.household_id AND ` + record.LiveSQL("h") + `
		  LEFT JOIN houses hs ON hs.id = h.house_id AND ` + record.LiveSQL("hs") + `
		  WHERE ` + record.LiveSQL("r") + ` AND r.id IN ` + in
	default:
		return nil, fmt.Errorf("search: unknown table %q", tbl)
	}
	rows, err := ix.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", tbl, err)
	}
	defer rows.Close()
	var out []resolved
	for rows.Next() {
		var r resolved
		if err := rows.Scan(&r.rec, &r.VillageID, &r.HouseID, &r.HouseholdID, &r.ResidentID, &r.Number, &r.Name); err != nil {
			return nil, fmt.Errorf("search %s: %w", tbl, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
