package synconce

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// A post with changes and one peer that dials it (no address): the
// changes are packed, and nobody is dialled.
func TestRunPacksAndDialsOnlyPeersWithAnAddress(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	post, _, err := cjsync.Init(ctx, filepath.Join(dir, "post.db"), store.Identity{Role: store.RolePost, Name: "东河警务室"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer post.Close()
	stn, _, err := cjsync.Init(ctx, filepath.Join(dir, "station.db"), store.Identity{Role: store.RoleStation, Name: "城关派出所"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stn.Close()
	if err := post.Save(ctx, &store.Village{Name: "东河村"}); err != nil {
		t.Fatal(err)
	}
	e, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	se, err := cjsync.New(ctx, stn, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var self store.Post
	if err := stn.Get(ctx, &self, stn.DeviceID()); err != nil {
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
