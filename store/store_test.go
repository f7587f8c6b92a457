package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenRefusesWhatIsNotOurs(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)

	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte(strings.Repeat("村里的笔记\n", 50)), 0o600)
	foreign := filepath.Join(dir, "other.sqlite")
	db, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)

	for _, p := range []string{text, foreign, empty} {
		before, _ := os.ReadFile(p)
		if _, err := Open(ctx, p, Options{}); !errors.Is(err, ErrNotOurs) {
			t.Errorf("Open(%s) = %v, want ErrNotOurs", filepath.Base(p), err)
		}
		after, _ := os.ReadFile(p)
		if !bytes.Equal(before, after) {
			t.Errorf("Open(%s) changed the file", filepath.Base(p))
		}
		if _, err := os.Stat(p + "-wal"); err == nil {
			t.Errorf("Open(%s) left a WAL file", filepath.Base(p))
		}
	}
	if _, err := Open(ctx, filepath.Join(dir, "missing.db"), Options{}); err == nil {
		t.Error("Open of a missing file succeeded")
	}
	if _, err := Create(ctx, text, Identity{DeviceID: "D", Role: RolePost, Name: "x"}, Options{}); !errors.Is(err, ErrExists) {
		t.Errorf("Create over an existing file = %v, want ErrExists", err)
	}
}

