package station

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
	syncstation "cunjing/sync/station"
)

// What waits for a post is said calmly while it is normal (just
// published, the post not heard from since), plainly once the post was
// heard from and has not confirmed, and loudly only after the stale limit
// (3 days): right after every publish each post's page said 还有 12 个数据包
// 等着…收下 in orange.
func TestWaitSaidCalmlyUntilLate(t *testing.T) {
	now := clocktest.Today(t)
	at := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
	for _, c := range []struct {
		name          string
		pv            syncstation.PostView
		want, notWant string
		imp           widget.Importance
	}{
		{"just published", syncstation.PostView{Waiting: 12, WaitingSince: at(-time.Minute), LastContact: at(-time.Hour)},
			"它从那以后还没有同步过，下次同步时会收下", "等着", widget.LowImportance},
		{"heard from since", syncstation.PostView{Waiting: 12, WaitingSince: at(-2 * time.Hour), LastContact: at(-time.Hour)},
			"它同步过，但还没确认收下；超过 3 天没收下会标红", "等着", widget.MediumImportance},
		{"days passed", syncstation.PostView{Waiting: 12, WaitingLong: true, WaitingSince: at(-80 * time.Hour), LastContact: at(-90 * time.Hour)},
			"「东河警务室」超过 3 天没有收下本站", "等着", widget.DangerImportance},
		{"nothing waits", syncstation.PostView{LastContact: at(-time.Hour)},
			"「东河警务室」已收到 ", "数据包", widget.MediumImportance},
	} {
		c.pv.DeviceID, c.pv.Name = "POST-A", "东河警务室"
		a := cjsync.PeerAck{Peer: "POST-A", Role: store.RolePost, Changesets: c.pv.Waiting, Since: c.pv.WaitingSince, Through: at(-24 * time.Hour)}
		tw := township{acks: map[string]cjsync.PeerAck{"POST-A": a}, selfRole: store.RoleStation}
		got, imp := waitWords(c.pv, tw, now)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.notWant) || imp != c.imp {
			t.Errorf("%s: %q (importance %v), want %q without %q (importance %v)", c.name, got, imp, c.want, c.notWant, c.imp)
		}
	}
}
