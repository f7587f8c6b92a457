// Package householdlist owns the household list of 住户 and what opens
// from it: which live households match a filter (village, category,
// warning colour, or the one search, ranked as it ranks them), in what
// order, one page of them, and the figures each row shows (house number,
// residents, last visit); one household as a row (Row); the residents
// the one search finds as persons (Residents).
//
// It sits below store's root over its database handle and its search
// index, handed out by Store.Households, Store.HouseholdRowByID and
// Store.SearchResidents.
package householdlist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cunjing/store/internal/table"
	"cunjing/store/record"
	"cunjing/store/search"
	"cunjing/store/searchindex"
)

// Filter narrows the household list. Empty fields match anything.
type Filter struct {
	VillageID string
	Category  string // one of the Cat* constants
	Warning   string // 红, 橙, 绿
	Query     string // the one search (Store.Search): house number, name, pinyin, phone or ID number
	Limit     int
	Offset    int
}

// Row is one line of the household list.
type Row struct {
	record.Household
	HouseNumber string
	Residents   int
	LastVisit   string
}

// List is the household list over a database and its search index.
type List struct {
	db    *sql.DB
	index *searchindex.Index
}

// New is the list over db, searching through index.
func New(db *sql.DB, index *searchindex.Index) *List { return &List{db: db, index: index} }

// searchLimit bounds the keys each search rule reads for the household
// list.
const searchLimit = 0 // Search's default, the same as the map's

// pageChunk is how many households of a page are read in one query.
const pageChunk = 500

// Households lists live households matching f: by village and house
// number, or, with a Query, as the one search ranks them.
func (l *List) Households(ctx context.Context, f Filter) ([]Row, error) {
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
	var err error
	if q := strings.TrimSpace(f.Query); q != "" {
		// One search everywhere (store/search): the households it finds,
		// best first, narrowed by the filters, then the page.
		if ids, numbers, err = l.found(ctx, q, f, where, args); ids == nil {
			return nil, err
		}
	} else if ids, numbers, err = l.inOrder(ctx, f, where, args); err != nil {
		return nil, err
	}
	// The page is chosen first; people and last visits are counted only
	// for the rows shown, not for every household that matches.
	out := make([]Row, 0, len(ids))
	for start := 0; start < len(ids); start += pageChunk {
		chunk := ids[start:min(start+pageChunk, len(ids))]
		in, cargs := table.In(chunk)
		in = "(" + in + ")"
		hhs, err := table.List[record.Household](ctx, l.db, "WHERE id IN "+in, cargs...)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]record.Household, len(hhs))
		for _, hh := range hhs {
			byID[hh.ID] = hh
		}
		people, err := l.countBy(ctx, "SELECT household_id, count(*) FROM residents WHERE "+record.LiveSQL("")+" AND household_id IN "+in+" GROUP BY household_id", cargs)
		if err != nil {
			return nil, err
		}
		last, err := l.countBy(ctx, "SELECT household_id, max(date) FROM visits WHERE "+record.LiveSQL("")+" AND household_id IN "+in+" GROUP BY household_id", cargs)
		if err != nil {
			return nil, err
		}
		for i, id := range chunk {
			n, _ := strconv.Atoi(people[id])
			out = append(out, plain(Row{Household: byID[id], HouseNumber: numbers[start+i], Residents: n, LastVisit: last[id]}))
		}
	}
	return out, nil
}

