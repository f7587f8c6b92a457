// Package postcounts owns the per-post counts a station's and a county's
// dashboards and the monthly report are made of — a device's live records
// and change log counted for `cunjing info` and a dashboard (Records), every owner's live
// houses, households (by warning colour and category), residents, shift
// rules, patrols and boards printed, its data freshness (Stats,
// StatsByOwner), and a month's visits, changes and boards put up and
// checked (MonthCounts, MonthCountsByOwner); each table is read once,
// grouped by owner. Package sync/station and app/monthreport present
// them. It sits below store: store hands it out over its database handle
// (store.Store.PostCounts); it never imports store.
package postcounts

import (
	"context"
	"cunjing/store/internal/table"
	"cunjing/store/record"
	"encoding/json"
	"fmt"
)

// Counter counts one database's records per owner.
type Counter struct{ q table.Queryer }

// New returns the counter over q, the store's *sql.DB. Only store calls it.
func New(q table.Queryer) *Counter { return &Counter{q: q} }

// Stats are one owner's live records, counted for a dashboard.
type Stats struct {
	Owner        string         `json:"owner"`
	Houses       int            `json:"houses"`
	Households   int            `json:"households"`
	Residents    int            `json:"residents"`
	ByCategory   map[string]int `json:"households_by_category"`
	ByWarning    map[string]int `json:"households_by_warning"`
	Patrols      int            `json:"patrols_done"`
	ShiftRules   int            `json:"shift_rules"`
	BoardsPrint  int            `json:"boards_printed"`
	BoardsVenues map[string]int `json:"boards_by_venue"` // venue name -> copies
	LastChange   string         `json:"last_change_hlc"` // newest change this owner made
	// LastArrival is when a new change of this owner last arrived here, by
	// this PC's clock (ms since 1970; 0: never): a post's data freshness.
	// Its changes' own timestamps say what the post's clock read, which a
	// PC years fast puts in the future.
	LastArrival int64 `json:"last_arrival_ms"`
}

// NewStats is an owner's counts, all zero, ready to add to.
func NewStats(owner string) Stats {
	return Stats{Owner: owner, ByCategory: map[string]int{}, ByWarning: map[string]int{}, BoardsVenues: map[string]int{}}
}

// Add adds another owner's counts (a township's or a report's total is
// the posts' added up, one definition for the screen, the report and
// `cunjing station`). p's maps must be made (NewStats).
func (p *Stats) Add(s Stats) {
	p.Houses += s.Houses
	p.Households += s.Households
	p.Residents += s.Residents
	p.Patrols += s.Patrols
	p.ShiftRules += s.ShiftRules
	p.BoardsPrint += s.BoardsPrint
	addTo(p.ByCategory, s.ByCategory)
	addTo(p.ByWarning, s.ByWarning)
	addTo(p.BoardsVenues, s.BoardsVenues)
}

// addTo adds src's counts to dst's.
func addTo(dst, src map[string]int) {
	for k, v := range src {
		dst[k] += v
	}
}

