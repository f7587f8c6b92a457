package searchindex_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"cunjing/store"
	"cunjing/store/search"
)

var devSeq atomic.Int64

func newStore(t testing.TB) *store.Store {
	t.Helper()
	dev := fmt.Sprintf("DEV%04d-SEARCHX", devSeq.Add(1))
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "s.db"),
		store.Identity{DeviceID: dev, Role: store.RolePost, Name: "测试" + dev}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func save(t testing.TB, s *store.Store, recs ...store.Record) {
	t.Helper()
	if err := s.Save(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

// fixture is two villages with two houses 203, a house with an old
// number, a suffixed number, a surname read two ways, phones and ID
// numbers, a household with no house and an empty house.
type fixture struct {
	s        *store.Store
	a, b     *store.Village
	byNumber map[string]string // A's house number → house ID
	offMap   *store.Household
}

func newFixture(t *testing.T) *fixture {
	s := newStore(t)
	f := &fixture{s: s, a: &store.Village{Name: "东河村"}, b: &store.Village{Name: "西岭村"}, byNumber: map[string]string{}}
	save(t, s, f.a, f.b)
	house := func(v *store.Village, number string, history ...string) *store.House {
		h := &store.House{VillageID: v.ID, Number: number, History: history, Kind: "house"}
		save(t, s, h)
		if v == f.a {
			f.byNumber[number] = h.ID
		}
		return h
	}
	hh := func(v *store.Village, h *store.House, owner, phone string, people ...*store.Resident) *store.Household {
		x := &store.Household{VillageID: v.ID, OwnerName: owner, OwnerPhone: phone}
		if h != nil {
			x.HouseID = h.ID
		}
		save(t, s, x)
		for _, r := range people {
			r.HouseholdID = x.ID
			save(t, s, r)
		}
		return x
	}
	hh(f.a, house(f.a, "203", "118"), "王建国", "13812345678",
		&store.Resident{Name: "王建国", Relation: "户主", IDNumber: "11010519491231002X"},
		&store.Resident{Name: "刘桂兰", Relation: "配偶", Phone: "13900005678"})
	hh(f.a, house(f.a, "204"), "王秀兰", "13600002031")
	hh(f.a, house(f.a, "2031"), "张平", "")
	hh(f.a, house(f.a, "17-1"), "单雄", "")
	hh(f.a, house(f.a, "10"), "欧阳明月", "", &store.Resident{Name: "欧阳明月", Phone: "15912340000"})
	house(f.a, "5") // empty
	f.offMap = hh(f.a, nil, "李国强", "15900001111")
	f.offMap.DoorNumber = "88"
	save(t, s, f.offMap)
	hh(f.b, house(f.b, "203"), "赵六", "13700000203")
	return f
}

// line is a hit as "number name match".
func line(h search.Hit) string {
	return strings.Join(strings.Fields(h.Number+" "+h.Name+" "+h.Match.String()), " ")
}

func TestSearchRanking(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		q       string
		village string // "" the township
		want    []string
	}{
		{"203", "a", []string{"203 王建国 number"}},
		{"２０３", "a", []string{"203 王建国 number"}},
		{"203", "", []string{"203 王建国 number", "203 赵六 number"}}, // the township: both villages
		{"118", "a", []string{"203 王建国 old-number"}},
		{"17-1", "a", []string{"17-1 单雄 number"}},
		{"2031", "a", []string{"2031 张平 number", "204 王秀兰 phone-tail"}}, // the number before the phone ending in it
		{"王建国", "a", []string{"203 王建国 name"}},
		{"王", "a", []string{"203 王建国 name-prefix", "204 王秀兰 name-prefix"}},
		{"建国", "a", []string{"203 王建国 given-name"}},
		{"明月", "a", []string{"10 欧阳明月 given-name"}},
		{"阳明", "a", nil}, // the middle of a name is nothing
		{"wjg", "a", []string{"203 王建国 pinyin"}},
		{"WJG", "a", []string{"203 王建国 pinyin"}},
		{"wangjianguo", "a", []string{"203 王建国 pinyin"}},
		{"wang", "a", []string{"203 王建国 pinyin-prefix", "204 王秀兰 pinyin-prefix"}},
		{"sx", "a", []string{"17-1 单雄 pinyin"}}, // 单 as a surname
		{"dx", "a", []string{"17-1 单雄 pinyin"}}, // and as the everyday word
		{"13812345678", "a", []string{"203 王建国 phone"}},
		{"+86 138 1234 5678", "a", []string{"203 王建国 phone"}},
		{"5678", "a", []string{"203 刘桂兰 phone-tail"}}, // the spouse's phone: her name is shown
		{"0000", "a", []string{"10 欧阳明月 phone-tail"}},
		{"11010519491231002x", "a", []string{"203 王建国 id"}},
		{"002x", "a", []string{"203 王建国 id-tail"}},
		{"31002X", "a", []string{"203 王建国 id-tail"}},
		{"1949", "a", nil}, // the middle of an ID number is nothing
		{"0105", "a", nil},
		{"88", "a", []string{"88 李国强 number"}}, // a door number of a household with no house on the map
		{"5", "a", []string{"5 number"}},       // an empty house
		{"nobody", "a", nil},
	} {
		vid := ""
		if tc.village == "a" {
			vid = f.a.ID
		}
		hits, err := f.s.Search(ctx, store.SearchQuery{Text: tc.q, VillageID: vid})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, line(h))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %q\nwant %q", tc.q, got, tc.want)
		}
	}
}

