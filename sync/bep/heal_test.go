package bep

import (
	"context"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
)

// A session that moves every file across but leaves a known divergence (a
// changeset of the station's waiting for one that never comes) reports
// complete: false and says why, in Chinese, without waiting for its
// deadline.
func TestKnownDivergenceIsNotComplete(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, station, peer := listeningPair(t, ctx)
	if err := post.Store().Save(ctx, &store.Village{Name: "南岗村"}); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	node := NewNode(post, Config{})
	if r, err := node.SyncOnce(ctx, peer); err != nil || !r.Complete || len(r.Divergences) != 0 {
		t.Fatalf("first sync: %+v %v", r, err)
	}
	// The station's 50th changeset arrived by some carrier; its 1st..49th never will.
	err := post.Store().Update(ctx, func(tx *store.Tx) error {
		return tx.SyncBook().RecordIn(ctx, syncbook.InChangeset{Origin: station.Self(), Stream: cjsync.PostFolder(post.Self()), Seq: 50,
			Digest: "d", Prev: "p", Name: "cs-x.cjcs", State: syncbook.InWaiting}, []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := node.SyncOnce(ctx, peer)
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete || len(r.Divergences) != 1 || !strings.Contains(r.Divergences[0], "第 50 号数据包在等") {
		t.Fatalf("a session with a known divergence: %+v", r)
	}
	if r.Duration > 20*time.Second {
		t.Fatalf("it took %v to give up", r.Duration)
	}
}

// A post restored on the same PC from a backup older than what the station
// holds of its index: its folder still holds every file, and scanning it
// again numbers them anew. Files that sort after a changeset cut since the
// restore (receipts, "rc-…") push that changeset below the sequence the
// station holds, so "send what is newer than the station's sequence"
// would never announce it. The post must send its index anew.
func TestRestoredIndexIsSentAnew(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	post, station, peer := listeningPair(t, ctx)
	edit := func(e *cjsync.Engine, v store.Record) {
		t.Helper()
		if err := e.Store().Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Cut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	syncOnce := func(e *cjsync.Engine, d time.Duration) Result {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		r, err := NewNode(e, Config{}).SyncOnce(sctx, peer)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	edit(post, &store.Village{Name: "南岗村"})
	edit(station, &store.Notice{Title: "冬防通知"})
	if r := syncOnce(post, 30*time.Second); !r.Complete {
		t.Fatalf("first sync: %+v", r)
	}
	saved, err := backup.Write(ctx, post.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	// After the backup: two cuts of the post, one of the station, and with
	// them new receipts from both in the post's folder.
	edit(post, &store.Village{Name: "北岗村"})
	edit(post, &store.Village{Name: "东岗村"})
	edit(station, &store.Notice{Title: "第二个通知"})
	if r := syncOnce(post, 30*time.Second); !r.Complete {
		t.Fatalf("second sync: %+v", r)
	}

	path := post.Store().Path()
	post.Store().Close()
	if _, err := backup.Restore(ctx, path, saved, backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if post, err = cjsync.New(ctx, st, cjsync.Options{}); err != nil {
		t.Fatal(err)
	}
	edit(post, &store.Village{Name: "恢复以后的村"})
	r := syncOnce(post, 20*time.Second)
	if !r.Complete {
		t.Fatalf("the session after the restore never completed: %+v", r)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatalf("the station lacks what the restored post cut:\n%s\n---\n%s", a, b)
	}
}
