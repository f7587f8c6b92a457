package bep

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// receiptsBy counts the receipts device wrote into dir.
func receiptsBy(t *testing.T, dir string, device *cjsync.Engine) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	prefix := "rc-" + strings.ReplaceAll(device.Self(), "-", "")[:7] + "-"
	n := 0
	for _, en := range es {
		if strings.HasPrefix(en.Name(), prefix) {
			n++
		}
	}
	return n
}

// TestOneReceiptABurst: what a session brings in one go (the station's
// changesets in two folders, the post's own) is acknowledged by one
// receipt each way, not by one at the session's start and another after
// each import; and the receipt is across before a SyncOnce ends (the post
// holds the station's acknowledgement).
func TestOneReceiptABurst(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, station, peer := listeningPair(t, ctx)
	if err := post.Store().Save(ctx, &store.Village{Name: "南岗村"}); err != nil {
		t.Fatal(err)
	}
	if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知"}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*cjsync.Engine{post, station} {
		if _, err := e.Cut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r, err := NewNode(post, Config{}).SyncOnce(ctx, peer)
	if err != nil || !r.Complete {
		t.Fatalf("sync: %+v %v", r, err)
	}
	dir := post.FolderDir(cjsync.PostFolder(post.Self()))
	if n := receiptsBy(t, dir, post); n != 1 {
		t.Errorf("the post wrote %d receipts for one burst, want 1", n)
	}
	if n := receiptsBy(t, dir, station); n != 1 {
		t.Errorf("the post holds %d receipts of the station, want 1", n)
	}
	st, err := post.Status(ctx)
	if err != nil || !st.Acknowledged {
		t.Fatalf("post: acknowledged %v, waiting %+v, %v", st.Acknowledged, st.Waiting, err)
	}
}
