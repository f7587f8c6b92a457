package shortpair_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/sync/identity"
	"cunjing/sync/shortpair"
	"cunjing/sync/synctest"
)

// TestShortPairingSecret: the showing side keeps one code until it is
// used, expires or is guessed at MaxShortTries times; a wrong proof pairs
// nothing; the right one pairs both ways and uses the code up.
func TestShortPairingSecret(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	stn := synctest.Device(t, "station", "城关派出所", store.Options{Now: clock})
	pe := synctest.Device(t, "post", "东关村警务室", store.Options{Now: clock})
	st, post := stn.ShortCodes(), pe.ShortCodes()
	stID, postID := stn.Identity().DeviceID, pe.Identity().DeviceID
	sc, exp, err := st.Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(shortpair.TTL)) {
		t.Fatalf("expires %v, want %v", exp, now.Add(shortpair.TTL))
	}
	if again, _, err := st.Code(ctx); err != nil || again != sc {
		t.Fatalf("a second Code changed the code: %v %v", again, err)
	}
	wrong := identity.ShortCode{DeviceID: sc.DeviceID, Secret: "AAAAAAAA"}
	if wrong.Secret == sc.Secret {
		wrong.Secret = "BBBBBBBB"
	}
	for i := 1; i <= identity.MaxShortTries; i++ {
		offer, err := post.Offer(ctx, wrong.Secret, stID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.AcceptIssued(ctx, offer, postID); !errors.Is(err, shortpair.ErrSecret) && i < identity.MaxShortTries {
			t.Fatalf("try %d with a wrong secret: %v, want shortpair.ErrSecret", i, err)
		}
		if _, err := stn.Book().Peer(ctx, pe.Self()); err == nil {
			t.Fatalf("try %d with a wrong secret paired", i)
		}
	}
	if shown, err := st.Shown(ctx); err != nil || shown {
		t.Fatalf("after %d wrong tries the code is still shown (%v)", identity.MaxShortTries, err)
	}
	// A new code, then the right proof: both sides pair.
	sc, _, err = st.Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pend, err := post.Typed(ctx, sc, []string{"192.0.2.7:22000"})
	if err != nil {
		t.Fatal(err)
	}
	offer, err := post.Offer(ctx, sc.Secret, stID)
	if err != nil {
		t.Fatal(err)
	}
	p, secret, err := st.AcceptIssued(ctx, offer, postID)
	if err != nil || p.Name != "东关村警务室" || secret != sc.Secret {
		t.Fatalf("right secret: %+v %v", p, err)
	}
	answer, err := st.Offer(ctx, secret, postID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := post.AcceptPending(ctx, answer, pend, stID)
	if err != nil || back.Name != "城关派出所" || len(back.Addresses) != 1 {
		t.Fatalf("post side: %+v %v", back, err)
	}
	if left, err := post.Pending(ctx); err != nil || len(left) != 0 {
		t.Fatalf("pending after pairing: %v %v", left, err)
	}
	if shown, err := st.Shown(ctx); err != nil || shown {
		t.Fatalf("the used code is still shown (%v)", err)
	}
	// A pending code expires after shortpair.TTL.
	if _, err := post.Typed(ctx, sc, nil); err != nil {
		t.Fatal(err)
	}
	now = now.Add(shortpair.TTL + time.Minute)
	if left, err := post.Pending(ctx); err != nil || len(left) != 0 {
		t.Fatalf("pending after expiry: %v %v", left, err)
	}
}
