package sync_test

import (
	"context"
	"fmt"
	"os"
	"strings"
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
	ctx, post, station, stick := pairedWithAStick(t)
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

// After a restore the refusal of the post's forked changeset was said on
// both sides and its work merged at both, yet the station wrote the fork
// onto every later stick that carried the post's chain, and both said 有
// 1 个文件或修改被拒收 for good. Once the post has had the fork back (its
// receipt came after the stick that carried it) the station writes it no
// more, and neither side counts the refusal as open: it is settled, said
// in Chinese, and still in the rejection log.
func TestRefusedForkSettles(t *testing.T) {
	for _, tc := range []struct {
		name        string
		bothRestore bool
		bep         bool // over BEP, the station listening, instead of sticks
	}{
		{"PostOnANewPC", false, false},
		{"BothRestored", true, false},
		{"PostOnANewPCOverBEP", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, post, station, stick := pairedWithAStick(t)
			all := households(t, ctx, post, 3, "甲")
			settleUSB(t, ctx, post, station, stick, 4)
			postBackup, stationBackup := post.backup(t), station.backup(t)
			all = append(all, households(t, ctx, post, 3, "乙")...)
			settleUSB(t, ctx, post, station, stick, 4)
			post.restore(t, postBackup, true)
			if tc.bothRestore {
				station.restore(t, stationBackup, false)
			}
			all = append(all, households(t, ctx, post, 2, "丙")...)
			if tc.bep {
				settleBEP(t, ctx, post, station, 6)
			} else {
				settleUSB(t, ctx, post, station, fieldDir(t), 6)
			}
			refused := map[string]bool{}
			rej, err := station.e.Book().Rejects(ctx, 100)
			if err != nil || len(rej) == 0 {
				t.Fatalf("the station refused nothing: %v", err)
			}
			for _, r := range rej {
				refused[r.File] = true
			}
			// A day's work a day, each on a fresh stick, as in the field.
			for d := 1; d <= 3; d++ {
				all = append(all, households(t, ctx, post, 1, fmt.Sprintf("丁%d", d))...)
				day := fieldDir(t)
				if tc.bep {
					cut(t, ctx, station)
					syncBEP(t, ctx, post)
				} else {
					syncUSB(t, ctx, post, station, day)
				}
				if d < 2 {
					continue
				}
				ents, err := os.ReadDir(day)
				if err != nil {
					t.Fatal(err)
				}
				for _, en := range ents {
					if refused[en.Name()] {
						t.Errorf("day %d: the station still writes the refused %s onto the stick", d, en.Name())
					}
				}
				for _, n := range []*node{post, station} {
					s, err := n.e.Status(ctx)
					if err != nil {
						t.Fatal(err)
					}
					logged, err := n.e.Book().Rejects(ctx, 10)
					if err != nil {
						t.Fatal(err)
					}
					if s.Rejected != 0 || strings.Contains(s.Text, "被拒收") || s.Settled != len(logged) ||
						(len(logged) > 0 && !strings.Contains(s.SettledWords, "已处理完")) {
						t.Errorf("day %d, %s: rejected %d, settled %d of %d %q; text %q", d, n.e.Self()[:7], s.Rejected, s.Settled, len(logged), s.SettledWords, s.Text)
					}
				}
			}
			if why := apart(t, post, station); why != "" {
				t.Fatal(why)
			}
			hasAll(t, ctx, post, all)
			hasAll(t, ctx, station, all)
		})
	}
}

// A post that lost its pairing with the station (restored onto a new PC
// from a backup made before it) refuses the station's files as from an
// unknown sender; paired again, it takes the same changesets and newer
// receipts, and the two hold the same data — but it said 有 3 个文件或修改
// 被拒收 for good. Refusals whose file was taken since (a changeset
// applied under that very name, a receipt of the device superseded by a
// newer one taken in) are settled.
func TestRefusedWhileUnpairedSettlesOncePaired(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newWorld(t)
	post := newNode(t, w, store.RolePost, "东关村警务室")
	station := newNode(t, w, store.RoleStation, "城关派出所")
	pc, err := post.e.Identity().Code("东关村警务室", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := station.e.Pair(ctx, pc); err != nil {
		t.Fatal(err)
	}
	if err := station.e.Store().Save(ctx, &store.Notice{Title: "防汛通知"}); err != nil {
		t.Fatal(err)
	}
	stick := fieldDir(t)
	syncUSB(t, ctx, post, station, stick)
	syncUSB(t, ctx, post, station, stick)
	s, err := post.e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rejected == 0 || len(s.Lost) != 1 {
		t.Fatalf("the station's files not refused, or the lost pairing not said: rejected %d, lost %+v", s.Rejected, s.Lost)
	}
	sc, err := station.e.Identity().Code("城关派出所", store.RoleStation, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.e.Pair(ctx, sc); err != nil {
		t.Fatal(err)
	}
	settleUSB(t, ctx, post, station, stick, 4)
	syncUSB(t, ctx, post, station, stick) // a receipt of the station newer than the refused one
	if s, err = post.e.Status(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Rejected != 0 || s.Settled == 0 || strings.Contains(s.Text, "被拒收") || !s.Acknowledged {
		t.Fatalf("paired again and in step: rejected %d (%q), settled %d, acknowledged %v; text %q", s.Rejected, s.LastRejected, s.Settled, s.Acknowledged, s.Text)
	}
}
