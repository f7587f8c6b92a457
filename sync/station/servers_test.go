package station

import (
	"context"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/sync/bep/servers"
)

// TestPublishServers: a station publishes its county's discovery server
// and relay; after the next sync its post uses them beside its own, a
// post cannot publish, a bad URL publishes nothing, and withdrawing the
// list reaches the post too.
func TestPublishServers(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	post := device(t, store.RolePost, "东关")
	pairBoth(t, post, st, "东关")
	const id = "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2"
	county := servers.List{Discovery: []string{"https://10.1.0.2:8443/?id=" + id}, Relays: []string{"relay://10.1.0.2:22067/?id=" + id}}
	own := servers.List{Relays: []string{"relay://192.168.1.9:22067/?id=" + id}}
	if _, err := servers.Save(ctx, post.Store().SyncBook(), own); err != nil {
		t.Fatal(err)
	}

	if _, err := PublishServers(ctx, post, county); err == nil {
		t.Fatal("a post published servers")
	}
	if _, err := PublishServers(ctx, st, servers.List{Relays: []string{"https://10.1.0.2:22067/"}}); err == nil || !strings.Contains(err.Error(), "relay://") {
		t.Fatalf("a bad relay URL: %v", err)
	}
	if _, err := PublishServers(ctx, st, county); err != nil {
		t.Fatal(err)
	}
	stationTo(t, st, post)
	got, bad, err := servers.Of(ctx, post.Store())
	if err != nil || len(bad) != 0 {
		t.Fatalf("servers at the post: %v, bad %v", err, bad)
	}
	want := servers.List{Discovery: county.Discovery, Relays: append(append([]string{}, own.Relays...), county.Relays...)}
	if !slices.Equal(got.Discovery, want.Discovery) || !slices.Equal(got.Relays, want.Relays) {
		t.Fatalf("the post uses %+v, want its own relay first, then the station's servers %+v", got, want)
	}
	// The station's own use is its local list; what it publishes is
	// not published to itself.
	if sgot, _, err := servers.Of(ctx, st.Store()); err != nil || len(sgot.Discovery)+len(sgot.Relays) != 0 {
		t.Fatalf("the station's own servers: %+v %v", sgot, err)
	}

	// Withdrawn: the post is back to its own.
	if _, err := PublishServers(ctx, st, servers.List{}); err != nil {
		t.Fatal(err)
	}
	stationTo(t, st, post)
	got, _, err = servers.Of(ctx, post.Store())
	if err != nil || len(got.Discovery) != 0 || !slices.Equal(got.Relays, own.Relays) {
		t.Fatalf("after withdrawing, the post uses %+v (%v)", got, err)
	}
}
