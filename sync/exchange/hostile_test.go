package exchange

// The exchange folder as an attacker would use it: a stick found in the car
// park, a shared drive anyone on the LAN can write to. Each test plants
// files, runs the exchange and checks the refusal, that the data did not
// change, and (for the big files) that memory stayed flat.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// settle makes a file look as if it stopped changing an hour ago, measured
// from its own modification time (tests never read the wall clock).
func settle(t *testing.T, p string) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	old := fi.ModTime().Add(-time.Hour)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
}

// sparse makes a file of size bytes that occupies no disk space.
func sparse(t *testing.T, p string, size int64) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(changesetMagic); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

const changesetMagic = "CJCS1\n"

// peakRSS is the process's peak resident set in bytes (Linux), or -1.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return -1
			}
			return kb << 10
		}
	}
	return -1
}

func rejectsOf(t *testing.T, e *cjsync.Engine) []syncbook.Reject {
	t.Helper()
	rs, err := e.Book().Rejects(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func rejectOf(t *testing.T, e *cjsync.Engine, file string) syncbook.Reject {
	t.Helper()
	var found []syncbook.Reject
	for _, r := range rejectsOf(t, e) {
		if r.File == file {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d rejection log entries, want 1: %+v", file, len(found), found)
	}
	return found[0]
}

// A 1 GiB and a 4 GiB "changeset" (sparse files) are refused by their
// size, unread: the import allocates next to nothing and the peak RSS does
// not move, the refusal is logged once with a reason and no sender, the
// files are not pending, and the database is as it was.
func TestHugeFilesRefusedUnread(t *testing.T) {
	ctx := context.Background()
	station := device(t, store.RoleStation, "S")
	stick := t.TempDir()
	huge := map[string]int64{
		"cs-aaaaaaa-pbbbbbbb-000000000001-0123456789abcdef.cjcs": 1 << 30,
		"cs-aaaaaaa-pbbbbbbb-000000000002-0123456789abcdef.cjcs": 4 << 30,
		changeset.BlobName(strings.Repeat("ab", 32)):             4 << 30,
	}
	for n, size := range huge {
		sparse(t, filepath.Join(stick, n), size)
		settle(t, filepath.Join(stick, n)) // final: nothing to wait for
	}
	before := dump(t, station, "")
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	rss0 := peakRSS()
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	rss1 := peakRSS()
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 32<<20 {
		t.Errorf("the exchange allocated %d MiB for files it refuses unread", got>>20)
	}
	if rss0 > 0 && rss1-rss0 > 64<<20 {
		t.Errorf("peak RSS grew by %d MiB", (rss1-rss0)>>20)
	}
	if rep.Imported.Outcomes[cjsync.Rejected] != len(huge) || len(rep.Pending) != 0 {
		t.Fatalf("huge files: %+v pending %v", rep.Imported.Outcomes, rep.Pending)
	}
	for n := range huge {
		r := rejectOf(t, station, n)
		if r.Origin != "" || !strings.Contains(r.Reason, "refused unread") || !strings.Contains(r.Reason, "bytes") {
			t.Errorf("%s: rejection %+v", n, r)
		}
	}
	// Again: refused again, logged once.
	if _, err := Once(ctx, station, stick); err != nil {
		t.Fatal(err)
	}
	for n := range huge {
		rejectOf(t, station, n)
	}
	if dump(t, station, "") != before {
		t.Fatal("refused files changed the database")
	}
}

// A link planted under the temporary name exchange writes a changeset
// through (.cj-tmp-<name>) must not make it overwrite the link's target;
// neither may a link under the changeset's own name.
func TestPlantedLinksAreNotWrittenThrough(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	if err := post.Store().Save(ctx, &store.Village{Name: "西河村"}); err != nil {
		t.Fatal(err)
	}
	first := t.TempDir()
	if _, err := Once(ctx, post, first); err != nil {
		t.Fatal(err)
	}
	var name string
	ents, _ := os.ReadDir(first)
	for _, en := range ents {
		if changeset.IsName(en.Name()) {
			name = en.Name()
		}
	}
	if name == "" {
		t.Fatal("no changeset written")
	}
	want, err := os.ReadFile(filepath.Join(first, name))
	if err != nil {
		t.Fatal(err)
	}
	for _, plant := range []string{safefile.TempPrefix + name, name} {
		t.Run(plant[:4], func(t *testing.T) {
			stick, outside := t.TempDir(), t.TempDir()
			victim := filepath.Join(outside, "victim.txt")
			const text = "the officer's notes, not to be overwritten\n"
			if err := os.WriteFile(victim, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(victim, filepath.Join(stick, plant)); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
			if _, err := Once(ctx, post, stick); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(victim); string(got) != text {
				t.Fatalf("victim overwritten through the link (%d bytes)", len(got))
			}
			fi, err := os.Lstat(filepath.Join(stick, name))
			if err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("changeset not written as a file of its own: %v %v", fi, err)
			}
			if got, _ := os.ReadFile(filepath.Join(stick, name)); !bytes.Equal(got, want) {
				t.Fatal("changeset written wrong")
			}
			if _, err := os.Lstat(filepath.Join(stick, safefile.TempPrefix+name)); !os.IsNotExist(err) {
				t.Errorf("temporary name left behind: %v", err)
			}
		})
	}
	// A link to a sound changeset under its name is refused, not followed:
	// the importer reads only files that are on the stick.
	stick := t.TempDir()
	if err := os.Symlink(filepath.Join(first, name), filepath.Join(stick, name)); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Outcomes[cjsync.Rejected] != 1 || rep.Imported.Outcomes[cjsync.Applied] != 0 {
		t.Fatalf("linked changeset: %+v", rep.Imported.Outcomes)
	}
	if r := rejectOf(t, station, name); !strings.Contains(r.Reason, "not a regular file") || r.Origin != "" {
		t.Fatalf("rejection %+v", r)
	}
	if strings.Contains(dump(t, station, ""), "西河村") {
		t.Fatal("data arrived through a link")
	}
}

// A garbage file under a blob's name is pending while it may still be
// arriving, and rejected once it has settled: not pending for ever.
func TestGarbageBlobRejectedOnceSettled(t *testing.T) {
	ctx := context.Background()
	station := device(t, store.RoleStation, "S")
	stick := t.TempDir()
	junk := make([]byte, 5000)
	rand.Read(junk)
	name := changeset.BlobName(changeset.HashBlob(junk))
	p := filepath.Join(stick, name)
	if err := os.WriteFile(p, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Once(ctx, station, stick)
	if err != nil || len(rep.Pending) != 1 {
		t.Fatalf("fresh garbage blob: %+v %v", rep, err)
	}
	settle(t, p)
	for range 2 {
		rep, err = Once(ctx, station, stick)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Pending) != 0 || rep.Imported.Outcomes[cjsync.Rejected] != 1 {
			t.Fatalf("settled garbage blob: %+v pending %v", rep.Imported.Outcomes, rep.Pending)
		}
	}
	if r := rejectOf(t, station, name); r.Origin != "" || r.Reason == "" {
		t.Fatalf("rejection %+v", r)
	}
	if ok, _ := station.Store().HasBlob(ctx, changeset.HashBlob(junk)); ok {
		t.Fatal("garbage stored as a blob")
	}
}

// A changeset sealed by a stranger that names a paired post as its origin,
// in the outer header and in the encrypted header, is rejected, and the
// rejection log does not name the post: only a verified origin is named.
func TestForgedOriginIsNotNamed(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	forger := device(t, store.RolePost, "F") // never paired
	if err := forger.Store().Save(ctx, &store.Village{Name: "假村"}); err != nil {
		t.Fatal(err)
	}
	changes, _, err := forger.Store().ChangesSince(ctx, forger.Self(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	to := []age.Recipient{station.Identity().Age.Recipient()}
	stick := t.TempDir()
	var names []string
	for _, origin := range []string{post.Self(), forger.Self()} {
		h := changeset.Header{Origin: origin, Stream: cjsync.PostFolder(origin), Seq: 1}
		s, err := changeset.Seal(h, changes, forger.Identity().Sign, to)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stick, s.Name), s.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		settle(t, filepath.Join(stick, s.Name))
		names = append(names, s.Name)
	}
	before := dump(t, station, "")
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Outcomes[cjsync.Rejected] != 2 {
		t.Fatalf("forged: %+v", rep.Imported.Outcomes)
	}
	for _, r := range rep.Imported.Results {
		if r.Origin != "" {
			t.Errorf("%s: result names origin %s", r.File, r.Origin)
		}
	}
	for _, n := range names {
		r := rejectOf(t, station, n)
		if r.Origin != "" || strings.Contains(r.Reason, post.Self()) || strings.Contains(r.Reason, forger.Self()) {
			t.Errorf("rejection names an unverified sender: %+v", r)
		}
	}
	if dump(t, station, "") != before {
		t.Fatal("forged changesets changed the database")
	}
}

// A paired post may write only its own stream: a changeset it signs for
// another post's stream, for a station's broadcast stream or under a
// made-up name is rejected (naming the post, which signed it) and stores
// nothing, not even a waiting chain.
func TestPairedPostCannotOpenOtherStreams(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	other := device(t, store.RolePost, "Q")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	pair(t, other, station)
	if err := post.Store().Save(ctx, &store.Village{Name: "东沟村"}); err != nil {
		t.Fatal(err)
	}
	changes, _, err := post.Store().ChangesSince(ctx, post.Self(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	to := []age.Recipient{station.Identity().Age.Recipient()}
	stick := t.TempDir()
	for i, stream := range []string{cjsync.PostFolder(other.Self()), cjsync.StationFolder(post.Self()),
		cjsync.StationFolder(station.Self()), "cj-post-" + strings.Repeat("Z", 200), "anything"} {
		h := changeset.Header{Origin: post.Self(), Stream: stream, Seq: uint64(1 + i%2)}
		s, err := changeset.Seal(h, changes, post.Identity().Sign, to)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stick, s.Name), s.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		settle(t, filepath.Join(stick, s.Name))
	}
	before := dump(t, station, "")
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Outcomes[cjsync.Rejected] != 5 {
		t.Fatalf("streams: %+v", rep.Imported.Outcomes)
	}
	for _, r := range rejectsOf(t, station) {
		if r.Origin != post.Self() || !strings.Contains(r.Reason, "stream") {
			t.Errorf("rejection %+v", r)
		}
	}
	if dump(t, station, "") != before {
		t.Fatal("changesets in foreign streams changed the database")
	}
	if in, err := station.Store().SyncBook().InChangesets(ctx, ""); err != nil || len(in) != 0 {
		t.Fatalf("foreign streams were recorded: %+v %v", in, err)
	}
	// The post's own stream still works.
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	if _, err := Once(ctx, station, stick); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dump(t, station, post.Self()), "东沟村") {
		t.Fatal("the post's own stream was not applied")
	}
}

// What a stick holds besides cunjing's files — an officer's documents, a
// folder nested deep, a pipe, links to /etc/passwd and in a loop, a 10 GB
// film, a name that is not UTF-8 — is left alone, unread, and reported
// (other_files, the first names): it used to be skipped without a word,
// so a stick full of junk read as an empty one. A temporary file of ours
// is neither.
func TestJunkOnTheStickIsReported(t *testing.T) {
	ctx := context.Background()
	station := device(t, store.RoleStation, "S")
	stick := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(stick, name), []byte("not ours"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("工作总结.docx")
	write("\xff\xfe.txt")
	write(safefile.TempPrefix + "cs-x.cjcs.0123456789ab")
	deep := stick
	for range 100 {
		deep = filepath.Join(deep, "d")
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(stick, "cs-AAAAAAA-pAAAAAAA-000000000001-0123456789abcdef.cjcs"), 0o755); err != nil {
		t.Fatal(err)
	}
	sparse(t, filepath.Join(stick, "电影.mp4"), 10<<30)
	links := []string{"passwd", "loop"}
	if err := os.Symlink("/etc/passwd", filepath.Join(stick, "passwd")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink("loop", filepath.Join(stick, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := syscallMkfifo(filepath.Join(stick, "pipe")); err == nil {
		links = append(links, "pipe")
	}
	want := 5 + len(links) // the two files, the two folders, the film
	rep, err := Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Imported.Other; got != want {
		t.Fatalf("other files: %d, want %d: %q", got, want, rep.Imported.OtherNames)
	}
	names := strings.Join(rep.Imported.OtherNames, "|")
	for _, n := range append(links, "工作总结.docx", "电影.mp4", "d", "\ufffd.txt") {
		if !strings.Contains(names, n) {
			t.Errorf("%q not among the names reported: %q", n, rep.Imported.OtherNames)
		}
	}
	if strings.Contains(names, safefile.TempPrefix) {
		t.Errorf("a temporary file of ours reported as junk: %q", rep.Imported.OtherNames)
	}
	if rep.Imported.Files != 0 || len(rep.Pending) != 0 {
		t.Errorf("junk read as cunjing files: %+v pending %v", rep.Imported, rep.Pending)
	}
}
