package bep

import (
	"context"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// A session that moves every file across but leaves a known divergence (a
// changeset of the station's waiting for one that never comes) reports
// complete: false and says why, in Chinese, without waiting for its
// deadline.
func TestKnownDivergenceIsNotComplete(t *testing.T) {
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
		return tx.RecordIn(store.InChangeset{Origin: station.Self(), Stream: cjsync.PostFolder(post.Self()), Seq: 50,
			Digest: "d", Prev: "p", Name: "cs-x.cjcs", State: store.InWaiting}, []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := node.SyncOnce(ctx, peer)
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete || len(r.Divergences) != 1 || !strings.Contains(r.Divergences[0], "第 50 号变更包在等") {
		t.Fatalf("a session with a known divergence: %+v", r)
	}
	if r.Duration > 20*time.Second {
		t.Fatalf("it took %v to give up", r.Duration)
	}
}
