package sync

import (
	"testing"
	"time"

	"cunjing/store"
)

func TestAckWords(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		self string
		a    PeerAck
		want string
	}{
		{store.RolePost, PeerAck{Name: "城关派出所", Role: store.RoleStation, Through: "2026-12-04T07:02:00Z"},
			"派出所已收到 12月4日 15:02 之前的全部修改"},
		{store.RolePost, PeerAck{Name: "城关派出所", Role: store.RoleStation, Changesets: 3, Since: "2026-12-03T01:00:00Z"},
			"还有 3 个数据包等着派出所收下（从 12月3日 起）"},
		{store.RolePost, PeerAck{Name: "城关派出所", Role: store.RoleStation, Through: "2026-12-02T07:02:00Z", Changesets: 2, Since: "2026-12-03T01:00:00Z"},
			"派出所已收到 12月2日 15:02 之前的修改；还有 2 个数据包等着派出所收下（从 12月3日 起）"},
		{store.RoleStation, PeerAck{Name: "东关村警务室", Role: store.RolePost, Through: "2026-12-04T07:02:00Z"},
			"「东关村警务室」已收到 12月4日 15:02 之前的全部修改"},
		{store.RoleStation, PeerAck{Name: "东关村警务室", Role: store.RolePost},
			"还没有要发给「东关村警务室」的修改"},
	} {
		if got := AckWords(c.self, c.a, cst); got != c.want {
			t.Errorf("%s about %+v: %q, want %q", c.self, c.a, got, c.want)
		}
	}
}
