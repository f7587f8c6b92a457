package exchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

// once is Once of e over stick, which must not fail.
func once(t *testing.T, e *cjsync.Engine, stick string) Report {
	t.Helper()
	rep, err := Once(context.Background(), e, stick)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// resultOf is what the pass did with the file name ("" outcome: nothing).
func resultOf(rep Report, name string) cjsync.Result {
	for _, r := range rep.Imported.Results {
		if r.File == name {
			return r
		}
	}
	return cjsync.Result{}
}

// remembered says whether the pass took the file's result from what an
// earlier pass remembered, unexamined.
func remembered(r cjsync.Result) bool {
	return strings.HasPrefix(r.Reason, "refused before, unchanged since") || strings.HasPrefix(r.Reason, "examined before:")
}

// Files a stick brings that are refused were read and verified again on
// every pass (a stick left in the PC: every sync). Now a refused file is
// remembered by its name, size, time and content's hash: the next pass
// hashes it instead of verifying it, still reports it refused, and counts
// it no more. A file changed since is examined again, even a copy of the
// same size made again with its time kept over a damaged one (资源管理器
// keeps the time): it is taken. A renamed copy of a refused file is a new
// file: examined, and counted against the day. (Red before: every pass
// gave the refusal's first reason, not "refused before".)
func TestRefusedFilesAreNotExaminedAgain(t *testing.T) {
	ctx := context.Background()
	post, station := pairedPost(t)
	src := t.TempDir()
	if _, err := Once(ctx, post, src); err != nil {
		t.Fatal(err)
	}
	var good string
	for _, name := range written(src) {
		if changeset.IsName(name) {
			good = name
		}
	}
	whole, err := os.ReadFile(filepath.Join(src, good))
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	put := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(stick, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		at := clocktest.Today(t).Add(-time.Hour) // settled, and the same time each write
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	damaged := bytes.Clone(whole)
	damaged[len(damaged)/2] ^= 0xff // a bit flipped on the way
	put(good, damaged)
	junk := "cs-0000000-p0000000-000000000001-0123456789abcdef.cjcs"
	put(junk, []byte(strings.Repeat("junk", 25)))

	pass := func() Report { t.Helper(); return once(t, station, stick) }
	first := pass()
	for _, n := range []string{good, junk} {
		if r := resultOf(first, n); r.Outcome != cjsync.Rejected || remembered(r) {
			t.Fatalf("first pass, %s: %+v", n, r)
		}
	}
	if first.JunkToday.Files != 2 {
		t.Fatalf("first pass counted %d refused files, want 2", first.JunkToday.Files)
	}
	second := pass()
	for _, n := range []string{good, junk} {
		if r := resultOf(second, n); r.Outcome != cjsync.Rejected || !remembered(r) {
			t.Errorf("second pass, %s: examined again: %+v", n, r)
		}
	}
	if second.JunkToday.Files != 2 || second.Imported.Outcomes[cjsync.Rejected] != 2 {
		t.Errorf("second pass: counted %d, reported %d refused; want 2 and 2", second.JunkToday.Files, second.Imported.Outcomes[cjsync.Rejected])
	}

	// The good copy over the damaged one, same size, same time; and the
	// junk again under another name.
	put(good, whole)
	put(strings.Replace(junk, "000000000001", "000000000002", 1), []byte(strings.Repeat("junk", 25)))
	third := pass()
	if r := resultOf(third, good); r.Outcome != cjsync.Applied {
		t.Errorf("the good copy over the damaged one was not taken: %+v", r)
	}
	if !strings.Contains(dump(t, station, post.Self()), "西河村") {
		t.Error("the post's village did not arrive")
	}
	if r := resultOf(third, junk); !remembered(r) {
		t.Errorf("unchanged junk examined again: %+v", r)
	}
	if third.JunkToday.Files != 3 {
		t.Errorf("the renamed junk was not counted: %d refused today, want 3", third.JunkToday.Files)
	}
}

// A blob sound and addressed here that no applied changeset refers to was
// decrypted again on each pass (up to 256 MB of work each sync, a stick
// left in the PC). Now it is remembered by its name, its content's
// address, and skipped while nothing refers to it; once the changeset
// that refers to it comes, it is taken. (Red before: the second pass
// opened it again.)
func TestUnreferencedBlobIsNotDecryptedAgain(t *testing.T) {
	ctx := context.Background()
	post, station := pairedPost(t)
	v := &store.Village{Name: "东岭村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	scan := bytes.Repeat([]byte{5, 6, 7, 8}, 20_000)
	h := sha(scan)
	if err := post.Store().PutBlob(ctx, h, scan); err != nil {
		t.Fatal(err)
	}
	if err := post.Store().Save(ctx, &store.VillageMap{VillageID: v.ID, Name: "底图", ImageHash: h}); err != nil {
		t.Fatal(err)
	}
	stick, aside := t.TempDir(), t.TempDir()
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	// The changesets stay behind: the blob comes alone.
	for _, name := range written(stick) {
		if changeset.IsName(name) {
			if err := os.Rename(filepath.Join(stick, name), filepath.Join(aside, name)); err != nil {
				t.Fatal(err)
			}
		} else {
			settle(t, filepath.Join(stick, name))
		}
	}
	blob := changeset.BlobName(h)
	for i, want := range []bool{false, true, true} {
		rep, err := Once(ctx, station, stick)
		if err != nil {
			t.Fatal(err)
		}
		if r := resultOf(rep, blob); r.Outcome != cjsync.Waiting || remembered(r) != want {
			t.Fatalf("pass %d: %+v (want remembered %v)", i+1, r, want)
		}
	}
	for _, name := range written(aside) {
		if err := os.Rename(filepath.Join(aside, name), filepath.Join(stick, name)); err != nil {
			t.Fatal(err)
		}
		settle(t, filepath.Join(stick, name))
	}
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if r := resultOf(rep, blob); r.Outcome != cjsync.Applied {
		t.Fatalf("the blob once its changeset came: %+v", r)
	}
	if got, err := station.Store().Blob(ctx, h); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("blob not taken: %v", err)
	}
}
