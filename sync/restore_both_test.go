package sync_test

import (
	"context"
	"testing"
	"time"

	"cunjing/store"
)

// Both PCs restored from the same week's backups: the post on a new PC
// (its sync folder gone), the station on its own PC (its folder kept).
// The post's work since the backup (a village and three households) is
// in the station's folder only. The restored station takes the post's new
// changeset as that number first, then finds in its folder the old one of
// the same number: refused its place, its changes merged at the station.
// Both then said complete and acknowledged, but the post never got its
// own lost records back: the stick's write-back skipped the old
// changeset, its number being one the post's receipt says it holds. The
// post must get them back.
func TestBothRestoredPostGetsItsWorkBack(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newWorld(t)
	post := newNode(t, w, store.RolePost, "东关村警务室")
	station := newNode(t, w, store.RoleStation, "城关派出所")
	pairListening(t, ctx, post, station)
	stick := fieldDir(t)
	before := households(t, ctx, post, 3, "甲")
	settleUSB(t, ctx, post, station, stick, 4)
	postBackup, stationBackup := post.backup(t), station.backup(t)
	lost := households(t, ctx, post, 3, "乙")
	settleUSB(t, ctx, post, station, stick, 4)

	post.restore(t, postBackup, true)
	station.restore(t, stationBackup, false)
	stick = fieldDir(t)
	after := households(t, ctx, post, 2, "丙")
	n := settleUSB(t, ctx, post, station, stick, 6)
	hasAll(t, ctx, post, append(append(before, lost...), after...))
	hasAll(t, ctx, station, append(append(before, lost...), after...))
	t.Logf("settled in %d trips of the stick", n)
}
