package bep

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
	"cunjing/sync/quarantine"
	"cunjing/sync/status"
)

// A paired device that opens session after session can fill the disk with
// files that fail their signature (each session may pull up to 4 GiB).
// Such files no longer stay in the folder: they are moved into a bounded
// quarantine, counted against the device across sessions, and once they
// reach quarantine.MaxFiles its sessions are paused, said in Chinese in
// the status, until it is paired again on purpose.
func TestHostilePeerPaused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	post, station, sp, folder := hostilePair(t, ctx) // the post is the hostile one: a stolen PC, say
	rng := rand.New(rand.NewPCG(7, 8))
	const perRound = 24
	seq := uint64(1000)
	// plant writes a round of files that fail verification into the
	// post's folder, which its node announces: garbage under a
	// changeset's or a receipt's name that matches it, and under one
	// that does not.
	plant := func() []string {
		var names []string
		for i := range perRound {
			data := make([]byte, 2048)
			for j := range data {
				data[j] = byte(rng.Uint32())
			}
			seq++
			var name string
			switch i % 3 {
			case 0:
				name = changeset.Name(post.Self(), folder, seq, data)
			case 1:
				name = changeset.Name(post.Self(), folder, seq, []byte("other"))
			default: // a receipt that is not one (receipts are read before the rest)
				name = changeset.ReceiptName(post.Self(), station.Self(), seq, data)
			}
			if err := os.WriteFile(filepath.Join(post.FolderDir(folder), name), data, 0o600); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
		return names
	}
	if err := os.MkdirAll(post.FolderDir(folder), 0o700); err != nil {
		t.Fatal(err)
	}
	var paused bool
	var firstName string
	for round := 1; round <= 4 && !paused; round++ {
		names := plant()
		if firstName == "" {
			firstName = names[0] // a changeset's name
		}
		r, _ := NewNode(station, Config{}).SyncOnce(ctx, sp)
		for _, n := range names {
			if _, err := os.Stat(filepath.Join(station.FolderDir(folder), n)); err == nil {
				t.Fatalf("round %d: %s, which failed verification, is still in the station's folder", round, n)
			}
		}
		ref, err := station.Book().RefusedOf(ctx, post.Self())
		if err != nil {
			t.Fatal(err)
		}
		if want := min(round*perRound, quarantine.MaxFiles+perRound); ref.Files < round*perRound-perRound+1 || ref.Files > want {
			t.Fatalf("round %d: %d files counted against the post, want up to %d", round, ref.Files, want)
		}
		paused = ref.PausedAt != ""
		if paused != (ref.Files >= quarantine.MaxFiles) {
			t.Fatalf("round %d: paused %v with %d files refused (bound %d)", round, paused, ref.Files, quarantine.MaxFiles)
		}
		if paused && !strings.Contains(r.Error, "paused") {
			t.Fatalf("round %d: the session that paused the post ended with %q, want it to say so", round, r.Error)
		}
	}
	if !paused {
		t.Fatal("the post was never paused")
	}
	// The quarantine holds what was moved, within its bound.
	var held int64
	_ = filepath.WalkDir(filepath.Join(station.Dir(), quarantine.Dir), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				held += fi.Size()
			}
		}
		return nil
	})
	if held == 0 || held > quarantine.MaxHeld {
		t.Fatalf("the quarantine holds %d bytes, want some and at most %d", held, quarantine.MaxHeld)
	}
	// Its next session is refused before anything is pulled, and the
	// status says why in Chinese.
	plant()
	r, _ := NewNode(station, Config{}).SyncOnce(ctx, sp)
	if !strings.Contains(r.Error, "paused") || r.Pulled != 0 {
		t.Fatalf("a session with the paused post: %+v, want it refused", r)
	}
	st, err := station.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var words string
	for _, p := range st.Peers {
		if p.DeviceID == post.Self() {
			words = p.Paused
		}
	}
	if !strings.Contains(words, "已暂停") || !strings.Contains(st.Text, "已暂停") {
		t.Fatalf("status of the paused post: %q (text %q), want 已暂停…", words, st.Text)
	}
	// Paired again on purpose: sessions resume.
	pc, err := post.Identity().Code("所", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := station.Pair(ctx, pc); err != nil {
		t.Fatal(err)
	}
	// The quarantine is back in the folder, to be imported again (what
	// fails still is moved out again, counted against no one).
	if _, err := os.Stat(filepath.Join(station.FolderDir(folder), firstName)); err != nil {
		t.Fatalf("paired again, a quarantined file is not back in the folder: %v", err)
	}
	if r, _ := NewNode(station, Config{}).SyncOnce(ctx, sp); strings.Contains(r.Error, "paused") || r.Pulled != perRound {
		t.Fatalf("after pairing again: %+v, want the session taken, the last round pulled", r)
	}
	if ref, err := station.Book().RefusedOf(ctx, post.Self()); err != nil || ref.Files != perRound || ref.PausedAt != "" {
		t.Fatalf("after pairing again and a session: %+v, %v; want the %d files of that session counted, not paused", ref, err, perRound)
	}
	if _, err := os.Stat(filepath.Join(station.FolderDir(folder), firstName)); err == nil {
		t.Fatal("a file that still fails stayed in the folder")
	}
}

