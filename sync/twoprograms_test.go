package sync

import (
	"context"
	"fmt"
	gosync "sync"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
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
