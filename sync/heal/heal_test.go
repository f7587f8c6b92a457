package heal_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/storetest"
	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
	"cunjing/sync/heal"
)

// The engine's healing end to end (restores, forks, clocks over sticks and
// BEP) is tested in package sync (heal_test.go, fieldevents_test.go); these
// test the Healer alone, over a fake engine.

// streamsOnly is an engine with these outgoing streams and no folders.
type streamsOnly struct {
	heal.Host // nil: any other call fails the test by panicking
	streams   []heal.Stream
}

func (s streamsOnly) Streams(context.Context) ([]heal.Stream, error) { return s.streams, nil }
func (s streamsOnly) FolderIDs(context.Context) ([]string, error)    { return nil, nil }

// station is a station with two paired posts and the streams it cuts to
// them.
func station(t *testing.T) (*heal.Healer, *syncbook.Book, [2]string) {
	t.Helper()
	st := storetest.New(t, store.RoleStation, clocktest.Ticking(t, 0))
	book := st.SyncBook()
	posts := [2]string{"POST001-AAAAAAA", "POST002-AAAAAAA"}
	for i, p := range posts {
		if err := book.PutPeer(context.Background(), syncbook.Peer{DeviceID: p, Name: []string{"东关村警务室", "西关村警务室"}[i], Role: store.RolePost}); err != nil {
			t.Fatal(err)
		}
	}
	host := streamsOnly{streams: []heal.Stream{
		{ID: "cj-station-" + st.DeviceID(), Recipients: posts[:]},
		{ID: "cj-post-" + posts[0], Recipients: posts[:1], Post: posts[0]},
		{ID: "cj-post-" + posts[1], Recipients: posts[1:], Post: posts[1]},
	}}
	return heal.New(st, host, slog.New(slog.DiscardHandler)), book, posts
}

// A changeset refused its place owes its maker one note, carried by the
// maker's own stream only, and is a divergence until the maker follows it.
func TestRefusalOwesOneNote(t *testing.T) {
	ctx := context.Background()
	h, _, posts := station(t)
	hd := changeset.Header{Origin: posts[0], Stream: "cj-post-" + posts[0], Seq: 3, Prev: "sha256:feed"}
	ref, err := h.Refuse(ctx, hd, heal.Broken)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Head != 0 || !strings.Contains(ref.Words, "「东关村警务室」的第 3 号数据包接不上先前已收到的第 0 号") || !strings.Contains(ref.Words, "(broken chain: sequence 3") {
		t.Fatalf("refusal: %+v", ref)
	}
	if err := h.OweChainNote(ctx, hd, ref); err != nil {
		t.Fatal(err)
	}
	if !h.CutOwed() {
		t.Fatal("a note is owed but no cut")
	}
	if err := h.OweChainNote(ctx, hd, ref); err != nil || h.CutOwed() {
		t.Fatalf("told twice (%v)", err)
	}
	want := "没有收下「东关村警务室」的第 3 号数据包，正等它从第 1 号接着发。"
	for _, peer := range []string{posts[0], ""} {
		if d, err := h.Divergences(ctx, peer); err != nil || len(d) != 1 || d[0] != want {
			t.Fatalf("divergences with %q: %q %v", peer, d, err)
		}
	}
	if d, err := h.Divergences(ctx, posts[1]); err != nil || len(d) != 0 {
		t.Fatalf("the other post: %q %v", d, err)
	}
	all := []heal.Stream{{ID: "broadcast", Recipients: posts[:]}, {ID: "own", Recipients: posts[:1], Post: posts[0]}}
	if n, _, err := h.NotesFor(ctx, "broadcast", all); err != nil || len(n) != 0 {
		t.Fatalf("the broadcast carries %+v (%v)", n, err)
	}
	n, rows, err := h.NotesFor(ctx, "own", all)
	if err != nil || len(n) != 1 || len(rows) != 1 || n[0].Kind != changeset.NoteChain || n[0].Refused != 3 || n[0].Head != 0 {
		t.Fatalf("the post's stream carries %+v (%v)", n, err)
	}
	// As few recipients in the broadcast (one post): the post's own
	// stream still carries it.
	tie := []heal.Stream{{ID: "broadcast", Recipients: posts[:1]}, {ID: "own", Recipients: posts[:1], Post: posts[0]}}
	if n, _, err := h.NotesFor(ctx, "broadcast", tie); err != nil || len(n) != 0 {
		t.Fatalf("a one-post broadcast carries %+v (%v)", n, err)
	}
}

// A peer's clock is measured from its changes' stamps and its handshake;
// the peer is told once, and again when it agrees again.
func TestClockFromStamps(t *testing.T) {
	ctx := context.Background()
	h, book, posts := station(t)
	post := posts[0]
	hd := changeset.Header{Origin: post, Stream: "cj-post-" + post, Seq: 1}
	clockOf := func() (int64, string) {
		t.Helper()
		p, err := book.Peer(ctx, post)
		if err != nil {
			t.Fatal(err)
		}
		return p.ClockMs, p.ClockBy
	}
	ahead := 229 * 365 * 24 * time.Hour
	if err := h.Kept(ctx, "stick", "cs-1", nil, hd, map[string]time.Duration{post: ahead}, true); err != nil {
		t.Fatal(err)
	}
	if ms, by := clockOf(); ms != ahead.Milliseconds() || by != syncbook.ClockByStamps || !h.CutOwed() {
		t.Fatalf("measured %d by %q", ms, by)
	}
	if err := h.Kept(ctx, "stick", "cs-2", nil, hd, map[string]time.Duration{post: ahead + time.Minute}, true); err != nil || h.CutOwed() {
		t.Fatalf("told again of the same clock (%v)", err)
	}
	if err := h.Kept(ctx, "stick", "cs-3", nil, hd, map[string]time.Duration{post: time.Hour}, true); err != nil {
		t.Fatal(err)
	}
	if ms, _ := clockOf(); ms != 0 || !h.CutOwed() {
		t.Fatalf("set right, still %d", ms)
	}
	if err := h.NoteHelloClock(ctx, post, 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	if ms, by := clockOf(); ms != 0 || by != syncbook.ClockByHello {
		t.Fatalf("two hours off by the handshake: %d by %q", ms, by)
	}
	if err := h.NoteHelloClock(ctx, post, -72*time.Hour); err != nil {
		t.Fatal(err)
	}
	if ms, _ := clockOf(); ms != (-72 * time.Hour).Milliseconds() {
		t.Fatalf("three days behind by the handshake: %d", ms)
	}
}
