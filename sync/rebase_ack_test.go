package sync

import (
	"context"
	"encoding/json"
	"testing"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/sync/changeset"
)

// A post restored on a new PC reuses a number the station holds; the
// station refuses it its place and says where it stands, and the post
// takes up its stream after the station's head (a rebase). The station's
// receipt names that head, whose changeset the post no longer has, so the
// post counted every changeset of the stream as waiting until the next
// trip, the one both still share included. A receipt naming the head a
// stream was taken up after acknowledges everything up to it.
func TestRebasedStreamAcknowledged(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	x := testDir(t)
	addHouseholds(t, post, 2, "甲")
	swap(t, post, x)
	swap(t, station, x)
	saved, err := backup.Write(ctx, post.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	addHouseholds(t, post, 3, "乙") // the station gets them; the restored post will not have cut them
	swap(t, post, x)
	swap(t, station, x)
	post = restoreFrom(t, post, saved, true)
	x = testDir(t)
	addHouseholds(t, post, 2, "丙")
	stream := PostFolder(post.Self())
	checked := 0
	for range 4 {
		swap(t, post, x)
		ri, ok, err := post.Book().ReceiptIn(ctx, station.Self())
		if err != nil {
			t.Fatal(err)
		}
		var hs []changeset.Head
		if ok {
			if err := json.Unmarshal([]byte(ri.Heads), &hs); err != nil {
				t.Fatal(err)
			}
		}
		for _, h := range hs {
			if h.Stream != stream {
				continue
			}
			rebased, err := post.Book().Rebased(ctx, stream, h.Seq, h.Digest)
			if err != nil {
				t.Fatal(err)
			}
			if !rebased {
				continue
			}
			checked++
			outs, err := post.Book().OutChangesets(ctx, stream, 0)
			if err != nil {
				t.Fatal(err)
			}
			want, held := 0, 0
			for _, o := range outs {
				if o.Seq > h.Seq {
					want++
				} else {
					held++
				}
			}
			acks, err := post.Acks(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(acks) != 1 || acks[0].Changesets != want || (held > 0) != (acks[0].Through != "") {
				t.Fatalf("the station's receipt holds the post's stream to %d, the head it was taken up after: acks %+v, want %d waiting (of %d changesets) and %d received",
					h.Seq, acks, want, len(outs), held)
			}
		}
		swap(t, station, x)
	}
	if checked == 0 {
		t.Fatal("the post never held a receipt for the head it rebased after")
	}
}
