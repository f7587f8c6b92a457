package sync

import (
	"context"
	"errors"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/sync/changeset"
)

// tree is a county over two stations, each over one post, all paired.
type tree struct {
	county, s1, s2, p1, p2 *Engine
}

func newTree(t *testing.T) tree {
	t.Helper()
	tr := tree{
		county: newDevice(t, store.RoleCounty, "城关县公安局"),
		s1:     newDevice(t, store.RoleStation, "城关派出所"),
		s2:     newDevice(t, store.RoleStation, "河口派出所"),
		p1:     newDevice(t, store.RolePost, "东关村警务室"),
		p2:     newDevice(t, store.RolePost, "河口村警务室"),
	}
	pair(t, tr.p1, tr.s1)
	pair(t, tr.p2, tr.s2)
	pair(t, tr.county, tr.s1)
	pair(t, tr.county, tr.s2)
	return tr
}

// up carries a post's work to its station and the station's up-stream to
// the county.
func (tr tree) up(t *testing.T, post, stn *Engine) {
	t.Helper()
	mustCut(t, post)
	move(t, post, stn, PostFolder(post.Self()))
	mustCut(t, stn)
	res := move(t, stn, tr.county, UpFolder(stn.Self()))
	if res.Outcomes[Rejected] != 0 {
		t.Fatalf("county refused the up-stream of %s: %+v", stn.Self()[:7], res)
	}
}

// down carries the county's broadcast to a station and the station's
// broadcast to its post.
func (tr tree) down(t *testing.T, stn, post *Engine) {
	t.Helper()
	mustCut(t, tr.county)
	move(t, tr.county, stn, CountyFolder(tr.county.Self()))
	mustCut(t, stn)
	for _, f := range []string{StationFolder(stn.Self()), RelayFolder(stn.Self()), PostFolder(post.Self())} {
		move(t, stn, post, f)
	}
}

func TestCountyReceivesPostsThroughStations(t *testing.T) {
	ctx := context.Background()
	tr := newTree(t)
	var first *store.Household
	for _, x := range []struct {
		post, stn *Engine
		village   string
	}{{tr.p1, tr.s1, "东关村"}, {tr.p2, tr.s2, "河口村"}} {
		v := &store.Village{Name: x.village}
		if err := x.post.Store().Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		hh := &store.Household{VillageID: v.ID, OwnerName: "张建国", Warning: store.WarnRed}
		if err := x.post.Store().Save(ctx, hh); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = hh
		}
		tr.up(t, x.post, x.stn)
		if got, want := dump(t, tr.county, x.post.Self()), dump(t, x.post, x.post.Self()); got != want {
			t.Fatalf("the county's copy of %s differs:\n%s\nvs\n%s", x.village, got, want)
		}
	}
	// A station's correction of its post's record goes up too.
	var fix store.Household
	if err := tr.s1.Store().Get(ctx, &fix, first.ID); err != nil {
		t.Fatal(err)
	}
	fix.Warning = store.WarnOrange
	if err := tr.s1.Store().Save(ctx, &fix); err != nil {
		t.Fatal(err)
	}
	mustCut(t, tr.s1)
	move(t, tr.s1, tr.county, UpFolder(tr.s1.Self()))
	var got store.Household
	if err := tr.county.Store().Get(ctx, &got, first.ID); err != nil || got.Warning != store.WarnOrange || got.Owner != tr.p1.Self() {
		t.Fatalf("correction at the county: %+v %v", got, err)
	}
	// Each post is spoken for by its own station.
	owners, err := tr.county.Book().TierOwners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]string{}
	for _, o := range owners {
		by[o.Owner] = o.Station
		if o.Changes == 0 || o.LastMs == 0 {
			t.Fatalf("tier owner without counts: %+v", o)
		}
	}
	if by[tr.p1.Self()] != tr.s1.Self() || by[tr.p2.Self()] != tr.s2.Self() || by[tr.s1.Self()] != tr.s1.Self() {
		t.Fatalf("which station speaks for which post: %v", by)
	}
	// Nothing of a post goes to another post, nor the county's own
	// records up again.
	if d := dump(t, tr.p2, tr.p1.Self()); strings.Contains(d, "东关村") {
		t.Fatalf("post 2 holds post 1's records:\n%s", d)
	}
}

