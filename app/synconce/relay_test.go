package synconce

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/sync/bep"
	"cunjing/sync/bep/servers"
	"cunjing/sync/bep/stocksrv"
	"cunjing/sync/synctest"
)

// TestRunShortPairingThroughRelay: a post has only the station's short
// code and the county's discovery server; the station listens nowhere
// (behind a carrier's NAT) and is joined to a stock relay. Sync once
// finds it through discovery, pairs over the relayed first connection,
// exchanges what the post did before it was paired in that same first
// session, and says it went through the relay.
func TestRunShortPairingThroughRelay(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ip := stocksrv.HostIP(t)
	disco := stocksrv.Discovery(t, ip)
	relay := stocksrv.Relay(t, stocksrv.FreeAddr(t, ip), t.TempDir())
	pe := synctest.Device(t, store.RolePost, "东河警务室")
	se := synctest.Device(t, store.RoleStation, "城关派出所")
	post, stn := pe.Store(), se.Store()
	if _, err := servers.Save(ctx, stn.SyncBook(), servers.List{Discovery: []string{disco.URL}, Relays: []string{relay.URL}}); err != nil {
		t.Fatal(err)
	}
	if _, err := servers.Save(ctx, post.SyncBook(), servers.List{Discovery: []string{disco.URL}}); err != nil {
		t.Fatal(err)
	}
	srv, err := servers.Local(ctx, stn.SyncBook())
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- bep.NewNode(se, bep.Config{Servers: srv}).Run(sctx, nil, time.Hour, nil) }()
	defer func() { stop(); <-done }()

	sc, _, err := se.ShortCodes().Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pe.ShortCodes().Typed(ctx, sc, nil); err != nil {
		t.Fatal(err)
	}
	if err := post.Save(ctx, &store.Village{Name: "东河村"}); err != nil {
		t.Fatal(err)
	}
	// The station announces 5 s after it starts: try until then.
	var rep Report
	for ctx.Err() == nil {
		if rep, err = Run(ctx, pe, 20*time.Second); err != nil {
			t.Fatal(err)
		}
		if len(rep.Sessions) == 1 && rep.Sessions[0].Done() {
			break
		}
		time.Sleep(time.Second)
	}
	if len(rep.Sessions) != 1 || !rep.Sessions[0].Done() {
		t.Fatalf("sessions: %+v", rep.Sessions)
	}
	r := rep.Sessions[0].Result
	if r.Path != bep.PathRelay || rep.Sessions[0].Peer.Name != "城关派出所" {
		t.Fatalf("session with %q went %q via %q, want the relay", rep.Sessions[0].Peer.Name, r.Path, r.Address)
	}
	if _, err := stn.SyncBook().Peer(ctx, pe.Self()); err != nil {
		t.Fatalf("the station did not pair the post: %v", err)
	}
	n, err := stn.Counts(ctx, pe.Self())
	if err != nil || n.Villages != 1 {
		t.Fatalf("the station holds %+v of the post's records (%v), want its village", n, err)
	}
}

// TestRunRelayDown: a post whose only way to its station is the county's
// relay, and the relay is down: sync once ends at once, and its session
// says in words that the relay cannot be reached (it said the station
// "is not there").
func TestRunRelayDown(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pe := synctest.Device(t, store.RolePost, "东河警务室")
	se := synctest.Device(t, store.RoleStation, "城关派出所")
	var self store.Post
	if err := se.Store().Get(ctx, &self, se.Self()); err != nil {
		t.Fatal(err)
	}
	code, err := se.Identity().Code(self.Name, store.RoleStation, nil) // no address
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pe.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	down := "relay://" + stocksrv.FreeAddr(t, "127.0.0.1") // nobody listens there
	if _, err := servers.Save(ctx, pe.Store().SyncBook(), servers.List{Relays: []string{down}}); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, pe, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sessions) != 1 {
		t.Fatalf("sessions: %+v", rep.Sessions)
	}
	s := rep.Sessions[0]
	if s.Done() || !errors.Is(s.Err, bep.ErrRelayDown) || errors.Is(s.Err, context.DeadlineExceeded) || !strings.Contains(s.Result.Error, "连不上中继服务器") {
		t.Fatalf("session through a relay that is down: %v (result %q), want at once that the relay cannot be reached", s.Err, s.Result.Error)
	}
}
