package bep

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/entries"
	"cunjing/sync/changeset"
)

// entry is an index entry of size bytes in 128 KiB blocks.
func entry(name string, size int64) protocol.FileInfo {
	fi := protocol.FileInfo{Name: name, Type: protocol.FileInfoTypeFile, Size: size, RawBlockSize: protocol.MinBlockSize}
	bs := int64(protocol.MinBlockSize)
	for off := int64(0); off < size || off == 0; off += bs {
		fi.Blocks = append(fi.Blocks, protocol.BlockInfo{Offset: off, Size: int(min(bs, size-off)), Hash: make([]byte, sha256.Size)})
		if size == 0 {
			break
		}
	}
	return fi
}

// A peer announces each file at most as large as its kind may be: a
// receipt 1 MiB, a changeset changeset.MaxFileSize, a blob
// changeset.MaxBlobFileSize. Anything larger is never pulled, with an
// error that names the kind and the bound.
func TestAnnouncedSizeBoundByKind(t *testing.T) {
	const hash = "0000000000000000000000000000000000000000000000000000000000000000"
	receipt := "rc-AAAAAAA-BBBBBBB-0000000000000001-0011223344556677" + changeset.ReceiptExt
	cs := changeset.Name("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH", "cj-post-x", 1, []byte("x"))
	blob := changeset.BlobName(hash)
	for _, tc := range []struct {
		name string
		size int64
		ok   bool
		kind string
	}{
		{receipt, 442, true, ""},
		{receipt, changeset.MaxReceiptSize + 1, false, "receipt"},
		{cs, 40 << 10, true, ""},
		{cs, changeset.MaxFileSize + 1, false, "changeset"},
		{blob, 30 << 20, true, ""},
		{blob, changeset.MaxBlobFileSize + 1, false, "blob"},
	} {
		_, ok, err := entries.Remote(entry(tc.name, tc.size))
		if ok != tc.ok || (err == nil) != tc.ok {
			t.Errorf("%s of %d bytes: ok %v, err %v; want ok %v", tc.name[:12], tc.size, ok, err, tc.ok)
			continue
		}
		if !tc.ok && !strings.Contains(err.Error(), tc.kind) {
			t.Errorf("%s of %d bytes: the error does not name the kind %s: %v", tc.name[:12], tc.size, tc.kind, err)
		}
	}
}

// A session takes at most maxPull bytes of files from its peer (a paired
// device announcing file after file of the largest kind would otherwise
// fill the disk in one go); the session ends saying so, and what is left
// comes in the next, so a real transfer larger than that still finishes.
func TestSessionPullBudget(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	addr := listen(t, ctx, station, Config{})
	peer := pairAt(t, post, station, addr)
	putScan(t, ctx, post, 300<<10, 1)
	putScan(t, ctx, post, 300<<10, 2)
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	// The station dials the post's files in: the station's own node pulls.
	stationNode := NewNode(station, Config{maxPull: 400 << 10})
	postAddr := listen(t, ctx, post, Config{})
	sp, err := station.Book().Peer(ctx, post.Self())
	if err != nil {
		t.Fatal(err)
	}
	sp.Addresses = []string{postAddr}
	_ = peer
	r, err := stationNode.SyncOnce(ctx, sp)
	if err == nil && r.Complete {
		t.Fatalf("a session over its budget completed: %+v", r)
	}
	if !strings.Contains(r.Error, "at most") {
		t.Fatalf("session over budget: %q, want it to say the bound", r.Error)
	}
	if r.BytesIn > 600<<10 {
		t.Fatalf("%d bytes in past a budget of %d", r.BytesIn, 400<<10)
	}
	r, err = stationNode.SyncOnce(ctx, sp)
	if err != nil || !r.Complete {
		t.Fatalf("the next session did not finish what was left: %+v %v", r, err)
	}
}

// A peer's index of a folder holds at most maxEntries files here; what it
// announces past that is left out (logged, never pulled), however the
// entries are split over messages.
func TestAnnouncedEntriesBounded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	addr := listen(t, ctx, station, Config{})
	peer := pairAt(t, post, station, addr)
	for i := range 5 {
		if err := station.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("通知%d", i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := station.Cut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := NewNode(post, Config{maxEntries: 3}).SyncOnce(ctx, peer); err != nil {
		t.Fatal(err)
	}
	folder := cjsync.StationFolder(station.Self())
	n, err := post.Book().BEPRemoteCount(ctx, folder, station.Self())
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n > 3 {
		t.Fatalf("the post holds %d entries of the station's index of %s, want 1 to 3", n, folder)
	}
}

// A long index goes out in several messages, each under what a receiver
// takes (framing.MaxMessage): at most indexBatch entries, and about an
// eighth of the bound in bytes (a folder of large blobs: ~40 B a block).
func TestIndexSentInBatches(t *testing.T) {
	big := entry("blob-x", 200<<20) // 1,600 blocks
	small := entry("cs-x", 40<<10)
	for _, tc := range []struct {
		name  string
		n     int
		fi    protocol.FileInfo
		files int
		want  int
	}{
		{"none", 0, small, 10, 1},
		{"under", 10, small, 10, 1},
		{"by count", 25, small, 10, 3},
		{"by bytes", 200, big, 10_000, 2},
	} {
		fis := make([]protocol.FileInfo, tc.n)
		for i := range fis {
			fis[i] = tc.fi
			fis[i].Sequence = int64(i + 1)
		}
		bs := indexBatches(fis, tc.files)
		total := 0
		for _, b := range bs {
			size := 0
			for _, fi := range b {
				size += 128 + len(fi.Name) + 48*len(fi.Blocks)
			}
			if len(b) > tc.files || (len(b) > 1 && size > indexBatchBytes) {
				t.Errorf("%s: a batch of %d entries, %d bytes", tc.name, len(b), size)
			}
			total += len(b)
		}
		if len(bs) != tc.want || total != tc.n {
			t.Errorf("%s: %d batches holding %d entries, want %d holding %d", tc.name, len(bs), total, tc.want, tc.n)
		}
	}

	// And over a link: a full index and then updates, both in batches of 2.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	addr := listen(t, ctx, station, Config{indexBatch: 2})
	peer := pairAt(t, post, station, addr)
	notices := 0
	for round, n := range []int{5, 3} {
		for range n {
			notices++
			if err := station.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("通知%d", notices)}); err != nil {
				t.Fatal(err)
			}
			if _, err := station.Cut(ctx); err != nil {
				t.Fatal(err)
			}
		}
		r, err := NewNode(post, Config{indexBatch: 2}).SyncOnce(ctx, peer)
		if err != nil || !r.Complete {
			t.Fatalf("round %d: %+v %v", round+1, r, err)
		}
		ns, err := post.Store().Notices(ctx)
		if err != nil || len(ns) != notices {
			t.Fatalf("round %d: the post holds %d notices, want %d (%v)", round+1, len(ns), notices, err)
		}
	}
}
