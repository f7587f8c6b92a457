package sync

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/sync/changeset"
)

// A BEP folder gets a new receipt when what it acknowledges changes (the
// peer's changesets applied here), not when this device only cut one of
// its own: the peer sees that changeset in the folder itself. A stick
// gets the receipt with the new head of its own stream too.
func TestFolderReceiptForAcksOnly(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	post.NoteReceiptFormat(station.Self(), changeset.ReceiptFormat2) // a cunjing of v1.1.0 on
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
		if err := post.WriteFolderReceiptsDirect(ctx, folder); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing of the station's is here and it holds no receipt of ours:
	// a first receipt for the station at the other end of the session
	// would acknowledge nothing (issue #22).
	write()
	if got := mine(); len(got) != 0 {
		t.Fatalf("a first receipt acknowledging nothing went into the folder: %v", got)
	}
	if err := post.Store().Save(ctx, &store.Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	write()
	if got := mine(); len(got) != 0 {
		t.Fatalf("a cut of the post's own made a receipt for the folder: %v", got)
	}
	// A carrier (stock Syncthing) gets it all the same: it says how far
	// the post holds its own stream, for the station's write-back.
	if err := post.WriteFolderReceipts(ctx, folder); err != nil {
		t.Fatal(err)
	}
	if got := mine(); len(got) != 1 {
		t.Fatalf("%d receipts for a carrier, want 1", len(got))
	}
	if err := post.Store().Save(ctx, &store.Village{Name: "西关村"}); err != nil {
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

// A device makes its receipts for a peer in the format the peer said it
// reads (format 2 only when it said so, sync/bep), and in format 1 again
// when the peer comes back saying it reads only that (an older version);
// the peer takes either. A format 2 receipt altered on the way, or signed
// by another paired device in the station's name, is refused and logged.
func TestReceiptFormatFollowsPeer(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	other := newDevice(t, store.RolePost, "西关村警务室")
	pair(t, post, station)
	pair(t, other, station)
	if err := post.Store().Save(ctx, &store.Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, post)
	folder := PostFolder(post.Self())
	if r := move(t, post, station, folder); r.Outcomes[Applied] != 1 {
		t.Fatalf("import: %+v", r)
	}
	dir := station.FolderDir(folder)
	receipt := func(format int) (string, []byte) {
		t.Helper()
		station.NoteReceiptFormat(post.Self(), format)
		if err := station.WriteFolderReceipts(ctx, folder); err != nil {
			t.Fatal(err)
		}
		p, err := station.Book().Peer(ctx, post.Self())
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := station.Receipt(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, r.Name))
		if err != nil || changeset.ReceiptFormat(data) != format {
			t.Fatalf("the station's receipt %s is of format %d (%v), want %d", r.Name, changeset.ReceiptFormat(data), err, format)
		}
		return r.Name, data
	}
	takes := func(name string, data []byte) Result {
		t.Helper()
		res, err := post.Import(ctx, "test", name, data, true)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	n2, d2 := receipt(changeset.ReceiptFormat2)
	// Altered on the way (the name's hash made to match) and forged by
	// another post, paired with the station, in the station's name.
	bad := append([]byte(nil), d2...)
	bad[len(bad)-40] ^= 1
	forgedName, forged, err := changeset.SealReceipt2(changeset.Receipt{From: station.Self(), To: post.Self(), Number: 1 << 50},
		other.Identity().Sign, post.Identity().Age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{changeset.ReceiptName(station.Self(), post.Self(), 1<<49, bad), bad, "decrypt receipt"},
		{forgedName, forged, "signature does not verify"},
	} {
		if res := takes(c.name, c.data); res.Outcome != Rejected || !strings.Contains(res.Reason, c.want) {
			t.Errorf("%s: %s %q, want refused saying %q", c.name, res.Outcome, res.Reason, c.want)
		}
	}
	if res := takes(n2, d2); res.Outcome != Acknowledged {
		t.Fatalf("format 2: %s %s", res.Outcome, res.Reason)
	}
	if again, _ := receipt(changeset.ReceiptFormat2); again != n2 {
		t.Fatalf("a new receipt %s though nothing changed", again)
	}
	n1, d1 := receipt(changeset.ReceiptFormat1)
	if n1 == n2 {
		t.Fatal("the peer reads format 1 only now, and got the format 2 receipt again")
	}
	if res := takes(n1, d1); res.Outcome != Acknowledged {
		t.Fatalf("format 1 after format 2: %s %s", res.Outcome, res.Reason)
	}
	acks, err := post.Acks(ctx)
	if err != nil || len(acks) != 1 || !acks[0].Acknowledged() || !acks[0].Receipt {
		t.Fatalf("acks %+v %v", acks, err)
	}
}

// An older cunjing (one that reads receipt format 1 only) still gets the
// first receipt that acknowledges nothing of its, as before issue #22.
func TestFolderReceiptForOlderPeer(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	post.NoteReceiptFormat(station.Self(), changeset.ReceiptFormat1)
	folder := PostFolder(post.Self())
	if err := post.WriteFolderReceiptsDirect(ctx, folder); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(post.FolderDir(folder))
	n := 0
	for _, en := range es {
		if strings.HasPrefix(en.Name(), "rc-"+shortID(post.Self())+"-") {
			n++
		}
	}
	if err != nil || n != 1 {
		t.Fatalf("%d receipts for an older station (%v), want 1", n, err)
	}
}