// The household list and the map narrow the same hits: the household
// with no house is listed but not on the map, the empty house the
// other way round.
func TestHousesAndHouseholds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hits, err := f.s.Search(ctx, store.SearchQuery{Text: "88", VillageID: f.a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(search.Households(hits)) != 1 || len(search.Houses(hits)) != 0 {
		t.Errorf("off the map: households %v houses %v", search.Households(hits), search.Houses(hits))
	}
	hits, _ = f.s.Search(ctx, store.SearchQuery{Text: "5", VillageID: f.a.ID})
	if len(search.Households(hits)) != 0 || len(search.Houses(hits)) != 1 {
		t.Errorf("empty house: households %v houses %v", search.Households(hits), search.Houses(hits))
	}
	rows, err := f.s.Households(ctx, store.HouseholdFilter{Query: "wang", VillageID: f.a.ID})
	if err != nil || len(rows) != 2 || rows[0].OwnerName != "王建国" || rows[1].OwnerName != "王秀兰" {
		t.Fatalf("household list for wang: %v %+v", err, rows)
	}
}

// Every write path keeps the index current: an edit, a renumbering, a
// delete and a restore, another device's changes applied by sync, and a
// database whose index was made by older rules (rebuilt on open).
func TestIndexFollowsEveryWrite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	find := func(s *store.Store, q string) []string {
		t.Helper()
		hits, err := s.Search(ctx, store.SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range hits {
			out = append(out, line(h))
		}
		return out
	}
	var h store.House
	if err := f.s.Get(ctx, &h, f.byNumber["2031"]); err != nil {
		t.Fatal(err)
	}
	h.History, h.Number = append(h.History, h.Number), "2031-1"
	save(t, f.s, &h)
	if got := find(f.s, "2031-1"); !slices.Equal(got, []string{"2031-1 张平 number"}) {
		t.Errorf("renumbered: %q", got)
	}
	if got := find(f.s, "2031"); !slices.Contains(got, "2031-1 张平 old-number") {
		t.Errorf("the old number: %q", got)
	}
	rows, _ := f.s.Households(ctx, store.HouseholdFilter{Query: "张平"})
	rows[0].OwnerName = "张太平"
	save(t, f.s, &rows[0].Household)
	if got := find(f.s, "ztp"); !slices.Equal(got, []string{"2031-1 张太平 pinyin"}) {
		t.Errorf("renamed: %q", got)
	}
	if got := find(f.s, "张平"); got != nil {
		t.Errorf("the old name still finds %q", got)
	}
	if err := f.s.Update(ctx, func(tx *store.Tx) error { return tx.Delete(&store.House{}, h.ID) }); err != nil {
		t.Fatal(err)
	}
	// The household stays (it has no house now), the house is gone.
	if got := find(f.s, "2031-1"); got != nil {
		t.Errorf("deleted house found: %q", got)
	}
	if err := f.s.Update(ctx, func(tx *store.Tx) error { return tx.Restore(&store.House{}, h.ID) }); err != nil {
		t.Fatal(err)
	}
	if got := find(f.s, "2031-1"); len(got) != 1 {
		t.Errorf("restored house: %q", got)
	}

	// Sync: a station receives the post's changes through Apply.
	st := newStore(t)
	changes, _, err := f.s.ChangesAfter(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, changes); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"203", "wjg", "5678", "002x", "118", "明月"} {
		if got, want := find(st, q), find(f.s, q); !slices.Equal(got, want) || len(got) == 0 {
			t.Errorf("%q at the station %q, at the post %q", q, got, want)
		}
	}

	// An index made by other rules is rebuilt when the file is opened.
	path := f.s.Path()
	f.s.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM search_keys", "UPDATE meta SET value = 'old' WHERE key = 'search_index'"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s2, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := find(s2, "wjg"); !slices.Equal(got, []string{"203 王建国 pinyin"}) {
		t.Errorf("after the rebuild: %q", got)
	}
}