// A hostile paired device can also send files that verify as addressed to
// other devices: they are never read here, and they stayed in the folder,
// counted by no one, 4 GiB a session. Those no changeset applied here
// explains are now counted against the sender apart from refused files;
// at the bound (made small here) its sessions are paused like a device
// whose files fail verification, the files of the session that reached it
// are moved into the quarantine, and the status says why in Chinese.
func TestNotForUsFloodPaused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, station, sp, folder := hostilePair(t, ctx) // the post is the hostile one: a stolen PC, say
	if err := os.MkdirAll(post.FolderDir(folder), 0o700); err != nil {
		t.Fatal(err)
	}
	someoneElse, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	const perRound, bound = 5, 8
	plantN := func(n int) []string {
		var names []string
		for range n {
			names = append(names, changeset.BlobName(sealedJunk(t, post.FolderDir(folder), rng, someoneElse.Recipient())))
		}
		return names
	}
	plant := func() []string { return plantN(perRound) }
	cfg := Config{notForUsBound: quarantine.Bound{Files: bound, Bytes: 1 << 30}}
	first := plant()
	// A blob sealed before the station was paired that a record here
	// refers to (a scanned map the post drew before pairing; a release
	// the station carries down) is legitimate: not counted.
	legit := plantN(1)
	h, _ := changeset.BlobHash(legit[0])
	if err := station.Store().Save(ctx, &store.VillageMap{VillageID: "v", Name: "村图", ImageHash: h}); err != nil {
		t.Fatal(err)
	}
	if r, _ := NewNode(station, cfg).SyncOnce(ctx, sp); r.Error != "" || r.Pulled != perRound+1 {
		t.Fatalf("first round: %+v", r)
	}
	ref, err := station.Book().RefusedOf(ctx, post.Self())
	if err != nil || ref.NotForUsFiles != perRound || ref.NotForUsBytes < perRound*4096 || ref.PausedAt != "" || ref.Files != 0 {
		t.Fatalf("after the first round: %+v, %v; want %d files addressed to others counted, not paused", ref, err, perRound)
	}
	for _, n := range first { // below the bound they stay, seen, never read again
		if _, err := os.Stat(filepath.Join(station.FolderDir(folder), n)); err != nil {
			t.Fatalf("below the bound: %v", err)
		}
	}
	second := plant()
	r, _ := NewNode(station, cfg).SyncOnce(ctx, sp)
	if !strings.Contains(r.Error, "paused") {
		t.Fatalf("the session that reached the bound ended with %q, want it to say the post is paused", r.Error)
	}
	if ref, err = station.Book().RefusedOf(ctx, post.Self()); err != nil || ref.PausedAt == "" || ref.PausedFor != "not-for-us" || ref.NotForUsFiles != 2*perRound {
		t.Fatalf("after the second round: %+v, %v; want paused for files addressed to others", ref, err)
	}
	for _, n := range second {
		if _, err := os.Stat(filepath.Join(station.FolderDir(folder), n)); err == nil {
			t.Fatalf("%s of the session that reached the bound is still in the folder", n)
		}
	}
	plant()
	if r, _ := NewNode(station, cfg).SyncOnce(ctx, sp); !strings.Contains(r.Error, "paused") || r.Pulled != 0 {
		t.Fatalf("a session with the paused post: %+v, want it refused", r)
	}
	st, err := station.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var words string
	for _, p := range st.Peers {
		if p.DeviceID == post.Self() {
			words = p.Paused
		}
	}
	if !strings.Contains(words, "已暂停") || !strings.Contains(words, "加密给别的设备") || !strings.Contains(st.Text, "已暂停") {
		t.Fatalf("status of the paused post: %q (text %q)", words, st.Text)
	}
}

