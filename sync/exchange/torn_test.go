package exchange

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

// The exchange folder was copied from one stick to another and the copy
// was cut short (a stick pulled out in 资源管理器): a changeset of the post
// is on the stick under its own name, but torn. The station refuses it as
// damaged, and the post, finding a file of that name there, never wrote
// it again: the station's copy of the post's chain stopped there for as
// long as that stick carried it (every later changeset waited behind it).
// The post must write it again whole.
func TestTornCopyOnTheStickIsWrittenAgain(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	stick := t.TempDir()
	v := &store.Village{Name: "西河村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	var name string
	ents, _ := os.ReadDir(stick)
	for _, en := range ents {
		if changeset.IsName(en.Name()) {
			name = en.Name()
		}
	}
	if name == "" {
		t.Fatal("no changeset on the stick")
	}
	p := filepath.Join(stick, name)
	whole, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	settle(t, p)
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Outcomes[cjsync.Rejected] != 1 {
		t.Fatalf("the torn copy: %+v", rep.Imported.Outcomes)
	}
	// The stick goes back to the post, then to the station again.
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); len(got) != len(whole) {
		t.Fatalf("the post left the torn copy on the stick (%d of %d bytes)", len(got), len(whole))
	}
	settle(t, p)
	if _, err := Once(ctx, station, stick); err != nil {
		t.Fatal(err)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("the station still lacks the post's village")
	}
}
