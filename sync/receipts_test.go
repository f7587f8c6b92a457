package sync

import (
	"context"
	"os"
	"strings"
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

// A BEP folder gets a new receipt when what it acknowledges changes (the
// peer's changesets applied here), not when this device only cut one of
// its own: the peer sees that changeset in the folder itself. A stick
// gets the receipt with the new head of its own stream too.
func TestFolderReceiptForAcksOnly(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	folder := PostFolder(post.Self())
	dir := post.FolderDir(folder)
	mine := func() []string {
		t.Helper()
		es, _ := os.ReadDir(dir)
		var out []string
		for _, en := range es {
			if strings.HasPrefix(en.Name(), "rc-"+shortID(post.Self())+"-") {
				out = append(out, en.Name())
			}
		}
		return out
	}
	write := func() {
		t.Helper()
		if err := post.WriteFolderReceipts(ctx, folder); err != nil {
			t.Fatal(err)
		}
	}
	write()
	if n := len(mine()); n != 1 {
		t.Fatalf("%d receipts at first, want 1", n)
	}
	if err := post.Store().Save(ctx, &store.Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	write()
	if got := mine(); len(got) != 1 {
		t.Fatalf("a cut of the post's own made a new receipt for the folder: %v", got)
	}
	stick := t.TempDir()
	if _, err := post.WriteReceipts(ctx, stick, nil); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(stick)
	if err != nil || len(es) != 1 || es[0].Name() == mine()[0] {
		t.Fatalf("the stick got %v (%v), want one receipt newer than the folder's %v", es, err, mine())
	}
	// What the station sent, applied here: a new receipt for the folder.
	if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, station)
	if r := move(t, station, post, StationFolder(station.Self())); r.Outcomes[Applied] != 1 {
		t.Fatalf("import: %+v", r)
	}
	write()
	if n := len(mine()); n != 2 {
		t.Fatalf("%d receipts after the station's changeset, want 2", n)
	}
}