// StatsByOwner counts the live records of every owner, each table read
// once and grouped by owner: asking per post scanned every table once per
// post (25 s for a station holding 60 posts' 600,000 households). Houses,
// households and residents are counted from their partial owner indexes
// (migration 0012). Patrols are those dated from..to inclusive
// (empty bounds: all).
func (s *Counter) StatsByOwner(ctx context.Context, from, to string) (map[string]*Stats, error) {
	out := map[string]*Stats{}
	get := func(owner string) *Stats {
		ps := out[owner]
		if ps == nil {
			n := NewStats(owner)
			ps = &n
			out[owner] = ps
		}
		return ps
	}
	if to == "" {
		to = "9999-12-31"
	}
	counts := []struct {
		q    string
		args []any
		set  func(*Stats, int)
	}{
		{"SELECT owner, count(*) FROM houses WHERE " + record.LiveSQL("") + " GROUP BY owner", nil, func(p *Stats, n int) { p.Houses = n }},
		{"SELECT owner, count(*) FROM residents WHERE " + record.LiveSQL("") + " GROUP BY owner", nil, func(p *Stats, n int) { p.Residents = n }},
		{"SELECT owner, count(*) FROM shift_rules WHERE " + record.LiveSQL("") + " GROUP BY owner", nil, func(p *Stats, n int) { p.ShiftRules = n }},
		{"SELECT owner, count(*) FROM patrols WHERE " + record.LiveSQL("") + " AND date >= ? AND date <= ? GROUP BY owner", []any{from, to},
			func(p *Stats, n int) { p.Patrols = n }},
		{"SELECT owner, coalesce(sum(copies), 0) FROM print_records WHERE " + record.LiveSQL("") + " AND kind = 'board' GROUP BY owner", nil,
			func(p *Stats, n int) { p.BoardsPrint = n }},
	}
	for _, c := range counts {
		err := s.eachRow(ctx, c.q, c.args, func(owner, _ string, n int) { c.set(get(owner), n) })
		if err != nil {
			return nil, err
		}
	}
	groups := []struct {
		q   string
		dst func(*Stats) map[string]int
	}{
		{`SELECT p.owner, coalesce(v.name, p.venue_id), sum(p.copies) FROM print_records p LEFT JOIN venues v ON v.id = p.venue_id
		  WHERE ` + record.LiveSQL("p") + ` AND p.kind = 'board' AND p.venue_id != '' GROUP BY 1, 2`,
			func(p *Stats) map[string]int { return p.BoardsVenues }},
	}
	for _, g := range groups {
		err := s.eachRow(ctx, g.q, nil, func(owner, key string, n int) { g.dst(get(owner))[key] = n })
		if err != nil {
			return nil, err
		}
	}
	if err := s.householdsByOwner(ctx, get); err != nil {
		return nil, err
	}
	rows, err := s.q.QueryContext(ctx, "SELECT device, last_hlc, arrived_ms FROM origins")
	if err != nil {
		return nil, fmt.Errorf("station stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dev, last string
		var arrived int64
		if err := rows.Scan(&dev, &last, &arrived); err != nil {
			return nil, fmt.Errorf("station stats: %w", err)
		}
		ps := get(dev)
		ps.LastChange, ps.LastArrival = last, arrived
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("station stats: %w", err)
	}
	return out, nil
}

// PendingRequestsByOwner counts the requests to unlock a month that wait
// for the station (record.RequestPending), per post, in one grouped query:
// the overview asked each post's whole list (25% of its time at 100
// posts).
func (s *Counter) PendingRequestsByOwner(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := s.eachRow(ctx, "SELECT owner, count(*) FROM month_requests WHERE "+record.LiveSQL("")+" AND state = ? GROUP BY owner",
		[]any{record.RequestPending}, func(owner, _ string, n int) { out[owner] = n })
	if err != nil {
		return nil, fmt.Errorf("requests to unlock: %w", err)
	}
	return out, nil
}

// householdsByOwner counts households per owner, by warning colour and by
// category, in one pass over the households_by_owner index (migration
// 0012): the groups are (owner, warning, categories), a few dozen per post,
// and each group's categories are counted here. Three grouped queries
// over the table took 3× as long.
func (s *Counter) householdsByOwner(ctx context.Context, get func(owner string) *Stats) error {
	rows, err := s.q.QueryContext(ctx, `SELECT owner, warning, categories, count(*) FROM households INDEXED BY households_by_owner
		WHERE `+record.LiveSQL("")+` GROUP BY owner, warning, categories`)
	if err != nil {
		return fmt.Errorf("station stats: households: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var owner, warning, cats string
		var n int
		if err := rows.Scan(&owner, &warning, &cats, &n); err != nil {
			return fmt.Errorf("station stats: households: %w", err)
		}
		ps := get(owner)
		ps.Households += n
		if warning != "" {
			ps.ByWarning[warning] += n
		}
		var list []string
		if cats != "" && cats != "[]" && cats != "null" {
			if err := json.Unmarshal([]byte(cats), &list); err != nil {
				return fmt.Errorf("station stats: households of %s: categories %q: %w", owner, cats, err)
			}
		}
		for _, c := range list {
			ps.ByCategory[c] += n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("station stats: households: %w", err)
	}
	return nil
}

// eachRow runs a grouped count — (owner, count) or (owner, key, count) —
// and hands each row to f.
func (s *Counter) eachRow(ctx context.Context, q string, args []any, f func(owner, key string, n int)) error {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("station stats: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("station stats: %w", err)
	}
	for rows.Next() {
		var owner, key string
		var n int
		dst := []any{&owner, &n}
		if len(cols) == 3 {
			dst = []any{&owner, &key, &n}
		}
		if err := rows.Scan(dst...); err != nil {
			return fmt.Errorf("station stats: %w", err)
		}
		f(owner, key, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("station stats: %w", err)
	}
	return nil
}

// MonthCounts are what a monthly report counts per owner beside
// StatsByOwner: visits dated in the month, and field changes the owner
// made to its houses, households and residents that reached this device in
// the month: a change from another device counts in the month it arrived
// here, by this PC's clock (its own stamp says what the owner's clock
// read, which may be months off, and a month once over keeps its count);
// a change made here, or held before arrivals were kept (migration 0022),
// by its stamp.
type MonthCounts struct {
	Visits  int `json:"visits"`
	Changes int `json:"changes"`
	// BoardsPosted and BoardsChecked count, by venue name, the patrols
	// dated in the month that put up a board there or checked the one
	// there (Patrol.BoardsPosted, BoardsChecked).
	BoardsPosted  map[string]int `json:"boards_posted"`
	BoardsChecked map[string]int `json:"boards_checked"`
}

// NewMonthCounts is an empty month, its maps made.
func NewMonthCounts() MonthCounts {
	return MonthCounts{BoardsPosted: map[string]int{}, BoardsChecked: map[string]int{}}
}

// Add adds m's counts into c (a township total is the sum of its posts').
func (c *MonthCounts) Add(m MonthCounts) {
	c.Visits += m.Visits
	c.Changes += m.Changes
	if c.BoardsPosted == nil {
		c.BoardsPosted = map[string]int{}
	}
	if c.BoardsChecked == nil {
		c.BoardsChecked = map[string]int{}
	}
	for k, v := range m.BoardsPosted {
		c.BoardsPosted[k] += v
	}
	for k, v := range m.BoardsChecked {
		c.BoardsChecked[k] += v
	}
}

// Boards is how many boards the month's patrols put up and checked, over
// every venue.
func (c MonthCounts) Boards() (posted, checked int) {
	for _, n := range c.BoardsPosted {
		posted += n
	}
	for _, n := range c.BoardsChecked {
		checked += n
	}
	return posted, checked
}

// MonthCountsByOwner counts visits and the boards patrols put up or
// checked, dated from..to (YYYY-MM-DD), and the changes to houses,
// households and residents that arrived in [fromMs, toMs) (or, made here,
// were stamped then; see MonthCounts), per owner (the device that made the
// change).
func (s *Counter) MonthCountsByOwner(ctx context.Context, from, to string, fromMs, toMs int64) (map[string]*MonthCounts, error) {
	out := map[string]*MonthCounts{}
	get := func(owner string) *MonthCounts {
		if out[owner] == nil {
			c := NewMonthCounts()
			out[owner] = &c
		}
		return out[owner]
	}
	err := s.eachRow(ctx, "SELECT owner, count(*) FROM visits WHERE "+record.LiveSQL("")+" AND date >= ? AND date <= ? GROUP BY owner",
		[]any{from, to}, func(owner, _ string, n int) { get(owner).Visits = n })
	if err != nil {
		return nil, err
	}
	// A venue a patrol named twice in one list counts once.
	for _, b := range []struct {
		field string
		dst   func(*MonthCounts) map[string]int
	}{
		{"boards_posted", func(c *MonthCounts) map[string]int { return c.BoardsPosted }},
		{"boards_checked", func(c *MonthCounts) map[string]int { return c.BoardsChecked }},
	} {
		q := `SELECT p.owner, coalesce(v.name, j.value), count(DISTINCT p.id || char(0) || j.value)
			FROM patrols p, json_each(CASE WHEN json_valid(p.` + b.field + `) THEN p.` + b.field + ` ELSE '[]' END) j
			LEFT JOIN venues v ON v.id = j.value
			WHERE ` + record.LiveSQL("p") + ` AND p.date >= ? AND p.date <= ? AND j.type = 'text' AND j.value != '' GROUP BY 1, 2`
		err = s.eachRow(ctx, q, []any{from, to}, func(owner, venue string, n int) { b.dst(get(owner))[venue] = n })
		if err != nil {
			return nil, err
		}
	}
	// Changes that arrived from another device in the month, by this PC's
	// clock (change_arrivals, migration 0022: syncbook.NoteArrival) ...
	err = s.eachRow(ctx, `SELECT o.device, count(*) FROM change_arrivals a
		JOIN changes c ON c.seq BETWEEN a.seq_from AND a.seq_to JOIN origins o ON o.n = c.origin
		WHERE a.arrived_ms >= ? AND a.arrived_ms < ? AND c.tbl IN ('houses', 'households', 'residents') GROUP BY o.device`,
		[]any{fromMs, toMs}, func(owner, _ string, n int) { get(owner).Changes += n })
	if err != nil {
		return nil, err
	}
	// ... and the rest (made here, or held before arrivals were kept) by
	// their stamps.
	return out, s.stampedChanges(ctx, fromMs, toMs, `AND NOT EXISTS (SELECT 1 FROM change_arrivals a -- the one range that may hold c (ranges never overlap)
			WHERE a.seq_to = (SELECT min(seq_to) FROM change_arrivals WHERE seq_to >= c.seq) AND a.seq_from <= c.seq)`, get)
}

// stampedChanges counts the changes to houses, households and residents
// stamped in [fromMs, toMs) that also meet and (SQL over c, the change).
func (s *Counter) stampedChanges(ctx context.Context, fromMs, toMs int64, and string, get func(string) *MonthCounts) error {
	return s.eachRow(ctx, `SELECT o.device, count(*) FROM changes c JOIN origins o ON o.n = c.origin
		WHERE c.tbl IN ('houses', 'households', 'residents') AND c.hlc >= ? AND c.hlc < ? `+and+` GROUP BY o.device`,
		[]any{fmt.Sprintf("%013d", fromMs), fmt.Sprintf("%013d", toMs)}, func(owner, _ string, n int) { get(owner).Changes += n })
}

// Records are the live (not deleted) record counts shown on dashboards
// and by `cunjing info`, with the change log's and the conflicts' sizes.
type Records struct {
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

// Records counts live records, optionally only those owned by owner.
func (c *Counter) Records(ctx context.Context, owner string) (Records, error) {
	var r Records
	ownerOnly, args := "", []any{}
	if owner != "" {
		ownerOnly, args = " AND owner = ?", []any{owner}
	}
	for _, t := range []struct {
		from string
		dst  *int
	}{
		{"houses", &r.Houses}, {"households", &r.Households}, {"residents", &r.Residents},
		{"teams", &r.Teams}, {"members", &r.Members}, {"shift_rules", &r.ShiftRules},
		{"patrols", &r.Patrols}, {"venues", &r.Venues}, {"cost_items", &r.CostItems},
		{"villages", &r.Villages},
		{"changes", &r.Changes}, {"conflicts", &r.Conflicts},
	} {
		q, qargs := "SELECT count(*) FROM "+t.from+" WHERE "+record.LiveSQL("")+ownerOnly, args
		if t.from == "changes" || t.from == "conflicts" { // the whole file's, not records
			q, qargs = "SELECT count(*) FROM "+t.from, nil
		}
		if err := c.q.QueryRowContext(ctx, q, qargs...).Scan(t.dst); err != nil {
			return r, fmt.Errorf("count %s: %w", t.from, err)
		}
	}
	return r, nil
}
