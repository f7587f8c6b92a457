package syncui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clikit"
	"cunjing/app/cli/synccmd"
	"cunjing/app/lang/translations"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	"cunjing/sync/exchange"
	"cunjing/sync/status"
	"cunjing/sync/synctest"
)

// cliRun runs a sync command of the command line (synccmd's run) on the
// database db as a script would, on the tests' clock, and returns what it
// printed.
func cliRun(t *testing.T, run func(context.Context, *clikit.Env, []string) error, db string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	env := &clikit.Env{Stdout: &out, Stderr: io.Discard, StoreOptions: store.Options{Now: clocktest.Clock(t)}}
	defer env.ReleaseHolds()
	if err := run(context.Background(), env, append([]string{"--db", db}, args...)); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// noteAt notes a session with peer in self's file through a second
// connection whose clock reads at: when the peer was last reached.
func noteAt(t *testing.T, self *store.Store, at time.Time, peer, path string, in, out int64, lastError string) {
	t.Helper()
	other, err := store.Open(context.Background(), self.Path(), store.Options{Now: clock.Fixed(at), SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SyncBook().NotePeerContact(context.Background(), peer, path, in, out, lastError); err != nil {
		t.Fatal(err)
	}
}

// TestCLIAndWindowSaySyncFactsAlike: each fact of the sync state that both
// `cunjing sync --once` and 同步 say is said in one sentence: every line
// of the window about it is in the command line's text as it is, and it
// is the sentence wanted. Red before: the two worded them apart and had
// drifted — the county was 县局 on the command line and 县公安局 in the
// window; the command line said a station forgot this post (以前的收到记录
// 已不算数) where the window said the station had received everything;
// the cause of a failed session was a short clause on the command line
// and 立即同步's words in the window; a time after now was 刚刚 on the
// command line and a wrong clock in the window; the command line said
// 上次联系 3 小时前, （直连）, the bytes without 网络和 U 盘合计, 见拒收记录,
// 还没有和任何设备配对 and no count of packages where the window said
// them otherwise.
func TestCLIAndWindowSaySyncFactsAlike(t *testing.T) {
	zh := translations.Zh
	today := clocktest.Today(t)
	refused := status.StoredError("sync.why.refused", errors.New("dial tcp 192.0.2.1:22000: connect: connection refused"))
	odd := status.StoredError(status.CauseOther, errors.New("something nobody foresaw"))
	forgot := status.StoredError(status.CauseForgotten, errors.New("the peer does not know this device: closed by remote"))
	has := func(words ...string) func(string) bool {
		return func(line string) bool {
			for _, w := range words {
				if strings.Contains(line, w) {
					return true
				}
			}
			return false
		}
	}
	type pair struct{ self, peer *store.Store }
	postAndStation := func(t *testing.T) pair {
		post, stn, _, _ := uitest.PairedPost(t)
		return pair{post, stn}
	}
	for _, tc := range []struct {
		name  string
		make  func(t *testing.T) pair
		note  func(t *testing.T, p pair)
		about func(line string) bool // the window's lines about the fact
		want  string                 // the sentence both say
	}{
		{"what was packed and received", postAndStation, nil, has("本机已打包"),
			"本机已打包 1 个数据包，已收到并合并 0 个。"},
		{"paired with nobody", func(t *testing.T) pair {
			return pair{self: synctest.Device(t, store.RolePost, "西河警务室", store.Options{Now: clocktest.Clock(t)}).Store()}
		}, nil, has("还没有和"), "还没有和任何设备配对。"},
		{"a file refused", postAndStation, func(t *testing.T, p pair) {
			if _, err := p.self.SyncBook().LogReject(context.Background(), syncbook.Reject{At: "2026-12-01T00:00:00Z", Carrier: "bep", File: "cs-x.cjcs", Kind: "damaged", Reason: "damaged"}); err != nil {
				t.Fatal(err)
			}
		}, has("被拒收"), "有 1 个文件或修改被拒收，原因见“拒收的文件”。"},
		{"what a county has received, by its role", func(t *testing.T) pair {
			_, stn, _, stnEngine := uitest.PairedPost(t)
			county := synctest.Device(t, store.RoleCounty, "城关县公安局", store.Options{Now: clocktest.Clock(t)})
			uitest.PairEngines(t, stnEngine, county)
			return pair{stn, county.Store()}
		}, nil, has("等着县", "发给县", "县局已收到", "县公安局已收到"), "个数据包等着县公安局收下（从 "},
		{"the station forgot this post", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today, p.peer.DeviceID(), "", 0, 0, forgot)
		}, has("不认识本机", "拒绝了本机的同步"), "派出所拒绝了本机的同步：它那边没有和本机配对（多半是它从配对之前的备份恢复了，或者换了电脑），本机的修改它都没有，以前的收到记录已不算数。请重新和它配对（扫码或粘贴配对码），配对后会自动补齐。"},
		{"why the last session failed", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today, p.peer.DeviceID(), "", 0, 0, refused)
		}, has("上次的问题"), "上次的问题：" + zh("sync.why.refused")},
		{"a failure without words of its own", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today, p.peer.DeviceID(), "", 0, 0, odd)
		}, has("上次的问题"), "上次的问题：" + zh("sync.why.other")},
		{"never reached", postAndStation, nil, has("联系"), "上次联系：从未联系"},
		{"reached 3 hours ago", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today.Add(-3*time.Hour), p.peer.DeviceID(), "", 0, 0, "")
		}, has("联系"), "上次联系：3 小时前"},
		{"reached yesterday", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today.Add(-50*time.Hour), p.peer.DeviceID(), "", 0, 0, "")
		}, has("联系"), "上次联系：2 天前"},
		{"reached at a time after now", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today.Add(3*time.Hour), p.peer.DeviceID(), "", 0, 0, "")
		}, has("联系"), "上次联系：时间在现在之后：有一台电脑的时钟不准"},
		{"how it was reached", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today, p.peer.DeviceID(), "relay", 0, 0, "")
		}, has("连接方式", "直连", "中继"), "上次连接方式：经中继"},
		{"what it sent and received", postAndStation, func(t *testing.T, p pair) {
			noteAt(t, p.self, today, p.peer.DeviceID(), "direct", 5120, 12<<20+300<<10, "")
		}, has("已收到 5"), "已收到 5 KB，已发出 12.3 MB（网络和 U 盘合计）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.make(t)
			if tc.note != nil {
				tc.note(t, p)
			}
			cli := cliRun(t, synccmd.Sync, p.self.Path(), "--once")
			u, w := uitest.NewSyncEnv(t, p.self)
			s := New(u)
			w.SetContent(s.Object())
			u.Wait()
			var about []string
			for _, line := range uitest.Texts(s.status) {
				if tc.about(line) {
					about = append(about, line)
				}
			}
			if len(about) == 0 {
				t.Fatalf("同步 says nothing of it:\n%s", uitest.Joined(s.status))
			}
			for _, line := range about {
				if !strings.Contains(cli, line) {
					t.Errorf("同步 says\n%s\nthe command line does not:\n%s", line, cli)
				}
			}
			if said := strings.Join(about, "\n"); !strings.Contains(said, tc.want) || !strings.Contains(cli, tc.want) {
				t.Errorf("want %q said by both; 同步:\n%s\ncommand line:\n%s", tc.want, said, cli)
			}
		})
	}
}

