package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/sync/changeset"
)

// The window and `cunjing sync` (or `cunjing exchange`) run on one post's
// database at once, each with its own engine, and both cut while the
// officer saves. Neither may fail: the second cut of a stream used to be
// refused with "another cut ran meanwhile" (its changeset sealed after a
// head the other program had moved), so `cunjing sync` ended in an error
// and the window's 立即同步 said it failed. Everything must still reach
// the station, in one chain.
func TestTwoProgramsCutAtOnce(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	cli := secondProgram(t, post)
	v := &store.Village{Name: "东关村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var wg gosync.WaitGroup
	for k, e := range []*Engine{post, cli} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				if err := e.Store().Save(ctx, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%d-%d", k, i)}); err != nil {
					t.Error(err)
					return
				}
				if _, err := e.Cut(ctx); err != nil {
					t.Errorf("program %d: cut: %v", k, err)
				}
			}
		}()
	}
	wg.Wait()
	mustCut(t, post)
	r := move(t, post, station, PostFolder(post.Self()))
	if r.Outcomes[Rejected] != 0 || r.Outcomes[Waiting] != 0 {
		t.Errorf("station: %+v", r.Outcomes)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("the station's copy of the post differs from the post")
	}
	if d, err := station.Divergences(ctx, post.Self()); err != nil || len(d) != 0 {
		t.Errorf("station apart from the post: %q %v", d, err)
	}
}

// secondProgram is another program on e's database file (the window's
// and `cunjing sync`'s): its own store and engine over the same file and
// the same sync folder, closed when the test ends.
func secondProgram(t testing.TB, e *Engine) *Engine {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, e.Store().Path(), store.Options{Now: clocktest.Ticking(t, 0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e2, err := New(ctx, st, Options{Dir: e.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	return e2
}

// The window and `cunjing exchange` write this post's receipts to one
// stick at once. Each removed the post's other receipts for the station
// after writing its own, so the one made first but written last removed
// the newer one the other had just written, and the station got a receipt
// older than the post's last (or, the two removing each other's, none).
// Now a program removes only receipts of lower number than the newest of
// ours on the stick: the newest always stays, alone.
func TestTwoProgramsPruneReceiptsOnOneStick(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	cli := secondProgram(t, post)
	stick := testDir(t)
	addHouseholds(t, station, 1, "站")
	mustCut(t, station)
	move(t, station, post, PostFolder(post.Self()))
	// The window makes its receipt; before it writes it, the command
	// makes a newer one (it took in more) and writes it.
	addHouseholds(t, station, 1, "又")
	mustCut(t, station)
	post.afterReceiptMade = func() {
		post.afterReceiptMade = nil
		move(t, station, cli, PostFolder(post.Self()))
		if _, err := cli.WriteReceipts(ctx, stick, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := post.WriteReceipts(ctx, stick, nil); err != nil {
		t.Fatal(err)
	}
	last, _, err := post.Book().ReceiptOut(ctx, station.Self())
	if err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(stick)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != last.Name {
		t.Fatalf("on the stick: %q, want the newest receipt alone, %s", names, last.Name)
	}
}

// A stick is an untrusted carrier: a file planted on it named as a
// receipt of this device for the station with a number higher than any
// (or one left there by this device's database before a restore, its
// clock since set back) must not make the device remove every receipt it
// writes there, so that the station never hears what the post took in.
func TestReceiptsBesideAPlantedNumber(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	stick := testDir(t)
	planted := changeset.ReceiptName(post.Self(), station.Self(), changeset.MaxReceiptNumber, []byte("planted"))
	if err := os.WriteFile(filepath.Join(stick, planted), []byte("planted"), 0o600); err != nil {
		t.Fatal(err)
	}
	addHouseholds(t, station, 1, "站")
	mustCut(t, station)
	move(t, station, post, PostFolder(post.Self()))
	if _, err := post.WriteReceipts(ctx, stick, nil); err != nil {
		t.Fatal(err)
	}
	last, ok, err := post.Book().ReceiptOut(ctx, station.Self())
	if err != nil || !ok {
		t.Fatalf("no receipt made (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(stick, last.Name)); err != nil {
		t.Fatalf("the receipt just written is not on the stick beside the planted %s: %v", planted, err)
	}
	// The station takes it in from the stick.
	r, err := station.ImportDir(ctx, "usb", stick, true)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := station.Acks(ctx); err != nil || len(a) == 0 || !a[0].Receipt {
		t.Fatalf("the station took in no receipt of the post: %+v %+v %v", r, a, err)
	}
}
