package sync

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
)

func TestPostToStationAndBack(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)

	v := &store.Village{Name: "东关村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	hh := &store.Household{VillageID: v.ID, OwnerName: "张建国", Warning: store.WarnRed}
	if err := post.Store().Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	if r := mustCut(t, post); len(r.Changesets) != 1 {
		t.Fatalf("cut %+v", r)
	}
	if r := mustCut(t, post); len(r.Changesets) != 0 {
		t.Fatalf("second cut with nothing new made %v", r.Changesets)
	}
	res := move(t, post, station, PostFolder(post.Self()))
	if res.Outcomes[Applied] != 1 {
		t.Fatalf("station import %+v", res)
	}
	if got, want := dump(t, station, post.Self()), dump(t, post, post.Self()); got != want {
		t.Fatalf("station's copy differs:\n%s\nvs\n%s", got, want)
	}
	// Importing again is a no-op.
	if res := move(t, post, station, PostFolder(post.Self())); res.Outcomes[Duplicate] != 1 {
		t.Fatalf("re-import %+v", res)
	}

	// The station publishes a cost item and corrects the post's household.
	ci := &store.CostItem{Tier: "public_order", Grp: "legal", Text: "拘留5-10日", Law: "治安管理处罚法", Article: "第51条"}
	if err := station.Store().Save(ctx, ci); err != nil {
		t.Fatal(err)
	}
	var got store.Household
	if err := station.Store().Get(ctx, &got, hh.ID); err != nil {
		t.Fatal(err)
	}
	got.Warning = store.WarnOrange
	if err := station.Store().Save(ctx, &got); err != nil {
		t.Fatal(err)
	}
	r := mustCut(t, station)
	if len(r.Changesets) < 2 { // catch-up + correction in the post folder, broadcast
		t.Fatalf("station cut %+v", r)
	}
	move(t, station, post, StationFolder(station.Self()))
	move(t, station, post, PostFolder(post.Self()))
	if a, b := dump(t, post, ""), dump(t, station, ""); a != b {
		t.Fatalf("post and station differ:\n%s\n---\n%s", a, b)
	}
	var fixed store.Household
	if err := post.Store().Get(ctx, &fixed, hh.ID); err != nil || fixed.Warning != store.WarnOrange || fixed.Owner != post.Self() {
		t.Fatalf("correction not applied: %+v %v", fixed, err)
	}
}

