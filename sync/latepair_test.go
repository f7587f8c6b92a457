package sync

import (
	"context"
	"testing"

	"cunjing/store"
)

// TestWorkBeforePairing: a post set up and used for weeks before it is
// paired with its station (and a station that published before its first
// post paired) must deliver everything once paired: what was cut while
// nobody could read it may not stall the chain for ever.
func TestWorkBeforePairing(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	if err := post.Store().Save(ctx, &store.Village{Name: "先录的村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	if err := station.Store().Save(ctx, &store.Notice{Title: "先发的通知"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	pair(t, post, station)
	if err := post.Store().Save(ctx, &store.Village{Name: "后录的村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	if err := station.Store().Save(ctx, &store.Notice{Title: "后发的通知"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	r1 := move(t, post, station, PostFolder(post.Self()))
	r2 := move(t, station, post, StationFolder(station.Self()))
	r3 := move(t, station, post, PostFolder(post.Self()))
	t.Logf("to station %+v; broadcast %+v; post folder %+v", r1.Outcomes, r2.Outcomes, r3.Outcomes)
	if a, b := dump(t, station, post.Self()), dump(t, post, post.Self()); a != b {
		t.Errorf("the station lacks what the post did before pairing:\n%s\n---\n%s", a, b)
	}
	if a, b := dump(t, post, station.Self()), dump(t, station, station.Self()); a != b {
		t.Errorf("the post lacks what the station published before pairing:\n%s\n---\n%s", a, b)
	}
	// And what comes later arrives too.
	if err := station.Store().Save(ctx, &store.Notice{Title: "再后来的通知"}); err != nil {
		t.Fatal(err)
	}
	if err := post.Store().Save(ctx, &store.Village{Name: "再后来的村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	mustCut(t, post)
	r1 = move(t, post, station, PostFolder(post.Self()))
	r2 = move(t, station, post, StationFolder(station.Self()))
	r3 = move(t, station, post, PostFolder(post.Self()))
	t.Logf("later: to station %+v; broadcast %+v; post folder %+v", r1.Outcomes, r2.Outcomes, r3.Outcomes)
	if a, b := dump(t, station, ""), dump(t, post, ""); a != b {
		t.Errorf("post and station apart after later edits:\n%s\n---\n%s", a, b)
	}
}