// A stolen post PC signs changesets naming many blob hashes, then sends
// junk sealed to others under those names: each was excused from the
// count of files addressed to others (a changeset refers to it), 4 GiB a
// session, each costing the station a scan of its change log. A session
// now excuses at most so many of them, and so many bytes (made small
// here); the rest are counted, and looked up no more.
func TestReferencedJunkCounted(t *testing.T) {
	cases := []struct {
		name    string
		bound   syncbook.ExcuseBound
		counted int
	}{
		{"within the bound", syncbook.ExcuseBound{DayFiles: 10, DayBytes: 1 << 30, AllFiles: 10, AllBytes: 1 << 30}, 0},
		{"past the files bound", syncbook.ExcuseBound{DayFiles: 2, DayBytes: 1 << 30, AllFiles: 10, AllBytes: 1 << 30}, 4},
		{"past the bytes bound", syncbook.ExcuseBound{DayFiles: 10, DayBytes: 3 * 4400, AllFiles: 10, AllBytes: 1 << 30}, 3}, // (a sealed 4 KiB blob is ~4.3 KB),
		{"past the files bound in all", syncbook.ExcuseBound{DayFiles: 10, DayBytes: 1 << 30, AllFiles: 1, AllBytes: 1 << 30}, 5},
		{"past the bytes bound in all", syncbook.ExcuseBound{DayFiles: 10, DayBytes: 1 << 30, AllFiles: 10, AllBytes: 4 * 4400}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			post, station, sp, folder := hostilePair(t, ctx) // the post is the hostile one: a stolen PC, say
			const junk = 6
			plantReferencedJunk(t, ctx, post, station, folder, rand.New(rand.NewPCG(11, 12)), junk)
			r, _ := NewNode(station, Config{exemptBound: c.bound, notForUsBound: quarantine.Bound{Files: 1000, Bytes: 1 << 30}}).SyncOnce(ctx, sp)
			if r.Error != "" || r.Pulled != junk {
				t.Fatalf("the session: %+v", r)
			}
			ref, err := station.Book().RefusedOf(ctx, post.Self())
			if err != nil || ref.NotForUsFiles != c.counted {
				t.Fatalf("counted %+v, %v; want %d of the %d referenced junk blobs counted", ref, err, c.counted, junk)
			}
		})
	}
}

// hostilePair is a post (the hostile one) listening with what it sends
// refused kept for the test to look at, the station paired with it, the
// station's record of the post with the post's address, and the post's
// folder.
func hostilePair(t *testing.T, ctx context.Context) (post, station *cjsync.Engine, sp syncbook.Peer, folder string) {
	t.Helper()
	station = device(t, store.RoleStation, "S")
	post, sp, folder = hostilePost(t, ctx, station)
	return post, station, sp, folder
}

