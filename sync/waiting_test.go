package sync

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"cunjing/store"
	"cunjing/store/syncbook"
)

// A changeset that arrived before its predecessor waits; when the
// predecessor is applied but the import stops before the waiting one
// follows (the disk filled up while the copy of the predecessor was kept,
// the power went, the session's time ran out), the waiting one must still
// follow at the next exchange. It was taken for a duplicate for ever after
// (its name was known), so every later changeset of the post waited behind
// it: the station never saw the post's work again, and 同步 said for ever
// that number 3 waited for number 3.
func TestWaitingChangesetFollowsAfterInterruptedImport(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	folder := PostFolder(post.Self())
	v := &store.Village{Name: "东关村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var names []string
	var ids []string
	for i := range 4 {
		h := &store.Household{VillageID: v.ID, OwnerName: "户主" + string(rune('甲'+i))}
		if err := post.Store().Save(ctx, h); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
		names = append(names, mustCut(t, post).Changesets...)
	}
	if len(names) != 4 {
		t.Fatalf("cut %d changesets, want 4", len(names))
	}
	read := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join(post.FolderDir(folder), n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	imp := func(n string) (Result, error) { return station.Import(ctx, "test", n, read(n), true) }
	if r, err := imp(names[0]); err != nil || r.Outcome != Applied {
		t.Fatalf("first: %+v %v", r, err)
	}
	if r, err := imp(names[2]); err != nil || r.Outcome != Waiting {
		t.Fatalf("third before the second: %+v %v", r, err)
	}
	// The station cannot keep its copy of the second (a file stands where
	// the folder should be, as a full disk fails the write): the second is
	// applied, the import fails before the third follows.
	keep := station.FolderDir(folder)
	if err := os.RemoveAll(keep); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keep, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := imp(names[1]); err == nil {
		t.Fatal("the import of the second did not fail")
	}
	if err := os.Remove(keep); err != nil {
		t.Fatal(err)
	}
	// The disk is fine again; the stick brings everything, then the post
	// makes one more.
	move(t, post, station, folder)
	h := &store.Household{VillageID: v.ID, OwnerName: "户主戊"}
	if err := post.Store().Save(ctx, h); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, h.ID)
	mustCut(t, post)
	move(t, post, station, folder)

	for _, id := range ids {
		var got store.Household
		if err := station.Store().Get(ctx, &got, id); err != nil {
			t.Errorf("household %s never reached the station: %v", id, err)
		}
	}
	waiting, err := station.Store().SyncBook().InChangesets(ctx, syncbook.InWaiting)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 0 {
		t.Errorf("changesets still waiting: %+v", waiting)
	}
	if d, err := station.Divergences(ctx, post.Self()); err != nil || len(d) != 0 {
		t.Errorf("station still apart from the post: %q %v", d, err)
	}
	head, _, err := station.Store().SyncBook().ChainHead(ctx, post.Self(), folder)
	if err != nil {
		t.Fatal(err)
	}
	if head != 5 {
		t.Errorf("station holds the post's chain to %d, want 5", head)
	}
}