// TestIndexAgreesWithScan: on random villages, with random edits and
// deletes, the index answers every query exactly as a scan that applies
// the same rules to every row on the spot (what the index saves).
func TestIndexAgreesWithScan(t *testing.T) {
	ctx := context.Background()
	for seed := int64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewSource(seed))
		s := newStore(t)
		vs := []*store.Village{{Name: "甲村"}, {Name: "乙村"}}
		save(t, s, vs[0], vs[1])
		var houses []*store.House
		var hhs []*store.Household
		var people []*store.Resident
		for i := range 60 {
			v := vs[rng.Intn(2)]
			h := &store.House{VillageID: v.ID, Number: fmt.Sprint(1 + rng.Intn(40)), Kind: "house"}
			if rng.Intn(4) == 0 {
				h.History = []string{fmt.Sprint(100 + rng.Intn(20))}
			}
			save(t, s, h)
			houses = append(houses, h)
			if i%7 == 0 {
				continue // an empty house
			}
			hh := &store.Household{VillageID: v.ID, HouseID: h.ID, OwnerName: randName(rng), OwnerPhone: randPhone(rng)}
			if i%11 == 0 {
				hh.HouseID, hh.DoorNumber = "", fmt.Sprint(rng.Intn(40))
			}
			save(t, s, hh)
			hhs = append(hhs, hh)
			for range rng.Intn(4) {
				r := &store.Resident{HouseholdID: hh.ID, Name: randName(rng), Phone: randPhone(rng), IDNumber: randID(rng)}
				save(t, s, r)
				people = append(people, r)
			}
		}
		for range 20 { // edits and deletes after the first indexing
			switch rng.Intn(3) {
			case 0:
				r := people[rng.Intn(len(people))]
				r.Name = randName(rng)
				save(t, s, r)
			case 1:
				hh := hhs[rng.Intn(len(hhs))]
				if err := s.Update(ctx, func(tx *store.Tx) error { return tx.DeleteHousehold(hh.ID) }); err != nil {
					t.Fatal(err)
				}
			case 2:
				h := houses[rng.Intn(len(houses))]
				h.Number = fmt.Sprint(50 + rng.Intn(10))
				save(t, s, h)
			}
		}
		var queries []string
		for _, r := range people[:min(len(people), 25)] {
			queries = append(queries, r.Name, []string{r.Name}[0][:3], r.Phone, r.Phone[7:], r.IDNumber, r.IDNumber[13:])
			full, ini := search.NameReadings(r.Name)
			queries = append(queries, full[0], ini[0], full[0][:3])
		}
		for i := range 60 {
			queries = append(queries, fmt.Sprint(i))
		}
		db, err := sql.Open("sqlite3", "file:"+s.Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, q := range queries {
			for _, v := range []string{"", vs[0].ID} {
				hits, err := s.Search(ctx, store.SearchQuery{Text: q, VillageID: v})
				if err != nil {
					t.Fatal(err)
				}
				plan, _ := search.Parse(q)
				want := scan(t, db, plan, v)
				got := map[place]search.Match{}
				for _, h := range hits {
					got[place{h.HouseID, h.HouseholdID}] = h.Match
				}
				if len(got) > 0 {
					found++
				}
				if !mapsEqual(got, want) {
					t.Fatalf("seed %d %q village %q: index %v, scan %v", seed, q, v, sortedKeys(got), sortedKeys(want))
				}
			}
		}
		db.Close()
		if found < len(queries)/2 {
			t.Errorf("seed %d: only %d of %d searches found anything: the queries test nothing", seed, found, 2*len(queries))
		}
	}
}