func TestOpenRefusesNewerSchemaAndCorruption(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	p := filepath.Join(dir, "post.db")
	s, err := Create(ctx, p, Identity{DeviceID: "DEV-A", Role: RolePost, Name: "张庄警务室"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &Village{Name: "张庄"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Reopen works and keeps identity and clock.
	s, err = Open(ctx, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.DeviceID() != "DEV-A" || s.Role() != RolePost || s.Clock().Last().IsZero() {
		t.Fatalf("identity not kept: %s %s %v", s.DeviceID(), s.Role(), s.Clock().Last())
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, p, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v", err)
	}

	// A damaged page: flip bytes in the middle of the file.
	p2 := filepath.Join(dir, "damaged.db")
	s, err = Create(ctx, p2, Identity{DeviceID: "DEV-B", Role: RolePost, Name: "李村警务室"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if err := s.Save(ctx, &Resident{Name: strings.Repeat("王", 1+i%5), Notes: strings.Repeat("备注", 40)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	b, _ := os.ReadFile(p2)
	for i := len(b) / 2; i < len(b)/2+4096 && i < len(b); i++ {
		b[i] ^= 0x5a
	}
	os.WriteFile(p2, b, 0o600)
	if _, err := Open(ctx, p2, Options{}); err == nil {
		t.Fatal("opened a damaged database without complaint")
	}
}

func TestSaveWritesOnlyChangedFieldsAndRespectsOwnership(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, RolePost, nil)
	v := &Village{Name: "张庄", Township: "城关镇"}
	if err := post.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if v.ID == "" || v.Owner != post.DeviceID() {
		t.Fatalf("new record not stamped: %+v", v)
	}
	before := len(allChanges(t, post))
	v.Notes = "东头有坑塘"
	if err := post.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	ch := allChanges(t, post)
	if len(ch) != before+1 || ch[len(ch)-1].Field != "notes" || ch[len(ch)-1].Base != "" {
		t.Fatalf("edit should log one change to notes, got %+v", ch[before:])
	}
	v.Notes = "西头有坑塘"
	post.Save(ctx, v)
	ch = allChanges(t, post)
	if last := ch[len(ch)-1]; last.Base != ch[len(ch)-2].HLC {
		t.Fatalf("second edit must be based on the first: %+v", last)
	}
	if err := post.Save(ctx, v); err != nil || len(allChanges(t, post)) != len(ch) {
		t.Fatalf("saving unchanged record must log nothing (err %v)", err)
	}

	// Another post's record arrives by sync: this post may read, not write it.
	other := newTestStore(t, RolePost, nil)
	ov := &Village{Name: "李村"}
	other.Save(ctx, ov)
	if _, err := post.Apply(ctx, allChanges(t, other)); err != nil {
		t.Fatal(err)
	}
	var got Village
	if err := post.Get(ctx, &got, ov.ID); err != nil || got.Name != "李村" {
		t.Fatalf("synced record: %+v %v", got, err)
	}
	got.Name = "改名"
	if err := post.Save(ctx, &got); !errors.Is(err, ErrNotOwner) {
		t.Fatalf("post wrote another post's record: %v", err)
	}
	// A station may correct it; the owner stays the post.
	station := newTestStore(t, RoleStation, nil)
	station.Apply(ctx, allChanges(t, other))
	var sv Village
	station.Get(ctx, &sv, ov.ID)
	sv.Name = "李家村"
	if err := station.Save(ctx, &sv); err != nil {
		t.Fatal(err)
	}
	station.Get(ctx, &sv, ov.ID)
	if sv.Owner != other.DeviceID() || sv.Name != "李家村" {
		t.Fatalf("station correction: %+v", sv)
	}
}

func TestDeleteIsATombstoneAndNewerRestoreWins(t *testing.T) {
	ctx := context.Background()
	a := newTestStore(t, RoleStation, nil)
	r := &Resident{Name: "赵四"}
	a.Save(ctx, r)
	b := newTestStore(t, RoleStation, nil)
	b.Apply(ctx, allChanges(t, a))
	// a deletes, then b (later) restores; the restore is newer and wins everywhere.
	if err := a.Update(ctx, func(tx *Tx) error { return tx.Delete(&Resident{}, r.ID) }); err != nil {
		t.Fatal(err)
	}
	b.Apply(ctx, allChanges(t, a))
	if err := b.Update(ctx, func(tx *Tx) error { return tx.Restore(&Resident{}, r.ID) }); err != nil {
		t.Fatal(err)
	}
	a.Apply(ctx, allChanges(t, b))
	for _, s := range []*Store{a, b} {
		var got Resident
		if err := s.Get(ctx, &got, r.ID); err != nil || got.Deleted {
			t.Fatalf("restore lost: %+v %v", got, err)
		}
	}
	// An older update replayed after a newer delete does not resurrect.
	c := newTestStore(t, RoleStation, nil)
	c.Apply(ctx, allChanges(t, a))
	c.Update(ctx, func(tx *Tx) error { return tx.Delete(&Resident{}, r.ID) })
	old := allChanges(t, a)
	c.Apply(ctx, old)
	var got Resident
	c.Get(ctx, &got, r.ID)
	if !got.Deleted {
		t.Fatal("older changes resurrected a deleted record")
	}
}

func TestApplyRejectsBadChangesWholesale(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	good := Change{Table: "villages", Record: "v1", Field: "name", Value: `"张庄"`, HLC: "0001764000000000-000000-X"}
	good.HLC = "1764000000000-000000-X"
	bad := []Change{
		// A well-formed table or field this version does not know is a
		// newer version's, held aside (held_test.go); a name no version
		// could use is refused.
		{Table: "No table", Record: "v1", Field: "name", Value: `"x"`, HLC: good.HLC},
		{Table: "villages", Record: "v1", Field: "nope'", Value: `"x"`, HLC: good.HLC},
		{Table: "villages", Record: "v1", Field: "name", Value: `42`, HLC: good.HLC},
		{Table: "villages", Record: "v1", Field: "name", Value: `"x"`, HLC: "yesterday"},
		{Table: "villages", Record: "", Field: "name", Value: `"x"`, HLC: good.HLC},
		{Table: "cost_items", Record: "c1", Field: "amount_min", Value: `"NaN"`, HLC: good.HLC},
		// Numbers JSON cannot carry as numbers, as a hostile or broken
		// peer might still write them: never NaN or ±Inf in the store.
		{Table: "cost_items", Record: "c1", Field: "amount_min", Value: `NaN`, HLC: good.HLC},
		{Table: "cost_items", Record: "c1", Field: "amount_max", Value: `1e999`, HLC: good.HLC},
		{Table: "households", Record: "h1", Field: "area_m2", Value: `-1e999`, HLC: good.HLC},
		{Table: "households", Record: "h1", Field: "area_m2", Value: `Infinity`, HLC: good.HLC},
		{Table: "villages", Record: "v1", Field: "name", Value: `"x"`, HLC: good.HLC, Base: "1865000000000-000000-Y"},
	}
	before := dumpOf(t, s)
	for i, b := range bad {
		if _, err := s.Apply(ctx, []Change{good, b}); err == nil {
			t.Errorf("bad change %d accepted", i)
		}
	}
	if dumpOf(t, s) != before {
		t.Fatal("a rejected batch left changes behind")
	}
	if res, err := s.Apply(ctx, []Change{good, good}); err != nil || res.Applied != 1 || res.Duplicates != 1 {
		t.Fatalf("good batch: %+v %v", res, err)
	}
}

func TestSearchAndHouseholdList(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	v := &Village{Name: "张庄"}
	s.Save(ctx, v)
	house := &House{VillageID: v.ID, Number: "203", History: []string{"198"}, Kind: "house"}
	s.Save(ctx, house)
	hh := &Household{VillageID: v.ID, HouseID: house.ID, OwnerName: "张建国", OwnerPhone: "13912345678", Categories: []string{CatRental, CatKey}, Warning: WarnOrange}
	other := &Household{VillageID: v.ID, OwnerName: "李明", Categories: []string{CatElderly}, Warning: WarnGreen}
	s.Save(ctx, hh, other)
	s.Save(ctx,
		&Resident{HouseholdID: hh.ID, Name: "张建国", Relation: "户主", IDNumber: "11010519491231002X"},
		&Resident{HouseholdID: hh.ID, Name: "欧阳明月", Phone: "13800001111"},
		&Resident{HouseholdID: other.ID, Name: "李明"})

	tests := []struct {
		f    HouseholdFilter
		want []string
	}{
		{HouseholdFilter{Query: "203"}, []string{"张建国"}},
		{HouseholdFilter{Query: "198"}, []string{"张建国"}}, // old number
		{HouseholdFilter{Query: "欧阳明月"}, []string{"张建国"}},
		{HouseholdFilter{Query: "欧阳"}, []string{"张建国"}},     // a name's start
		{HouseholdFilter{Query: "明月"}, []string{"张建国"}},     // a given name
		{HouseholdFilter{Query: "阳明"}, nil},                 // not a name's middle
		{HouseholdFilter{Query: "zjg"}, []string{"张建国"}},    // pinyin initials
		{HouseholdFilter{Query: "ouyang"}, []string{"张建国"}}, // the start of a full pinyin
		{HouseholdFilter{Query: "11010519491231002x"}, []string{"张建国"}},
		{HouseholdFilter{Query: "002X"}, []string{"张建国"}}, // an ID's last digits
		{HouseholdFilter{Query: "1111"}, []string{"张建国"}}, // a phone's last digits
		{HouseholdFilter{Query: "0000111"}, nil},          // not a phone's middle
		{HouseholdFilter{Query: "1949"}, nil},             // not an ID's middle
		{HouseholdFilter{Category: CatElderly}, []string{"李明"}},
		{HouseholdFilter{Warning: WarnOrange}, []string{"张建国"}},
		{HouseholdFilter{VillageID: v.ID}, []string{"张建国", "李明"}},
		{HouseholdFilter{Query: "王五"}, nil},
		{HouseholdFilter{Query: `%_\`}, nil},
	}
	for _, tt := range tests {
		rows, err := s.Households(ctx, tt.f)
		if err != nil {
			t.Fatalf("%+v: %v", tt.f, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.OwnerName)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%+v: got %v want %v", tt.f, got, tt.want)
		}
	}
	rows, _ := s.Households(ctx, HouseholdFilter{Query: "203"})
	if len(rows) != 1 || rows[0].Residents != 2 || rows[0].HouseNumber != "203" {
		t.Fatalf("row details: %+v", rows)
	}
	res, _ := s.Residents(ctx, hh.ID)
	if len(res) != 2 || res[0].Relation != "户主" {
		t.Fatalf("head of household first: %+v", res)
	}
	c, err := s.Counts(ctx, "")
	if err != nil || c.Households != 2 || c.Residents != 3 || c.Houses != 1 || c.Villages != 1 {
		t.Fatalf("counts %+v %v", c, err)
	}
}

// TestDiskFullKeepsSavedData fills the database to a page limit (what a
// full USB stick or disk looks like to SQLite): the failing write reports
// ErrDiskFull, rolls back whole, and everything saved before stays.
func TestDiskFullKeepsSavedData(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	keep := &Resident{Name: "保留的人"}
	if err := s.Save(ctx, keep); err != nil {
		t.Fatal(err)
	}
	var pages int
	s.db.QueryRow("PRAGMA page_count").Scan(&pages)
	// One connection so the PRAGMA applies to the writes below.
	s.db.SetMaxOpenConns(1)
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+3)); err != nil {
		t.Fatal(err)
	}
	before := dumpOf(t, s)
	var err error
	for i := 0; i < 200 && err == nil; i++ {
		batch := make([]Record, 50)
		for k := range batch {
			batch[k] = &Resident{Name: strings.Repeat("满", 20), Notes: strings.Repeat("磁盘已满测试", 30)}
		}
		err = s.Save(ctx, batch...)
		if err == nil {
			before = dumpOf(t, s)
		}
	}
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("want ErrDiskFull, got %v", err)
	}
	if got := dumpOf(t, s); got != before {
		t.Fatal("the failed write left part of itself behind")
	}
	var r Resident
	if err := s.Get(ctx, &r, keep.ID); err != nil || r.Name != "保留的人" {
		t.Fatalf("saved data lost: %v", err)
	}
	var ok string
	s.db.QueryRow("PRAGMA integrity_check").Scan(&ok)
	if ok != "ok" {
		t.Fatalf("integrity: %s", ok)
	}
}

func TestHouseholdOrderVillageThenNumberExactFirst(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	a, b := &Village{Name: "A村"}, &Village{Name: "B村"}
	s.Save(ctx, a, b)
	mk := func(v *Village, num, owner, phone string) {
		h := &House{VillageID: v.ID, Number: num, Kind: "house"}
		s.Save(ctx, h)
		s.Save(ctx, &Household{VillageID: v.ID, HouseID: h.ID, OwnerName: owner, OwnerPhone: phone})
	}
	mk(b, "1", "乙一", "")
	mk(a, "10", "甲十", "")
	mk(a, "2", "甲二", "13917000000")
	mk(a, "17", "甲十七", "")
	rows, _ := s.Households(ctx, HouseholdFilter{})
	var got []string
	for _, r := range rows {
		got = append(got, r.OwnerName)
	}
	if strings.Join(got, ",") != "甲二,甲十,甲十七,乙一" {
		t.Fatalf("order: %v", got)
	}
	// "17" is house 17, not every phone with 17 in it (the one search
	// matches phones by their last four or more digits only).
	rows, _ = s.Households(ctx, HouseholdFilter{Query: "17"})
	if len(rows) != 1 || rows[0].OwnerName != "甲十七" {
		t.Fatalf("exact number only: %+v", rows)
	}
	rows, _ = s.Households(ctx, HouseholdFilter{Query: "0000"})
	if len(rows) != 1 || rows[0].OwnerName != "甲二" {
		t.Fatalf("phone tail: %+v", rows)
	}
}

// An open form holds a record read a while ago; sync changes another field
// meanwhile. Saving the form writes only what the user changed and keeps
// the synced value.
func TestSaveDoesNotClobberFieldsChangedSinceRead(t *testing.T) {
	ctx := context.Background()
	station := newTestStore(t, RoleStation, nil)
	post := newTestStore(t, RolePost, nil)
	hh := &Household{VillageID: "v", OwnerName: "张建国", OwnerPhone: "13912345678", Notes: "旧备注"}
	post.Save(ctx, hh)
	station.Apply(ctx, allChanges(t, post))

	var form Household // the post's form, opened before the correction arrives
	if err := post.Get(ctx, &form, hh.ID); err != nil {
		t.Fatal(err)
	}
	var corr Household
	station.Get(ctx, &corr, hh.ID)
	corr.OwnerPhone = "13800001111" // the station corrects the phone
	if err := station.Save(ctx, &corr); err != nil {
		t.Fatal(err)
	}
	post.Apply(ctx, allChanges(t, station))

	form.Notes = "新备注"
	if err := post.Save(ctx, &form); err != nil {
		t.Fatal(err)
	}
	var got Household
	post.Get(ctx, &got, hh.ID)
	if got.OwnerPhone != "13800001111" || got.Notes != "新备注" {
		t.Fatalf("phone %s notes %s: the stale form overwrote the synced phone", got.OwnerPhone, got.Notes)
	}
	// And a record built from scratch with an ID still sets what it says.
	set := &Household{Meta: Meta{ID: hh.ID}, VillageID: "v", OwnerName: "张建国", OwnerPhone: "13912345678", Notes: "新备注"}
	if err := post.Save(ctx, set); err != nil {
		t.Fatal(err)
	}
	post.Get(ctx, &got, hh.ID)
	if got.OwnerPhone != "13912345678" {
		t.Fatalf("explicit value not written: %s", got.OwnerPhone)
	}
}

func TestDeleteHouseholdTakesResidentsAndVisits(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	hh := &Household{VillageID: "v", OwnerName: "张三"}
	s.Save(ctx, hh)
	s.Save(ctx, &Resident{HouseholdID: hh.ID, Name: "张三"}, &Resident{HouseholdID: hh.ID, Name: "李四"},
		&Visit{HouseholdID: hh.ID, Date: "2026-11-01"})
	other := &Household{VillageID: "v", OwnerName: "王五"}
	s.Save(ctx, other)
	s.Save(ctx, &Resident{HouseholdID: other.ID, Name: "王五"})
	if err := s.Update(ctx, func(tx *Tx) error { return tx.DeleteHousehold(hh.ID) }); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Counts(ctx, "")
	if c.Households != 1 || c.Residents != 1 {
		t.Fatalf("after delete: %+v", c)
	}
	if vs, _ := s.Visits(ctx, hh.ID); len(vs) != 0 {
		t.Fatalf("visits left: %d", len(vs))
	}
}

// A blob comes back as stored; an unknown hash is ErrNotFound.
func TestBlobs(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	if err := s.PutBlob(ctx, "h", []byte("img")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		hash string
		want string
		has  bool
	}{
		{"h", "img", true},
		{"other", "", false},
	} {
		b, err := s.Blob(ctx, tc.hash)
		if tc.has && (err != nil || string(b) != tc.want) {
			t.Errorf("blob %s: %q %v", tc.hash, b, err)
		}
		if !tc.has && !errors.Is(err, ErrNotFound) {
			t.Errorf("blob %s: %v, want ErrNotFound", tc.hash, err)
		}
		if has, err := s.HasBlob(ctx, tc.hash); err != nil || has != tc.has {
			t.Errorf("has blob %s: %v %v", tc.hash, has, err)
		}
	}
}

// RecordOwners answers like RecordOwner for every id, across batches.
func TestRecordOwnersBatches(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	v := &Village{Name: "村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var recs []Record
	for range ownerBatch + 10 {
		recs = append(recs, &Household{VillageID: v.ID, OwnerName: "户"})
	}
	if err := s.Save(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	ids := []string{"no-such-record"}
	for _, r := range recs {
		ids = append(ids, r.(*Household).ID)
	}
	err := s.Update(ctx, func(tx *Tx) error {
		got, err := tx.RecordOwners("households", ids)
		if err != nil {
			return err
		}
		if len(got) != len(recs) {
			t.Errorf("%d owners for %d records", len(got), len(recs))
		}
		for _, id := range ids {
			want, exists, err := tx.RecordOwner("households", id)
			if err != nil {
				return err
			}
			if o, ok := got[id]; ok != exists || o != want {
				t.Errorf("%s: batch says %q/%v, single %q/%v", id, o, ok, want, exists)
			}
		}
		if _, err := tx.RecordOwners("no_table", ids); err == nil {
			t.Error("unknown table accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestScryptWorkFactor(t *testing.T) {
	for _, c := range []struct{ in, want int }{
		{0, 18}, {-3, 18}, {9, 18}, {10, 10}, {14, 14}, {18, 18}, {19, 18}, {40, 18},
	} {
		if got := scryptWorkFactor(c.in); got != c.want {
			t.Errorf("scryptWorkFactor(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

// A database opened through a link (a shortcut, or its folder moved to
// another disk and linked back) is the file it reaches: Path names that
// file, so its sync folder, journal and locks are the same whichever name
// opened it (a `cunjing node` on the link had a second sync folder).
func TestOpenThroughALinkIsTheFile(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	real := s.Path()
	s.Close()
	link := filepath.Join(testDir(t), "shortcut.db")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	o, err := Open(ctx, link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Path() != real {
		t.Errorf("opened through %s: Path() = %s, want %s", link, o.Path(), real)
	}
	if o.DeviceID() == "" {
		t.Error("opened no identity")
	}
}