// hostilePost is a post (the hostile one) of station's, as hostilePair's.
func hostilePost(t *testing.T, ctx context.Context, station *cjsync.Engine) (post *cjsync.Engine, sp syncbook.Peer, folder string) {
	t.Helper()
	post = device(t, store.RolePost, "P")
	pairAt(t, post, station, "")
	postAddr := listen(t, ctx, post, Config{keepRefused: true})
	sp, err := station.Book().Peer(ctx, post.Self())
	if err != nil {
		t.Fatal(err)
	}
	sp.Addresses = []string{postAddr}
	return post, sp, cjsync.PostFolder(post.Self())
}

// plantReferencedJunk puts n blobs of 4 KiB into the post's folder, sealed
// to someone else, each named by a record at the station (as the post's
// signed changesets would name them).
func plantReferencedJunk(t *testing.T, ctx context.Context, post, station *cjsync.Engine, folder string, rng *rand.Rand, n int) {
	t.Helper()
	if err := os.MkdirAll(post.FolderDir(folder), 0o700); err != nil {
		t.Fatal(err)
	}
	someoneElse, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		h := sealedJunk(t, post.FolderDir(folder), rng, someoneElse.Recipient())
		if err := station.Store().Save(ctx, &store.VillageMap{VillageID: "v", Name: "村图" + h[:8], ImageHash: h}); err != nil {
			t.Fatal(err)
		}
	}
}

// sealedJunk writes 4 KiB of rng's bytes into dir as a blob sealed to
// someone else (to), and returns its hash.
func sealedJunk(t *testing.T, dir string, rng *rand.Rand, to age.Recipient) string {
	t.Helper()
	data := make([]byte, 4096)
	for j := range data {
		data[j] = byte(rng.Uint32())
	}
	sealed, err := changeset.SealBlob(data, []age.Recipient{to})
	if err != nil {
		t.Fatal(err)
	}
	// Written aside and renamed in: a session still ending on the post's
	// side may scan the folder meanwhile, and took a half-written file for
	// an empty one (a damaged file, counted against the post).
	h := changeset.HashBlob(data)
	tmp := filepath.Join(dir, ".junk-"+h)
	if err := os.WriteFile(tmp, sealed, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, changeset.BlobName(h))); err != nil {
		t.Fatal(err)
	}
	return h
}

// stationOfDays is a station whose clock is the test's moved by days
// (whole days, set by the test).
func stationOfDays(t *testing.T) (*cjsync.Engine, *atomic.Int64) {
	t.Helper()
	days := new(atomic.Int64)
	base := clocktest.Ticking(t, 0)
	return deviceWith(t, store.RoleStation, "S", store.Options{Now: func() time.Time {
		return base().Add(time.Duration(days.Load()) * 24 * time.Hour)
	}}), days
}

