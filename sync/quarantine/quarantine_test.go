package quarantine

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
)

// Sweep moves refused files out of the folder, removes a link instead of
// following it, skips names that are not plain names, counts only what
// the peer sent, keeps the quarantine within its bound and pauses the
// peer once its refused files reach the bound, saying so in the log.
func TestSweep(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Create(ctx, filepath.Join(dir, "db"), store.Identity{DeviceID: "SSSSSSS-SSSSSSS", Role: store.RoleStation, Name: "站"}, store.Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	root := filepath.Join(dir, "sync")
	folder := "cj-post-X"
	if err := os.MkdirAll(filepath.Join(root, folder), 0o700); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(dir, "outside")
	if err := os.WriteFile(outside, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	put := func(name string, size int) {
		if err := os.WriteFile(filepath.Join(root, folder, name), bytes.Repeat([]byte{1}, size), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	put("a.cjcs", 100)
	put("b.cjcs", 200)
	put("old.cjcs", 50)
	if err := os.Symlink(outside, filepath.Join(root, folder, "link.cjcs")); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	peer := syncbook.Peer{DeviceID: "PPPPPPP-PPPPPPP", Name: "东关村警务室"}
	r, paused, err := Sweep(ctx, st.SyncBook(), log, root, folder, peer, []File{
		{Name: "a.cjcs", Pulled: true}, {Name: "b.cjcs", Pulled: true}, {Name: "old.cjcs"},
		{Name: "link.cjcs", Pulled: true}, {Name: "../outside", Pulled: true}, {Name: "gone.cjcs", Pulled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 300 + int64(len(outside)); paused || r.Files != 3 || r.Bytes != want {
		t.Fatalf("after the first sweep: %+v paused %v, want 3 files (a, b, the link) of %d bytes, not paused", r, paused, want)
	}
	for _, n := range []string{"a.cjcs", "b.cjcs", "old.cjcs", "link.cjcs"} {
		if _, err := os.Lstat(filepath.Join(root, folder, n)); err == nil {
			t.Errorf("%s is still in the folder", n)
		}
	}
	if _, err := os.Stat(filepath.Join(root, Dir, folder, "a.cjcs")); err != nil {
		t.Errorf("a.cjcs is not in the quarantine: %v", err)
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "keep me" {
		t.Fatalf("the file a link pointed to was touched: %q %v", b, err)
	}
	// Past the bound: paused, with a log line and Chinese words.
	var files []File
	for i := range MaxFiles {
		n := "x" + string(rune('a'+i%26)) + strings.Repeat("y", i/26) + ".cjcs"
		put(n, 10)
		files = append(files, File{Name: n, Pulled: true})
	}
	r, paused, err = Sweep(ctx, st.SyncBook(), log, root, folder, peer, files)
	if err != nil {
		t.Fatal(err)
	}
	if !paused || r.PausedAt == "" || r.Files != 3+MaxFiles {
		t.Fatalf("after %d more: %+v paused %v, want paused", MaxFiles, r, paused)
	}
	if !strings.Contains(logs.String(), "sessions with this device paused") {
		t.Fatalf("no log line says the peer was paused:\n%s", logs.String())
	}
	if err := Paused(ctx, st.SyncBook(), peer); err == nil || !strings.Contains(err.Error(), "已暂停和「东关村警务室」同步") {
		t.Fatalf("Paused: %v, want the pause in Chinese", err)
	}
	if err := st.SyncBook().ClearRefused(ctx, peer.DeviceID); err != nil {
		t.Fatal(err)
	}
	if err := Paused(ctx, st.SyncBook(), peer); err != nil {
		t.Fatalf("after pairing again: %v", err)
	}
}

// The quarantine keeps the newest files up to its bound.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	for i, n := range []string{"1", "2", "3"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, make([]byte, 100), 0o600); err != nil {
			t.Fatal(err)
		}
		at := clocktest.Today(t).Add(-time.Duration(i) * time.Hour)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := prune(dir, 150); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]bool{"1": true, "2": false, "3": false} {
		if _, err := os.Stat(filepath.Join(dir, n)); (err == nil) != want {
			t.Errorf("%s kept: %v, want %v", n, err == nil, want)
		}
	}
}

// Release puts quarantined files back into their folders, but not a name
// taken there meanwhile, nor a receipt (read once: it would stay).
func TestRelease(t *testing.T) {
	root := t.TempDir()
	q := filepath.Join(root, Dir, "cj-post-X")
	if err := os.MkdirAll(q, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "cj-post-X"), 0o700); err != nil {
		t.Fatal(err)
	}
	receipt := "rc-AAAAAAA-BBBBBBB-0000000000000001-0011223344556677.cjrc"
	for _, n := range []string{"a.cjcs", "taken.cjcs", receipt} {
		if err := os.WriteFile(filepath.Join(q, n), []byte("q"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "cj-post-X", "taken.cjcs"), []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Release(root); err != nil {
		t.Fatal(err)
	}
	for n, back := range map[string]bool{"a.cjcs": true, "taken.cjcs": false, receipt: false} {
		if _, err := os.Stat(filepath.Join(q, n)); (err != nil) != back {
			t.Errorf("%s released: %v, want %v", n, err != nil, back)
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "cj-post-X", "taken.cjcs")); err != nil || string(b) != "new" {
		t.Fatalf("the name taken meanwhile was overwritten: %q %v", b, err)
	}
}

// The default allowance lets a legitimate large day through (a post's
// 30 MB scanned map and a release: a Windows installer and two .deb, some
// 40 MB each, sealed before the station paired it), but not the same
// every day: past the bound in all what a reference names is not excused,
// and NoteOverExcused logs it with the status's Chinese words.
func TestExcuseBoundLetsALargeDayThrough(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var skew atomic.Int64
	base := clocktest.Clock(t)
	st, err := store.Create(ctx, filepath.Join(dir, "db"), store.Identity{DeviceID: "SSSSSSS-SSSSSSS", Role: store.RoleStation, Name: "站"},
		store.Options{Now: func() time.Time { return base().Add(time.Duration(skew.Load()) * 24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	book := st.SyncBook()
	peer := syncbook.Peer{DeviceID: "PPPPPPP-PPPPPPP", Name: "东关村警务室"}
	const mb = 1 << 20
	largeDay := []int64{30 * mb, 40 * mb, 40 * mb, 40 * mb}
	for _, size := range largeDay {
		if _, ok, err := book.Excuse(ctx, peer.DeviceID, size, ExcuseBound); err != nil || !ok {
			t.Fatalf("a %d MB file of a large day not excused: %v, %v", size/mb, ok, err)
		}
	}
	// The same day after day: within a day's allowance, not in all.
	day, notExcused := int64(0), 0
	for notExcused == 0 && day < 100 {
		day++
		skew.Store(day)
		for _, size := range largeDay {
			if _, ok, err := book.Excuse(ctx, peer.DeviceID, size, ExcuseBound); err != nil {
				t.Fatal(err)
			} else if !ok {
				notExcused++
			}
		}
	}
	if want := ExcuseBound.AllBytes / (150 * mb); day > want {
		t.Fatalf("large days were excused for %d days, want at most %d", day, want)
	}
	var logs bytes.Buffer
	if err := NoteOverExcused(ctx, book, slog.New(slog.NewTextHandler(&logs, nil)), peer, notExcused, 40*mb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "东关村警务室") || !strings.Contains(logs.String(), "超出允许放行的数量") {
		t.Errorf("the log of files past the allowance: %s", logs.String())
	}
}
