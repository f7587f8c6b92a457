package synconce

import (
	"context"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/sync/synctest"
)

// A post with changes and one peer that dials it (no address): the
// changes are packed, and nobody is dialled.
func TestRunPacksAndDialsOnlyPeersWithAnAddress(t *testing.T) {
	ctx := context.Background()
	e := synctest.Device(t, store.RolePost, "东河警务室")
	se := synctest.Device(t, store.RoleStation, "城关派出所")
	if err := e.Store().Save(ctx, &store.Village{Name: "东河村"}); err != nil {
		t.Fatal(err)
	}
	// One way only: the post knows the station, with no address.
	var self store.Post
	if err := se.Store().Get(ctx, &self, se.Self()); err != nil {
		t.Fatal(err)
	}
	code, err := se.Identity().Code(self.Name, store.RoleStation, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, e, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cut.Changes == 0 || len(rep.Cut.Changesets) == 0 {
		t.Errorf("nothing packed: %+v", rep.Cut)
	}
	if len(rep.Sessions) != 0 {
		t.Errorf("dialled a peer without an address: %+v", rep.Sessions)
	}
}
