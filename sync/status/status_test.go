package status_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/storetest"
	"cunjing/store/syncbook"
	"cunjing/sync/heal"
	"cunjing/sync/status"
)

// The status of real engines (cut, sent, acknowledged, held for a newer
// version) is tested in package sync and its carriers; these test the
// words and what status.Of makes of what it is handed.

// ClockWordsAt: which PC is wrong cannot be known here (a station three
// years fast told its posts, whose clocks were right, to change theirs),
// so the words say the date this PC reads and what to do either way.
func TestClockWordsAt(t *testing.T) {
	const year = 365 * 24 * time.Hour
	now := time.Date(2026, 12, 5, 20, 0, 0, 0, time.UTC) // 12月6日 04:00 in Beijing
	for _, c := range []struct {
		self, peer string
		off        time.Duration
		want       string
	}{
		{store.RolePost, store.RoleStation, 23 * time.Hour, ""},
		{store.RolePost, store.RoleStation, 3 * year, "这台电脑的日期是 2026年12月6日，比派出所（城关派出所）的电脑慢 3 年。请对照手机上的日期：这台的不对，就把电脑的日期和时间改对；这台的对，就是派出所的电脑时钟不对，请告诉派出所改对。"},
		{store.RolePost, store.RoleStation, -229 * year, "这台电脑的日期是 2026年12月6日，比派出所（城关派出所）的电脑快 229 年。请对照手机上的日期：这台的不对，就把电脑的日期和时间改对；这台的对，就是派出所的电脑时钟不对，请告诉派出所改对。"},
		{store.RoleStation, store.RolePost, -3 * year, "「城关派出所」的电脑时钟比派出所慢 3 年（本机的日期是 2026年12月6日）。请对照手机上的日期：本机的对，就提醒那边把电脑的日期和时间改对；本机的不对，请先把本机的日期和时间改对。"},
		{store.RoleStation, store.RoleCounty, 30 * time.Hour, "这台电脑的日期是 2026年12月6日，比县公安局（城关派出所）的电脑慢 1 天。请对照手机上的日期：这台的不对，就把电脑的日期和时间改对；这台的对，就是县公安局的电脑时钟不对，请告诉县公安局改对。"},
		{store.RoleStation, store.RoleStation, -2 * year, "这台电脑的时钟和「城关派出所」差 2 年（本机的日期是 2026年12月6日）。"},
	} {
		if got := status.ClockWordsAt(c.self, c.peer, "城关派出所", c.off.Milliseconds(), now); got != c.want {
			t.Errorf("%s, %s %v:\n got %q\nwant %q", c.self, c.peer, c.off, got, c.want)
		}
	}
}

// noStreams is an engine with no outgoing streams.
type noStreams struct{ heal.Host }

func (noStreams) Streams(context.Context) ([]heal.Stream, error) { return nil, nil }

func TestOf(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t, store.RolePost, clocktest.Ticking(t, 0))
	h := heal.New(st, noStreams{}, nil)
	none, err := status.Of(ctx, st, h, status.Input{})
	if err != nil || !none.Acknowledged || none.Waiting == nil || len(none.Waiting) != 0 || none.Text != "本机的修改都已打包好。还没有和任何设备配对。" {
		t.Fatalf("a device alone: %+v %v", none, err)
	}

	if err := st.Save(ctx, &store.Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	stn := "STN0001-AAAAAAA"
	if err := st.SyncBook().PutPeer(ctx, syncbook.Peer{DeviceID: stn, Name: "城关派出所", Role: store.RoleStation}); err != nil {
		t.Fatal(err)
	}
	if err := st.SyncBook().SetPeerClock(ctx, stn, (-229 * 365 * 24 * time.Hour).Milliseconds(), syncbook.ClockByHello); err != nil {
		t.Fatal(err)
	}
	waits := status.Waiting{Peer: stn, Changesets: 2, Since: "2026-12-03T08:00:00Z"}
	s, err := status.Of(ctx, st, h, status.Input{
		Streams: []string{"cj-post-" + st.DeviceID()},
		Folders: []status.Folder{{ID: "cj-post-" + st.DeviceID(), Peers: []string{stn}}},
		Acks:    []status.Ack{{Waiting: waits, Name: "城关派出所", Role: store.RoleStation}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Uncut == 0 || s.Acknowledged || !slices.Equal(s.Waiting, []status.Waiting{waits}) || len(s.Peers) != 1 {
		t.Fatalf("a post with changes and a station: %+v", s)
	}
	p := s.Peers[0]
	if p.Acknowledged || p.Unacknowledged != 2 || p.Received != "还有 2 个数据包等着派出所收下（从 12月3日 起）" || !strings.Contains(p.Clock, "比派出所（城关派出所）的电脑快 229 年") {
		t.Fatalf("the station: %+v", p)
	}
	for _, w := range []string{"条修改还没打包。", p.Clock, "\n城关派出所（派出所）：从未联系；已收到 0 B，已发出 0 B；还有 2 个数据包"} {
		if !strings.Contains(s.Text, w) {
			t.Errorf("the words lack %q:\n%s", w, s.Text)
		}
	}
}

// TestAckWords: what a peer has acknowledged, in the words 同步 and `cunjing sync --status` show.
func TestAckWords(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		self string
		a    status.Ack
		want string
	}{
		{store.RolePost, status.Ack{Name: "城关派出所", Role: store.RoleStation, Through: "2026-12-04T07:02:00Z"},
			"派出所已收到 12月4日 15:02 之前的全部修改"},
		{store.RolePost, status.Ack{Name: "城关派出所", Role: store.RoleStation, Waiting: status.Waiting{Changesets: 3, Since: "2026-12-03T01:00:00Z"}},
			"还有 3 个数据包等着派出所收下（从 12月3日 起）"},
		{store.RolePost, status.Ack{Name: "城关派出所", Role: store.RoleStation, Through: "2026-12-02T07:02:00Z", Waiting: status.Waiting{Changesets: 2, Since: "2026-12-03T01:00:00Z"}},
			"派出所已收到 12月2日 15:02 之前的修改；还有 2 个数据包等着派出所收下（从 12月3日 起）"},
		{store.RoleStation, status.Ack{Name: "东关村警务室", Role: store.RolePost, Through: "2026-12-04T07:02:00Z"},
			"「东关村警务室」已收到 12月4日 15:02 之前的全部修改"},
		{store.RoleStation, status.Ack{Name: "东关村警务室", Role: store.RolePost},
			"还没有要发给「东关村警务室」的修改"},
	} {
		if got := status.AckWords(c.self, c.a, cst); got != c.want {
			t.Errorf("%s about %+v: %q, want %q", c.self, c.a, got, c.want)
		}
	}
}
