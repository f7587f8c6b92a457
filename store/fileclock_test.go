package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/internal/table"
)

// fieldHistory is the change log of one field, oldest first.
func fieldHistory(t testing.TB, s *Store, table, id, field string) []Change {
	t.Helper()
	var out []Change
	for _, c := range allChanges(t, s) {
		if c.Table == table && c.Record == id && c.Field == field {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].HLC < out[j].HLC })
	return out
}

// A window has the post's file open; a command-line exchange (a second
// Store on the same file) imports the station's correction, stamped a few
// minutes after the window's clock; then the window saves the same field.
// The window's edit must be newer than the correction it replaces, as the
// station checks, although the window's clock was loaded before.
func TestTwoProgramsOnOneFileShareItsClock(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	path := filepath.Join(testDir(t), "post.db")
	window, err := Create(ctx, path, Identity{DeviceID: "POST-AAAAAAA", Role: RolePost, Name: "东关"}, Options{Now: clock.Fixed(today)})
	if err != nil {
		t.Fatal(err)
	}
	defer window.Close()
	hh := &Household{VillageID: "v", OwnerName: "张建国", Notes: "旧"}
	if err := window.Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	var form Household
	if err := window.Get(ctx, &form, hh.ID); err != nil {
		t.Fatal(err)
	}

	station := newTestStore(t, RoleStation, clock.Fixed(today.Add(5*time.Minute)))
	if _, err := station.Apply(ctx, allChanges(t, window)); err != nil {
		t.Fatal(err)
	}
	var corr Household
	station.Get(ctx, &corr, hh.ID)
	corr.Notes = "派出所更正"
	if err := station.Save(ctx, &corr); err != nil {
		t.Fatal(err)
	}

	cli, err := Open(ctx, path, Options{Now: clock.Fixed(today.Add(time.Second))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Apply(ctx, allChanges(t, station)); err != nil {
		t.Fatal(err)
	}
	cli.Close()

	form.Notes = "窗口里改的"
	if err := window.Save(ctx, &form); err != nil {
		t.Fatal(err)
	}
	hist := fieldHistory(t, window, "households", hh.ID, "notes")
	last := hist[len(hist)-1]
	if last.Value != `"窗口里改的"` {
		t.Fatalf("the window's edit is not the newest value: %+v", hist)
	}
	for _, c := range allChanges(t, window) {
		if err := ValidateChange(c); err != nil {
			t.Fatalf("the station would refuse %+v: %v", c, err)
		}
	}
	// The station takes it, and both agree.
	if _, err := station.Apply(ctx, allChanges(t, window)); err != nil {
		t.Fatal(err)
	}
	if a, b := dumpOf(t, window), dumpOf(t, station); a != b {
		t.Fatalf("post and station differ:\n%s\n---\n%s", a, b)
	}
}

// Two handles on one file save the same field as fast as they can: no
// UNIQUE failure, every stamp distinct, each edit made on the one before.
func TestTwoProgramsWritingOneFieldUnderLoad(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	path := filepath.Join(testDir(t), "post.db")
	a, err := Create(ctx, path, Identity{DeviceID: "POST-AAAAAAA", Role: RolePost, Name: "东关"}, Options{Now: clock.Fixed(today)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	hh := &Household{VillageID: "v", OwnerName: "张建国"}
	if err := a.Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	// The second program's clock is a little behind the first's.
	b, err := Open(ctx, path, Options{Now: clock.Fixed(today.Add(-time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const each = 60
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for w, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := s.Update(ctx, func(tx *Tx) error {
					var h Household
					if err := tx.get(table.Tables["households"], hh.ID, reflect.ValueOf(&h)); err != nil {
						return err
					}
					h.Notes = fmt.Sprintf("程序%d 第%d次", w, i)
					return tx.Save(&h)
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	hist := fieldHistory(t, a, "households", hh.ID, "notes")
	if len(hist) != 2*each {
		t.Fatalf("%d changes, want %d", len(hist), 2*each)
	}
	for i, c := range hist {
		want := ""
		if i > 0 {
			want = hist[i-1].HLC
		}
		if c.Base != want {
			t.Fatalf("change %d made on %q, want on the one before (%q)", i, c.Base, want)
		}
	}
	if cs, _ := a.Conflicts(ctx); len(cs) != 0 {
		t.Fatalf("sequential edits recorded as conflicts: %+v", cs)
	}
}

// A change stamped 229 years ahead is stored and wins as the newest, but
// the receiver's clock stays where its PC is; an edit on top of it is
// stamped just after it (and replaces it), other edits keep the PC's time.
// Another replica taking the same changes in another order agrees.
func TestFarFutureStampDoesNotDragTheClock(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	fast := newTestStore(t, RolePost, clock.Fixed(today.AddDate(229, 0, 0)))
	hh := &Household{VillageID: "v", OwnerName: "张建国", Notes: "未来"}
	if err := fast.Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	station := newTestStore(t, RoleStation, clock.Fixed(today))
	res, err := station.Apply(ctx, allChanges(t, fast))
	if err != nil {
		t.Fatal(err)
	}
	if got := station.Clock().Last(); got.Wall > today.Add(MaxAhead).UnixMilli() {
		t.Fatalf("station clock dragged to %s", time.UnixMilli(got.Wall))
	}
	if d := res.Ahead[fast.DeviceID()]; d < 228*365*24*time.Hour {
		t.Fatalf("ahead %v, want ~229 years", d)
	}
	// The station corrects the future-stamped household and records a notice.
	var corr Household
	station.Get(ctx, &corr, hh.ID)
	corr.Notes = "更正"
	if err := station.Save(ctx, &corr); err != nil {
		t.Fatal(err)
	}
	n := &Notice{Title: "通知"}
	if err := station.Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	notes := fieldHistory(t, station, "households", hh.ID, "notes")
	if last := notes[len(notes)-1]; last.Value != `"更正"` || last.Base != notes[0].HLC || last.HLC <= last.Base {
		t.Fatalf("correction not made on the future value: %+v", notes)
	}
	title := fieldHistory(t, station, "notices", n.ID, "title")
	if h, _ := ParseHLC(title[0].HLC); h.Wall > today.Add(MaxAhead).UnixMilli() {
		t.Fatalf("an unrelated edit was stamped %s", time.UnixMilli(h.Wall))
	}
	if r, err := station.Apply(ctx, allChanges(t, station)); err != nil || r.Ahead[station.DeviceID()] != 0 {
		t.Fatalf("the correction stamped after the future value counted as a fast clock: %+v %v", r, err)
	}
	// Replicas agree whatever the order.
	other := newTestStore(t, RolePost, clock.Fixed(today.AddDate(-2, 0, 0)))
	all := append(allChanges(t, station), allChanges(t, fast)...)
	all = append(all, allChanges(t, other)...)
	for i := len(all) - 1; i >= 0; i-- {
		if _, err := other.Apply(ctx, all[i:i+1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []*Store{fast, station} {
		if _, err := s.Apply(ctx, all); err != nil {
			t.Fatal(err)
		}
	}
	ref := dumpOf(t, station)
	for _, s := range []*Store{fast, other} {
		if got := dumpOf(t, s); got != ref {
			t.Fatalf("replicas differ:\n%s\n---\n%s", ref, got)
		}
	}
	var got Household
	other.Get(ctx, &got, hh.ID)
	if got.Notes != "更正" {
		t.Fatalf("notes %q: the correction lost to the value it replaced", got.Notes)
	}
}

// A PC whose clock ran fast and was set right again stamps from the right
// time on; its edits still replace the values stamped while it was fast.
func TestClockSetRightAfterRunningFast(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	path := filepath.Join(testDir(t), "post.db")
	s, err := Create(ctx, path, Identity{DeviceID: "POST-AAAAAAA", Role: RolePost, Name: "东关"}, Options{Now: clock.Fixed(today.AddDate(200, 0, 0))})
	if err != nil {
		t.Fatal(err)
	}
	hh := &Household{VillageID: "v", OwnerName: "张建国", Notes: "快的时候"}
	if err := s.Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, Options{Now: clock.Fixed(today)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v := &Village{Name: "东关村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if h, _ := ParseHLC(fieldHistory(t, s, "villages", v.ID, "name")[0].HLC); h.Wall > today.Add(MaxAhead).UnixMilli() {
		t.Fatalf("stamped %s after the clock was set right", time.UnixMilli(h.Wall))
	}
	var got Household
	s.Get(ctx, &got, hh.ID)
	got.Notes = "改对以后"
	if err := s.Save(ctx, &got); err != nil {
		t.Fatal(err)
	}
	s.Get(ctx, &got, hh.ID)
	if got.Notes != "改对以后" {
		t.Fatalf("notes %q", got.Notes)
	}
	for _, c := range allChanges(t, s) {
		if err := ValidateChange(c); err != nil {
			t.Fatal(err)
		}
	}
}

// A post edits a household while the station, not having seen the edit,
// deletes it: the record stays deleted and the edit is kept as a conflict
// to review, the same on both sides. An edit made after seeing the delete
// is no conflict.
func TestDeleteAndConcurrentEditConflict(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	post := newTestStore(t, RolePost, clock.Fixed(today))
	station := newTestStore(t, RoleStation, clock.Fixed(today.Add(time.Hour)))
	hh := &Household{VillageID: "v", OwnerName: "张建国", Notes: "旧"}
	if err := post.Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	station.Apply(ctx, allChanges(t, post))

	var edit Household
	post.Get(ctx, &edit, hh.ID)
	edit.OwnerPhone = "13912345678" // a field the station never saw set
	edit.Notes = "搬走前最后一次走访"
	if err := post.Save(ctx, &edit); err != nil {
		t.Fatal(err)
	}
	if err := station.Update(ctx, func(tx *Tx) error { return tx.DeleteHousehold(hh.ID) }); err != nil {
		t.Fatal(err)
	}
	post.Apply(ctx, allChanges(t, station))
	station.Apply(ctx, allChanges(t, post))
	if a, b := dumpOf(t, post), dumpOf(t, station); a != b {
		t.Fatalf("replicas differ:\n%s\n---\n%s", a, b)
	}
	var got Household
	post.Get(ctx, &got, hh.ID)
	if !got.Deleted {
		t.Fatal("the delete was lost")
	}
	cs, err := post.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]string{}
	for _, c := range cs {
		kept[c.Field] = c.Value
	}
	if kept["notes"] != `"搬走前最后一次走访"` || kept["owner_phone"] != `"13912345678"` {
		t.Fatalf("the post's edit is not kept for review: %+v", cs)
	}
	// Someone who saw the delete edits the deleted record: no new conflict.
	before := len(cs)
	var seen Household
	station.Get(ctx, &seen, hh.ID)
	seen.Address = "东关村 3 号"
	if err := station.Save(ctx, &seen); err != nil {
		t.Fatal(err)
	}
	if cs, _ := station.Conflicts(ctx); len(cs) != before {
		t.Fatalf("an edit made after the delete became a conflict: %+v", cs)
	}
}

// The same without closing the file: the clock of a running program comes
// back too when its PC's clock is set right.
func TestClockSetRightWhileRunning(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	var fast atomic.Bool
	fast.Store(true)
	s := newTestStore(t, RolePost, func() time.Time {
		if fast.Load() {
			return today.AddDate(200, 0, 0)
		}
		return today
	})
	if err := s.Save(ctx, &Village{Name: "快的时候"}); err != nil {
		t.Fatal(err)
	}
	fast.Store(false)
	v := &Village{Name: "改对以后"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if h, _ := ParseHLC(fieldHistory(t, s, "villages", v.ID, "name")[0].HLC); h.Wall > today.Add(MaxAhead).UnixMilli() {
		t.Fatalf("stamped %s after the clock was set right", time.UnixMilli(h.Wall))
	}
}

// TestHighWaterNeverRunsBack: the file's clock comes back to the PC's
// time when it lies more than MaxAhead past it, after a clock that ran
// fast was set right and also when the PC's clock falls back years (a
// flat clock battery); HighWater, what the database has certainly seen,
// stays where it was, in a file older versions wrote too (no mark yet).
func TestHighWaterNeverRunsBack(t *testing.T) {
	ctx := context.Background()
	right := clocktest.Today(t)
	wall := right
	s, err := Create(ctx, filepath.Join(testDir(t), "post.db"), Identity{DeviceID: "POST-AAAAAAA", Role: RolePost, Name: "东关"},
		Options{Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if h, err := s.HighWater(ctx); err != nil || h.Wall > right.UnixMilli() {
		t.Fatalf("a new file's high water %v %v", h, err)
	}
	if err := s.Save(ctx, &Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	// As a file of an older version: no mark yet, only the clock.
	if _, err := s.db.ExecContext(ctx, "DELETE FROM meta WHERE key = 'hlc_high'"); err != nil {
		t.Fatal(err)
	}
	wall = time.Date(1999, 6, 1, 9, 0, 0, 0, clock.Zone)
	for i := range 2 {
		if err := s.Save(ctx, &Village{Name: fmt.Sprintf("西关村%d", i)}); err != nil {
			t.Fatal(err)
		}
		h, err := s.HighWater(ctx)
		if err != nil || h.Wall < right.UnixMilli() {
			t.Fatalf("write %d with the clock in 1999: high water %s (%v), want %s or later", i, time.UnixMilli(h.Wall), err, right)
		}
	}
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'hlc'").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if h, _ := ParseHLC(v); h.Wall >= right.UnixMilli() {
		t.Fatalf("the clock itself stayed at %s: this test no longer shows what HighWater is for", time.UnixMilli(h.Wall))
	}
}
