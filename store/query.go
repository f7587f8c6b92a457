package store

import (
	"context"
	"fmt"

	"cunjing/store/householdlist"
	"cunjing/store/internal/table"
	"cunjing/store/postcounts"
	"cunjing/store/record"
	"cunjing/store/search"
	"cunjing/store/searchindex"
)

// Counts are the live (not deleted) record counts shown on dashboards and by
// `cunjing info` (postcounts.Records).
type Counts = postcounts.Records

// Counts counts live records, optionally only those owned by owner.
func (s *Store) Counts(ctx context.Context, owner string) (Counts, error) {
	return s.counts.Records(ctx, owner)
}

// list runs a SELECT of every column of T's table with the given WHERE
// tail and decodes each row into a T.
func list[T any, P interface {
	*T
	Record
}](ctx context.Context, s *Store, where string, args ...any) ([]T, error) {
	return table.List[T, P](ctx, s.db, where, args...)
}

// Reader is where typed records are read from: the store, or a write
// transaction (what it has written so far included), for List and Live.
type Reader interface {
	reader(ctx context.Context) (context.Context, table.Queryer)
}

func (s *Store) reader(ctx context.Context) (context.Context, table.Queryer) { return ctx, s.db }

// reader reads inside the transaction, in its context.
func (tx *Tx) reader(context.Context) (context.Context, table.Queryer) { return tx.ctx, tx.tx }

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
	return table.List[T, P](ctx, q, where, args...)
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
	return table.List[T, P](ctx, s.db, liveWhere+tail, args...)
}

// liveTx is live inside a write transaction.
func liveTx[T any, P interface {
	*T
	Record
}](tx *Tx, tail string, args ...any) ([]T, error) {
	return table.List[T, P](tx.ctx, tx.tx, liveWhere+tail, args...)
}

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
func (s *Store) Features(ctx context.Context, villageID string) ([]record.Feature, error) {
	return live[record.Feature](ctx, s, "AND village_id = ? ORDER BY kind, name, id", villageID)
}

// VillageMaps lists a village's base layers.
func (s *Store) VillageMaps(ctx context.Context, villageID string) ([]VillageMap, error) {
	return live[VillageMap](ctx, s, "AND village_id = ? ORDER BY name, id", villageID)
}

// HouseholdFilter narrows the household list (householdlist.Filter).
type HouseholdFilter = householdlist.Filter

// HouseholdRow is one line of the household list (householdlist.Row).
type HouseholdRow = householdlist.Row

// Households lists live households matching f: by village and house
// number, or, with a Query, as the one search (Search) ranks them
// (store/householdlist).
func (s *Store) Households(ctx context.Context, f HouseholdFilter) ([]HouseholdRow, error) {
	return householdlist.New(s.db, s.index).Households(ctx, f)
}

// SearchResidents lists the live residents the one search (Search) finds
// as persons — by name, pinyin, phone or ID number — best first.
func (s *Store) SearchResidents(ctx context.Context, q string, limit int) ([]Resident, error) {
	return householdlist.New(s.db, s.index).Residents(ctx, q, limit)
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
