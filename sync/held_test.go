package sync

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/sync/status"
)

// TestNewerVersionDoesNotSplit: a post upgraded before its station sends
// changes of a field and a table the station's version does not know. The
// station holds them aside, merges the rest of the changeset, and its
// chain goes on: the post's next changeset applies. It says so, per
// origin, in Chinese (status, divergences) and in numbers (held_newer),
// without counting it as a divergence a session waits on. A malformed
// change still refuses its changeset whole, and held changes never leave
// the station.
func TestNewerVersionDoesNotSplit(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	names := map[*Engine]string{post: "东关村警务室", station: "城关派出所"}
	for _, ab := range [][2]*Engine{{post, station}, {station, post}} {
		// Paired under their names, as the window pairs them.
		code, err := ab[1].Identity().Code(names[ab[1]], ab[1].Store().Role(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ab[0].Pair(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	v := &store.Village{Name: "东关村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	folder := PostFolder(post.Self())
	if res := move(t, post, station, folder); res.Outcomes[Applied] != 1 {
		t.Fatalf("first changeset: %+v", res)
	}
	var vil store.Village
	if err := post.Store().Get(ctx, &vil, v.ID); err != nil {
		t.Fatal(err)
	}
	stamp := func(n int64) string { return store.HLC{Wall: 1_900_000_000_000 + n, Device: post.Self()}.String() }
	owner, _ := json.Marshal(post.Self())
	// What a newer version of the post cuts: a known edit, a field of a
	// known table and a whole table this version lacks.
	newer := []store.Change{
		{Table: "villages", Record: v.ID, Field: "notes", Value: `"新版本的备注"`, HLC: stamp(1)},
		{Table: "villages", Record: v.ID, Field: "river_level", Value: `{"m":2.5}`, HLC: stamp(1)},
		{Table: "flood_points", Record: "fp-1", Field: "owner", Value: string(owner), HLC: stamp(2)},
		{Table: "flood_points", Record: "fp-1", Field: "name", Value: `"桥头"`, HLC: stamp(2)},
	}
	s := sealFor(t, post, station, newer)
	if err := os.WriteFile(filepath.Join(post.FolderDir(folder), s.Name), s.Data, 0o600); err != nil {
		t.Fatal(err)
	}
	res := move(t, post, station, folder)
	if res.Outcomes[Applied] != 1 || res.HeldNewer != 3 || res.Changes != 1 {
		t.Fatalf("newer changeset: %+v", res)
	}
	var got store.Village
	if err := station.Store().Get(ctx, &got, v.ID); err != nil || got.Notes != "新版本的备注" {
		t.Fatalf("the known change was not merged: %+v %v", got, err)
	}
	// The same file again (another carrier): a duplicate, nothing held twice.
	r, err := station.Import(ctx, "stick", s.Name, s.Data, true)
	if err != nil || r.Outcome != Duplicate {
		t.Fatalf("again: %+v %v", r, err)
	}
	// The chain goes on.
	vil.Name = "东关村（新）"
	if err := post.Store().Save(ctx, &vil); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	if res := move(t, post, station, folder); res.Outcomes[Applied] != 1 {
		t.Fatalf("the next changeset: %+v", res)
	}
	if err := station.Store().Get(ctx, &got, v.ID); err != nil || got.Name != "东关村（新）" {
		t.Fatalf("the next changeset was not merged: %+v %v", got, err)
	}

	// The ownership rule holds for a record known only from held
	// changes: another post may not write it, nor claim it.
	other := newDevice(t, store.RolePost, "西关村警务室")
	pair(t, other, station)
	otherOwner, _ := json.Marshal(other.Self())
	oh := func(n int64) string { return store.HLC{Wall: 1_900_000_000_000 + n, Device: other.Self()}.String() }
	theirs := sealFor(t, other, station, []store.Change{
		{Table: "flood_points", Record: "fp-1", Field: "name", Value: `"改掉"`, HLC: oh(5)},
		{Table: "flood_points", Record: "fp-1", Field: "owner", Value: string(otherOwner), HLC: oh(5)},
		{Table: "flood_points", Record: "fp-2", Field: "owner", Value: string(otherOwner), HLC: oh(5)},
		{Table: "flood_points", Record: "fp-2", Field: "name", Value: `"村口"`, HLC: oh(5)},
	})
	r, err = station.Import(ctx, "stick", theirs.Name, theirs.Data, true)
	if err != nil || r.Outcome != Applied || r.Refused != 2 || r.Held != 2 {
		t.Fatalf("another post's changes to a held record: %+v %v", r, err)
	}

	// Never silent, never a reason to keep a session open.
	st, err := station.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "有 3 条修改来自较新版本的「东关村警务室」，本机升级后生效。"
	var ps status.Peer
	for _, p := range st.Peers {
		if p.DeviceID == post.Self() {
			ps = p
		}
	}
	if st.HeldNewer != 5 || ps.HeldNewer != 3 ||
		!slices.Contains(ps.Divergences, want) || !slices.Contains(st.Divergences, want) || !strings.Contains(st.Text, want) {
		t.Fatalf("status does not say what is held: %+v", st)
	}
	js, err := json.Marshal(st)
	if err != nil || !strings.Contains(string(js), `"held_newer":5`) || !strings.Contains(string(js), `"held_newer":3`) {
		t.Fatalf("JSON: %s %v", js, err)
	}
	if d, err := station.Divergences(ctx, post.Self()); err != nil || len(d) != 0 {
		t.Fatalf("held changes keep a session open: %q %v", d, err)
	}
	if n, words, err := status.HeldNewer(ctx, station.st, station.heal, station.Self()); err != nil || n != 0 || len(words) != 0 {
		t.Fatalf("held for the wrong origin: %d %q %v", n, words, err)
	}

	// Malformed: refused whole, the known change in it not merged, and
	// the chain waits as before.
	bad := []store.Change{
		{Table: "villages", Record: v.ID, Field: "notes", Value: `"不该合并"`, HLC: stamp(10)},
		{Table: "villages", Record: v.ID, Field: "River Level", Value: `1`, HLC: stamp(10)},
	}
	s = sealFor(t, post, station, bad)
	r, err = station.Import(ctx, "stick", s.Name, s.Data, true)
	if err != nil || r.Outcome != Rejected || !strings.Contains(r.Reason, "River Level") {
		t.Fatalf("malformed: %+v %v", r, err)
	}
	if err := station.Store().Get(ctx, &got, v.ID); err != nil || got.Notes != "新版本的备注" {
		t.Fatalf("a change of a refused changeset was merged: %+v %v", got, err)
	}

	// What the station cuts carries nothing it holds: the post gets the
	// station's changesets and knows nothing of the held ones from them.
	c := &store.CostItem{Tier: "public_order", Grp: "legal", Text: "拘留5-10日"}
	if err := station.Store().Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	outs, err := station.Store().SyncBook().OutChangesets(ctx, "", 0)
	if err != nil || len(outs) == 0 {
		t.Fatalf("station cut nothing: %v", err)
	}
	opened := 0
	for _, o := range outs {
		if o.Stream != StationFolder(station.Self()) && o.Stream != folder {
			continue // to the other post
		}
		opened++
		data, err := os.ReadFile(filepath.Join(station.FolderDir(o.Stream), o.Name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := post.openChangeset(ctx, data)
		if err != nil {
			t.Fatalf("open %s: %v", o.Name, err)
		}
		for _, ch := range p.Changes {
			if ch.Field == "river_level" || ch.Table == "flood_points" {
				t.Fatalf("the station sent a held change: %+v", ch)
			}
		}
	}
	if opened == 0 {
		t.Fatal("no changeset of the station to the post")
	}
	if strings.Contains(dump(t, station, ""), "桥头") {
		t.Fatal("a held change is in the station's dump")
	}
}
