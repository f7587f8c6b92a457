package bep

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

func testDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "cunjing-bep-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func device(t testing.TB, role, name string) *cjsync.Engine {
	t.Helper()
	ctx := context.Background()
	st, _, err := cjsync.Init(ctx, filepath.Join(testDir(t), "db"), store.Identity{Role: role, Name: name}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := cjsync.New(ctx, st, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// pairAt pairs post and station; the post knows the station's address.
func pairAt(t testing.TB, post, station *cjsync.Engine, addr string) store.Peer {
	t.Helper()
	ctx := context.Background()
	sc, err := station.Identity().Code("站", store.RoleStation, []string{addr})
	if err != nil {
		t.Fatal(err)
	}
	p, err := post.Pair(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := post.Identity().Code("所", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := station.Pair(ctx, pc); err != nil {
		t.Fatal(err)
	}
	return p
}

func listen(t testing.TB, ctx context.Context, e *cjsync.Engine, cfg Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go NewNode(e, cfg).Serve(ctx, ln)
	return ln.Addr().String()
}

func dump(t testing.TB, e *cjsync.Engine, owner string) string {
	var b bytes.Buffer
	if err := e.Store().Dump(context.Background(), &b, owner); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSyncOverBEP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	addr := listen(t, ctx, station, Config{})
	peer := pairAt(t, post, station, addr)
	v := &store.Village{Name: "南岗村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知"}); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := station.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	node := NewNode(post, Config{})
	r, err := node.SyncOnce(ctx, peer)
	if err != nil || !r.Complete {
		t.Fatalf("sync: %+v %v", r, err)
	}
	if a, b := dump(t, post, ""), dump(t, station, ""); a != b {
		t.Fatalf("post and station differ after BEP:\n%s\n---\n%s", a, b)
	}
	// A second session moves only news: an edit at the post.
	v.Notes = "新修的路"
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	r2, err := node.SyncOnce(ctx, peer)
	if err != nil || !r2.Complete || r2.BytesOut > r.BytesOut {
		t.Fatalf("second sync: %+v %v (first %+v)", r2, err, r)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("edit not carried")
	}
	st, err := post.Status(ctx)
	if err != nil || st.Peers[0].ToSend != 0 || st.Peers[0].LastContact == "" {
		t.Fatalf("status %+v %v", st, err)
	}
}

func TestUnknownDeviceRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	station := device(t, store.RoleStation, "S")
	addr := listen(t, ctx, station, Config{})
	stranger := device(t, store.RolePost, "X")
	sc, _ := station.Identity().Code("站", store.RoleStation, []string{addr})
	peer, err := stranger.Pair(ctx, sc) // one-sided: the station never paired it
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewNode(stranger, Config{}).SyncOnce(ctx, peer)
	if err == nil && r.Complete {
		t.Fatalf("unpaired device completed a session: %+v", r)
	}
}

// cutConn closes the connection once limit bytes have been read through it.
type cutConn struct {
	net.Conn
	mu    gosync.Mutex
	left  int64
	total *atomic.Int64
}

func (c *cutConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if c.left <= 0 {
		c.mu.Unlock()
		c.Conn.Close()
		return 0, net.ErrClosed
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	c.mu.Unlock()
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.left -= int64(n)
	c.total.Add(int64(n))
	c.mu.Unlock()
	return n, err
}

// TestResumeAfterCut: a 2 MB scan cut mid-transfer resumes from the
// puller's temp file: what comes again is only what was in flight when the
// link broke — the block cut in half, and at most the other requests the
// puller had open (MaxOutgoing, 4), since lib/protocol may drop responses it
// has already read when the connection closes. Usually it is under one
// block; a loaded machine, with more in flight at the cut, shows up to 3.
func TestResumeAfterCut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	clean := transferScan(t, ctx, -1)
	cut := transferScan(t, ctx, 900_000)
	extra := cut - clean
	t.Logf("clean %d bytes, with a cut %d bytes: %d extra", clean, cut, extra)
	const inFlight = 4                   // Config.MaxOutgoing's default
	if extra > inFlight*128<<10+32<<10 { // the blocks in flight plus handshakes and index
		t.Fatalf("a cut cost %d extra bytes, more than the %d blocks that can be in flight", extra, inFlight)
	}
	if cut <= clean {
		t.Fatalf("the cut transfer read %d bytes, the clean one %d: the cut did not happen", cut, clean)
	}
}

// transferScan moves a post's 2 MB scan to the station, cutting the link
// after cutAt bytes (never when < 0), and returns the bytes the station read.
func transferScan(t *testing.T, ctx context.Context, cutAt int64) int64 {
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	var total atomic.Int64
	var conns atomic.Int32
	wrap := func(c net.Conn) net.Conn {
		left := int64(1 << 62)
		if conns.Add(1) == 1 && cutAt >= 0 {
			left = cutAt
		}
		return &cutConn{Conn: c, left: left, total: &total}
	}
	addr := listen(t, ctx, station, Config{WrapConn: wrap})
	peer := pairAt(t, post, station, addr)
	scan := make([]byte, 2<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range scan {
		scan[i] = byte(rng.Uint32())
	}
	h := changeset.HashBlob(scan)
	v := &store.Village{Name: "扫描村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := post.Store().PutBlob(ctx, h, scan); err != nil {
		t.Fatal(err)
	}
	if err := post.Store().Save(ctx, &store.VillageMap{VillageID: v.ID, Name: "底图", ImageHash: h}); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	node := NewNode(post, Config{})
	for i := 0; ; i++ {
		r, err := node.SyncOnce(ctx, peer)
		if err == nil && r.Complete {
			break
		}
		if i == 5 {
			t.Fatalf("no complete session: %+v %v", r, err)
		}
	}
	if got, err := station.Store().Blob(ctx, h); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("scan not carried: %v", err)
	}
	return total.Load()
}