func mapsEqual(a, b map[place]search.Match) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗单")
	given    = []rune("建国军强明华英兰秀桂玉芳伟磊勇涛丽静敏燕")
)

func randName(rng *rand.Rand) string {
	var b strings.Builder
	if rng.Intn(10) == 0 {
		b.WriteString("欧阳")
	} else {
		b.WriteRune(surnames[rng.Intn(len(surnames))])
	}
	for range 1 + rng.Intn(2) {
		b.WriteRune(given[rng.Intn(len(given))])
	}
	return b.String()
}

func randPhone(rng *rand.Rand) string { return fmt.Sprintf("13%d%08d", rng.Intn(10), rng.Intn(1000)) }

// randID is a valid ID number (GB 11643 check character) born 1950–2009.
func randID(rng *rand.Rand) string {
	body := fmt.Sprintf("410526%04d%02d%02d%03d", 1950+rng.Intn(60), 1+rng.Intn(12), 1+rng.Intn(28), rng.Intn(1000))
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

type place struct{ house, household string }

// scan answers a plan without the index: every live row's keys spelt on
// the spot (pinyin included), matched against every probe, each record
// turned into its places as Search does.
func scan(t testing.TB, db *sql.DB, plan search.Plan, village string) map[place]search.Match {
	t.Helper()
	best := map[place]search.Match{}
	note := func(p place, keys []search.Key) {
		m := search.MatchNone
		for _, l := range plan.Lookups {
			for _, k := range keys {
				if k.Kind != l.Kind {
					continue
				}
				if c := l.Classify(k.Value); c != search.MatchNone && (m == search.MatchNone || c < m) {
					m = c
				}
			}
		}
		if m != search.MatchNone {
			if old, ok := best[p]; !ok || m < old {
				best[p] = m
			}
		}
	}
	rows, err := db.Query(`SELECT hs.id, hs.village_id, hs.number, hs.history, coalesce(h.id, '') FROM houses hs
	  LEFT JOIN households h ON h.house_id = hs.id AND h.deleted = 0 WHERE hs.deleted = 0 AND (? = '' OR hs.village_id = ?)`, village, village)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, v, number, history, hh string
		rows.Scan(&id, &v, &number, &history, &hh)
		var hist []string
		json.Unmarshal([]byte(history), &hist)
		note(place{id, hh}, search.HouseKeys(number, hist))
	}
	rows.Close()
	rows, err = db.Query(`SELECT h.id, coalesce(hs.id, ''), h.house_id, h.owner_name, h.owner_phone, h.tenant_name, h.tenant_phone, h.door_number
	  FROM households h LEFT JOIN houses hs ON hs.id = h.house_id AND hs.deleted = 0 WHERE h.deleted = 0 AND (? = '' OR h.village_id = ?)`, village, village)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, house, houseID, on, op, tn, tp, door string
		rows.Scan(&id, &house, &houseID, &on, &op, &tn, &tp, &door)
		note(place{house, id}, search.HouseholdKeys(on, op, tn, tp, door, houseID != ""))
	}
	rows.Close()
	rows, err = db.Query(`SELECT h.id, coalesce(hs.id, ''), r.name, r.phone, r.id_number FROM residents r
	  JOIN households h ON h.id = r.household_id AND h.deleted = 0 LEFT JOIN houses hs ON hs.id = h.house_id AND hs.deleted = 0
	  WHERE r.deleted = 0 AND (? = '' OR h.village_id = ?)`, village, village)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var hh, house, name, phone, idn string
		rows.Scan(&hh, &house, &name, &phone, &idn)
		note(place{house, hh}, search.PersonKeys(name, idn, phone))
	}
	rows.Close()
	return best
}

