package bep

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/discover"
	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/sync/bep/servers"
	"cunjing/sync/bep/stocksrv"
)

// TestRelayDownSaysSo: a post whose only way to its station is a relay
// that is down fails at once with an error that says the relay cannot be
// reached (it said the station "is not there", as when the relay is up
// and the station is not joined to it); and that case says so too.
func TestRelayDownSaysSo(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	down := stocksrv.FreeAddr(t, "127.0.0.1") // nobody listens there
	sctx, scancel := context.WithTimeout(ctx, 5*time.Second)
	r, err := NewNode(post, Config{Servers: servers.List{Relays: []string{"relay://" + down}}}).SyncOnce(sctx, peer)
	scancel()
	if !errors.Is(err, ErrRelayDown) || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(r.Error, "连不上中继服务器") || strings.Contains(err.Error(), "not there") {
		t.Fatalf("sync through a relay that is down: %v (result %q), want at once that the relay cannot be reached", err, r.Error)
	}
	// The relay up, the station not joined to it.
	relay := stocksrv.Relay(t, stocksrv.FreeAddr(t, "127.0.0.1"), t.TempDir())
	r, err = NewNode(post, Config{Servers: servers.List{Relays: []string{relay.URL}}}).SyncOnce(ctx, peer)
	if !errors.Is(err, ErrNotAtRelay) || errors.Is(err, ErrRelayDown) || !strings.Contains(r.Error, "对方不在中继服务器上") {
		t.Fatalf("sync through a relay the station is not joined to: %v (result %q)", err, r.Error)
	}
}

// answerFinder is a discovery server that answers every lookup with addrs.
type answerFinder struct{ addrs []string }

func (f answerFinder) Lookup(context.Context, protocol.DeviceID) ([]string, error) {
	return f.addrs, nil
}
func (answerFinder) Error() error                                     { return nil }
func (answerFinder) String() string                                   { return "answerFinder" }
func (answerFinder) Cache() map[protocol.DeviceID]discover.CacheEntry { return nil }
func (answerFinder) Serve(ctx context.Context) error                  { <-ctx.Done(); return nil }

// TestLookupBounded: a discovery server (or whoever answers at its
// address) that names a thousand addresses for the station kept a post's
// attempt dialling them one after another, up to 10 s each (a relay 20 s
// and more): a held link's attempt has no deadline of its own. A post now
// tries at most servers.MaxFoundDirect of its direct addresses and servers.MaxFoundRelays
// of its relays.
func TestLookupBounded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	var addrs []string
	for i := range 1000 {
		addrs = append(addrs, fmt.Sprintf("tcp://127.0.0.1:%d", 10000+i), fmt.Sprintf("relay://127.1.%d.%d:1", i/250, 1+i%250)) // port 1: refused at once
	}
	var dials atomic.Int64
	n := NewNode(post, Config{Servers: servers.List{Discovery: []string{"https://127.0.0.1:1/"}}, Dialer: func(context.Context, string) (net.Conn, error) {
		dials.Add(1)
		return nil, errors.New("no route")
	}})
	if _, err := n.servers(); err != nil {
		t.Fatal(err)
	}
	n.reach.finders = []finder{answerFinder{addrs}}
	dev, err := protocol.DeviceIDFromString(peer.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	direct, relays, err := n.lookup(ctx, dev, nil)
	if err != nil || len(direct) != servers.MaxFoundDirect || len(relays) != servers.MaxFoundRelays {
		t.Fatalf("lookup gave %d direct addresses and %d relays (%v), want %d and %d", len(direct), len(relays), err, servers.MaxFoundDirect, servers.MaxFoundRelays)
	}
	if _, err := n.SyncOnce(ctx, peer); err == nil {
		t.Fatal("synced with nobody there")
	}
	if got := dials.Load(); got != servers.MaxFoundDirect {
		t.Fatalf("dialled %d addresses the discovery server named, want %d", got, servers.MaxFoundDirect)
	}
}

// TestRelaySilentGivesUpWithContext: something at the relay's address
// takes the connection and never answers its TLS handshake (a relay
// PC gone half dead, a captive router). lib/relay/client heeds the
// context only while dialling, then waits its 20 s: a post's 立即同步
// given 2 s hung 20. Now the post gives up with its context.
func TestRelaySilentGivesUpWithContext(t *testing.T) {
	t.Parallel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held := make(chan net.Conn, 16) // taken, never answered
	defer func() {
		ln.Close()
		for len(held) > 0 {
			(<-held).Close()
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c
		}
	}()
	n := NewNode(post, Config{Servers: servers.List{Relays: []string{"relay://" + ln.Addr().String()}}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := n.SyncOnce(ctx, peer)
		done <- err
	}()
	wait, stop := context.WithTimeout(context.Background(), 8*time.Second) // the relay client's own limit is 20 s
	defer stop()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrRelayDown) {
			t.Fatalf("sync through a silent relay: %v, want the context's deadline (not \"relay down\")", err)
		}
	case <-wait.Done():
		t.Fatal("SyncOnce went on after its context ended")
	}
}

// TestLookupAnswerBounded: a discovery server (or whoever answers at its
// address) answers a lookup with an endless body. lib/discover read it
// whole: a post allocated as fast as the link carried it, for the 30 s of
// its request timeout. Now a lookup reads at most servers.MaxAnswer and
// fails at once saying so; a good answer is still read.
func TestLookupAnswerBounded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	peer := pairBlind(t, post, station)
	dev, err := protocol.DeviceIDFromString(peer.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int64
	chunk := []byte(`{"addresses":["` + strings.Repeat("x", 64<<10))
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("device") != dev.String() {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/small/" {
			fmt.Fprint(w, `{"addresses":["tcp://192.0.2.1:22000","relay://192.0.2.2:22067"]}`)
			return
		}
		for r.Context().Err() == nil {
			k, err := w.Write(chunk)
			sent.Add(int64(k))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()

	n := NewNode(post, Config{Servers: servers.List{Discovery: []string{srv.URL + "/?insecure"}}})
	_, _, err = n.lookup(ctx, dev, nil)
	if !errors.Is(err, servers.ErrAnswerTooLarge) {
		t.Fatalf("lookup answered without end: %v, want %v", err, servers.ErrAnswerTooLarge)
	}
	srv.CloseClientConnections()
	if got := sent.Load(); got > 64<<20 {
		t.Errorf("the server wrote %d MB before the post gave up", got>>20)
	}
	n = NewNode(post, Config{Servers: servers.List{Discovery: []string{srv.URL + "/small/?insecure"}}})
	direct, relays, err := n.lookup(ctx, dev, nil)
	if err != nil || len(direct) != 1 || direct[0] != "192.0.2.1:22000" || len(relays) != 1 || relays[0].Host != "192.0.2.2:22067" {
		t.Fatalf("lookup of a good answer: %v %v %v", direct, relays, err)
	}
}
