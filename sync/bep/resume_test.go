package bep

import (
	"context"
	"crypto/tls"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
)

// A post that dials its station again resumes the TLS session: no
// certificates and signatures again, ~1 KB less (issue #22). The peer is
// still checked: revoked, it is refused on a resumed handshake too. A
// ticket from one station means nothing to another.
func TestSessionResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	var resumed atomic.Int64
	cfg := Config{onHandshake: func(_ bool, cs tls.ConnectionState) {
		if cs.DidResume {
			resumed.Add(1)
		}
	}}
	addr := listen(t, ctx, station, cfg)
	peer := pairAt(t, post, station, addr)
	node := NewNode(post, cfg)
	session := func() {
		t.Helper()
		if r, err := node.SyncOnce(ctx, peer); err != nil || !r.Complete {
			t.Fatalf("session: %+v %v", r, err)
		}
	}
	session()
	if n := resumed.Load(); n != 0 {
		t.Fatalf("%d handshakes resumed on a first session", n)
	}
	session()
	// Both ends see the resumed handshake (what it saves: the county
	// simulation, docs/BENCHMARKS.md).
	if n := resumed.Load(); n != 2 {
		t.Fatalf("%d ends resumed the second session, want 2", n)
	}
	session() // a ticket is used once; the resumed session gave a new one
	if n := resumed.Load(); n != 4 {
		t.Fatalf("%d ends resumed in three sessions, want 4", n)
	}

	// Another station at the same address knows no ticket of the first:
	// a full handshake, and a complete session.
	other := device(t, store.RoleStation, "S2")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	oaddr := ln.Addr().String()
	ctx2, cancel2 := context.WithCancel(ctx)
	go NewNode(station, cfg).Serve(ctx2, ln)
	peer2 := peer
	peer2.Addresses = []string{oaddr}
	if _, err := node.SyncOnce(ctx, peer2); err != nil { // the cache learns a ticket for oaddr
		t.Fatal(err)
	}
	cancel2()
	time.Sleep(50 * time.Millisecond)
	ln2, err := net.Listen("tcp", oaddr)
	if err != nil {
		t.Skipf("the address was taken meanwhile: %v", err)
	}
	go NewNode(other, cfg).Serve(ctx, ln2)
	po := pairAt(t, post, other, oaddr)
	n := resumed.Load()
	if r, err := node.SyncOnce(ctx, po); err != nil || !r.Complete {
		t.Fatalf("session with the other station: %+v %v", r, err)
	}
	if resumed.Load() != n {
		t.Fatal("another station resumed a session of the first")
	}

	// Revoked at the station: the post's resumed handshake is refused.
	if err := station.Book().RevokePeer(ctx, post.Self()); err != nil {
		t.Fatal(err)
	}
	n = resumed.Load()
	if r, err := node.SyncOnce(ctx, peer); err == nil && r.Complete {
		t.Fatalf("a revoked post completed a resumed session: %+v", r)
	}
	if resumed.Load() == n {
		t.Fatal("the revoked post's handshake did not resume: the test shows nothing")
	}
}
