package store

import (
	"context"
	"cunjing/store/record"
	"cunjing/store/searchindex"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"cunjing/store/search"
)

// Counts are the live (not deleted) record counts shown on dashboards and by
// `cunjing info`.
type Counts struct {
	Houses     int `json:"houses"`
	Households int `json:"households"`
	Residents  int `json:"residents"`
	Teams      int `json:"teams"`
	Members    int `json:"members"`
	ShiftRules int `json:"shift_rules"`
	Patrols    int `json:"patrols"`
	Venues     int `json:"venues"`
	CostItems  int `json:"cost_items"`
	Villages   int `json:"villages"`
	Changes    int `json:"changes"`
	Conflicts  int `json:"conflicts"`
}

// Counts counts live records, optionally only those owned by owner.
func (s *Store) Counts(ctx context.Context, owner string) (Counts, error) {
	var c Counts
	targets := []struct {
		table string
		dst   *int
	}{
		{"houses", &c.Houses}, {"households", &c.Households}, {"residents", &c.Residents},
		{"teams", &c.Teams}, {"members", &c.Members}, {"shift_rules", &c.ShiftRules},
		{"patrols", &c.Patrols}, {"venues", &c.Venues}, {"cost_items", &c.CostItems},
		{"villages", &c.Villages},
	}
	for _, t := range targets {
		q := "SELECT count(*) FROM " + t.table + " WHERE " + record.LiveSQL("")
		args := []any{}
		if owner != "" {
			q += " AND owner = ?"
			args = append(args, owner)
		}
		if err := s.db.QueryRowContext(ctx, q, args...).Scan(t.dst); err != nil {
			return c, fmt.Errorf("count %s: %w", t.table, err)
		}
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM changes").Scan(&c.Changes); err != nil {
		return c, fmt.Errorf("count changes: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM conflicts").Scan(&c.Conflicts); err != nil {
		return c, fmt.Errorf("count conflicts: %w", err)
	}
	return c, nil
}

type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// list runs a SELECT of every column of T's table with the given WHERE
// tail and decodes each row into a T.
func list[T any, P interface {
	*T
	Record
}](ctx context.Context, s *Store, where string, args ...any) ([]T, error) {
	return listQ[T, P](ctx, s.db, where, args...)
}

// Reader is where typed records are read from: the store, or a write
// transaction (what it has written so far included), for List and Live.
type Reader interface {
	reader(ctx context.Context) (context.Context, rowsQueryer)
}

func (s *Store) reader(ctx context.Context) (context.Context, rowsQueryer) { return ctx, s.db }

// reader reads inside the transaction, in its context.
func (tx *Tx) reader(context.Context) (context.Context, rowsQueryer) { return tx.ctx, tx.tx }

// List is list for store's own sub-packages above its root
// (store/rosterdata …), which read typed records through it, from the
// store or inside a transaction (r). where is SQL, so nothing outside
// store/ may call it (TestOnlyStoreWritesSQL in app/arch_test.go): the UI
// never writes SQL.
func List[T any, P interface {
	*T
	Record
}](ctx context.Context, r Reader, where string, args ...any) ([]T, error) {
	ctx, q := r.reader(ctx)
	return listQ[T, P](ctx, q, where, args...)
}

// Live is List of live records: tail goes after the live filter (see
// live). It is the one way store's sub-packages read live records.
func Live[T any, P interface {
	*T
	Record
}](ctx context.Context, r Reader, tail string, args ...any) ([]T, error) {
	return List[T, P](ctx, r, liveWhere+tail, args...)
}

// LiveTx is Live inside a write transaction (see List).
func LiveTx[T any, P interface {
	*T
	Record
}](tx *Tx, tail string, args ...any) ([]T, error) {
	return liveTx[T, P](tx, tail, args...)
}

// liveWhere is the filter of live records: a deleted record stays as a
// tombstone (its numbers stay retired, its deletion syncs) and is never
// listed.
var liveWhere = "WHERE " + record.LiveSQL("") + " "

// live is list of live records: tail goes after the live filter
// ("AND village_id = ? ORDER BY name", or just "ORDER BY …").
func live[T any, P interface {
	*T
	Record
}](ctx context.Context, s *Store, tail string, args ...any) ([]T, error) {
	return listQ[T, P](ctx, s.db, liveWhere+tail, args...)
}

// liveTx is live inside a write transaction.
func liveTx[T any, P interface {
	*T
	Record
}](tx *Tx, tail string, args ...any) ([]T, error) {
	return listQ[T, P](tx.ctx, tx.tx, liveWhere+tail, args...)
}

func listQ[T any, P interface {
	*T
	Record
}](ctx context.Context, q rowsQueryer, where string, args ...any) ([]T, error) {
	var zero P = new(T)
	ti, err := tableOf(zero.Table())
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+ti.ColList+" FROM "+ti.Name+" "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", ti.Name, err)
	}
	defer rows.Close()
	var out []T
	lists := make([]string, ti.ListCount())
	for rows.Next() {
		var v T
		rv := reflect.ValueOf(&v).Elem()
		if err := rows.Scan(scanTargets(ti, rv, lists)...); err != nil {
			return nil, fmt.Errorf("list %s: %w", ti.Name, err)
		}
		if err := finishScan(ti, rv, lists); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Villages lists live villages by name.
func (s *Store) Villages(ctx context.Context) ([]Village, error) {
	return live[Village](ctx, s, "ORDER BY name, id")
}

// VillageByName finds a live village by its exact name.
func (s *Store) VillageByName(ctx context.Context, name string) (Village, error) {
	vs, err := live[Village](ctx, s, "AND name = ? ORDER BY id LIMIT 1", name)
	if err != nil {
		return Village{}, err
	}
	if len(vs) == 0 {
		return Village{}, fmt.Errorf("village %q: %w", name, ErrNotFound)
	}
	return vs[0], nil
}

// Houses lists a village's live houses in number order.
func (s *Store) Houses(ctx context.Context, villageID string) ([]House, error) {
	return live[House](ctx, s, "AND village_id = ? ORDER BY CAST(number AS INTEGER), number, id", villageID)
}

// AllHouses lists a village's houses including deleted ones (numbering must
// never reuse the number of a house that is gone).
func (s *Store) AllHouses(ctx context.Context, villageID string) ([]House, error) {
	return list[House](ctx, s, "WHERE village_id = ? ORDER BY number, id", villageID)
}

// Features lists a village's live lanes, landmarks and labels.
func (s *Store) Features(ctx context.Context, villageID string) ([]Feature, error) {
	return live[Feature](ctx, s, "AND village_id = ? ORDER BY kind, name, id", villageID)
}

// VillageMaps lists a village's base layers.
func (s *Store) VillageMaps(ctx context.Context, villageID string) ([]VillageMap, error) {
	return live[VillageMap](ctx, s, "AND village_id = ? ORDER BY name, id", villageID)
}

// HouseholdFilter narrows the household list. Empty fields match anything.
type HouseholdFilter struct {
	VillageID string
	Category  string // one of the Cat* constants
	Warning   string // 红, 橙, 绿
	Query     string // the one search (Search): house number, name, pinyin, phone or ID number
	Limit     int
	Offset    int
}

// HouseholdRow is one line of the household list.
type HouseholdRow struct {
	Household
	HouseNumber string
	Residents   int
	LastVisit   string
}

// householdSearchLimit bounds the keys each search rule reads for the
// household list.
const householdSearchLimit = 0 // Search's default, the same as the map's

// Households lists live households matching f: by village and house
// number, or, with a Query, as the one search (Search) ranks them.
func (s *Store) Households(ctx context.Context, f HouseholdFilter) ([]HouseholdRow, error) {
	where := []string{record.LiveSQL("h")}
	var args []any
	if f.VillageID != "" {
		where = append(where, "h.village_id = ?")
		args = append(args, f.VillageID)
	}
	if f.Category != "" {
		where = append(where, "EXISTS (SELECT 1 FROM json_each(h.categories) WHERE value = ?)")
		args = append(args, f.Category)
	}
	if f.Warning != "" {
		where = append(where, "h.warning = ?")
		args = append(args, f.Warning)
	}
	var ids, numbers []string
	if q := searchText(f.Query); q != "" {
		// One search everywhere (store/search): the households it finds,
		// best first, narrowed by the filters, then the page.
		hits, err := s.Search(ctx, SearchQuery{Text: q, VillageID: f.VillageID, Limit: householdSearchLimit})
		if errors.Is(err, search.ErrTooLong) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		hits = search.Households(hits)
		if len(hits) == 0 {
			return nil, nil
		}
		hargs := append([]any{}, args...)
		for _, h := range hits {
			hargs = append(hargs, h.HouseholdID)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT h.id FROM households h WHERE `+strings.Join(where, " AND ")+
			" AND h.id IN ("+placeholders(len(hits))+")", hargs...)
		if err != nil {
			return nil, fmt.Errorf("list households: %w", err)
		}
		keep := map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			keep[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, h := range hits {
			if keep[h.HouseholdID] {
				ids = append(ids, h.HouseholdID)
				numbers = append(numbers, h.Number)
			}
		}
		from := min(f.Offset, len(ids))
		to := len(ids)
		if f.Limit > 0 {
			to = min(from+f.Limit, len(ids))
		}
		ids, numbers = ids[from:to], numbers[from:to]
	} else {
		q := `SELECT h.id, coalesce(hs.number, '')
	FROM households h LEFT JOIN houses hs ON hs.id = h.house_id LEFT JOIN villages v ON v.id = h.village_id
	WHERE ` + strings.Join(where, " AND ") + `
	ORDER BY coalesce(v.name, ''),
	  coalesce(hs.number, '') = '', CAST(hs.number AS INTEGER), hs.number, h.owner_name, h.id`
		if f.Limit > 0 {
			q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("list households: %w", err)
		}
		for rows.Next() {
			var id, number string
			if err := rows.Scan(&id, &number); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
			numbers = append(numbers, number)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// The page is chosen first; people and last visits are counted only
	// for the rows shown, not for every household that matches.
	out := make([]HouseholdRow, 0, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		in := "(" + placeholders(len(chunk)) + ")"
		cargs := make([]any, len(chunk))
		for i, id := range chunk {
			cargs[i] = id
		}
		hhs, err := list[Household](ctx, s, "WHERE id IN "+in, cargs...)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]Household, len(hhs))
		for _, hh := range hhs {
			byID[hh.ID] = hh
		}
		people, err := s.countBy(ctx, "SELECT household_id, count(*) FROM residents WHERE "+record.LiveSQL("")+" AND household_id IN "+in+" GROUP BY household_id", cargs)
		if err != nil {
			return nil, err
		}
		last, err := s.countBy(ctx, "SELECT household_id, max(date) FROM visits WHERE "+record.LiveSQL("")+" AND household_id IN "+in+" GROUP BY household_id", cargs)
		if err != nil {
			return nil, err
		}
		for i, id := range chunk {
			n, _ := strconv.Atoi(people[id])
			out = append(out, HouseholdRow{Household: byID[id], HouseNumber: numbers[start+i], Residents: n, LastVisit: last[id]})
		}
	}
	return out, nil
}

// countBy runs a two-column GROUP BY query into a map (key → value text).
func (s *Store) countBy(ctx context.Context, q string, args []any) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SearchResidents lists the live residents the one search (Search) finds
// as persons — by name, pinyin, phone or ID number — best first.
func (s *Store) SearchResidents(ctx context.Context, q string, limit int) ([]Resident, error) {
	if searchText(q) == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 100
	}
	hits, err := s.Search(ctx, SearchQuery{Text: q, Limit: limit})
	if errors.Is(err, search.ErrTooLong) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Resident
	for _, h := range hits {
		if h.ResidentID == "" {
			continue
		}
		var r Resident
		if err := s.Get(ctx, &r, h.ResidentID); err != nil {
			return nil, err
		}
		out = append(out, r)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// Residents lists a household's live residents, head of household first.
func (s *Store) Residents(ctx context.Context, householdID string) ([]Resident, error) {
	return live[Resident](ctx, s, "AND household_id = ? ORDER BY relation != '户主', birth_date, name, id", householdID)
}

// Visits lists a household's visits, newest first.
func (s *Store) Visits(ctx context.Context, householdID string) ([]Visit, error) {
	return live[Visit](ctx, s, "AND household_id = ? ORDER BY date DESC, id", householdID)
}

// Teams lists live teams by name.
func (s *Store) Teams(ctx context.Context) ([]Team, error) {
	return live[Team](ctx, s, "ORDER BY name, id")
}

// Members lists live members (of one team when teamID is set).
func (s *Store) Members(ctx context.Context, teamID string) ([]Member, error) {
	if teamID == "" {
		return live[Member](ctx, s, "ORDER BY team_id, name, id")
	}
	return live[Member](ctx, s, "AND team_id = ? ORDER BY name, id", teamID)
}

// ShiftRules lists live shift rules.
func (s *Store) ShiftRules(ctx context.Context) ([]ShiftRule, error) {
	return live[ShiftRule](ctx, s, "ORDER BY team_id, name, id")
}

// Patrols lists live patrols with from <= date <= to (either may be empty).
func (s *Store) Patrols(ctx context.Context, from, to string) ([]Patrol, error) {
	if to == "" {
		to = "9999-12-31"
	}
	return live[Patrol](ctx, s, "AND date >= ? AND date <= ? ORDER BY date, start, id", from, to)
}

// Venues lists live venues by village and name.
func (s *Store) Venues(ctx context.Context) ([]Venue, error) {
	return live[Venue](ctx, s, "ORDER BY village_id, kind, name, id")
}

// CostItems lists live cost items in board order.
func (s *Store) CostItems(ctx context.Context) ([]CostItem, error) {
	return live[CostItem](ctx, s, "ORDER BY tier = 'criminal', grp, sort, id")
}

// BoardTemplates lists live board templates.
func (s *Store) BoardTemplates(ctx context.Context) ([]BoardTemplate, error) {
	return live[BoardTemplate](ctx, s, "ORDER BY name, id")
}

// PrintRecords lists what was printed, newest first.
func (s *Store) PrintRecords(ctx context.Context) ([]PrintRecord, error) {
	return live[PrintRecord](ctx, s, "ORDER BY printed_at DESC, id")
}

// Notices lists live notices, newest first.
func (s *Store) Notices(ctx context.Context) ([]Notice, error) {
	return live[Notice](ctx, s, "ORDER BY published_at DESC, id")
}

// Holidays lists the live stored holidays, by date.
func (s *Store) Holidays(ctx context.Context) ([]Holiday, error) {
	return live[Holiday](ctx, s, "ORDER BY date_from, kind, name, id")
}

// ShiftExceptions lists live roster exceptions.
func (s *Store) ShiftExceptions(ctx context.Context) ([]ShiftException, error) {
	return live[ShiftException](ctx, s, "ORDER BY name, id")
}

// Posts lists the device profiles known here (this device and, at a
// station, every paired post).
func (s *Store) Posts(ctx context.Context) ([]Post, error) {
	return live[Post](ctx, s, "ORDER BY role, name, id")
}

// SearchQuery is what to search for (searchindex.Query).
type SearchQuery = searchindex.Query

// Search finds houses, households and people by store/search's rules,
// best first, one hit per household in a house (an empty house, or a
// household with no house, is a hit of its own): package searchindex.
// search.Houses and search.Households narrow the list to what a map or a
// list shows.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]search.Hit, error) {
	return s.index.Search(ctx, q)
}

// searchText is the query of a household filter, "" when blank.
func searchText(q string) string { return strings.TrimSpace(q) }
