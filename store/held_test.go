package store

import (
	"context"
	"cunjing/store/heldnewer"
	"cunjing/store/internal/table"
	"cunjing/store/record"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newOlderStore makes a store that takes the named tables ("t") and fields
// ("t.f") as unknown, as a version older than this one would: a device not
// yet upgraded. Reopening it without them is its upgrade.
func newOlderStore(t testing.TB, role string, now func() time.Time, unknown ...string) *Store {
	t.Helper()
	dev := fmt.Sprintf("DEV%04d-AAAAAAA", devSeq.Add(1))
	s, err := Create(context.Background(), filepath.Join(testDir(t), "t.db"),
		Identity{DeviceID: dev, Role: role, Name: "测试" + dev}, Options{Now: now, unknown: unknown})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return s
}

// reopen closes s and opens its file as a version that does not know
// unknown (none: this version, i.e. s upgraded).
func reopen(t testing.TB, s *Store, now func() time.Time, unknown ...string) *Store {
	t.Helper()
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	n, err := Open(context.Background(), path, Options{Now: now, unknown: unknown})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	return n
}

func heldRows(t testing.TB, s *Store) []Change {
	t.Helper()
	rows, err := s.db.Query("SELECT tbl, rec, field, value, hlc, base FROM held_newer ORDER BY tbl, field, rec, hlc")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Table, &c.Record, &c.Field, &c.Value, &c.HLC, &c.Base); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHoldNewerChanges: a change of a table or field this version does not
// know, well formed, is held aside and the rest of the batch merges; a
// malformed one still fails the whole batch, which changes nothing.
func TestHoldNewerChanges(t *testing.T) {
	const dev = "NEWERDEVICE-AAAAAAA"
	hlc := func(n int) string { return HLC{Wall: 1_764_000_000_000 + int64(n), Device: dev}.String() }
	village := Change{Table: "villages", Record: "v1", Field: "name", Value: `"张庄"`, HLC: hlc(1)}
	owner := Change{Table: "villages", Record: "v1", Field: "owner", Value: `"` + dev + `"`, HLC: hlc(1)}
	newField := Change{Table: "villages", Record: "v1", Field: "river_level", Value: `{"m": 2.5}`, HLC: hlc(2)}
	newTable := Change{Table: "flood_points", Record: "f1", Field: "name", Value: `"桥头"`, HLC: hlc(3)}
	with := func(c Change, f func(*Change)) Change { f(&c); return c }
	cases := []struct {
		name    string
		batch   []Change
		held    int    // changes held aside
		merged  int    // changes merged
		refused string // the whole batch fails with this in its error
	}{
		{"unknown field of a known table", []Change{newField}, 1, 0, ""},
		{"unknown table", []Change{newTable}, 1, 0, ""},
		{"mixed with known changes", []Change{owner, village, newField, newTable}, 2, 2, ""},
		{"base before the change", []Change{with(newField, func(c *Change) { c.Base = hlc(1) })}, 1, 0, ""},
		{"upper case field name", []Change{village, with(newField, func(c *Change) { c.Field = "RiverLevel" })}, 0, 0, "unknown field"},
		{"field name too long", []Change{village, with(newField, func(c *Change) { c.Field = strings.Repeat("a", heldnewer.MaxNameLen+1) })}, 0, 0, "unknown field"},
		{"empty field name", []Change{village, with(newField, func(c *Change) { c.Field = "" })}, 0, 0, "unknown field"},
		{"table name with a quote", []Change{village, with(newTable, func(c *Change) { c.Table = `x" ; DROP TABLE changes; --` })}, 0, 0, "unknown table"},
		{"SQLite's own table", []Change{village, with(newTable, func(c *Change) { c.Table = "sqlite_master" })}, 0, 0, "unknown table"},
		{"table name too long", []Change{village, with(newTable, func(c *Change) { c.Table = strings.Repeat("t", 200) })}, 0, 0, "unknown table"},
		{"id of an unknown table", []Change{village, with(newTable, func(c *Change) { c.Field = "id" })}, 0, 0, "unknown field"},
		{"hlc as a field", []Change{village, with(newField, func(c *Change) { c.Field = "hlc" })}, 0, 0, "unknown field"},
		{"bad hlc", []Change{village, with(newTable, func(c *Change) { c.HLC = "yesterday" })}, 0, 0, "bad hlc"},
		{"no record id", []Change{village, with(newField, func(c *Change) { c.Record = "" })}, 0, 0, "bad record id"},
		{"record id too long", []Change{village, with(newTable, func(c *Change) { c.Record = strings.Repeat("r", 65) })}, 0, 0, "bad record id"},
		{"base not older", []Change{village, with(newField, func(c *Change) { c.Base = hlc(9) })}, 0, 0, "not older"},
		{"bad base", []Change{village, with(newField, func(c *Change) { c.Base = "x" })}, 0, 0, "bad base"},
		{"hlc beyond 2286", []Change{village, with(newTable, func(c *Change) { c.HLC = "19999999999999-000000-" + dev })}, 0, 0, "hlc"},
		{"value not JSON", []Change{village, with(newField, func(c *Change) { c.Value = `{"m": ` })}, 0, 0, "not JSON"},
		{"known field, wrong type", []Change{newField, with(village, func(c *Change) { c.Value = "12" })}, 0, 0, "wants a string"},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t, RoleStation, nil)
			before := dumpOf(t, s)
			res, err := s.Apply(ctx, tc.batch)
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("want the batch refused (%s), got %v", tc.refused, err)
				}
				if errors.Is(err, ErrUnknownSchema) {
					t.Fatalf("a malformed change passed for a newer version's: %v", err)
				}
				if dumpOf(t, s) != before || len(heldRows(t, s)) != 0 {
					t.Fatal("a refused batch changed the database")
				}
				return
			}
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			if res.Held != tc.held || res.Applied != tc.merged {
				t.Fatalf("held %d merged %d, want %d and %d (%+v)", res.Held, res.Applied, tc.held, tc.merged, res)
			}
			if got := len(heldRows(t, s)); got != tc.held {
				t.Fatalf("%d rows held, want %d", got, tc.held)
			}
			// Never silent: counted per origin.
			hn, err := s.HeldNewer(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(hn) != 1 || hn[0].Origin != dev || hn[0].Waiting != tc.held {
				t.Fatalf("HeldNewer %+v", hn)
			}
			if tc.merged > 0 && !strings.Contains(dumpOf(t, s), "villages\tv1\tname\t\"张庄\"") {
				t.Fatalf("the known change was not merged:\n%s", dumpOf(t, s))
			}
			// The same changes again: nothing held twice.
			res, err = s.Apply(ctx, tc.batch)
			if err != nil {
				t.Fatal(err)
			}
			if res.Held != 0 || res.Applied != 0 || res.Duplicates != len(tc.batch) {
				t.Fatalf("again: %+v", res)
			}
			if got := len(heldRows(t, s)); got != tc.held {
				t.Fatalf("again: %d rows held, want %d", got, tc.held)
			}
		})
	}
}

