package sync

import (
	"context"
	"errors"
	"testing"
	"time"

	"cunjing/sync/identity"
)

// TestShortPairingSecret: the showing side keeps one code until it is
// used, expires or is guessed at MaxShortTries times; a wrong proof pairs
// nothing; the right one pairs both ways and uses the code up.
func TestShortPairingSecret(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := newDeviceAt(t, "station", "城关派出所", clock)
	post := newDeviceAt(t, "post", "东关村警务室", clock)
	sc, exp, err := st.ShortCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(ShortCodeTTL)) {
		t.Fatalf("expires %v, want %v", exp, now.Add(ShortCodeTTL))
	}
	if again, _, err := st.ShortCode(ctx); err != nil || again != sc {
		t.Fatalf("a second ShortCode changed the code: %v %v", again, err)
	}
	wrong := identity.ShortCode{DeviceID: sc.DeviceID, Secret: "AAAAAAAA"}
	if wrong.Secret == sc.Secret {
		wrong.Secret = "BBBBBBBB"
	}
	for i := 1; i <= identity.MaxShortTries; i++ {
		offer, err := post.ShortOffer(ctx, wrong.Secret, st.id.DeviceID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.AcceptShortIssued(ctx, offer, post.id.DeviceID); !errors.Is(err, ErrShortSecret) && i < identity.MaxShortTries {
			t.Fatalf("try %d with a wrong secret: %v, want ErrShortSecret", i, err)
		}
		if _, err := st.st.SyncBook().Peer(ctx, post.Self()); err == nil {
			t.Fatalf("try %d with a wrong secret paired", i)
		}
	}
	if shown, err := st.ShortShown(ctx); err != nil || shown {
		t.Fatalf("after %d wrong tries the code is still shown (%v)", identity.MaxShortTries, err)
	}
	// A new code, then the right proof: both sides pair.
	sc, _, err = st.ShortCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pend, err := post.PairShort(ctx, sc, []string{"192.0.2.7:22000"})
	if err != nil {
		t.Fatal(err)
	}
	offer, err := post.ShortOffer(ctx, sc.Secret, st.id.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	p, secret, err := st.AcceptShortIssued(ctx, offer, post.id.DeviceID)
	if err != nil || p.Name != "东关村警务室" || secret != sc.Secret {
		t.Fatalf("right secret: %+v %v", p, err)
	}
	answer, err := st.ShortOffer(ctx, secret, post.id.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := post.AcceptShortPending(ctx, answer, pend, st.id.DeviceID)
	if err != nil || back.Name != "城关派出所" || len(back.Addresses) != 1 {
		t.Fatalf("post side: %+v %v", back, err)
	}
	if left, err := post.PendingShort(ctx); err != nil || len(left) != 0 {
		t.Fatalf("pending after pairing: %v %v", left, err)
	}
	if shown, err := st.ShortShown(ctx); err != nil || shown {
		t.Fatalf("the used code is still shown (%v)", err)
	}
	// A pending code expires after ShortCodeTTL.
	if _, err := post.PairShort(ctx, sc, nil); err != nil {
		t.Fatal(err)
	}
	now = now.Add(ShortCodeTTL + time.Minute)
	if left, err := post.PendingShort(ctx); err != nil || len(left) != 0 {
		t.Fatalf("pending after expiry: %v %v", left, err)
	}
}
