package sync_test

// The field-events harness (issue #13): what happens to village posts in
// the field, over BEP and the exchange folder, each case ending with the
// post and its station holding identical records, nothing lost, nothing
// waiting, nothing known to keep them apart.
//
//	go test -tags sqlite_fts5 ./sync/ -run FieldEvents -v

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	"cunjing/sync/exchange"
)

const year = 365 * 24 * time.Hour

// world is the harness's wall time: it starts at the tests' today and moves
// a millisecond at every reading, so stamps differ and never depend on the
// hour the test runs. Each device reads it with its own skew.
type world struct {
	mu gosync.Mutex
	t  time.Time
}

func (w *world) clock(skew *atomic.Int64) clock.Func {
	return func() time.Time {
		w.mu.Lock()
		w.t = w.t.Add(time.Millisecond)
		t := w.t
		w.mu.Unlock()
		return t.Add(time.Duration(skew.Load()))
	}
}

// node is one device: its database file, its sync folders, its clock.
type node struct {
	e    *cjsync.Engine
	path string
	dir  string
	skew *atomic.Int64
	now  clock.Func
}

// pairedWithAStick is a post 东关村警务室 and a station 城关派出所 of one
// world, paired and listening, with a stick to carry between them, and a
// context of 2 minutes ended with the test.
func pairedWithAStick(t *testing.T) (ctx context.Context, post, station *node, stick string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	w := newWorld(t)
	post = newNode(t, w, store.RolePost, "东关村警务室")
	station = newNode(t, w, store.RoleStation, "城关派出所")
	pairListening(t, ctx, post, station)
	return ctx, post, station, fieldDir(t)
}

func fieldDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "cunjing-field-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func newNode(t testing.TB, w *world, role, name string) *node {
	t.Helper()
	ctx := context.Background()
	n := &node{skew: new(atomic.Int64)}
	n.now = w.clock(n.skew)
	base := fieldDir(t)
	n.path, n.dir = filepath.Join(base, "cunjing.db"), filepath.Join(base, "cunjing.db.sync")
	st, _, err := cjsync.Init(ctx, n.path, store.Identity{Role: role, Name: name}, store.Options{Now: n.now})
	if err != nil {
		t.Fatal(err)
	}
	n.e, err = cjsync.New(ctx, st, cjsync.Options{Dir: n.dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.e.Store().Close() })
	return n
}