// found is the page of households the one search finds for q, best first,
// narrowed by the filters (where, args): their IDs and house numbers (nil
// when the search finds none).
func (l *List) found(ctx context.Context, q string, f Filter, where []string, args []any) (ids, numbers []string, err error) {
	hits, err := l.index.Search(ctx, searchindex.Query{Text: q, VillageID: f.VillageID, Limit: searchLimit})
	if errors.Is(err, search.ErrTooLong) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	hits = search.Households(hits)
	if len(hits) == 0 {
		return nil, nil, nil
	}
	hargs := append([]any{}, args...)
	for _, h := range hits {
		hargs = append(hargs, h.HouseholdID)
	}
	keep := map[string]bool{}
	err = l.scan(ctx, "list households", `SELECT h.id FROM households h WHERE `+strings.Join(where, " AND ")+
		" AND h.id IN ("+table.Placeholders(len(hits))+")", hargs, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		keep[id] = true
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	ids, numbers = []string{}, []string{}
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
	return ids[from:to], numbers[from:to], nil
}

// inOrder is the page of households matching the filters (where, args) by
// village and house number: their IDs and house numbers.
func (l *List) inOrder(ctx context.Context, f Filter, where []string, args []any) (ids, numbers []string, err error) {
	q := `SELECT h.id, coalesce(hs.number, '')
	FROM households h LEFT JOIN houses hs ON hs.id = h.house_id LEFT JOIN villages v ON v.id = h.village_id
	WHERE ` + strings.Join(where, " AND ") + `
	ORDER BY coalesce(v.name, ''),
	  coalesce(hs.number, '') = '', CAST(hs.number AS INTEGER), hs.number, h.owner_name, h.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	}
	err = l.scan(ctx, "list households", q, args, func(rows *sql.Rows) error {
		var id, number string
		err := rows.Scan(&id, &number)
		ids = append(ids, id)
		numbers = append(numbers, number)
		return err
	})
	return ids, numbers, err
}

// countBy runs a two-column GROUP BY query into a map (key → value text).
func (l *List) countBy(ctx context.Context, q string, args []any) (map[string]string, error) {
	out := map[string]string{}
	err := l.scan(ctx, "count", q, args, func(rows *sql.Rows) error {
		var k, v string
		err := rows.Scan(&k, &v)
		out[k] = v
		return err
	})
	return out, err
}

// scan runs q and hands each row to row; what names it in an error.
func (l *List) scan(ctx context.Context, what, q string, args []any, row func(*sql.Rows) error) error {
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Row reads one household as the household list shows it (house number,
// how many residents, last visit), for a screen that opens a household it
// did not find through the list.
func (l *List) Row(ctx context.Context, id string) (Row, error) {
	var row Row
	if err := table.Get(ctx, l.db, &row.Household, id); err != nil {
		return row, err
	}
	err := l.db.QueryRowContext(ctx, `SELECT
	  coalesce((SELECT number FROM houses WHERE id = ?), ''),
	  (SELECT count(*) FROM residents r WHERE r.household_id = ? AND `+record.LiveSQL("r")+`),
	  coalesce((SELECT max(date) FROM visits v WHERE v.household_id = ? AND `+record.LiveSQL("v")+`), '')`,
		row.HouseID, id, id).Scan(&row.HouseNumber, &row.Residents, &row.LastVisit)
	if err != nil {
		return row, fmt.Errorf("household %s: %w", id, err)
	}
	return plain(row), nil
}

// plain gives row's house and door numbers as the screens show them
// before their 号 (search.PlainNumber): numbers stored with it before the
// forms dropped it ('205号') showed as 205号号. The household's form shows
// the plain number too, and saving it stores it so.
func plain(row Row) Row {
	row.HouseNumber = search.PlainNumber(row.HouseNumber)
	row.DoorNumber = search.PlainNumber(row.DoorNumber)
	return row
}

// Residents lists the live residents the one search finds as persons —
// by name, pinyin, phone or ID number — best first, at most limit (100
// when 0).
func (l *List) Residents(ctx context.Context, q string, limit int) ([]record.Resident, error) {
	if strings.TrimSpace(q) == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 100
	}
	hits, err := l.index.Search(ctx, searchindex.Query{Text: q, Limit: limit})
	if errors.Is(err, search.ErrTooLong) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []record.Resident
	for _, h := range hits {
		if h.ResidentID == "" {
			continue
		}
		var r record.Resident
		if err := table.Get(ctx, l.db, &r, h.ResidentID); err != nil {
			return nil, err
		}
		out = append(out, r)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