// sortedKeys is for messages.
func sortedKeys(m map[place]search.Match) []string {
	var out []string
	for p, v := range m {
		out = append(out, p.house+"/"+p.household+"="+v.String())
	}
	sort.Strings(out)
	return out
}

// A database whose index an older cunjing derived keeps the house numbers
// it stored with their 号 ('205号') keyed with it. The index version
// makes the next open rebuild it once with plain numbers (numbering.Plain),
// so 205 and 205号 find the house by its one key; the open after that
// does not rebuild again.
func TestIndexWithHaoKeysIsRebuiltOnce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	v := &store.Village{Name: "东河村"}
	save(t, s, v)
	h := &store.House{VillageID: v.ID, Number: "205号", History: []string{"118号"}, Kind: "house"}
	save(t, s, h)
	save(t, s, &store.Household{VillageID: v.ID, HouseID: h.ID, OwnerName: "赵六"},
		&store.Household{VillageID: v.ID, DoorNumber: "207号", OwnerName: "钱七"})
	path := s.Path()
	s.Close()

	// The index as the older version left it: its number keys end in 号,
	// under the version it wrote then.
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("UPDATE search_keys SET key = key || '号' WHERE kind IN (?, ?)", search.KindNumber, search.KindOldNumber)
	exec("UPDATE meta SET value = '1' WHERE key = 'search_index'")
	haoKeys := func() []string {
		t.Helper()
		rows, err := db.Query("SELECT key FROM search_keys WHERE kind IN (?, ?) AND key LIKE '%号' ORDER BY key", search.KindNumber, search.KindOldNumber)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			out = append(out, k)
		}
		return out
	}
	if got := haoKeys(); !slices.Equal(got, []string{"118号", "205号", "207号"}) {
		t.Fatalf("the old index holds %q", got)
	}
	db.Close()

	s2, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want string }{
		// (a hit holds the number as stored; the screens show it plain)
		{"205", "205号 赵六 number"}, {"205号", "205号 赵六 number"}, {"２０５号", "205号 赵六 number"},
		{"118", "205号 赵六 old-number"}, {"118号", "205号 赵六 old-number"},
		{"207", "207号 钱七 number"}, {"207号", "207号 钱七 number"},
	} {
		hits, err := s2.Search(ctx, store.SearchQuery{Text: tc.q, VillageID: v.ID})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, line(h))
		}
		if !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%q after open: %q, want %q", tc.q, got, tc.want)
		}
	}
	s2.Close()

	db, err = sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := haoKeys(); len(got) != 0 {
		t.Errorf("after open the index still keys %q with 号", got)
	}
	// A key no rule derives: a rebuild would drop it.
	exec("INSERT INTO search_keys (kind, key, village, tbl, rec) VALUES ('h', 'sentinel', ?, 'houses', ?)", v.ID, h.ID)
	db.Close()
	s3, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
	db, err = sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM search_keys WHERE key = 'sentinel'").Scan(&n); err != nil || n != 1 {
		t.Errorf("the second open rebuilt the index again (sentinel rows %d, %v)", n, err)
	}
}
