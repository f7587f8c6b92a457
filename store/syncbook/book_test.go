package syncbook_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"cunjing/store"
	"cunjing/store/syncbook"
)

// newStore creates a database of the given role; its book is what the
// tests look at.
func newStore(t *testing.T, role string) *store.Store {
	t.Helper()
	dev := fmt.Sprintf("DEV-%s-AAAAAAA", role)
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.Identity{DeviceID: dev, Role: role, Name: "测试"}, store.Options{})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSyncStatePeersAndCuts(t *testing.T) {
	ctx := context.Background()
	db := newStore(t, store.RoleStation)
	b := db.SyncBook()
	p := syncbook.Peer{DeviceID: "P1", Name: "东关", Role: store.RolePost, Addresses: []string{"127.0.0.1:1"}, SignKey: []byte{1}, Recipient: "age1x", Catchup: true}
	if err := b.PutPeer(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := b.Peer(ctx, "P1")
	if err != nil || got.Name != "东关" || !got.Catchup || len(got.Addresses) != 1 {
		t.Fatalf("peer %+v %v", got, err)
	}
	if err := b.RevokePeer(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	if ps, _ := b.Peers(ctx, false); len(ps) != 0 {
		t.Fatal("revoked peer listed")
	}
	if err := b.RevokePeer(ctx, "nobody"); !errors.Is(err, syncbook.ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}

	c := syncbook.OutChangeset{Stream: "cj-post-X", Seq: 1, Name: "a", Digest: "d1", Changes: 2, Data: []byte("xy")}
	if err := b.RecordCut(ctx, c, 10); err != nil {
		t.Fatal(err)
	}
	c2 := c
	c2.Name = "b"
	if err := b.RecordCut(ctx, c2, 11); err == nil {
		t.Fatal("a second cut with the same sequence was accepted")
	}
	st, _ := b.StreamState(ctx, "cj-post-X")
	if st.Seq != 1 || st.Digest != "d1" || st.ChangeSeq != 10 {
		t.Fatalf("stream %+v", st)
	}
	if data, err := b.OutData(ctx, "a"); err != nil || string(data) != "xy" {
		t.Fatalf("out data %q %v", data, err)
	}
}

func TestSyncStateChainRejectsBEP(t *testing.T) {
	ctx := context.Background()
	db := newStore(t, store.RolePost)
	b := db.SyncBook()
	err := db.Update(ctx, func(tx *store.Tx) error {
		return tx.SyncBook().RecordIn(ctx, syncbook.InChangeset{Origin: "O", Stream: "S", Seq: 1, Digest: "d1", Name: "n1", State: syncbook.InApplied}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if seq, d, _ := b.ChainHead(ctx, "O", "S"); seq != 1 || d != "d1" {
		t.Fatalf("head %d %s", seq, d)
	}
	if fresh, _ := b.LogReject(ctx, syncbook.Reject{File: "f", Reason: "r"}); !fresh {
		t.Fatal("first rejection not new")
	}
	if fresh, _ := b.LogReject(ctx, syncbook.Reject{File: "f", Reason: "r"}); fresh {
		t.Fatal("repeated rejection logged twice")
	}
	id1, _, err := b.BEPFolder(ctx, "F")
	id2, _, _ := b.BEPFolder(ctx, "F")
	if err != nil || id1 == 0 || id1 != id2 {
		t.Fatalf("index id %d %d %v", id1, id2, err)
	}
	f, added, err := b.AddBEPFile(ctx, "F", syncbook.BEPFile{Name: "a", Size: 3})
	if err != nil || !added || f.Sequence != 1 {
		t.Fatalf("add %+v %v %v", f, added, err)
	}
	if _, added, _ := b.AddBEPFile(ctx, "F", syncbook.BEPFile{Name: "a"}); added {
		t.Fatal("file added twice")
	}
	if err := b.PutBEPRemote(ctx, "F", "D", 7, []syncbook.BEPFile{{Name: "x", Sequence: 5}}, 0, true); err != nil {
		t.Fatal(err)
	}
	if id, seq, _ := b.BEPRemote(ctx, "F", "D"); id != 7 || seq != 5 {
		t.Fatalf("remote %d %d", id, seq)
	}
}

// Stock Syncthing draws IndexIDs from all 64 bits; SQLite integers are
// signed, so the ID must survive the round trip bit for bit.
func TestBEPRemoteIndexIDHighBit(t *testing.T) {
	ctx := context.Background()
	db := newStore(t, store.RoleStation)
	b := db.SyncBook()
	for _, id := range []uint64{1, 1 << 63, 0xF39B0850E21172B7, ^uint64(0)} {
		if err := b.PutBEPRemote(ctx, "f", "D", id, []syncbook.BEPFile{{Name: "a", Sequence: 3}}, 3, true); err != nil {
			t.Fatalf("put %#x: %v", id, err)
		}
		got, seq, err := b.BEPRemote(ctx, "f", "D")
		if err != nil || got != id || seq != 3 {
			t.Fatalf("index id %#x came back as %#x (seq %d, %v)", id, got, seq, err)
		}
	}
}

// How far our index was announced only grows, counts only for the IndexID
// it was announced under, and starts again at 0 with a reset index.
func TestBEPAnnounced(t *testing.T) {
	ctx := context.Background()
	db := newStore(t, store.RolePost)
	b := db.SyncBook()
	id, n, err := b.BEPAnnounced(ctx, "F")
	if err != nil || id == 0 || n != 0 {
		t.Fatalf("new folder: %d %d %v", id, n, err)
	}
	for _, seq := range []int64{4, 2} {
		if err := b.NoteBEPAnnounced(ctx, "F", id, seq); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.NoteBEPAnnounced(ctx, "F", id+2, 9); err != nil { // another IndexID
		t.Fatal(err)
	}
	if _, n, _ := b.BEPAnnounced(ctx, "F"); n != 4 {
		t.Fatalf("announced %d, want 4", n)
	}
	if err := b.ResetBEPIndex(ctx, "F"); err != nil {
		t.Fatal(err)
	}
	if id2, n, _ := b.BEPAnnounced(ctx, "F"); id2 == id || n != 0 {
		t.Fatalf("after a reset: id %d (was %d), announced %d", id2, id, n)
	}
}

// What the book records inside a store transaction commits or rolls back
// with it: a received changeset is never on the books without its changes.
func TestWithinTransaction(t *testing.T) {
	ctx := context.Background()
	errAbort := errors.New("abort")
	for _, tc := range []struct {
		name   string
		result error
	}{
		{"commit", nil},
		{"rollback", errAbort},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := newStore(t, store.RolePost)
			b := db.SyncBook()
			err := db.Update(ctx, func(tx *store.Tx) error {
				tb := tx.SyncBook()
				if err := tb.RecordIn(ctx, syncbook.InChangeset{Origin: "O", Stream: "S", Seq: 1, Digest: "d1", Name: "n1", State: syncbook.InApplied}, nil); err != nil {
					return err
				}
				out := syncbook.OutChangeset{Stream: "cj-post-X", Seq: 1, Name: "own-1", Digest: "e1", Data: []byte("x")}
				if ok, err := tb.AdoptCut(ctx, out, "", 0, 5); err != nil || !ok {
					return fmt.Errorf("adopt: %v %v", ok, err)
				}
				return tc.result
			})
			if !errors.Is(err, tc.result) {
				t.Fatalf("update: %v, want %v", err, tc.result)
			}
			want := tc.result == nil
			if seq, _, _ := b.ChainHead(ctx, "O", "S"); (seq == 1) != want {
				t.Errorf("chain head %d after %s", seq, tc.name)
			}
			if st, _ := b.StreamState(ctx, "cj-post-X"); (st.Seq == 1) != want {
				t.Errorf("stream %+v after %s", st, tc.name)
			}
			if o, ok, _ := b.Seen(ctx, "own-1"); ok != want || (want && o != "own") {
				t.Errorf("seen %q %v after %s", o, ok, tc.name)
			}
		})
	}
}

// TestPeerContactPath: a session's path is kept; a failed dial (no path)
// keeps the last one and records its error.
func TestPeerContactPath(t *testing.T) {
	ctx := context.Background()
	b := newStore(t, store.RolePost).SyncBook()
	if err := b.PutPeer(ctx, syncbook.Peer{DeviceID: "S1", Name: "城关", Role: store.RoleStation, Recipient: "age1x"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		path, err, want string
	}{
		{"", "", ""},
		{"relay", "", "relay"},
		{"", "dial: refused", "relay"},
		{"direct", "", "direct"},
	}
	for i, s := range steps {
		if err := b.NotePeerContact(ctx, "S1", s.path, 10, 20, s.err); err != nil {
			t.Fatal(err)
		}
		p, err := b.Peer(ctx, "S1")
		if err != nil || p.LastPath != s.want || p.LastError != s.err || p.BytesIn != int64(10*(i+1)) {
			t.Errorf("step %d: %+v %v, want path %q", i, p, err, s.want)
		}
	}
}

// What heal.Healer.ForkDelivered and the status ask of the bookkeeping:
// whether a peer's index lists a file, what went out with a fork, the
// refusals of a kind, the devices not paired here that sent files.
func TestForkAndUnknownSenderBookkeeping(t *testing.T) {
	ctx := context.Background()
	b := newStore(t, store.RoleStation).SyncBook()
	if err := b.PutBEPRemote(ctx, "cj-post-P", "P", 7, []syncbook.BEPFile{{Name: "a", Sequence: 1}, {Name: "gone", Sequence: 2, Deleted: true}}, 2, false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		folder, device, name string
		want                 bool
	}{
		{"cj-post-P", "P", "a", true},
		{"cj-post-P", "P", "gone", false},
		{"cj-post-P", "Q", "a", false},
		{"cj-station-S", "P", "a", false},
		{"cj-post-P", "P", "b", false},
	} {
		if got, err := b.BEPRemoteHas(ctx, tc.folder, tc.device, tc.name); err != nil || got != tc.want {
			t.Errorf("BEPRemoteHas(%s, %s, %s) = %v, %v; want %v", tc.folder, tc.device, tc.name, got, err, tc.want)
		}
	}
	if _, ok, err := b.ForkSentOf(ctx, "f"); ok || err != nil {
		t.Fatalf("a fork never sent: %v %v", ok, err)
	}
	if err := b.NoteForkSent(ctx, "f", syncbook.ForkSent{Ours: 5, Theirs: 3}); err != nil {
		t.Fatal(err)
	}
	if f, ok, err := b.ForkSentOf(ctx, "f"); !ok || err != nil || f != (syncbook.ForkSent{Ours: 5, Theirs: 3}) {
		t.Fatalf("fork sent: %+v %v %v", f, ok, err)
	}
	for _, r := range []syncbook.Reject{{File: "x", Kind: "chain", Reason: "1"}, {File: "y", Kind: "damaged", Reason: "2"}, {File: "z", Kind: "chain", Reason: "3"}} {
		if _, err := b.LogReject(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if rs, err := b.RejectsOfKind(ctx, "chain"); err != nil || len(rs) != 2 || rs[0].File != "x" || rs[1].File != "z" {
		t.Fatalf("chain refusals: %+v %v", rs, err)
	}
	// At most MaxUnknownSenders devices, each once, the first time kept.
	for i := range syncbook.MaxUnknownSenders + 4 {
		if err := b.NoteUnknownSender(ctx, fmt.Sprintf("D%02d", i), store.RoleStation); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.NoteUnknownSender(ctx, "D00", store.RolePost); err != nil {
		t.Fatal(err)
	}
	us, err := b.UnknownSenders(ctx)
	if err != nil || len(us) != syncbook.MaxUnknownSenders || us[0].Device != "D00" || us[0].Role != store.RoleStation || us[0].At == "" {
		t.Fatalf("unknown senders: %+v %v", us, err)
	}
}