// TestValidateSaysNewer: Validate tells a newer version's change from a
// malformed one by a typed error.
func TestValidateSaysNewer(t *testing.T) {
	c := Change{Table: "patrols", Record: "p", Field: "drone_track", Value: `[]`, HLC: "1764000000000-000000-D"}
	err := ValidateChange(c)
	var u *UnknownSchemaError
	if !errors.Is(err, ErrUnknownSchema) || !errors.As(err, &u) || !u.TableKnown || u.Field != "drone_track" {
		t.Fatalf("unknown field: %v", err)
	}
	c.Table = "drones"
	if err := ValidateChange(c); !errors.As(err, &u) || u.TableKnown || u.Table != "drones" {
		t.Fatalf("unknown table: %v", err)
	}
	c.HLC = ""
	if err := ValidateChange(c); err == nil || errors.Is(err, ErrUnknownSchema) {
		t.Fatalf("malformed: %v", err)
	}
	// Every name this schema uses is one a newer version could use too.
	for name, ti := range table.Tables {
		if !heldnewer.SaneTable(name) {
			t.Errorf("table %q", name)
		}
		for _, c := range ti.Cols {
			if !heldnewer.SaneName(c.Name) {
				t.Errorf("field %s.%s", name, c.Name)
			}
		}
	}
}

