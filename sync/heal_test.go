package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
)

// swap exchanges through an exchange folder as `cunjing exchange` does:
// import what is there, cut, write what the folder lacks.
func swap(t testing.TB, e *Engine, dir string) DirResult {
	t.Helper()
	ctx := context.Background()
	r, err := e.ImportDir(ctx, "exchange:"+dir, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteOut(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	return r
}

// restoreFrom closes e's database, puts the backup in its place and opens
// it again, keeping the sync folders (the same PC) unless newFolders.
func restoreFrom(t testing.TB, e *Engine, from string, newFolders bool) *Engine {
	t.Helper()
	ctx := context.Background()
	path := e.Store().Path()
	e.Store().Close()
	if _, err := backup.Restore(ctx, path, from, backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	// The restored device's clock is the test's (as newDevice's): a
	// wall clock here judged dates against the real day, not the one the
	// test runs on (datecheck).
	st, err := store.Open(ctx, path, store.Options{Now: clocktest.Ticking(t, 0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	dir := e.Dir()
	if newFolders {
		dir = filepath.Join(testDir(t), "new-pc.sync")
	}
	e2, err := New(ctx, st, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return e2
}

func addHouseholds(t testing.TB, e *Engine, n int, tag string) []string {
	t.Helper()
	ctx := context.Background()
	v := &store.Village{Name: "村" + tag}
	if err := e.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		h := &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("%s户主%d", tag, i)}
		if err := e.Store().Save(ctx, h); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	return ids
}

// LacksChange returns a change post made that station lacks, if any
// (fieldevents_test.go's apart asks too).
func LacksChange(t testing.TB, post, station *Engine) (store.Change, bool) {
	t.Helper()
	ctx := context.Background()
	mine, _, err := post.Store().ChangesSince(ctx, post.Self(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := station.Store().ChangesSince(ctx, post.Self(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, c := range theirs {
		held[c.Table+c.Record+c.Field+c.HLC] = true
	}
	for _, c := range mine {
		if !held[c.Table+c.Record+c.Field+c.HLC] {
			return c, true
		}
	}
	return store.Change{}, false
}

// meet has post and station swap through the exchange folder x until they
// have settled (four rounds each).
func meet(t testing.TB, post, station *Engine, x string) {
	t.Helper()
	for range 4 {
		swap(t, post, x)
		swap(t, station, x)
	}
	settled(t, post, station)
}

// settled checks what every field-events case ends with: identical owner
// dumps, every change of the post at the station, nothing waiting, no
// note open, no sequence number used for two different changesets.
func settled(t testing.TB, post, station *Engine) {
	t.Helper()
	ctx := context.Background()
	for _, owner := range []string{post.Self(), station.Self()} {
		if a, b := dump(t, post, owner), dump(t, station, owner); a != b {
			t.Fatalf("post and station differ on %s's records:\n%s\n---\n%s", owner[:7], a, b)
		}
	}
	if c, lacks := LacksChange(t, post, station); lacks {
		t.Fatalf("the station lacks the post's change %+v", c)
	}
	for _, e := range []*Engine{post, station} {
		if w, _ := e.Book().InChangesets(ctx, syncbook.InWaiting); len(w) != 0 {
			t.Fatalf("%s: %d changesets waiting", e.Self()[:7], len(w))
		}
		if n, _ := e.Book().Notes(ctx, false); len(n) != 0 {
			t.Fatalf("%s: notes still open: %+v", e.Self()[:7], n)
		}
		if d, err := e.Divergences(ctx, ""); err != nil || len(d) != 0 {
			t.Fatalf("%s: known divergences %q %v", e.Self()[:7], d, err)
		}
	}
}

func TestRestoredPostContinuesItsStream(t *testing.T) {
	for _, newPC := range []bool{false, true} {
		t.Run(map[bool]string{false: "same PC", true: "new PC"}[newPC], func(t *testing.T) {
			ctx := context.Background()
			post := newDevice(t, store.RolePost, "东关村警务室")
			station := newDevice(t, store.RoleStation, "城关派出所")
			pair(t, post, station)
			x := testDir(t)
			addHouseholds(t, post, 2, "甲")
			swap(t, post, x)
			swap(t, station, x)
			saved, err := backup.Write(ctx, post.Store(), testDir(t), backup.Options{Plaintext: true})
			if err != nil {
				t.Fatal(err)
			}
			lost := addHouseholds(t, post, 3, "乙") // made after the backup; the station gets them
			swap(t, post, x)
			swap(t, station, x)
			headBefore, _, _ := station.Store().SyncBook().ChainHead(ctx, post.Self(), PostFolder(post.Self()))

			post = restoreFrom(t, post, saved, newPC)
			if newPC {
				x = testDir(t) // and a new stick: nothing of the old PC's is left
			}
			addHouseholds(t, post, 2, "丙") // after the restore
			meet(t, post, station, x)
			for _, id := range lost {
				var h store.Household
				if err := post.Store().Get(ctx, &h, id); err != nil {
					t.Fatalf("an edit made after the backup never came back: %v", err)
				}
			}
			head, _, _ := station.Store().SyncBook().ChainHead(ctx, post.Self(), PostFolder(post.Self()))
			st, _ := post.Store().SyncBook().StreamState(ctx, PostFolder(post.Self()))
			if head <= headBefore || st.Seq != head {
				t.Fatalf("station holds the post's chain to %d (was %d), the post stands at %d", head, headBefore, st.Seq)
			}
			rej, _ := station.Store().SyncBook().Rejects(ctx, 10)
			if !newPC && len(rej) != 0 {
				t.Fatalf("the same PC reused a number: %+v", rej)
			}
			if newPC {
				// The log also holds, on some days, the restored post's
				// first receipt, numbered below what the station held
				// (it restored from before it sent it) and refused as old:
				// the next one names the station's number and is taken.
				// What matters is the chain's entry, wherever it stands.
				chain := findReject(rej, RejectChain)
				if chain == nil || !strings.Contains(chain.Reason, "已告诉对方") {
					t.Fatalf("station's rejection log: %+v", rej)
				}
				for _, r := range rej {
					if r.Kind != string(RejectChain) && r.Kind != string(RejectReceipt) {
						t.Errorf("station refused something else: %+v", r)
					}
				}
				mine, _ := post.Store().SyncBook().Rejects(ctx, 10)
				rebased := findReject(mine, RejectRebased)
				if rebased == nil || !strings.Contains(rebased.Reason, "接着发") {
					t.Fatalf("the post does not say why it cut again: %+v", mine)
				}
				t.Logf("station says: %s\npost says: %s", chain.Reason, rebased.Reason)
			}
		})
	}
}

// A replacement PC restored from the backup made on the day the post was
// set up (its keys, nothing else) gets everything back from the station.
func TestPostRebuiltFromStation(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	saved, err := backup.Write(ctx, post.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	x := testDir(t)
	ids := addHouseholds(t, post, 5, "甲")
	for range 2 {
		swap(t, post, x)
		swap(t, station, x)
	}
	// The old PC is gone with its folders; so is the stick.
	post = restoreFrom(t, post, saved, true)
	x = testDir(t)
	meet(t, post, station, x)
	for _, id := range ids {
		var h store.Household
		if err := post.Store().Get(ctx, &h, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(x); err != nil {
		t.Fatal(err)
	}
}

// A station restored from an older backup (a new PC, a new stick) gets
// back what it published since, from its post, and both go on.
func TestRestoredStationGetsItsOwnBack(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	x := testDir(t)
	ids := addHouseholds(t, post, 2, "甲")
	for range 2 {
		swap(t, post, x)
		swap(t, station, x)
	}
	saved, err := backup.Write(ctx, station.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	n := &store.Notice{Title: "冬防通知"}
	if err := station.Store().Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	var h store.Household
	station.Store().Get(ctx, &h, ids[0])
	h.Notes = "派出所更正"
	if err := station.Store().Save(ctx, &h); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		swap(t, station, x)
		swap(t, post, x)
	}
	station = restoreFrom(t, station, saved, true)
	x = testDir(t)
	if err := station.Store().Save(ctx, &store.Notice{Title: "春节通知"}); err != nil {
		t.Fatal(err)
	}
	meet(t, post, station, x)
	var got store.Notice
	if err := station.Store().Get(ctx, &got, n.ID); err != nil || got.Title != "冬防通知" {
		t.Fatalf("the station did not get its notice back: %+v %v", got, err)
	}
}

// findReject is the newest entry of the kind in a rejection log (newest
// first), or nil.
func findReject(rs []syncbook.Reject, k RejectKind) *syncbook.Reject {
	for i := range rs {
		if rs[i].Kind == string(k) {
			return &rs[i]
		}
	}
	return nil
}