func TestUnknownDeviceAndOwnership(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "A")
	other := newDevice(t, store.RolePost, "B")
	station := newDevice(t, store.RoleStation, "S")
	pair(t, post, station)
	// other is not paired with the station: its files are refused.
	pair(t, other, newDevice(t, store.RoleStation, "S2"))
	if err := other.Store().Save(ctx, &store.Village{Name: "外村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, other)
	res := move(t, other, station, PostFolder(other.Self()))
	if res.Outcomes[NotForUs]+res.Outcomes[Rejected] != 1 {
		t.Fatalf("unpaired device's file: %+v", res)
	}

	// A post signs a change to the station's record: refused, logged.
	ci := &store.CostItem{Tier: "criminal", Grp: "legal", Text: "轻伤 三年以下"}
	if err := station.Store().Save(ctx, ci); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	move(t, station, post, StationFolder(station.Self()))
	move(t, station, post, PostFolder(post.Self()))
	h := store.HLC{Wall: 1_900_000_000_000, Device: post.Self()}
	evil := []store.Change{{Table: "cost_items", Record: ci.ID, Field: "text", Value: `"罚款 0 元"`, HLC: h.String()}}
	e2 := sealFor(t, post, station, evil)
	r, err := station.Import(ctx, "test", e2.Name, e2.Data, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != Applied || r.Refused != 1 || r.Changes != 0 {
		t.Fatalf("forbidden change: %+v", r)
	}
	var back store.CostItem
	if err := station.Store().Get(ctx, &back, ci.ID); err != nil || back.Text != ci.Text {
		t.Fatalf("station record overwritten: %+v", back)
	}
	rej, _ := station.Store().SyncBook().Rejects(ctx, 10)
	if len(rej) == 0 || !strings.Contains(rej[0].Reason, "ownership") || rej[0].Kind != string(RejectOwnership) {
		t.Fatalf("rejection log: %+v", rej)
	}
}

// sealFor cuts a changeset from changes as the post would, next in its chain.
func sealFor(t testing.TB, post, station *Engine, changes []store.Change) changeset.Sealed {
	t.Helper()
	ctx := context.Background()
	st, err := post.Store().SyncBook().StreamState(ctx, PostFolder(post.Self()))
	if err != nil {
		t.Fatal(err)
	}
	sp, err := station.Store().SyncBook().Peer(ctx, post.Self())
	if err != nil {
		t.Fatal(err)
	}
	_ = sp
	h := changeset.Header{Origin: post.Self(), Stream: PostFolder(post.Self()), Seq: st.Seq + 1, Prev: st.Digest}
	s, err := changeset.Seal(h, changes, post.Identity().Sign, recipients(t, post, station))
	if err != nil {
		t.Fatal(err)
	}
	if err := post.Store().SyncBook().RecordCut(ctx, syncbook.OutChangeset{Stream: h.Stream, Seq: h.Seq, Name: s.Name, Digest: s.Digest, Data: s.Data}, st.ChangeSeq); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTamperReplayGap(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "A")
	station := newDevice(t, store.RoleStation, "S")
	pair(t, post, station)
	var names []string
	for i := 0; i < 3; i++ {
		if err := post.Store().Save(ctx, &store.Village{Name: "村" + string(rune('甲'+i))}); err != nil {
			t.Fatal(err)
		}
		names = append(names, mustCut(t, post).Changesets...)
	}
	dir := post.FolderDir(PostFolder(post.Self()))
	read := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	imp := func(n string, data []byte) Result {
		r, err := station.Import(ctx, "test", n, data, true)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Tampered and truncated: rejected with a reason.
	bad := read(names[0])
	bad[len(bad)-3] ^= 1
	if r := imp(names[0], bad); r.Outcome != Rejected || r.Reason == "" {
		t.Fatalf("tampered: %+v", r)
	}
	if r := imp(names[0], read(names[0])[:100]); r.Outcome != Rejected {
		t.Fatalf("truncated: %+v", r)
	}
	if r, _ := station.Import(ctx, "test", names[0], read(names[0])[:100], false); r.Outcome != NotReady {
		t.Fatalf("still copying: %+v", r)
	}
	// Out of order: 3 then 2 wait, 1 releases them.
	if r := imp(names[2], read(names[2])); r.Outcome != Waiting {
		t.Fatalf("gap: %+v", r)
	}
	if r := imp(names[1], read(names[1])); r.Outcome != Waiting {
		t.Fatalf("gap: %+v", r)
	}
	if r := imp(names[0], read(names[0])); r.Outcome != Applied || r.Applied != 3 {
		t.Fatalf("release: %+v", r)
	}
	// Replay under another name (same content): duplicate, nothing applied.
	if r := imp(names[1], read(names[1])); r.Outcome != Duplicate {
		t.Fatalf("replay: %+v", r)
	}
	// A forked sequence 2 signed by the origin (as a post restored from an
	// older backup cuts one): refused its place in the chain, logged, and
	// its maker is owed a note saying where the chain stands here. Since
	// issue #13 its changes, signed by their maker, are merged anyway, so
	// nothing a restored post made is lost; here they are the post's own.
	mine, _, err := post.Store().ChangesSince(ctx, post.Self(), 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	fork, err := changeset.Seal(changeset.Header{Origin: post.Self(), Stream: PostFolder(post.Self()), Seq: 2, Prev: "x"},
		mine, post.Identity().Sign, recipients(t, post, station))
	if err != nil {
		t.Fatal(err)
	}
	if r := imp(fork.Name, fork.Data); r.Outcome != Rejected || !strings.Contains(r.Reason, "conflicting") {
		t.Fatalf("fork: %+v", r)
	}
	if notes, _ := station.Store().SyncBook().Notes(ctx, true); len(notes) != 1 || notes[0].About != post.Self() {
		t.Fatalf("no chain note owed to the post: %+v", notes)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("dumps differ")
	}
}

// A changeset its origin signed that carries a change outside the schema
// is refused whole, before anything is merged: changeset.Open checks the
// file and the origin, the engine checks the changes against the schema
// (openChangeset) before it takes the write lock.
func TestSignedChangeOutsideSchemaRefused(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "A")
	station := newDevice(t, store.RoleStation, "S")
	pair(t, post, station)
	h := store.HLC{Wall: 1_900_000_000_000, Device: post.Self()}
	weird := []store.Change{
		{Table: "villages", Record: "rec-1", Field: "name", Value: `"甲村"`, HLC: h.String()},
		{Table: "sqlite_master", Record: "rec-1", Field: "sql", Value: `"x"`, HLC: h.String()},
	}
	s := sealFor(t, post, station, weird)
	r, err := station.Import(ctx, "test", s.Name, s.Data, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != Rejected || r.Changes != 0 || !strings.Contains(r.Reason, "sqlite_master") {
		t.Fatalf("a change outside the schema: %+v", r)
	}
	rej, _ := station.Store().SyncBook().Rejects(ctx, 5)
	if len(rej) != 1 || rej[0].Kind != string(RejectUnverified) || rej[0].Origin != "" {
		t.Fatalf("rejection log %+v", rej)
	}
	var v store.Village
	if err := station.Store().Get(ctx, &v, "rec-1"); err == nil {
		t.Fatalf("the valid change of a refused file was merged: %+v", v)
	}
}

// `cunjing pair --db station.db ""` (a pairing code that did not come
// through a shell's substitution) paired a carrier with no device ID,
// said "paired with Syncthing  (carrier)" and exited 0. A carrier is
// paired only by a device ID that is one.
func TestPairCarrierWantsADeviceID(t *testing.T) {
	ctx := context.Background()
	st := newDevice(t, "station", "城关派出所")
	real := newDevice(t, "post", "东关村警务室").Self()
	mistyped := real[:len(real)-1] + "A" // its last check character wrong
	if mistyped == real {
		mistyped = real[:len(real)-1] + "B"
	}
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"", false},
		{"   ", false},
		{"not-a-device", false},
		{mistyped, false},
		{real, true},
	} {
		_, err := st.PairCarrier(ctx, tc.id, "U盘", nil)
		if (err == nil) != tc.ok {
			t.Errorf("PairCarrier(%q): %v, want ok %v", tc.id, err, tc.ok)
		}
	}
	peers, err := st.Book().Peers(ctx, false)
	if err != nil || len(peers) != 1 || peers[0].DeviceID != real {
		t.Fatalf("paired: %+v %v", peers, err)
	}
}
