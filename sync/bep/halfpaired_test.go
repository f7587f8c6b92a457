package bep

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/bep/pairlimit"
)

// TestShortPairingCutAfterTheStationPaired: a first connection after a
// short code is cut (a relay restarted, the village link dropped) after
// the station took the post's offer and paired it, before the post had
// the station's answer. The post still waits to pair and dials with a
// code the station no longer holds; the station took the post for paired
// and sent a Hello: "the other device sent no pairing", for good, a new
// code too. Now the station says in words that it holds no code, and a
// new code pairs the two and syncs.
func TestShortPairingCutAfterTheStationPaired(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := []string{ln.Addr().String()}
	sc, _, err := station.ShortCodes().Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pend, err := post.ShortCodes().Typed(ctx, sc, addr)
	if err != nil {
		t.Fatal(err)
	}
	// The station takes the post's offer and pairs it; its answer is lost.
	sdev, err := protocol.DeviceIDFromString(station.Self())
	if err != nil {
		t.Fatal(err)
	}
	pdev, err := protocol.DeviceIDFromString(post.Self())
	if err != nil {
		t.Fatal(err)
	}
	offer, err := post.ShortCodes().Offer(ctx, pend.Secret, sdev)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := station.ShortCodes().AcceptIssued(ctx, offer, pdev); err != nil {
		t.Fatal(err)
	}
	runStation(t, ctx, station, Config{}, ln)
	p := syncbook.Peer{DeviceID: station.Self(), Name: "S", Addresses: addr}
	pn := NewNode(post, Config{})
	// With the old code: refused, saying why.
	if r, err := pn.SyncOnce(ctx, p); err == nil || r.Complete || !strings.Contains(err.Error(), refusedNoCode) {
		t.Fatalf("sync with a code the station no longer holds: %v, want it refused with %q", err, refusedNoCode)
	}
	// A new code shown and typed: paired and synced.
	if sc, _, err = station.ShortCodes().Code(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := post.ShortCodes().Typed(ctx, sc, addr); err != nil {
		t.Fatal(err)
	}
	if r, err := pn.SyncOnce(ctx, p); err != nil || !r.Complete {
		t.Fatalf("sync with a new code: %+v %v", r, err)
	}
	if _, err := post.Book().Peer(ctx, station.Self()); err != nil {
		t.Fatalf("the post did not pair the station: %v", err)
	}
	// And afterwards as any paired peer.
	saveVillage(t, ctx, post, "南岗村")
	if r, err := pn.SyncOnce(ctx, p); err != nil || !r.Complete {
		t.Fatalf("sync after pairing: %+v %v", r, err)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("the post's village did not reach the station")
	}
}

// A short code typed wrong (a letter misread over the phone) is refused
// by the device showing it, which drops its code after 5 wrong proofs;
// nothing bounded the tries here, so clicking 立即同步 again and again spent
// the other side's code, and the right code, typed next, was refused too
// (对方没有可用的短配对码): its officer had to make and read out a new one.
// Now a device tries at most pairlimit.PerWindow times in
// pairlimit.Window (one at a time), then says when it may again without
// trying: the right code typed after pairs with the code still shown.
func TestShortPairingTriesBounded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := []string{ln.Addr().String()}
	runStation(t, ctx, station, Config{}, ln)
	sc, _, err := station.ShortCodes().Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wrong := sc
	wrong.Secret = strings.Map(func(r rune) rune { // (another letter of base32)
		if r == 'A' {
			return 'B'
		}
		return 'A'
	}, sc.Secret)
	if _, err := post.ShortCodes().Typed(ctx, wrong, addr); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	pn := NewNode(post, Config{pairLimit: pairlimit.New(pairlimit.PerWindow, pairlimit.Window, pairlimit.Concurrent,
		func() time.Time { return now })})
	p := syncbook.Peer{DeviceID: station.Self(), Name: "S", Addresses: addr}
	for i := range 6 {
		_, err := pn.SyncOnce(ctx, p)
		var refused *PairRefusedError
		var limited *pairlimit.Error
		switch {
		case i < pairlimit.PerWindow && !errors.As(err, &refused):
			t.Errorf("try %d with a wrong code: %v, want refused by the station", i+1, err)
		case i >= pairlimit.PerWindow && (!errors.As(err, &limited) || limited.Busy || limited.Wait != pairlimit.Window):
			t.Errorf("try %d with a wrong code: %v, want not tried, the next in %v", i+1, err, pairlimit.Window)
		}
	}
	if _, err := post.ShortCodes().Typed(ctx, sc, addr); err != nil {
		t.Fatal(err)
	}
	now = now.Add(pairlimit.Window)
	if r, err := pn.SyncOnce(ctx, p); err != nil || !r.Complete {
		t.Fatalf("the right code typed after: %+v %v", r, err)
	}
}
