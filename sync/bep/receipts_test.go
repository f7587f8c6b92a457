package bep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
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
	newsBothWays(t, ctx, post, station)
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

// receiptFormats lists the formats of the receipts device wrote into dir.
func receiptFormats(t *testing.T, dir string, device *cjsync.Engine) []int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	prefix := "rc-" + strings.ReplaceAll(device.Self(), "-", "")[:7] + "-"
	var out []int
	for _, en := range es {
		if strings.HasPrefix(en.Name(), prefix) {
			data, err := os.ReadFile(filepath.Join(dir, en.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, changeset.ReceiptFormat(data))
		}
	}
	return out
}

// TestReceiptFormatNegotiated: a device makes its receipts in format 2
// only for a peer whose hello says it reads them (v1.1.0 on), format 1
// for one that says v1.0.0; either way both sides take the other's
// receipt and end acknowledged.
func TestReceiptFormatNegotiated(t *testing.T) {
	for _, c := range []struct {
		name                    string
		postSays, stationSays   string
		postMakes, stationMakes int
	}{
		{"both new", "", "", changeset.ReceiptFormat2, changeset.ReceiptFormat2},
		{"old station", "", "v1.0.0", changeset.ReceiptFormat1, changeset.ReceiptFormat2},
		{"old post", "v1.0.0", "", changeset.ReceiptFormat2, changeset.ReceiptFormat1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			post := device(t, store.RolePost, "P")
			station := device(t, store.RoleStation, "S")
			peer := pairAt(t, post, station, listen(t, ctx, station, Config{clientVersion: c.stationSays}))
			newsBothWays(t, ctx, post, station)
			r, err := NewNode(post, Config{clientVersion: c.postSays}).SyncOnce(ctx, peer)
			if err != nil || !r.Complete {
				t.Fatalf("sync: %+v %v", r, err)
			}
			dir := post.FolderDir(cjsync.PostFolder(post.Self()))
			if got := receiptFormats(t, dir, post); len(got) != 1 || got[0] != c.postMakes {
				t.Errorf("the post's receipts are of formats %v, want [%d]", got, c.postMakes)
			}
			if got := receiptFormats(t, dir, station); len(got) != 1 || got[0] != c.stationMakes {
				t.Errorf("the station's receipts are of formats %v, want [%d]", got, c.stationMakes)
			}
			for _, e := range []*cjsync.Engine{post, station} {
				st, err := e.Status(ctx)
				if err != nil || !st.Acknowledged {
					t.Errorf("%s: acknowledged %v, waiting %+v, %v", e.Self()[:7], st.Acknowledged, st.Waiting, err)
				}
			}
		})
	}
}
