package store

import (
	"context"
	"errors"
	"testing"
)

func TestSyncStatePeersAndCuts(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RoleStation, nil)
	p := Peer{DeviceID: "P1", Name: "东关", Role: RolePost, Addresses: []string{"127.0.0.1:1"}, SignKey: []byte{1}, Recipient: "age1x", Catchup: true}
	if err := s.PutPeer(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Peer(ctx, "P1")
	if err != nil || got.Name != "东关" || !got.Catchup || len(got.Addresses) != 1 {
		t.Fatalf("peer %+v %v", got, err)
	}
	if err := s.RevokePeer(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.Peers(ctx, false); len(ps) != 0 {
		t.Fatal("revoked peer listed")
	}
	if err := s.RevokePeer(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}

	c := OutChangeset{Stream: "cj-post-X", Seq: 1, Name: "a", Digest: "d1", Changes: 2, Data: []byte("xy")}
	if err := s.RecordCut(ctx, c, 10); err != nil {
		t.Fatal(err)
	}
	c2 := c
	c2.Name = "b"
	if err := s.RecordCut(ctx, c2, 11); err == nil {
		t.Fatal("a second cut with the same sequence was accepted")
	}
	st, _ := s.StreamState(ctx, "cj-post-X")
	if st.Seq != 1 || st.Digest != "d1" || st.ChangeSeq != 10 {
		t.Fatalf("stream %+v", st)
	}
	if b, err := s.OutData(ctx, "a"); err != nil || string(b) != "xy" {
		t.Fatalf("out data %q %v", b, err)
	}
}

func TestSyncStateChainRejectsBEP(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	err := s.Update(ctx, func(tx *Tx) error {
		return tx.RecordIn(InChangeset{Origin: "O", Stream: "S", Seq: 1, Digest: "d1", Name: "n1", State: InApplied}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if seq, d, _ := s.ChainHead(ctx, "O", "S"); seq != 1 || d != "d1" {
		t.Fatalf("head %d %s", seq, d)
	}
	if fresh, _ := s.LogReject(ctx, Reject{File: "f", Reason: "r"}); !fresh {
		t.Fatal("first rejection not new")
	}
	if fresh, _ := s.LogReject(ctx, Reject{File: "f", Reason: "r"}); fresh {
		t.Fatal("repeated rejection logged twice")
	}
	id1, _, err := s.BEPFolder(ctx, "F")
	id2, _, _ := s.BEPFolder(ctx, "F")
	if err != nil || id1 == 0 || id1 != id2 {
		t.Fatalf("index id %d %d %v", id1, id2, err)
	}
	f, added, err := s.AddBEPFile(ctx, "F", BEPFile{Name: "a", Size: 3})
	if err != nil || !added || f.Sequence != 1 {
		t.Fatalf("add %+v %v %v", f, added, err)
	}
	if _, added, _ := s.AddBEPFile(ctx, "F", BEPFile{Name: "a"}); added {
		t.Fatal("file added twice")
	}
	if err := s.PutBEPRemote(ctx, "F", "D", 7, []BEPFile{{Name: "x", Sequence: 5}}, 0, true); err != nil {
		t.Fatal(err)
	}
	if id, seq, _ := s.BEPRemote(ctx, "F", "D"); id != 7 || seq != 5 {
		t.Fatalf("remote %d %d", id, seq)
	}
	if err := s.PutBlob(ctx, "h", []byte("img")); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Blob(ctx, "h"); err != nil || string(b) != "img" {
		t.Fatal("blob")
	}
}

// Stock Syncthing draws IndexIDs from all 64 bits; SQLite integers are
// signed, so the ID must survive the round trip bit for bit.
func TestBEPRemoteIndexIDHighBit(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RoleStation, nil)
	for _, id := range []uint64{1, 1 << 63, 0xF39B0850E21172B7, ^uint64(0)} {
		if err := s.PutBEPRemote(ctx, "f", "D", id, []BEPFile{{Name: "a", Sequence: 3}}, 3, true); err != nil {
			t.Fatalf("put %#x: %v", id, err)
		}
		got, seq, err := s.BEPRemote(ctx, "f", "D")
		if err != nil || got != id || seq != 3 {
			t.Fatalf("index id %#x came back as %#x (seq %d, %v)", id, got, seq, err)
		}
	}
}

// RecordOwners answers like RecordOwner for every id, across batches.
func TestRecordOwnersBatches(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	v := &Village{Name: "村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var recs []Record
	for range ownerBatch + 10 {
		recs = append(recs, &Household{VillageID: v.ID, OwnerName: "户"})
	}
	if err := s.Save(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	ids := []string{"no-such-record"}
	for _, r := range recs {
		ids = append(ids, r.(*Household).ID)
	}
	err := s.Update(ctx, func(tx *Tx) error {
		got, err := tx.RecordOwners("households", ids)
		if err != nil {
			return err
		}
		if len(got) != len(recs) {
			t.Errorf("%d owners for %d records", len(got), len(recs))
		}
		for _, id := range ids {
			want, exists, err := tx.RecordOwner("households", id)
			if err != nil {
				return err
			}
			if o, ok := got[id]; ok != exists || o != want {
				t.Errorf("%s: batch says %q/%v, single %q/%v", id, o, ok, want, exists)
			}
		}
		if _, err := tx.RecordOwners("no_table", ids); err == nil {
			t.Error("unknown table accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// How far our index was announced only grows, counts only for the IndexID
// it was announced under, and starts again at 0 with a reset index.
func TestBEPAnnounced(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	id, n, err := s.BEPAnnounced(ctx, "F")
	if err != nil || id == 0 || n != 0 {
		t.Fatalf("new folder: %d %d %v", id, n, err)
	}
	for _, seq := range []int64{4, 2} {
		if err := s.NoteBEPAnnounced(ctx, "F", id, seq); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.NoteBEPAnnounced(ctx, "F", id+2, 9); err != nil { // another IndexID
		t.Fatal(err)
	}
	if _, n, _ := s.BEPAnnounced(ctx, "F"); n != 4 {
		t.Fatalf("announced %d, want 4", n)
	}
	if err := s.ResetBEPIndex(ctx, "F"); err != nil {
		t.Fatal(err)
	}
	if id2, n, _ := s.BEPAnnounced(ctx, "F"); id2 == id || n != 0 {
		t.Fatalf("after a reset: id %d (was %d), announced %d", id2, id, n)
	}
}