// open opens the node's database again (after a restore, a kill).
func (n *node) open(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, n.path, store.Options{Now: n.now})
	if err != nil {
		t.Fatal(err)
	}
	n.e, err = cjsync.New(ctx, st, cjsync.Options{Dir: n.dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
}

// restore replaces the node's database with a backup; newPC also loses the
// sync folders (the old PC is gone).
func (n *node) restore(t testing.TB, from string, newPC bool) {
	t.Helper()
	n.e.Store().Close()
	if _, err := backup.Restore(context.Background(), n.path, from, backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	if newPC {
		if err := os.RemoveAll(n.dir); err != nil {
			t.Fatal(err)
		}
	}
	n.open(t)
}

func (n *node) backup(t testing.TB) string {
	t.Helper()
	b, err := backup.Write(context.Background(), n.e.Store(), fieldDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pairListening pairs a post with a station that listens on loopback; the
// station's node keeps serving until the test ends.
func pairListening(t testing.TB, ctx context.Context, post, station *node) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	go bep.NewNode(station.e, bep.Config{}).Serve(sctx, ln)
	sc, err := station.e.Identity().Code("城关派出所", store.RoleStation, []string{ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.e.Pair(ctx, sc); err != nil {
		t.Fatal(err)
	}
	pc, err := post.e.Identity().Code("东关村警务室", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := station.e.Pair(ctx, pc); err != nil {
		t.Fatal(err)
	}
}

// syncBEP is `cunjing sync --once` on the post: cut, then a session with
// the station.
func syncBEP(t testing.TB, ctx context.Context, post *node) bep.Result {
	t.Helper()
	if _, err := post.e.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	peers, err := post.e.Book().Peers(ctx, false)
	if err != nil || len(peers) != 1 {
		t.Fatalf("peers %v %v", peers, err)
	}
	sctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	r, err := bep.NewNode(post.e, bep.Config{}).SyncOnce(sctx, peers[0])
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if os.Getenv("FIELD_DEBUG") != "" {
		t.Logf("session: complete %v, %v, divergences %q, err %q", r.Complete, r.Duration, r.Divergences, r.Error)
	}
	return r
}

// syncUSB carries a stick from the post to the station and back.
func syncUSB(t testing.TB, ctx context.Context, post, station *node, stick string) {
	t.Helper()
	for _, n := range []*node{post, station, post} {
		if _, err := exchange.Once(ctx, n.e, stick); err != nil {
			t.Fatal(err)
		}
	}
}

func cut(t testing.TB, ctx context.Context, n *node) {
	t.Helper()
	if _, err := n.e.Cut(ctx); err != nil {
		t.Fatal(err)
	}
}

func fieldDump(t testing.TB, n *node, owner string) string {
	t.Helper()
	var b bytes.Buffer
	if err := n.e.Store().Dump(context.Background(), &b, owner); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// apart says what still keeps post and station apart ("" when nothing):
// owner dumps differ, a change of the post is missing at the station,
// something waits for a predecessor, a note is open, a divergence known.
func apart(t testing.TB, post, station *node) string {
	t.Helper()
	ctx := context.Background()
	for _, owner := range []string{post.e.Self(), station.e.Self()} {
		if a, b := fieldDump(t, post, owner), fieldDump(t, station, owner); a != b {
			return fmt.Sprintf("post and station differ on %s's records%s", owner[:7], lineDiff(a, b))
		}
	}
	if c, lacks := cjsync.LacksChange(t, post.e, station.e); lacks {
		return fmt.Sprintf("the station lacks the post's change %s.%s", c.Table, c.Field)
	}
	for _, n := range []*node{post, station} {
		if w, _ := n.e.Book().InChangesets(ctx, syncbook.InWaiting); len(w) != 0 {
			return fmt.Sprintf("%d changeset(s) waiting at %s", len(w), n.e.Self()[:7])
		}
		if d, err := n.e.Divergences(ctx, ""); err != nil || len(d) != 0 {
			return fmt.Sprintf("%s knows of divergences %q %v", n.e.Self()[:7], d, err)
		}
	}
	return ""
}

// settleBEP syncs over BEP until nothing keeps the two apart and a session
// reports complete; it fails after rounds sessions.
func settleBEP(t testing.TB, ctx context.Context, post, station *node, rounds int) int {
	t.Helper()
	why := ""
	for i := 1; i <= rounds; i++ {
		cut(t, ctx, station) // as its node does every minute
		r := syncBEP(t, ctx, post)
		if why = apart(t, post, station); why == "" && r.Complete {
			return i
		}
		if r.Complete && os.Getenv("FIELD_DEBUG") != "" {
			t.Logf("complete but apart: %s", why)
			f := cjsync.PostFolder(post.e.Self())
			ins, _ := post.e.Book().InChangesets(ctx, "")
			for _, in := range ins {
				t.Logf("post in: %s %s %d %s", in.Origin[:7], in.Stream[:12], in.Seq, in.State)
			}
			mine, _ := post.e.Book().BEPFiles(ctx, f, 0)
			for _, m := range mine {
				o, _, _ := post.e.Book().Seen(ctx, m.Name)
				t.Logf("post has: %s seen %q", m.Name, o)
			}
			theirs, _ := post.e.Book().BEPRemoteFiles(ctx, f, station.e.Self())
			for _, m := range theirs {
				t.Logf("post knows station has: %s seq %d", m.Name, m.Sequence)
			}
			_, held, _ := post.e.Book().BEPRemote(ctx, f, station.e.Self())
			t.Logf("post holds the station's index to %d", held)
			sf, _ := station.e.Book().BEPFiles(ctx, f, 0)
			for _, m := range sf {
				t.Logf("station index: %s seq %d", m.Name, m.Sequence)
			}
		}
		if why == "" {
			why = fmt.Sprintf("session not complete: %+v", r)
		}
	}
	t.Fatalf("still apart after %d sessions: %s", rounds, why)
	return 0
}

func settleUSB(t testing.TB, ctx context.Context, post, station *node, stick string, rounds int) int {
	t.Helper()
	why := ""
	for i := 1; i <= rounds; i++ {
		syncUSB(t, ctx, post, station, stick)
		if why = apart(t, post, station); why == "" {
			return i
		}
	}
	t.Fatalf("still apart after %d trips of the stick: %s", rounds, why)
	return 0
}

func households(t testing.TB, ctx context.Context, n *node, count int, tag string) []string {
	t.Helper()
	v := &store.Village{Name: "村" + tag}
	if err := n.e.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range count {
		h := &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("%s户主%d", tag, i)}
		if err := n.e.Store().Save(ctx, h); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	return ids
}

func edit(t testing.TB, ctx context.Context, s *store.Store, id string, f func(*store.Household)) {
	t.Helper()
	var h store.Household
	if err := s.Get(ctx, &h, id); err != nil {
		t.Fatal(err)
	}
	f(&h)
	if err := s.Save(ctx, &h); err != nil {
		t.Fatal(err)
	}
}

func hasAll(t testing.TB, ctx context.Context, n *node, ids []string) {
	t.Helper()
	for _, id := range ids {
		var h store.Household
		if err := n.e.Store().Get(ctx, &h, id); err != nil {
			t.Fatalf("%s lost household %s: %v", n.e.Self()[:7], id, err)
		}
	}
}

// noNumberTwice checks the station never had to refuse a changeset of the
// post's for its number (a same-PC restore continues its stream).
func noRefusals(t testing.TB, ctx context.Context, station *node) {
	t.Helper()
	rej, err := station.e.Book().Rejects(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 0 {
		t.Fatalf("the station refused: %+v", rej)
	}
}

func newWorld(t testing.TB) *world { return &world{t: clocktest.Today(t)} }

func TestFieldEvents(t *testing.T) {
	t.Run("TwoProgramsOnePostFile", fieldTwoPrograms)
	t.Run("RestoreSamePC", func(t *testing.T) { fieldRestore(t, false, false) })
	t.Run("RestoreNewPC", func(t *testing.T) { fieldRestore(t, true, false) })
	t.Run("RestoreNewPCByStick", func(t *testing.T) { fieldRestore(t, true, true) })
	t.Run("RebuiltFromStation", fieldRebuilt)
	t.Run("ClockJumps", fieldClockJumps)
	t.Run("Kill9MidExchange", fieldKill9)
}

// A window has the post's file open and saves while a second program on
// the same file (`cunjing sync`, `cunjing exchange`) syncs with the
// station, which corrects the same household meanwhile.
func fieldTwoPrograms(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newWorld(t)
	post := newNode(t, w, store.RolePost, "东关村警务室")
	station := newNode(t, w, store.RoleStation, "城关派出所")
	pairListening(t, ctx, post, station)
	window, err := store.Open(ctx, post.path, store.Options{Now: post.now})
	if err != nil {
		t.Fatal(err)
	}
	defer window.Close()
	ids := households(t, ctx, post, 3, "甲")
	stick := fieldDir(t)
	settleBEP(t, ctx, post, station, 3)

	var saves atomic.Int64
	done := make(chan struct{})
	go func() { // the window: an officer typing
		defer close(done)
		for i := 0; ctx.Err() == nil && i < 120; i++ {
			id := ids[i%len(ids)]
			var h store.Household
			if err := window.Get(ctx, &h, id); err != nil {
				t.Error(err)
				return
			}
			h.Notes = fmt.Sprintf("窗口 第%d次", i)
			if err := window.Save(ctx, &h); err != nil {
				t.Error(err)
				return
			}
			saves.Add(1)
		}
	}()
	for round := 0; round < 8; round++ {
		// The station corrects the households the window is editing.
		for _, id := range ids {
			var h store.Household
			if err := station.e.Store().Get(ctx, &h, id); err == nil {
				h.Notes = fmt.Sprintf("派出所更正 %d", round)
				h.Warning = store.WarnOrange
				if err := station.e.Store().Save(ctx, &h); err != nil {
					t.Fatal(err)
				}
			}
		}
		cut(t, ctx, station)
		if round%2 == 0 {
			syncBEP(t, ctx, post)
		} else {
			syncUSB(t, ctx, post, station, stick)
		}
	}
	<-done
	// The window saves once more on top of everything it now holds.
	edit(t, ctx, window, ids[0], func(h *store.Household) { h.Notes = "窗口最后一次" })
	n := settleBEP(t, ctx, post, station, 4)
	noRefusals(t, ctx, station)
	var h store.Household
	station.e.Store().Get(ctx, &h, ids[0])
	if h.Notes != "窗口最后一次" {
		t.Fatalf("the window's last edit lost at the station: %q", h.Notes)
	}
	t.Logf("%d saves by the window, 8 syncs beside it, settled in %d more session(s)", saves.Load(), n)
}

// A post restored from a backup taken before N edits the station already
// has: on the same PC (its sync folder still holds what it cut since) or
// a new one, over BEP or a stick.
func fieldRestore(t *testing.T, newPC, byStick bool) {
	ctx, post, station, stick := pairedWithAStick(t)
	settle := func() int {
		if byStick {
			return settleUSB(t, ctx, post, station, stick, 4)
		}
		return settleBEP(t, ctx, post, station, 4)
	}
	kept := households(t, ctx, post, 3, "甲")
	settle()
	saved := post.backup(t)
	const n = 12
	lost := households(t, ctx, post, n, "乙")
	for i, id := range lost[:4] { // and edits of older ones, in several cuts
		edit(t, ctx, post.e.Store(), kept[i%len(kept)], func(h *store.Household) { h.Notes = "备份以后改的 " + id })
		cut(t, ctx, post)
	}
	settle()
	before, _, _ := station.e.Book().ChainHead(ctx, post.e.Self(), cjsync.PostFolder(post.e.Self()))

	post.restore(t, saved, newPC)
	if newPC {
		stick = fieldDir(t) // a new stick too
	}
	after := households(t, ctx, post, 2, "丙")
	rounds := settle()
	hasAll(t, ctx, post, lost)
	hasAll(t, ctx, post, after)
	hasAll(t, ctx, station, after)
	head, _, _ := station.e.Book().ChainHead(ctx, post.e.Self(), cjsync.PostFolder(post.e.Self()))
	st, _ := post.e.Book().StreamState(ctx, cjsync.PostFolder(post.e.Self()))
	if head <= before || st.Seq != head {
		t.Fatalf("the station holds the post's chain up to %d (was %d), the post stands at %d", head, before, st.Seq)
	}
	if !newPC {
		noRefusals(t, ctx, station)
	} else {
		rej, _ := station.e.Book().Rejects(ctx, 10)
		mine, _ := post.e.Book().Rejects(ctx, 10)
		if len(rej) == 0 || len(mine) == 0 || !strings.Contains(mine[0].Reason, "接着发") {
			t.Fatalf("both sides should say why (in Chinese): station %+v, post %+v", rej, mine)
		}
	}
	t.Logf("%d edits after the backup came back; chain %d → %d; settled in %d round(s)", n+4, before, head, rounds)
}

// A replacement PC restored from the backup made the day the post was set
// up (its keys and nothing else) gets everything back from the station.
func fieldRebuilt(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newWorld(t)
	post := newNode(t, w, store.RolePost, "东关村警务室")
	station := newNode(t, w, store.RoleStation, "城关派出所")
	pairListening(t, ctx, post, station)
	setup := post.backup(t)
	ids := households(t, ctx, post, 20, "甲")
	settleBEP(t, ctx, post, station, 3)
	edit(t, ctx, station.e.Store(), ids[0], func(h *store.Household) { h.Notes = "派出所更正" })
	cut(t, ctx, station)
	settleBEP(t, ctx, post, station, 3)

	post.restore(t, setup, true)
	more := households(t, ctx, post, 2, "乙")
	rounds := settleBEP(t, ctx, post, station, 4)
	hasAll(t, ctx, post, ids)
	hasAll(t, ctx, station, more)
	var h store.Household
	post.e.Store().Get(ctx, &h, ids[0])
	if h.Notes != "派出所更正" {
		t.Fatalf("the station's correction did not come back: %q", h.Notes)
	}
	t.Logf("21 households back from the station on a rebuilt PC in %d session(s)", rounds)
}

// The post's PC clock jumps two years ahead, two years back, 200 years
// ahead, and is set right again, while it and the station edit the same
// households and sync.
func fieldClockJumps(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newWorld(t)
	post := newNode(t, w, store.RolePost, "东关村警务室")
	station := newNode(t, w, store.RoleStation, "城关派出所")
	pairListening(t, ctx, post, station)
	ids := households(t, ctx, post, 4, "甲")
	stick := fieldDir(t)
	settleBEP(t, ctx, post, station, 3)
	for i, skew := range []time.Duration{2 * year, -2 * year, 200 * year, 0} {
		post.skew.Store(int64(skew))
		// Something new on both sides, stamped by each one's own clock.
		if err := post.e.Store().Save(ctx, &store.Village{Name: fmt.Sprintf("新村 %d", i)}); err != nil {
			t.Fatal(err)
		}
		if err := station.e.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("通知 %d", i)}); err != nil {
			t.Fatal(err)
		}
		for j, id := range ids {
			edit(t, ctx, post.e.Store(), id, func(h *store.Household) { h.Notes = fmt.Sprintf("警务室 %v %d", skew, j) })
			if j%2 == i%2 {
				edit(t, ctx, station.e.Store(), id, func(h *store.Household) { h.Warning = store.WarnRed })
			}
		}
		cut(t, ctx, station)
		if i%2 == 0 {
			syncBEP(t, ctx, post)
		} else {
			syncUSB(t, ctx, post, station, stick)
		}
		if lim := station.now().Add(store.MaxAhead); time.UnixMilli(station.e.Store().Clock().Last().Wall).After(lim) {
			t.Fatalf("post %v: the station's clock was dragged to %s", skew, time.UnixMilli(station.e.Store().Clock().Last().Wall))
		}
		if skew == 200*year {
			// Both sides name the post's PC, and the dashboard does too.
			ps, err := post.e.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ss, err := station.e.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps.Clocks) != 1 || !strings.Contains(ps.Clocks[0], "比派出所（城关派出所）的电脑") || !strings.Contains(ps.Clocks[0], "快 200 年") {
				t.Fatalf("the post says %q", ps.Clocks)
			}
			if len(ss.Clocks) != 1 || !strings.Contains(ss.Clocks[0], "东关村警务室") || !strings.Contains(ss.Clocks[0], "快 200 年") {
				t.Fatalf("the station says %q", ss.Clocks)
			}
			t.Logf("post: %s | station: %s", ps.Clocks[0], ss.Clocks[0])
		}
	}
	// Set right and synced by stick only, neither side names a clock any
	// more; its news counts from arrival.
	for _, n := range []*node{post, station} {
		st, err := n.e.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Clocks) != 0 {
			t.Fatalf("%s still names a clock: %q", n.e.Self()[:7], st.Clocks)
		}
	}
	rounds := settleBEP(t, ctx, post, station, 4)
	stats, err := station.e.Store().PostCounts().StatsByOwner(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if a := stats[post.e.Self()].LastArrival; a <= 0 || station.now().Sub(time.UnixMilli(a)) > time.Hour {
		t.Fatalf("the post's data arrived at %s by the station's clock", time.UnixMilli(a))
	}
	// Every edit the post made after the station's is its value.
	for _, id := range ids {
		var h store.Household
		station.e.Store().Get(ctx, &h, id)
		if !strings.HasPrefix(h.Notes, "警务室 0s") {
			t.Fatalf("notes %q: the post's last edit lost", h.Notes)
		}
	}
	t.Logf("clock jumps +2y, -2y, +200y, set right: settled in %d session(s)", rounds)
}

// The post syncs (over BEP and a stick) while the officer keeps saving, and
// its process is killed with SIGKILL at random moments; after it is opened
// again everything acknowledged reaches the station.
func fieldKill9(t *testing.T) {
	ctx, post, station, stick := pairedWithAStick(t)
	households(t, ctx, post, 1, "甲")
	settleBEP(t, ctx, post, station, 3)
	post.e.Store().Close()

	rng := rand.New(rand.NewPCG(13, 9))
	var acked []string
	kills := 0
	for run := 0; run < 6; run++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFieldEventsChild$")
		cmd.Env = append(os.Environ(), "CUNJING_FIELD_CHILD="+post.path, "CUNJING_FIELD_STICK="+stick,
			fmt.Sprintf("CUNJING_FIELD_RUN=%d", run))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Once it has saved (a loaded machine takes a while to start it),
		// let it save and sync a while (each station correction also goes
		// down to it), then kill it wherever it is.
		edit(t, ctx, station.e.Store(), firstHousehold(t, station), func(h *store.Household) { h.Notes = fmt.Sprintf("更正 %d", run) })
		cut(t, ctx, station)
		ack := func(l string) {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "ack" {
				acked = append(acked, f[1])
			}
		}
		select {
		case l, ok := <-lines:
			if ok {
				ack(l)
			}
		case <-ctx.Done():
		}
		time.Sleep(time.Duration(100+rng.IntN(700)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		kills++
		for l := range lines {
			ack(l)
		}
		_ = cmd.Wait()
	}
	if len(acked) == 0 {
		t.Fatal("the child never acknowledged a save")
	}
	post.open(t)
	rounds := settleBEP(t, ctx, post, station, 5)
	hasAll(t, ctx, post, acked)
	hasAll(t, ctx, station, acked)
	t.Logf("%d kills, %d acknowledged saves, all at the station after %d session(s)", kills, len(acked), rounds)
}

func firstHousehold(t testing.TB, n *node) string {
	t.Helper()
	hs, err := n.e.Store().Households(context.Background(), store.HouseholdFilter{})
	if err != nil || len(hs) == 0 {
		t.Fatalf("households: %v %v", hs, err)
	}
	return hs[0].ID
}

// TestFieldEventsChild is the post killed by fieldKill9: it saves a
// household, prints "ack ID" once the save committed, and syncs, over and
// over, until it is killed.
func TestFieldEventsChild(t *testing.T) {
	path := os.Getenv("CUNJING_FIELD_CHILD")
	if path == "" {
		t.Skip("run by TestFieldEvents/Kill9MidExchange")
	}
	ctx := context.Background()
	run, _ := strconv.Atoi(os.Getenv("CUNJING_FIELD_RUN"))
	w := newWorld(t)
	now := w.clock(new(atomic.Int64))
	st, err := store.Open(ctx, path, store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	e, err := cjsync.New(ctx, st, cjsync.Options{Dir: path + ".sync"})
	if err != nil {
		t.Fatal(err)
	}
	post := &node{e: e, path: path, dir: path + ".sync", now: now}
	v := &store.Village{Name: fmt.Sprintf("第%d次打开", run)}
	if err := st.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		for j := 0; j < 3; j++ {
			h := &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%d-%d-%d", run, i, j)}
			if err := st.Save(ctx, h); err != nil {
				t.Fatal(err)
			}
			fmt.Printf("ack %s\n", h.ID)
		}
		if i%3 == 2 {
			if _, err := exchange.Once(ctx, e, os.Getenv("CUNJING_FIELD_STICK")); err != nil {
				t.Fatal(err)
			}
			continue
		}
		syncBEP(t, ctx, post)
	}
}

// lineDiff shows (when FIELD_DEBUG is set) the lines only one dump has.
func lineDiff(a, b string) string {
	if os.Getenv("FIELD_DEBUG") == "" {
		return ""
	}
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for l := range ma {
		if !mb[l] {
			out = append(out, "post only: "+l)
		}
	}
	for l := range mb {
		if !ma[l] {
			out = append(out, "station only: "+l)
		}
	}
	return "\n" + strings.Join(out, "\n")
}

// TestStationClockAheadThenSetRight: the station's PC runs three years
// fast (a BIOS reset to a wrong year, a mistyped date), publishes a notice
// and corrects a household the post keeps; then its clock is put right and
// it corrects the notice. Carried by a stick both ways. Nothing the post
// saves later may lose to the station's far stamps, neither clock may be
// dragged, and the words must not tell the post, whose clock is right, to
// change it: they say the date this PC reads, so the officer can check it
// against a phone, and who to tell.
func TestStationClockAheadThenSetRight(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	post := newNode(t, w, store.RolePost, "东关村警务室")
	station := newNode(t, w, store.RoleStation, "城关派出所")
	sc, err := station.e.Identity().Code("城关派出所", store.RoleStation, nil)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := post.e.Identity().Code("东关村警务室", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.e.Pair(ctx, sc); err != nil {
		t.Fatal(err)
	}
	if _, err := station.e.Pair(ctx, pc); err != nil {
		t.Fatal(err)
	}
	stick := fieldDir(t)
	ids := households(t, ctx, post, 2, "甲")
	settleUSB(t, ctx, post, station, stick, 3)

	station.skew.Store(int64(3 * year))
	notice := &store.Notice{Title: "冬季防火通知"}
	if err := station.e.Store().Save(ctx, notice); err != nil {
		t.Fatal(err)
	}
	edit(t, ctx, station.e.Store(), ids[0], func(h *store.Household) { h.Warning = store.WarnRed })
	cut(t, ctx, station)
	syncUSB(t, ctx, post, station, stick)
	syncUSB(t, ctx, post, station, stick)

	ps, err := post.e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today := clock.In(post.now()).Format("2006年1月2日")
	if len(ps.Clocks) != 1 || !strings.Contains(ps.Clocks[0], today) || !strings.Contains(ps.Clocks[0], "手机") || !strings.Contains(ps.Clocks[0], "告诉派出所") {
		t.Errorf("the post, whose clock is right, is told %q; want the date it reads (%s), to check it against a phone, and to tell the station", ps.Clocks, today)
	}
	ss, err := station.e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	far := clock.In(station.now()).Format("2006年1月2日")
	for _, c := range ss.Clocks {
		if !strings.Contains(c, far) || !strings.Contains(c, "手机") {
			t.Errorf("the station, whose clock is off, is told %q; want the date it reads (%s) and to check it against a phone", ss.Clocks, far)
		}
	}
	t.Logf("post: %q | station: %q", ps.Clocks, ss.Clocks)

	// Set right: the station corrects its notice, the post the household.
	station.skew.Store(0)
	if err := station.e.Store().Get(ctx, notice, notice.ID); err != nil {
		t.Fatal(err)
	}
	notice.Title = "冬季防火通知（更正）"
	if err := station.e.Store().Save(ctx, notice); err != nil {
		t.Fatal(err)
	}
	edit(t, ctx, post.e.Store(), ids[0], func(h *store.Household) { h.Warning = store.WarnGreen; h.Notes = "已核实" })
	cut(t, ctx, station)
	settleUSB(t, ctx, post, station, stick, 4)
	for _, n := range []*node{post, station} {
		var h store.Household
		if err := n.e.Store().Get(ctx, &h, ids[0]); err != nil {
			t.Fatal(err)
		}
		var got store.Notice
		if err := n.e.Store().Get(ctx, &got, notice.ID); err != nil {
			t.Fatal(err)
		}
		if h.Warning != store.WarnGreen || h.Notes != "已核实" || got.Title != "冬季防火通知（更正）" {
			t.Fatalf("%s: household %s %q, notice %q: a later edit lost to a far stamp", n.e.Self()[:7], h.Warning, h.Notes, got.Title)
		}
		if lim := n.now().Add(store.MaxAhead); time.UnixMilli(n.e.Store().Clock().Last().Wall).After(lim) {
			t.Fatalf("%s's clock was dragged to %s", n.e.Self()[:7], time.UnixMilli(n.e.Store().Clock().Last().Wall))
		}
	}
	// One more trip carries the receipts of what the last one brought.
	syncUSB(t, ctx, post, station, stick)
	for _, n := range []*node{post, station} {
		st, err := n.e.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Clocks) != 0 || !st.Acknowledged {
			t.Errorf("%s, both clocks right and settled: clocks %q, acknowledged %v", n.e.Self()[:7], st.Clocks, st.Acknowledged)
		}
		// What the peer holds is dated by the last changeset it
		// acknowledged, cut today, not by the one cut three years fast.
		if day := clock.In(n.now()).Format("1月2日"); len(st.AckWords) != 1 || !strings.Contains(st.AckWords[0], "已收到 "+day) {
			t.Errorf("%s says %q, want what the peer holds as of %s", n.e.Self()[:7], st.AckWords, day)
		}
	}
}