// TestCLIAndWindowSayAnExchangeAlike: `cunjing exchange` says what it did
// in the words of 同步's U 盘交换. Red before: it printed Go's English
// ("read 2 file(s): map[own:2]; 0 change(s) merged; wrote 0 file(s)").
func TestCLIAndWindowSayAnExchangeAlike(t *testing.T) {
	post, _, _ := uitest.SyncPair(t)
	stick := t.TempDir()
	// What else the officer keeps on the stick is said, not passed over.
	if err := os.WriteFile(filepath.Join(stick, "照片.jpg"), []byte("jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	cliRun(t, synccmd.Exchange, post.Path(), "--dir", stick, "--json")
	// The second and third trips find the same: this post's own files.
	text := cliRun(t, synccmd.Exchange, post.Path(), "--dir", stick)
	var rep exchange.Report
	if err := json.Unmarshal([]byte(cliRun(t, synccmd.Exchange, post.Path(), "--dir", stick, "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	uitest.NewSyncEnv(t, post) // Fyne's lang, in Chinese
	said := exchangeWords(rep)
	if !strings.Contains(said, "读了 ") || !strings.Contains(said, "1 个不是村警通的文件或文件夹，没有读，也没有动：照片.jpg。") || !strings.Contains(text, said) {
		t.Errorf("同步's U 盘交换 says\n%s\n`cunjing exchange` says\n%s", said, text)
	}
}
