package exchange

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
	"cunjing/sync/status"
)

func stickNames(t *testing.T, dir string) (cs, rc int) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range es {
		switch {
		case changeset.IsName(en.Name()):
			cs++
		case changeset.IsReceiptName(en.Name()):
			rc++
		}
	}
	return cs, rc
}

// TestStickRoundTripEndsAcknowledged: post → stick → station → stick →
// post → stick → station; both sides end acknowledged, and the next
// day's fresh stick carries only the new changeset.
func TestStickRoundTripEndsAcknowledged(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "东关村警务室")
	station := device(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	for i := 0; i < 3; i++ {
		if err := post.Store().Save(ctx, &store.Village{Name: "西河村"}); err != nil {
			t.Fatal(err)
		}
		if _, err := post.Cut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知"}); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	trip := func(e *cjsync.Engine) Report {
		t.Helper()
		rep, err := Once(ctx, e, stick)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	r := trip(post)
	if r.Status.Acknowledged || len(r.Status.Waiting) != 1 || r.Status.Waiting[0].Changesets != 3 || r.Status.Waiting[0].Since == "" {
		t.Fatalf("post after writing the stick: acknowledged %v waiting %+v", r.Status.Acknowledged, r.Status.Waiting)
	}
	if w := r.Status.Peers[0].Received; !strings.HasPrefix(w, "还有 3 个数据包等着派出所收下（从 ") {
		t.Fatalf("post words: %q", w)
	}
	if r.BytesOut == 0 || r.Status.Peers[0].BytesOut != r.BytesOut {
		t.Fatalf("stick bytes not counted: report %d, peer %d", r.BytesOut, r.Status.Peers[0].BytesOut)
	}
	r = trip(station)
	if r.Imported.Outcomes[cjsync.Applied] != 3 || r.Status.Acknowledged {
		t.Fatalf("station: %+v acknowledged %v", r.Imported.Outcomes, r.Status.Acknowledged)
	}
	if _, rc := stickNames(t, stick); rc != 2 {
		t.Fatalf("%d receipts on the stick, want the station's and the post's (nothing of the station's there yet)", rc)
	}
	if r.Status.Peers[0].BytesIn == 0 {
		t.Fatal("station: bytes from the stick not counted")
	}
	r = trip(post)
	if r.Imported.Outcomes[cjsync.Acknowledged] != 1 || !r.Status.Acknowledged || len(r.Status.Waiting) != 0 {
		t.Fatalf("post after the station's answer: %+v acknowledged %v waiting %+v", r.Imported.Outcomes, r.Status.Acknowledged, r.Status.Waiting)
	}
	if w := r.Status.Peers[0].Received; !strings.HasPrefix(w, "派出所已收到 ") || !strings.HasSuffix(w, " 之前的全部修改") {
		t.Fatalf("post words: %q", w)
	}
	r = trip(station)
	if r.Imported.Outcomes[cjsync.Acknowledged] != 1 || !r.Status.Acknowledged {
		t.Fatalf("station after the post's answer: %+v acknowledged %v waiting %+v", r.Imported.Outcomes, r.Status.Acknowledged, r.Status.Waiting)
	}
	if w := r.Status.Peers[0].Received; !strings.HasPrefix(w, "「peer」已收到 ") {
		t.Fatalf("station words: %q", w)
	}

	// The next day, a fresh stick carries only what the station lacks.
	if err := post.Store().Save(ctx, &store.Village{Name: "东河村"}); err != nil {
		t.Fatal(err)
	}
	stick = t.TempDir()
	r = trip(post)
	if cs, _ := stickNames(t, stick); cs != 1 || r.Status.Acknowledged {
		t.Fatalf("fresh stick: %d changesets, want only the new one (acknowledged %v)", cs, r.Status.Acknowledged)
	}
	trip(station)
	if r = trip(post); !r.Status.Acknowledged {
		t.Fatalf("second day not acknowledged: %+v", r.Status.Waiting)
	}
}

// TestForgedAndReplayedReceiptsChangeNothing: a receipt signed by another
// key, and an older receipt carried again, are refused and logged.
func TestForgedAndReplayedReceiptsChangeNothing(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "东关村警务室")
	station := device(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	stick := t.TempDir()
	save := func(name string) {
		if err := post.Store().Save(ctx, &store.Village{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	save("西河村")
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	if _, err := Once(ctx, station, stick); err != nil {
		t.Fatal(err)
	}
	var old []byte
	var oldName string
	es, _ := os.ReadDir(stick)
	for _, en := range es {
		if changeset.IsReceiptName(en.Name()) && strings.HasPrefix(en.Name(), "rc-"+station.Self()[:7]) {
			oldName = en.Name()
			old, _ = os.ReadFile(filepath.Join(stick, oldName))
		}
	}
	if old == nil {
		t.Fatal("no receipt from the station")
	}
	// The first receipt never reached the post (that stick was lost); the
	// next stick carries the station's next receipt, which the post takes.
	os.Remove(filepath.Join(stick, oldName))
	save("东河村")
	for _, e := range []*cjsync.Engine{post, station, post} {
		if _, err := Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := post.Status(ctx); !st.Acknowledged {
		t.Fatalf("the station's second receipt was not taken: %+v", st.Waiting)
	}
	// The post edits again: a changeset the station has not got.
	save("北河村")
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := post.Status(ctx)
	if before.Acknowledged {
		t.Fatal("acknowledged before the station has the new changeset")
	}
	// Replay: the station's first receipt, found on the lost stick.
	replay := t.TempDir()
	if err := os.WriteFile(filepath.Join(replay, oldName), old, 0o644); err != nil {
		t.Fatal(err)
	}
	// Forged: a stranger's key claiming to be the station.
	stranger := device(t, store.RoleStation, "假派出所")
	pair(t, post, stranger) // the post knows the stranger's encryption key; its signing key is not the station's
	forged := forge(t, stranger, station.Self(), post)
	if err := os.WriteFile(filepath.Join(replay, forged.name), forged.data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := post.ImportDir(ctx, "exchange:"+replay, replay, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcomes[cjsync.Rejected] != 2 || res.Outcomes[cjsync.Acknowledged] != 0 {
		t.Fatalf("replayed and forged receipts: %+v", res.Outcomes)
	}
	after, _ := post.Status(ctx)
	var still status.Waiting
	for _, w := range after.Waiting {
		if w.Peer == station.Self() {
			still = w
		}
	}
	if len(before.Waiting) != 1 || still != before.Waiting[0] {
		t.Fatalf("receipts changed what is acknowledged: before %+v after %+v", before.Waiting, after.Waiting)
	}
	rej, err := post.Store().SyncBook().Rejects(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var replayed, sig bool
	for _, r := range rej {
		replayed = replayed || strings.Contains(r.Reason, "重放")
		sig = sig || strings.Contains(r.Reason, "signature")
	}
	if !replayed || !sig {
		t.Fatalf("rejection log: %+v", rej)
	}
}

type file struct {
	name string
	data []byte
}

// forge makes a receipt claiming to come from claimed, signed with by's
// key, acknowledging everything to.
func forge(t *testing.T, by *cjsync.Engine, claimed string, to *cjsync.Engine) file {
	t.Helper()
	outs, err := to.Store().SyncBook().OutChangesets(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var heads []changeset.Head
	last := map[string]syncbook.OutChangeset{}
	for _, o := range outs {
		last[o.Stream] = o
	}
	for s, o := range last {
		heads = append(heads, changeset.Head{Origin: to.Self(), Stream: s, Seq: o.Seq, Digest: o.Digest})
	}
	name, data, err := changeset.SealReceipt(changeset.Receipt{From: claimed, To: to.Self(), Number: changeset.MaxReceiptNumber, AtMs: 1, Heads: heads},
		by.Identity().Sign, []age.Recipient{to.Identity().Age.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	return file{name, data}
}

// A receipt that does not verify names no sender: its sender is what its
// unauthenticated header claims, and a stranger's forgery claiming to be
// the station (or a device not paired here) was logged as refused from
// that device, in the rejection log and the result, which the window
// shows as the sender (only a verified origin is named, as for
// changesets).
func TestUnverifiedReceiptNamesNoSender(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	stranger := device(t, store.RoleStation, "假派出所")
	pair(t, post, stranger)
	lone := device(t, store.RoleStation, "L") // knows the post; the post does not know it
	c, err := post.Identity().Code("peer", post.Store().Role(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lone.Pair(ctx, c); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, f := range []file{forge(t, stranger, station.Self(), post), forge(t, lone, lone.Self(), post)} {
		if err := os.WriteFile(filepath.Join(stick, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := post.ImportDir(ctx, "exchange:"+stick, stick, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcomes[cjsync.Rejected] != 2 {
		t.Fatalf("forged receipts: %+v", res.Outcomes)
	}
	for _, r := range res.Results {
		if r.Origin != "" {
			t.Errorf("%s: result names sender %s", r.File, r.Origin)
		}
	}
	for _, r := range rejectsOf(t, post) {
		if r.Origin != "" {
			t.Errorf("rejection log names an unverified sender: %+v", r)
		}
	}
}