func TestCountyPublishesThroughStations(t *testing.T) {
	ctx := context.Background()
	tr := newTree(t)
	ci := &store.CostItem{Tier: "public_order", Grp: "legal", Text: "殴打他人 拘留5-10日", Law: "治安管理处罚法", Article: "第51条"}
	if err := tr.county.Store().Save(ctx, ci); err != nil {
		t.Fatal(err)
	}
	tr.down(t, tr.s1, tr.p1)
	tr.down(t, tr.s2, tr.p2)
	for _, d := range []*Engine{tr.s1, tr.s2, tr.p1, tr.p2} {
		var got store.CostItem
		if err := d.Store().Get(ctx, &got, ci.ID); err != nil || got.Text != ci.Text || got.Owner != tr.county.Self() {
			t.Fatalf("%s: county's cost item %+v %v", d.Self()[:7], got, err)
		}
		rej, _ := d.Book().Rejects(ctx, 10)
		if len(rej) != 0 {
			t.Fatalf("%s refused: %+v", d.Self()[:7], rej)
		}
	}
	// A change of it reaches the posts too; a post that pairs later
	// gets it in its catch-up.
	ci.Text = "殴打他人 拘留5-10日，并处200-500元罚款"
	if err := tr.county.Store().Save(ctx, ci); err != nil {
		t.Fatal(err)
	}
	tr.down(t, tr.s1, tr.p1)
	late := newDevice(t, store.RolePost, "西关村警务室")
	pair(t, late, tr.s1)
	mustCut(t, tr.s1)
	for _, f := range []string{StationFolder(tr.s1.Self()), RelayFolder(tr.s1.Self()), PostFolder(late.Self())} {
		move(t, tr.s1, late, f)
	}
	for _, d := range []*Engine{tr.p1, late} {
		var got store.CostItem
		if err := d.Store().Get(ctx, &got, ci.ID); err != nil || got.Text != ci.Text {
			t.Fatalf("%s: county's edit %+v %v", d.Self()[:7], got, err)
		}
	}
	// A station never writes its county's records (it only carries them).
	var mine store.CostItem
	if err := tr.s1.Store().Get(ctx, &mine, ci.ID); err != nil {
		t.Fatal(err)
	}
	mine.Text = "改掉"
	if err := tr.s1.Store().Save(ctx, &mine); !errors.Is(err, store.ErrNotOwner) {
		t.Fatalf("station edited the county's record: %v", err)
	}
	// Nothing the county published comes back up as the station's.
	mustCut(t, tr.s1)
	res := move(t, tr.s1, tr.county, UpFolder(tr.s1.Self()))
	if res.Outcomes[Rejected] != 0 {
		t.Fatalf("up: %+v", res)
	}
	rej, _ := tr.county.Book().Rejects(ctx, 10)
	if len(rej) != 0 {
		t.Fatalf("county refused: %+v", rej)
	}
}

func TestCountyPairingRules(t *testing.T) {
	ctx := context.Background()
	county := newDevice(t, store.RoleCounty, "县局")
	county2 := newDevice(t, store.RoleCounty, "邻县县局")
	stn := newDevice(t, store.RoleStation, "派出所")
	post := newDevice(t, store.RolePost, "警务室")
	for _, c := range []struct {
		name   string
		a, b   *Engine
		county string // want PairRoleError.County
		ok     bool
	}{
		{"county with a post", county, post, "", false},
		{"post with a county", post, county, "", false},
		{"county with a county", county, county2, "", false},
		{"station with its county", stn, county, "", true},
		{"station with a second county", stn, county2, "县局", false},
		{"station with its county again", stn, county, "", true},
		{"county with a station", county, stn, "", true},
	} {
		_, err := c.a.Pair(ctx, codeOf(t, c.b))
		if c.ok {
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			continue
		}
		var pe *PairRoleError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: want a PairRoleError, got %v", c.name, err)
		}
		// codeOf names a device by its ID's first letters.
		if c.county != "" && pe.County != county.Self()[:7] {
			t.Fatalf("%s: county named %q", c.name, pe.County)
		}
	}
}