// TestHeldNeverLeaves: changes held aside are local: not in the change log
// a device cuts its changesets from, not in its dump.
func TestHeldNeverLeaves(t *testing.T) {
	ctx := context.Background()
	newer := newTestStore(t, RolePost, nil)
	p := &Patrol{Date: "2026-12-01", People: []string{"老王"}, BoardsPosted: []string{"venue-集市"}}
	if err := newer.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	older := newOlderStore(t, RoleStation, nil, "patrols.boards_posted")
	defer older.Close()
	res, err := older.Apply(ctx, allChanges(t, newer))
	if err != nil {
		t.Fatal(err)
	}
	if res.Held != 1 {
		t.Fatalf("held %d, want 1 (%+v)", res.Held, res)
	}
	for _, c := range allChanges(t, older) {
		if c.Field == "boards_posted" {
			t.Fatalf("a held change is in the change log: %+v", c)
		}
	}
	mine, _, err := older.ChangesSince(ctx, newer.DeviceID(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != len(allChanges(t, newer))-1 {
		t.Fatalf("%d changes of the origin to relay, want all but the held one", len(mine))
	}
	if d := dumpOf(t, older); strings.Contains(d, "venue-集市") || strings.Contains(d, "held") {
		t.Fatalf("a held change is in the dump:\n%s", d)
	}
	if got := heldRows(t, older); len(got) != 1 || got[0].Value != `["venue-集市"]` {
		t.Fatalf("held %+v", got)
	}
}

// TestUpgradeMergesHeld is the property behind holding aside: last writer
// wins by (hlc, device) does not depend on arrival order, so a device that
// held a newer version's changes and is upgraded later ends where a device
// that knew the schema all along does. Per case: a post and a station of
// the newer version and a station of the older one (it lacks patrols'
// board fields and the holidays table) edit, concurrently, and exchange
// at random (the older one holding what it does not know, and editing
// what it does); then every device gets everything in random order and
// batches with duplicates; the older one is upgraded in two steps (the
// patrol fields first, then holidays). Its dump, conflicts included, must
// equal that of a fresh replica of the newer version and of the others.
func TestUpgradeMergesHeld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	unknown := []string{"patrols.boards_posted", "patrols.boards_checked", "holidays"}
	venues := []string{"集市", "学校", "村委", "桥头"}
	randVenues := func(rng *rand.Rand) []string {
		var out []string
		for _, v := range venues {
			if rng.Intn(3) == 0 {
				out = append(out, v)
			}
		}
		return out
	}
	totalHeld, totalConflicts, partial := 0, 0, 0
	for seed := int64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		base := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		clk := func() func() time.Time {
			c := &skewedClock{t: base.Add(time.Duration(rng.Intn(3600)) * time.Second), rng: rng}
			return c.now
		}
		post := newTestStore(t, RolePost, clk())
		station := newTestStore(t, RoleStation, clk())
		oldNow := clk()
		older := newOlderStore(t, RoleStation, oldNow, unknown...)
		devs := []*Store{post, station, older}
		var patrols []string
		var holidays []string
		load := func(s *Store, table, id string) (Record, bool) {
			r := record.New(table)
			if err := s.Get(ctx, r, id); err != nil {
				return nil, false
			}
			return r, true
		}
		exchange := func(from, to *Store) {
			if _, err := to.Apply(ctx, allChanges(t, from)); err != nil {
				t.Fatalf("seed %d: exchange: %v", seed, err)
			}
		}
		for step := 0; step < 40; step++ {
			switch k := rng.Intn(10); {
			case k < 2:
				p := &Patrol{Date: "2026-11-01", People: []string{"老王"}, BoardsPosted: randVenues(rng), Notes: "巡"}
				if err := post.Save(ctx, p); err != nil {
					t.Fatal(err)
				}
				patrols = append(patrols, p.ID)
			case k == 2:
				h := &Holiday{Name: "寒假", Kind: "school", DateFrom: "2027-01-20", DateTo: "2027-02-20"}
				if err := post.Save(ctx, h); err != nil {
					t.Fatal(err)
				}
				holidays = append(holidays, h.ID)
			case k < 6 && len(patrols) > 0:
				// The newer post or station edits a patrol, board fields
				// included (the station corrects its post's records).
				s := []*Store{post, station}[rng.Intn(2)]
				r, ok := load(s, "patrols", patrols[rng.Intn(len(patrols))])
				if !ok {
					continue
				}
				p := r.(*Patrol)
				switch rng.Intn(4) {
				case 0:
					p.BoardsPosted = randVenues(rng)
				case 1:
					p.BoardsChecked = randVenues(rng)
				case 2:
					p.Notes = fmt.Sprintf("备注%d", rng.Intn(3))
				default:
					p.Deleted = !p.Deleted
				}
				if err := s.Save(ctx, p); err != nil {
					t.Fatal(err)
				}
			case k == 6 && len(patrols) > 0:
				// The older station edits what it knows of a patrol.
				r, ok := load(older, "patrols", patrols[rng.Intn(len(patrols))])
				if !ok {
					continue
				}
				p := r.(*Patrol)
				p.Notes = fmt.Sprintf("所里备注%d", rng.Intn(3))
				if err := older.Save(ctx, p); err != nil {
					t.Fatal(err)
				}
			case k == 7 && len(holidays) > 0:
				s := []*Store{post, station}[rng.Intn(2)]
				r, ok := load(s, "holidays", holidays[rng.Intn(len(holidays))])
				if !ok {
					continue
				}
				h := r.(*Holiday)
				h.Confirmed = !h.Confirmed
				h.Source = fmt.Sprintf("校历%d", rng.Intn(3))
				if err := s.Save(ctx, h); err != nil {
					t.Fatal(err)
				}
			default:
				a, b := devs[rng.Intn(3)], devs[rng.Intn(3)]
				if a != b {
					exchange(a, b)
				}
			}
		}
		// A replica of the newer version that knew the schema all along
		// (its own profile record goes to the others too).
		fresh := newTestStore(t, RolePost, clk())
		var union []Change
		for _, s := range append(devs, fresh) {
			mine, _, err := s.ChangesSince(ctx, s.DeviceID(), 0, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			union = append(union, mine...)
		}
		for _, s := range []*Store{post, station, older, fresh} {
			deliver(t, rng, s, union)
		}
		held := len(heldRows(t, older))
		totalHeld += held
		// Not upgraded yet: what it holds is not in its records.
		if held > 0 && dumpOf(t, older) == dumpOf(t, fresh) {
			t.Fatalf("seed %d: %d changes held, yet the older device's dump equals the newer's", seed, held)
		}
		// Upgraded to a version that knows the patrol fields only.
		older = reopen(t, older, oldNow, "holidays")
		for _, c := range heldRows(t, older) {
			if c.Table != "holidays" {
				t.Fatalf("seed %d: after the first upgrade still held: %+v", seed, c)
			}
			partial++
		}
		older = reopen(t, older, oldNow)
		if left := heldRows(t, older); len(left) != 0 {
			t.Fatalf("seed %d: after the upgrade %d changes still held", seed, len(left))
		}
		want := dumpOf(t, fresh)
		for i, s := range []*Store{post, station, older} {
			if got := dumpOf(t, s); got != want {
				t.Fatalf("seed %d: device %d's dump differs from a replica that knew the schema all along:\n--- replica\n%s\n--- device\n%s", seed, i, want, got)
			}
		}
		if got, want := valueLines(want), expectedValues(union); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("seed %d: values\n got %q\nwant %q", seed, got, want)
		}
		totalConflicts += len(conflictLines(want))
		older.Close()
	}
	if totalHeld < 100 || partial == 0 || totalConflicts == 0 {
		t.Fatalf("the cases are too tame: %d changes held, %d held past the first upgrade, %d conflicts", totalHeld, partial, totalConflicts)
	}
	t.Logf("%d changes held and merged on upgrade, %d conflicts", totalHeld, totalConflicts)
}

