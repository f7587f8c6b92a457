package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	syncstation "cunjing/sync/station"
)

// TestCLIStation: a station made with init, paired with the demo post both
// ways, receives it through an exchange folder and shows the post's month:
// households, patrols done against the roster's plan.
func TestCLIStation(t *testing.T) {
	t.Parallel()
	post, st := stationWithDemoPost(t)

	var v struct {
		Posts []struct {
			Name  string
			Stats struct{ Households int }
			Plan  struct {
				From, To              string
				Planned, Done, Missed int
				Rate                  float64
			} `json:"patrol_plan"`
		}
	}
	out := clitest.MustRun(t, "station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-24", "--today", "2026-11-24", "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Posts) != 1 {
		t.Fatalf("posts: %s", out)
	}
	p := v.Posts[0]
	// The demo logs nearly every planned patrol of its last month.
	if p.Stats.Households == 0 || p.Plan.Planned == 0 || p.Plan.Done == 0 || p.Plan.Done > p.Plan.Planned ||
		p.Plan.Missed != p.Plan.Planned-p.Plan.Done || p.Plan.Rate < 0.5 || p.Plan.To != "2026-11-24" {
		t.Fatalf("station view of the demo post: %+v", p)
	}
	text := clitest.MustRun(t, "station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-24", "--today", "2026-11-24")
	if !strings.Contains(text, "巡逻：完成") || !strings.Contains(text, "全镇（1 个警务室）") {
		t.Fatalf("text:\n%s", text)
	}
	if _, _, code := clitest.Run(t, "station", "--db", post); code == 0 {
		t.Fatal("a post showed a station view")
	}
	if _, _, code := clitest.Run(t, "station", "--db", st, "--today", "24.11.2026"); code != 2 {
		t.Fatal("a bad --today was not a usage error")
	}
	// Without dates it counts what the station's window counts: this month
	// to date.
	out = clitest.MustRun(t, "station", "--db", st, "--today", "2026-11-24", "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Posts) != 1 ||
		v.Posts[0].Plan.From != "2026-11-01" || v.Posts[0].Plan.To != "2026-11-24" {
		t.Fatalf("station without dates: %+v %v", v.Posts, err)
	}
	// A post is stale after as long as the window says (a weekend off is
	// not stale on Monday).
	_, help, _ := clitest.Run(t, "station", "--help")
	if !strings.Contains(help, "(default "+syncstation.StaleAfter.String()+")") {
		t.Errorf("station --help does not give the window's stale limit %s:\n%s", syncstation.StaleAfter, help)
	}
}

// TestCLISyncOnceSaysWhyItIsIncomplete: `cunjing sync --once` exits 0 when
// the post and its station hold the same, and 1, saying why, when a known
// divergence is left (here a changeset of the station's waits for
// predecessors that will never come).
func TestCLISyncOnceSaysWhyItIsIncomplete(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	post, stationDB := filepath.Join(dir, "post.db"), filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	clitest.MustRun(t, "init", "--db", stationDB, "--role", "station", "--name", "城关派出所")
	st, err := store.Open(ctx, stationDB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	station, err := cjsync.New(ctx, st, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go bep.NewNode(station, bep.Config{}).Serve(ctx, ln)
	clitest.MustRun(t, "pair", "--db", stationDB, clitest.Code(t, post))
	clitest.MustRun(t, "pair", "--db", post, "--address", ln.Addr().String(), clitest.Code(t, stationDB))
	out, errOut, rc := clitest.Run(t, "sync", "--db", post, "--once", "--json")
	if rc != 0 {
		t.Fatalf("first sync: %d\n%s\n%s", rc, out, errOut)
	}
	var first struct {
		Acknowledged *bool
		Waiting      []any
	}
	// The station's receipt comes back over BEP in the same session.
	if err := json.Unmarshal([]byte(out), &first); err != nil || first.Acknowledged == nil || !*first.Acknowledged || first.Waiting == nil || len(first.Waiting) != 0 {
		t.Fatalf("first sync --json: the station's receipt did not come back (%v)\n%s", err, out)
	}
	ps, err := store.Open(ctx, post, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = ps.Update(ctx, func(tx *store.Tx) error {
		return tx.SyncBook().RecordIn(ctx, syncbook.InChangeset{Origin: station.Self(), Stream: cjsync.PostFolder(ps.DeviceID()), Seq: 50,
			Digest: "d", Prev: "p", Name: "cs-x.cjcs", State: syncbook.InWaiting}, []byte("x"))
	})
	ps.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, rc = clitest.Run(t, "sync", "--db", post, "--once", "--json")
	if rc != 1 || !strings.Contains(errOut, "incomplete") {
		t.Fatalf("sync with a known divergence: exit %d\n%s\n%s", rc, out, errOut)
	}
	var res struct {
		Sessions []struct {
			Complete    bool
			Divergences []string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Sessions) != 1 || res.Sessions[0].Complete || len(res.Sessions[0].Divergences) == 0 ||
		!strings.Contains(res.Sessions[0].Divergences[0], "第 50 号") {
		t.Fatalf("sync --json: %s", out)
	}
	// Without --json it says so in the words 立即同步 shows (it printed
	// Go's English: "城关派出所: pulled 0 file(s), applied 0 changeset(s), …",
	// "incomplete sync with 城关派出所"), for a scheduled task's log; then
	// with the station gone, why, in words.
	latin := regexp.MustCompile(`[A-Za-z]{3,}`) // B, KB, MB are the status's own words
	for _, c := range []struct {
		name string
		want []string
	}{
		{"a known divergence", []string{"打包了 0 条修改（0 个数据包）。\n城关派出所：没有同步完（收到 0 个文件，合并 0 个数据包）。", "  连接方式：直连（" + ln.Addr().String() + "）", "  本次收到 ", "第 50 号"}},
		{"the station gone", []string{"城关派出所：没有同步成功。对方的电脑拒绝了连接"}},
	} {
		if c.name == "the station gone" {
			cancel() // the station's node stops
			ln.Close()
		}
		out, errOut, rc = clitest.Run(t, "sync", "--db", post, "--once")
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: sync --once without --json does not say %q:\n%s", c.name, w, out)
			}
		}
		if rc != 1 || errOut != "cunjing sync: 没有和「城关派出所」同步完，原因见上面。\n" {
			t.Errorf("%s: exit %d, stderr %q", c.name, rc, errOut)
		}
		// (The status after the sessions names the peer's last problem
		// as it was given.)
		mine, _, _ := strings.Cut(out, "本机的修改")
		if m := latin.FindAllString(mine+strings.TrimPrefix(errOut, "cunjing sync: "), -1); len(m) > 0 {
			t.Errorf("%s: English in sync --once's words %q:\n%s%s", c.name, m, out, errOut)
		}
	}
}

// stationWithDemoPost is the demo post and a new station 城关派出所
// paired with it, the post's records received through a stick: their
// database files.
func stationWithDemoPost(t *testing.T) (post, st string) {
	t.Helper()
	post = clitest.DemoDB(t)
	st = filepath.Join(t.TempDir(), "station.db")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	clitest.Pair(t, st, post)
	stick := t.TempDir()
	clitest.MustRun(t, "exchange", "--db", post, "--dir", stick)
	clitest.MustRun(t, "exchange", "--db", st, "--dir", stick)
	return post, st
}

// TestCLIExchangeAcknowledged: `exchange --json` says, at the top level,
// whether every paired peer has acknowledged everything (`acknowledged`)
// and what it waits for (`waiting`). Writing a stick can never be
// acknowledged in the same run: false then, and exit 0; once the station's
// answer comes back on the stick, true on both sides.
func TestCLIExchangeAcknowledged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	post, st := filepath.Join(dir, "post.db"), filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	clitest.Pair(t, st, post)
	ctx := context.Background()
	s, err := store.Open(ctx, post, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.Village{Name: "西河村"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	type out struct {
		Acknowledged *bool
		Waiting      []struct {
			Peer       string
			Changesets int
			Since      string
		}
	}
	stick := t.TempDir()
	exchange := func(db string) out {
		t.Helper()
		stdout, stderr, code := clitest.Run(t, "exchange", "--db", db, "--dir", stick, "--json")
		if code != 0 {
			t.Fatalf("exchange exited %d: %s", code, stderr)
		}
		var o out
		if err := json.Unmarshal([]byte(stdout), &o); err != nil || o.Acknowledged == nil || o.Waiting == nil {
			t.Fatalf("exchange --json: %v\n%s", err, stdout)
		}
		return o
	}
	o := exchange(post)
	if *o.Acknowledged || len(o.Waiting) != 1 || o.Waiting[0].Changesets != 1 || o.Waiting[0].Since == "" {
		t.Fatalf("post, stick written: %+v", o)
	}
	exchange(st)
	if o = exchange(post); !*o.Acknowledged || len(o.Waiting) != 0 {
		t.Fatalf("post, station's answer read: %+v", o)
	}
	if o = exchange(st); !*o.Acknowledged {
		t.Fatalf("station, post's answer read: %+v", o)
	}
}

// TestCLIUnpairSurvivesRestore: `cunjing unpair` at the station, then
// `cunjing restore` of a backup made before it: the post stays unpaired
// (the journal beside the database, sync/unpair.go), so what it brings on
// a stick is refused and none of its changes are taken.
func TestCLIUnpairSurvivesRestore(t *testing.T) {
	t.Parallel()
	post := clitest.DemoDB(t)
	dir := t.TempDir()
	st := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	clitest.Pair(t, st, post)
	var id struct {
		DeviceID string `json:"device_id"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", post, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	usb := filepath.Join(dir, "usb")
	clitest.MustRun(t, "backup", "--db", st, "--to", usb, "--plaintext")
	saved, _ := filepath.Glob(filepath.Join(usb, "*.db"))
	if len(saved) != 1 {
		t.Fatalf("backups %v", saved)
	}
	clitest.MustRun(t, "unpair", "--db", st, id.DeviceID)
	clitest.MustRun(t, "restore", "--db", st, saved[0])

	// Onto a new PC (no journal beside the database): the copy kept with
	// the backups is taken, and the command says so; a copy someone
	// altered on the stick is refused, and said, not passed over.
	onNew := filepath.Join(t.TempDir(), "station.db")
	if out := clitest.MustRun(t, "restore", "--db", onNew, saved[0]); !strings.Contains(out, "unpairings kept with the backups: 1 device") {
		t.Errorf("restore onto a new PC says %q", out)
	}
	copies, _ := filepath.Glob(filepath.Join(usb, "*.cjun"))
	if len(copies) != 1 {
		t.Fatalf("journal copies %v", copies)
	}
	data, err := os.ReadFile(copies[0])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(copies[0], data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := clitest.Run(t, "restore", "--db", filepath.Join(t.TempDir(), "station.db"), saved[0], "--json"); code != 0 ||
		!strings.Contains(errs, "was refused") || !regexp.MustCompile(`"unpairings_refused":\s*"[^"]`).MatchString(out) {
		t.Errorf("restore beside an altered copy: exit %d\n%s\n%s", code, out, errs)
	}

	stick := t.TempDir()
	clitest.MustRun(t, "exchange", "--db", post, "--dir", stick)
	var got struct {
		Imported struct {
			Outcomes map[string]int `json:"outcomes"`
			Changes  int            `json:"changes"`
		} `json:"imported"`
	}
	out, _, _ := clitest.Run(t, "exchange", "--db", st, "--dir", stick, "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Imported.Changes != 0 || got.Imported.Outcomes["rejected"] == 0 {
		t.Fatalf("the restored station took the unpaired post's changes: %s", out)
	}
}

// TestCLISyncOnceBesideTheWindow: the window holds the post's link to its
// station (its node, in this process) while `cunjing sync --once` runs on
// the same database: the command asks for the link, the window's session
// yields, and every run is complete (sync/bep/linkturn); the window
// holds its link again afterwards.
func TestCLISyncOnceBesideTheWindow(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	post, stationDB := filepath.Join(dir, "post.db"), filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	clitest.MustRun(t, "init", "--db", stationDB, "--role", "station", "--name", "城关派出所")
	open := func(path string) *cjsync.Engine {
		st, err := store.Open(ctx, path, store.Options{Now: clocktest.Ticking(t, 0)})
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
	station := open(stationDB)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	clitest.MustRun(t, "pair", "--db", stationDB, clitest.Code(t, post))
	clitest.MustRun(t, "pair", "--db", post, "--address", ln.Addr().String(), clitest.Code(t, stationDB))
	window := open(post)
	done := make(chan struct{}, 2)
	go func() { _ = bep.NewNode(station, bep.Config{}).Run(ctx, ln, time.Hour, nil); done <- struct{}{} }()
	go func() { _ = bep.NewNode(window, bep.Config{}).Run(ctx, nil, time.Hour, nil); done <- struct{}{} }()
	defer func() { cancel(); <-done; <-done }()
	heard := func(want int) {
		t.Helper()
		for {
			vs, err := station.Store().Villages(ctx)
			if err == nil && len(vs) >= want {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("the station holds %d of the post's villages, want %d (%v)", len(vs), want, err)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	// The window's held link carries its first village.
	if err := window.Store().Save(ctx, &store.Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	if _, err := window.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	heard(1)
	for i := range 2 {
		if err := window.Store().Save(ctx, &store.Village{Name: fmt.Sprintf("新村%d", i)}); err != nil {
			t.Fatal(err)
		}
		out, errOut, rc := clitest.Run(t, "sync", "--db", post, "--once", "--json")
		var res struct {
			Sessions []struct{ Complete bool }
		}
		if rc != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Sessions) != 1 || !res.Sessions[0].Complete {
			t.Fatalf("sync --once %d beside the window: exit %d\n%s\n%s", i+1, rc, out, errOut)
		}
		heard(2 + i)
	}
	// And the window's node holds the link again: what it cuts crosses.
	if err := window.Store().Save(ctx, &store.Village{Name: "西关村"}); err != nil {
		t.Fatal(err)
	}
	if _, err := window.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	heard(4)
}