// A station may speak for its own posts only: records of a post another
// station brought up, or of the county, are refused and logged.
func TestCountyRefusesAnotherStationsPost(t *testing.T) {
	ctx := context.Background()
	tr := newTree(t)
	v := &store.Village{Name: "东关村"}
	if err := tr.p1.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	tr.up(t, tr.p1, tr.s1)
	// s2 signs a change to p1's village in its up-stream.
	st, err := tr.s2.Book().StreamState(ctx, UpFolder(tr.s2.Self()))
	if err != nil {
		t.Fatal(err)
	}
	h := store.HLC{Wall: 1_900_000_000_000, Device: tr.s2.Self()}
	evil := []store.Change{{Table: "villages", Record: v.ID, Field: "name", Value: `"改名村"`, HLC: h.String()}}
	hd := changeset.Header{Origin: tr.s2.Self(), Stream: UpFolder(tr.s2.Self()), Seq: st.Seq + 1, Prev: st.Digest}
	sealed, err := changeset.Seal(hd, evil, tr.s2.Identity().Sign, recipients(t, tr.s2, tr.county))
	if err != nil {
		t.Fatal(err)
	}
	r, err := tr.county.Import(ctx, "test", sealed.Name, sealed.Data, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != Applied || r.Refused != 1 || r.Changes != 0 {
		t.Fatalf("another station's post: %+v", r)
	}
	var got store.Village
	if err := tr.county.Store().Get(ctx, &got, v.ID); err != nil || got.Name != "东关村" {
		t.Fatalf("village at the county: %+v %v", got, err)
	}
	// And a station's file in a stream it may not write (a post's) is
	// refused whole.
	hd = changeset.Header{Origin: tr.s2.Self(), Stream: PostFolder(tr.p2.Self()), Seq: 1}
	sealed, err = changeset.Seal(hd, nil, tr.s2.Identity().Sign, recipients(t, tr.s2, tr.county))
	if err != nil {
		t.Fatal(err)
	}
	if r, err = tr.county.Import(ctx, "test", sealed.Name, sealed.Data, true); err != nil || r.Outcome != Rejected {
		t.Fatalf("station's post stream at the county: %+v %v", r, err)
	}
}

// A station restored from a backup made before it relayed (same PC, same
// folders) looks through its own relay and up folders before cutting: its
// changesets there are taken back into their streams, none refused, and
// the next cut continues after them.
func TestStationRestoredTakesBackItsRelayStreams(t *testing.T) {
	ctx := context.Background()
	tr := newTree(t)
	saved, err := backup.Write(ctx, tr.s1.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.county.Store().Save(ctx, &store.Notice{Title: "全县通知"}); err != nil {
		t.Fatal(err)
	}
	v := &store.Village{Name: "东关村"}
	if err := tr.p1.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	tr.down(t, tr.s1, tr.p1)
	tr.up(t, tr.p1, tr.s1)
	heads := map[string]uint64{}
	for _, f := range []string{RelayFolder(tr.s1.Self()), UpFolder(tr.s1.Self())} {
		st, err := tr.s1.Book().StreamState(ctx, f)
		if err != nil || st.Seq == 0 {
			t.Fatalf("%s before the restore: %+v %v", f, st, err)
		}
		heads[f] = st.Seq
	}
	again := restoreFrom(t, tr.s1, saved, false)
	if _, err := again.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	if rej, _ := again.Book().Rejects(ctx, 10); len(rej) != 0 {
		t.Fatalf("the station refused its own streams: %+v", rej)
	}
	for f, seq := range heads {
		st, err := again.Book().StreamState(ctx, f)
		if err != nil || st.Seq < seq {
			t.Fatalf("%s after the restore stands at %d, was %d (%v)", f, st.Seq, seq, err)
		}
	}
}