// A device that reconnects was excused its referenced junk afresh each
// session (exemptDefault was per session): now a device is excused at
// most so many a day (made 3 here) whatever its sessions, counted by the
// station's clock; the rest count against it as addressed to others. A
// second post has its own; the next day opens a new window; the station's
// clock set back to a day before opens none (the window never goes back).
func TestReferencedJunkBoundedAcrossSessions(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	station, days := stationOfDays(t)
	cfg := Config{exemptBound: syncbook.ExcuseBound{DayFiles: 3, DayBytes: 1 << 30, AllFiles: 1000, AllBytes: 1 << 30},
		notForUsBound: quarantine.Bound{Files: 1000, Bytes: 1 << 30}}
	rng := rand.New(rand.NewPCG(13, 14))
	post, sp, folder := hostilePost(t, ctx, station)
	other, osp, ofolder := hostilePost(t, ctx, station)
	session := func(name string, p *cjsync.Engine, peer syncbook.Peer, folder string, day int64, wantCounted int) {
		t.Helper()
		days.Store(day)
		plantReferencedJunk(t, ctx, p, station, folder, rng, 2)
		if r, _ := NewNode(station, cfg).SyncOnce(ctx, peer); r.Error != "" || r.Pulled != 2 {
			t.Fatalf("%s: the session: %+v", name, r)
		}
		ref, err := station.Book().RefusedOf(ctx, p.Self())
		if err != nil || ref.NotForUsFiles != wantCounted {
			t.Errorf("%s: counted %+v, %v; want %d referenced junk blobs counted", name, ref, err, wantCounted)
		}
	}
	session("first session, 2 excused", post, sp, folder, 0, 0)
	session("second session, 1 excused", post, sp, folder, 0, 1)
	session("third session, none excused", post, sp, folder, 0, 3)
	session("another post, its own", other, osp, ofolder, 0, 0)
	session("the next day", post, sp, folder, 1, 3)
	session("the clock set back two days, 1 excused", post, sp, folder, -1, 4)
	x, err := station.Book().ExcusedOf(ctx, post.Self())
	if err != nil || x.Files != 3 || x.TotalFiles != 6 || x.Day != clocktest.Date(t, 1) {
		t.Errorf("the first post's excused blobs: %+v, %v; want 3 on the next day, 6 in all", x, err)
	}
}

// A hostile post sending, day after day, referenced junk within a day's
// allowance was excused it all, for ever (1 GiB a day by default), and
// never paused. The allowance is bounded in all too (made 5 here): past
// it the junk counts as addressed to others, the status says so in
// Chinese while it is below the pause's bound, and the post is paused at
// it by quarantine's rules (made 3 here), said as any such pause.
func TestReferencedJunkDayAfterDayPauses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	station, days := stationOfDays(t)
	cfg := Config{exemptBound: syncbook.ExcuseBound{DayFiles: 3, DayBytes: 1 << 30, AllFiles: 5, AllBytes: 1 << 30},
		notForUsBound: quarantine.Bound{Files: 3, Bytes: 1 << 30}}
	rng := rand.New(rand.NewPCG(15, 16))
	post, sp, folder := hostilePost(t, ctx, station)
	peerOf := func() status.Peer {
		t.Helper()
		st, err := station.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range st.Peers {
			if p.DeviceID == post.Self() {
				return p
			}
		}
		t.Fatal("the post is not in the status")
		return status.Peer{}
	}
	for _, d := range []struct {
		day       int64
		counted   int
		paused    bool
		overWords bool
	}{
		{0, 0, false, false}, // 2 excused (2 in all)
		{1, 0, false, false}, // 2 excused (4 in all)
		{2, 1, false, true},  // 1 excused (5 in all), 1 past the bound
		{3, 3, true, false},  // 2 past the bound: 3 counted, paused
	} {
		days.Store(d.day)
		plantReferencedJunk(t, ctx, post, station, folder, rng, 2)
		r, _ := NewNode(station, cfg).SyncOnce(ctx, sp)
		if d.paused != strings.Contains(r.Error, "paused") || r.Pulled != 2 {
			t.Fatalf("day %d: the session %+v; want 2 pulled, paused %v", d.day, r, d.paused)
		}
		ref, err := station.Book().RefusedOf(ctx, post.Self())
		if err != nil || ref.NotForUsFiles != d.counted || (ref.PausedAt != "") != d.paused {
			t.Fatalf("day %d: %+v, %v; want %d counted, paused %v", d.day, ref, err, d.counted, d.paused)
		}
		p := peerOf()
		if got := strings.Contains(p.OverExcused, "超出允许放行的数量"); got != d.overWords {
			t.Errorf("day %d: the status says %q of the junk past the allowance", d.day, p.OverExcused)
		}
		if d.paused && !strings.Contains(p.Paused, "已暂停") {
			t.Errorf("day %d: the status of the paused post: %q", d.day, p.Paused)
		}
	}
}