// deliver applies changes to s in random order and batches, with
// duplicates.
func deliver(t testing.TB, rng *rand.Rand, s *Store, changes []Change) {
	t.Helper()
	all := append([]Change{}, changes...)
	for i := 0; i < len(changes)/4; i++ {
		all = append(all, changes[rng.Intn(len(changes))])
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for len(all) > 0 {
		n := min(len(all), 1+rng.Intn(20))
		if _, err := s.Apply(context.Background(), all[:n]); err != nil {
			t.Fatal(err)
		}
		all = all[n:]
	}
}

// TestHeldValueRefusedAfterUpgrade: a held change whose value the upgraded
// schema refuses stays held with the reason, and is counted, not dropped;
// the others merge.
func TestHeldValueRefusedAfterUpgrade(t *testing.T) {
	ctx := context.Background()
	s := newOlderStore(t, RoleStation, nil, "patrols.boards_posted")
	const dev = "NEWERDEVICE-AAAAAAA"
	good := Change{Table: "patrols", Record: "p1", Field: "boards_posted", Value: `["集市"]`, HLC: "1764000000000-000000-" + dev}
	bad := Change{Table: "patrols", Record: "p2", Field: "boards_posted", Value: `{"not": "a list"}`, HLC: "1764000000001-000000-" + dev}
	if res, err := s.Apply(ctx, []Change{good, bad}); err != nil || res.Held != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	s = reopen(t, s, nil)
	defer func() { s.Close() }()
	left := heldRows(t, s)
	if len(left) != 1 || left[0].Record != "p2" {
		t.Fatalf("left held: %+v", left)
	}
	hn, err := s.HeldNewer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hn) != 1 || hn[0].Waiting != 0 || hn[0].Unusable != 1 || !strings.Contains(hn[0].Problem, "list of strings") {
		t.Fatalf("HeldNewer %+v", hn)
	}
	if !strings.Contains(dumpOf(t, s), "patrols\tp1\tboards_posted\t[\"集市\"]") {
		t.Fatalf("the good change was not merged:\n%s", dumpOf(t, s))
	}
	// Opening again changes nothing.
	s = reopen(t, s, nil)
	if got := heldRows(t, s); len(got) != 1 {
		t.Fatalf("%+v", got)
	}
}

