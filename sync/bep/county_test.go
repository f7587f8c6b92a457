package bep

import (
	"context"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
)

// pairUp pairs below with above (a post with its station, a station with
// its county); below knows above's address (none when addr is ""). It
// returns above as below knows it.
func pairUp(t testing.TB, below, above *cjsync.Engine, addr string) syncbook.Peer {
	t.Helper()
	ctx := context.Background()
	var addrs []string
	if addr != "" {
		addrs = []string{addr}
	}
	ac, err := above.Identity().Code(above.Self()[:5], above.Store().Role(), addrs)
	if err != nil {
		t.Fatal(err)
	}
	p, err := below.Pair(ctx, ac)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := below.Identity().Code(below.Self()[:5], below.Store().Role(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := above.Pair(ctx, bc); err != nil {
		t.Fatal(err)
	}
	return p
}

// Three tiers over real BEP sessions: a post's village reaches the
// county through its station, and the county's notice reaches the post;
// receipts come back down each hop.
func TestCountyOverBEP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	county := device(t, store.RoleCounty, "县局")
	station := device(t, store.RoleStation, "派出所")
	post := device(t, store.RolePost, "警务室")
	toCounty := pairUp(t, station, county, listen(t, ctx, county, Config{}))
	toStation := pairUp(t, post, station, listen(t, ctx, station, Config{}))

	v := &store.Village{Name: "南岗村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	n := &store.Notice{Title: "全县冬防通知"}
	if err := county.Store().Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	hop := func(from *cjsync.Engine, to syncbook.Peer) {
		t.Helper()
		if _, err := from.Cut(ctx); err != nil {
			t.Fatal(err)
		}
		if r, err := NewNode(from, Config{}).SyncOnce(ctx, to); err != nil || !r.Complete {
			t.Fatalf("%s → %s: %+v %v", from.Store().Role(), to.Role, r, err)
		}
	}
	if _, err := county.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	hop(post, toStation)
	hop(station, toCounty)
	if _, err := station.Cut(ctx); err != nil { // the county's notice, relayed
		t.Fatal(err)
	}
	hop(post, toStation)
	if a, b := dump(t, county, post.Self()), dump(t, post, post.Self()); a != b || !strings.Contains(a, "南岗村") {
		t.Fatalf("the county's copy of the post:\n%s\nvs\n%s", a, b)
	}
	var got store.Notice
	if err := post.Store().Get(ctx, &got, n.ID); err != nil || got.Title != n.Title || got.Owner != county.Self() {
		t.Fatalf("county's notice at the post: %+v %v", got, err)
	}
	// One more round carries the last receipts: every hop is acknowledged.
	hop(station, toCounty)
	hop(post, toStation)
	for _, e := range []*cjsync.Engine{post, station} {
		st, err := e.Status(ctx)
		if err != nil || !st.Acknowledged {
			t.Fatalf("%s: acknowledged %v, waiting %+v, %v", e.Store().Role(), st.Acknowledged, st.Waiting, err)
		}
	}
	st, err := station.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range st.Peers {
		if p.Role == store.RoleCounty && !strings.HasPrefix(p.Received, "县公安局已收到 ") {
			t.Fatalf("station's words for its county: %q", p.Received)
		}
	}
}
