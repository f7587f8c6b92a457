package sync_test

import (
	"context"
	"testing"
	"time"

	"cunjing/sync/exchange"
)

// Receipts and healing (issues #13 and #14): a station restored from a
// backup older than what its post's receipts and changesets say it has.
// The post keeps believing the station's last receipt until the restored
// station's first receipt arrives; from then on it must neither call
// anything acknowledged that the station lost nor leave it off the stick.
func TestReceiptsAfterStationRestore(t *testing.T) {
	t.Run("SameClock", func(t *testing.T) { receiptsAfterRestore(t, 0) })
	// The replacement PC's clock is three days behind: the restored
	// station's receipts are numbered below the ones the post holds.
	t.Run("ClockBehind", func(t *testing.T) { receiptsAfterRestore(t, -3*24*time.Hour) })
}

func acknowledged(t *testing.T, n *node) bool {
	t.Helper()
	st, err := n.e.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Acknowledged
}

func receiptsAfterRestore(t *testing.T, skew time.Duration) {
	ctx, post, station, stick := pairedWithAStick(t)
	households(t, ctx, post, 3, "甲")
	settleUSB(t, ctx, post, station, stick, 4)
	backup := station.backup(t)

	lost := households(t, ctx, post, 4, "乙")
	for i := 0; i < 3 && !(acknowledged(t, post) && acknowledged(t, station)); i++ {
		syncUSB(t, ctx, post, station, stick)
	}
	if !acknowledged(t, post) {
		t.Fatal("the station's receipt for the post's households never came back")
	}

	held := func() uint64 {
		r, _, err := post.e.Book().ReceiptIn(ctx, station.e.Self())
		if err != nil {
			t.Fatal(err)
		}
		return r.Number
	}
	before := held()

	// The station's PC dies; a new one is set up from the older backup,
	// and a new stick goes round.
	station.skew.Store(int64(skew))
	station.restore(t, backup, true)
	stick = fieldDir(t)
	trips := 0
	for held() == before {
		if trips++; trips > 2 {
			rej, _ := post.e.Book().Rejects(ctx, 5)
			t.Fatalf("the post never took a receipt of the restored station (post's rejections: %+v)", rej)
		}
		for _, n := range []*node{post, station, post} {
			if _, err := exchange.Once(ctx, n.e, stick); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The post has the restored station's receipt now: the households the
	// station lost are not acknowledged, and they are on the stick.
	if acknowledged(t, post) {
		t.Fatalf("the post calls everything acknowledged while the restored station lacks %d households", len(lost))
	}
	rounds := settleUSB(t, ctx, post, station, stick, 4)
	hasAll(t, ctx, station, lost)
	for i := 0; i < 2 && !(acknowledged(t, post) && acknowledged(t, station)); i++ {
		syncUSB(t, ctx, post, station, stick)
	}
	if !acknowledged(t, post) || !acknowledged(t, station) {
		t.Fatalf("not acknowledged after settling: post %v, station %v", acknowledged(t, post), acknowledged(t, station))
	}
	t.Logf("the restored station (clock %v): its receipt taken after %d trip(s), the %d lost households back after %d more", skew, trips, len(lost), rounds)
}

// The post's PC dies and a new one, its clock three days behind, is set up
// from an older backup: the station holds the post's receipts saying how
// far the post held its own chain, numbered above what the restored post
// numbers from. The station must still write back to the stick what of
// its chain the post lost.
func TestReceiptsAfterPostRestoreClockBehind(t *testing.T) {
	ctx, post, station, stick := pairedWithAStick(t)
	households(t, ctx, post, 3, "甲")
	settleUSB(t, ctx, post, station, stick, 4)
	backup := post.backup(t)
	lost := households(t, ctx, post, 4, "乙")
	for i := 0; i < 3 && !(acknowledged(t, post) && acknowledged(t, station)); i++ {
		syncUSB(t, ctx, post, station, stick)
	}
	post.skew.Store(int64(-3 * 24 * time.Hour))
	post.restore(t, backup, true)
	stick = fieldDir(t)
	rounds := settleUSB(t, ctx, post, station, stick, 4)
	hasAll(t, ctx, post, lost)
	t.Logf("the restored post has its %d lost households back after %d trip(s)", len(lost), rounds)
}