// A post's edit of a month its station approved, made by a newer version
// (a field the station's version lacks) and so held aside on arrival, is
// held back as a request to unlock when the upgraded station merges it,
// exactly as it would have been on arrival (Tx.HoldLateEdits): the
// approved value stays, the post's becomes a late request.
func TestUpgradeHoldsLateEditOfApprovedMonth(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, RolePost, nil)
	station := newOlderStore(t, RoleStation, nil, "patrols.boards_posted")
	p := &Patrol{Date: "2026-11-10", People: []string{"老王"}}
	if err := post.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := station.Apply(ctx, allChanges(t, post)); err != nil {
		t.Fatal(err)
	}
	if err := station.ApproveMonth(ctx, post.DeviceID(), "2026-11", "刘所长"); err != nil {
		t.Fatal(err)
	}
	// Offline, not having heard of the approval, the post marks a board
	// put up on that patrol.
	p.BoardsPosted = []string{"venue-集市"}
	if err := post.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	res, err := station.Apply(ctx, allChanges(t, post))
	if err != nil || res.Held != 1 {
		t.Fatalf("held %+v %v", res, err)
	}
	station = reopen(t, station, nil)
	defer station.Close()
	var got Patrol
	if err := station.Get(ctx, &got, p.ID); err != nil {
		t.Fatal(err)
	}
	if len(got.BoardsPosted) != 0 {
		t.Errorf("the approved month's patrol took the late edit: %v", got.BoardsPosted)
	}
	reqs, err := station.MonthRequests(ctx, post.DeviceID(), "2026-11")
	if err != nil || len(reqs) != 1 || reqs[0].Source != RequestLate || !strings.Contains(reqs[0].Fields, "venue-集市") {
		t.Fatalf("late requests %+v %v", reqs, err)
	}
}
