package bep

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
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
	return deviceWith(t, role, name, store.Options{})
}

// deviceWith is device with the store's options (a clock of the test's).
func deviceWith(t testing.TB, role, name string, opt store.Options) *cjsync.Engine {
	t.Helper()
	ctx := context.Background()
	st, _, err := cjsync.Init(ctx, filepath.Join(testDir(t), "db"), store.Identity{Role: role, Name: name}, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := cjsync.New(ctx, st, cjsync.Options{Log: simLog(name)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// simLog is the log of the device named name: with CUNJING_SIM_LOG set
// (a file), the simulations' sessions say there how they ended; else nil
// (the engine's default).
func simLog(name string) *slog.Logger {
	path := os.Getenv("CUNJING_SIM_LOG")
	if path == "" {
		return nil
	}
	simLogOnce.Do(func() {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			simLogW = f
		}
	})
	if simLogW == nil {
		return nil
	}
	return slog.New(slog.NewTextHandler(simLogW, nil)).With("device", name)
}

var (
	simLogOnce gosync.Once
	simLogW    io.Writer
)

// pairAt pairs post and station; the post knows the station's address
// (none when addr is "").
func pairAt(t testing.TB, post, station *cjsync.Engine, addr string) syncbook.Peer {
	t.Helper()
	ctx := context.Background()
	var addrs []string
	if addr != "" {
		addrs = []string{addr}
	}
	sc, err := station.Identity().Code("站", store.RoleStation, addrs)
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

// listeningPair makes a post and a station listening on a loopback port,
// paired; peer is the station as the post knows it.
func listeningPair(t testing.TB, ctx context.Context) (post, station *cjsync.Engine, peer syncbook.Peer) {
	t.Helper()
	post = device(t, store.RolePost, "P")
	station = device(t, store.RoleStation, "S")
	addr := listen(t, ctx, station, Config{})
	return post, station, pairAt(t, post, station, addr)
}

// newsBothWays gives each side one changeset for the other: a village
// the post entered and a notice the station published.
func newsBothWays(t testing.TB, ctx context.Context, post, station *cjsync.Engine) {
	t.Helper()
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
	post, station, peer := listeningPair(t, ctx)
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
	// Receipts travel over BEP: the station has acknowledged all the
	// post's changesets, and the post the station's (issue #14).
	if !st.Acknowledged || len(st.Waiting) != 0 || !strings.HasPrefix(st.Peers[0].Received, "派出所已收到 ") {
		t.Fatalf("post: acknowledged %v, waiting %+v, %q", st.Acknowledged, st.Waiting, st.Peers[0].Received)
	}
	if sst, err := station.Status(ctx); err != nil || !sst.Acknowledged {
		t.Fatalf("station: acknowledged %v, waiting %+v, %v", sst.Acknowledged, sst.Waiting, err)
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

// BEP message types as framing.Reader reports them (internal/gen/bep's MessageType).
const (
	msgClusterConfig = 0
	msgIndex         = 1
	msgResponse      = 4
)

// cutSpec says where the station's first link is cut: after at bytes, or
// plus bytes after the end of the afterN-th message of type afterType.
type cutSpec struct {
	name      string
	at        int64
	afterType int
	afterN    int
	plus      int64
}

// transfer is what one run of transferScan measured.
type transfer struct {
	total     atomic.Int64 // bytes the station read, over all its links
	respBytes atomic.Int64 // of which whole Response messages (their BEP framing included)

	mu        gosync.Mutex
	links     int
	cut       bool  // the first link was cut
	firstRead int64 // bytes read on the first link
	lastWhole int64 // bytes read on it when its last whole message was handed up
	seenN     int   // messages of spec.afterType on it
}

// cutConn is the station's side of a link that can be cut. It reads one
// TLS record at a time, as a slow link may deliver them, so TLS never holds
// bytes beyond the record it is decrypting: the bytes read are then exactly
// where the plaintext handed up ends, and a cut can be placed right after
// a given message. Once left reaches 0 it closes the connection.
type cutConn struct {
	net.Conn
	tr    *transfer
	spec  *cutSpec // nil: never cut
	first bool

	left    int64 // under tr.mu, as are the fields below
	read    int64
	hdr     [5]byte
	hdrN    int
	recLeft int
}

func (c *cutConn) Read(p []byte) (int, error) {
	c.tr.mu.Lock()
	if c.left <= 0 {
		c.tr.cut = true
		c.tr.mu.Unlock()
		c.Conn.Close()
		return 0, net.ErrClosed
	}
	lim := c.left
	if c.recLeft > 0 {
		lim = min(lim, int64(c.recLeft))
	} else {
		lim = min(lim, int64(len(c.hdr)-c.hdrN))
	}
	p = p[:min(int64(len(p)), lim)]
	c.tr.mu.Unlock()
	n, err := c.Conn.Read(p)
	c.tr.mu.Lock()
	defer c.tr.mu.Unlock()
	if c.recLeft > 0 {
		c.recLeft -= n
	} else {
		c.hdrN += copy(c.hdr[c.hdrN:], p[:n])
		if c.hdrN == len(c.hdr) { // type, version, 2 bytes length
			c.hdrN, c.recLeft = 0, int(c.hdr[3])<<8|int(c.hdr[4])
		}
	}
	c.left -= int64(n)
	c.read += int64(n)
	if c.first {
		c.tr.firstRead = c.read
	}
	c.tr.total.Add(int64(n))
	return n, err
}

// message is Config.onMessage for the station: it counts Response bytes and
// places an anchored cut.
func (tr *transfer) message(conn net.Conn, typ, size int) {
	c := conn.(*cutConn)
	if typ == msgResponse {
		tr.respBytes.Add(int64(size))
	}
	if !c.first {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.lastWhole = c.read
	if sp := c.spec; sp != nil && sp.afterN > 0 && typ == sp.afterType {
		tr.seenN++
		if tr.seenN == sp.afterN {
			c.left = sp.plus
		}
	}
}

// TestResumeAfterCut: a 2 MB scan whose link is cut at one point and
// restored costs at most the message the cut split in two (at most one
// 8 KiB piece of a 128 KiB block) plus the protocol overhead of the extra
// session, wherever the cut falls. The puller keeps 4 requests in flight;
// every response that came whole before the cut must be kept (framing.Reader),
// and blocks and pieces kept in the temp file are not asked for again.
//
// The overhead of a session is measured from the clean run's counters:
// every byte it read that was not a whole Response message (TLS handshake
// and record overhead, Hello, ClusterConfig, Index, Close). That bounds what
// a second session adds, since it carries at most as much of these.
func TestResumeAfterCut(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	clean := transferScan(t, ctx, nil)
	cleanTotal := clean.total.Load()
	overhead := cleanTotal - clean.respBytes.Load()
	const block = 128 << 10
	t.Logf("clean: %d bytes read by the station, %d of them whole responses, %d session overhead", cleanTotal,
		clean.respBytes.Load(), overhead)
	// The station reads about 2.6 KB of TLS handshake and Hello, the
	// ClusterConfig, two Index messages, then the responses: the
	// changeset's one block first, then the scan's 17 blocks in 8 KiB
	// pieces, each as it comes whole, in whatever order the post answers
	// the 4 requests in flight.
	specs := []cutSpec{
		{name: "in the TLS handshake", at: 400},
		{name: "in the index", afterType: msgClusterConfig, afterN: 1, plus: 300},
		{name: "just after the changeset", afterType: msgResponse, afterN: 1},
		{name: "just after the first scan block", afterType: msgResponse, afterN: 2},
		{name: "a TLS header into the next block", afterType: msgResponse, afterN: 4, plus: 3},
		{name: "a record into the next block", afterType: msgResponse, afterN: 6, plus: 16 << 10},
		{name: "mid-block", afterType: msgResponse, afterN: 8, plus: block / 2},
		{name: "at 900,000 bytes", at: 900_000},
		{name: "just before a block ends", afterType: msgResponse, afterN: 10, plus: block - 100},
		{name: "just after a block", afterType: msgResponse, afterN: 12},
		{name: "three quarters into the 17th response", afterType: msgResponse, afterN: 16, plus: block * 3 / 4},
		{name: "400 bytes into the last response", afterType: msgResponse, afterN: 17, plus: 400},
		{name: "just after the last block", afterType: msgResponse, afterN: 18},
	}
	var extras []int64
	var beyond int64 // most re-sent beyond the message a cut split
	for _, sp := range specs {
		t.Run(sp.name, func(t *testing.T) {
			tr := transferScan(t, ctx, &sp)
			tr.mu.Lock()
			cut, first, half := tr.cut, tr.firstRead, tr.firstRead-tr.lastWhole
			tr.mu.Unlock()
			if !cut {
				t.Fatalf("the link was not cut (first link read %d bytes)", first)
			}
			extra := tr.total.Load() - cleanTotal
			extras = append(extras, extra)
			beyond = max(beyond, extra-half)
			t.Logf("cut at %d bytes, %d of them of a message cut in two: %d bytes read, %d extra", first, half,
				tr.total.Load(), extra)
			// The scan's blocks are asked for in pieces: a cut throws away
			// at most the piece it split, never a whole block.
			if extra > pieceSize+overhead {
				t.Errorf("a cut cost %d extra bytes, more than one piece (%d) and a session's overhead (%d)", extra, pieceSize, overhead)
			}
			// Sharper: beyond the message cut in two, nothing but a session's
			// overhead came again, so no whole response was thrown away.
			if extra-half > overhead {
				t.Errorf("beyond the %d bytes of the message cut in two, %d bytes came again: more than a session's overhead (%d)",
					half, extra-half, overhead)
			}
		})
	}
	if len(extras) == len(specs) {
		slices.Sort(extras)
		t.Logf("re-sent after a cut, over %d cut points: min %d, median %d, max %d bytes (one piece %d + session overhead %d = %d); "+
			"beyond the message a cut split at most %d", len(extras), extras[0], extras[len(extras)/2], extras[len(extras)-1],
			pieceSize, overhead, pieceSize+overhead, beyond)
	}
}

// transferScan moves a post's 2 MB scan to the station, cutting the
// station's first link as spec says (never when nil), and returns what the
// station read.
func transferScan(t *testing.T, ctx context.Context, spec *cutSpec) *transfer {
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	tr := &transfer{}
	wrap := func(c net.Conn) net.Conn {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.links++
		cc := &cutConn{Conn: c, tr: tr, first: tr.links == 1, left: 1 << 62}
		if cc.first && spec != nil {
			cc.spec = spec
			if spec.afterN == 0 {
				cc.left = spec.at
			}
		}
		return cc
	}
	addr := listen(t, ctx, station, Config{WrapConn: wrap, onMessage: tr.message})
	peer := pairAt(t, post, station, addr)
	scan, h := putScan(t, ctx, post, 2<<20, 1)
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
	return tr
}

// TestImportsWhatAnEarlierSessionPulled: a changeset that reached the
// station's folder but was never imported (the session that pulled it died
// before its import, or the PC lost power) is imported by the next session,
// though there is nothing left to pull.
func TestImportsWhatAnEarlierSessionPulled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, station, peer := listeningPair(t, ctx)
	if err := post.Store().Save(ctx, &store.Village{Name: "断电村"}); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	folder := cjsync.PostFolder(post.Self())
	files, err := os.ReadDir(post.FolderDir(folder))
	if err != nil || len(files) == 0 {
		t.Fatalf("post's folder: %v %v", files, err)
	}
	if err := os.MkdirAll(station.FolderDir(folder), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(post.FolderDir(folder), f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(station.FolderDir(folder), f.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := NewNode(post, Config{}).SyncOnce(ctx, peer)
	if err != nil || !r.Complete {
		t.Fatalf("sync: %+v %v", r, err)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatalf("the station did not import the changeset already in its folder:\n%s\n---\n%s", a, b)
	}
}

// putScan gives post a village whose base map is a scan of size random
// bytes (from seed) and returns the scan and its hash.
func putScan(t testing.TB, ctx context.Context, post *cjsync.Engine, size int, seed uint64) ([]byte, string) {
	t.Helper()
	scan := make([]byte, size)
	rng := rand.New(rand.NewPCG(seed, seed+1))
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
	return scan, h
}
