package syncui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/cli/clikit"
	"cunjing/app/cli/synccmd"
	syncwords "cunjing/app/lang/translations/sync"
	"cunjing/app/synconce"
	"cunjing/app/ui/uitest"
	"cunjing/app/update"
	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/servers"
	"cunjing/sync/changeset"
	"cunjing/sync/exchange"
	"cunjing/sync/identity"
	"cunjing/sync/release"
	"cunjing/sync/status"
	"cunjing/sync/synctest"
)

func codeOf(t *testing.T, e *cjsync.Engine, name, role string) string {
	t.Helper()
	c, err := e.Identity().Code(name, role, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Encode(e.Identity())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openSync shows 同步 over st in a headless window.
func openSync(t *testing.T, st *store.Store) (*uitest.SyncEnv, *Screen) {
	t.Helper()
	u, w := uitest.NewSyncEnv(t, st)
	s := New(u)
	w.SetContent(s.Object())
	u.Wait()
	return u, s
}

func TestSyncPairAndUnpair(t *testing.T) {
	post, _, stnEngine := uitest.SyncPair(t)
	u, s := openSync(t, post)
	if !strings.HasPrefix(s.code, "CJ1.") {
		t.Fatalf("own code %q", s.code)
	}
	if got := strings.Join(uitest.Texts(s.pairing), "\n"); !strings.Contains(got, s.code[:24]) || !strings.Contains(got, "复制配对码") {
		t.Errorf("pairing tab does not show the code:\n%s", got)
	}
	var asked string
	s.confirm = func(_, text string, ok func()) { asked = text; ok() }

	s.codeIn.SetText("CJ1.garbage")
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	if !strings.Contains(s.pairMsg.Text(), "不是有效的配对码") {
		t.Errorf("bad code: %q", s.pairMsg.Text())
	}
	s.codeIn.SetText(s.code)
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	if !strings.Contains(s.pairMsg.Text(), "本机自己的配对码") {
		t.Errorf("own code: %q", s.pairMsg.Text())
	}

	// A code wrapped over lines in a message still reads.
	code := codeOf(t, stnEngine, "城关派出所", store.RoleStation)
	s.codeIn.SetText(code[:40] + "\n" + code[40:])
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	u.Wait()
	if !strings.Contains(asked, "城关派出所") || !strings.Contains(asked, "派出所") || !strings.Contains(asked, stnEngine.Self()) {
		t.Errorf("confirm dialog said %q", asked)
	}
	peers, err := post.SyncBook().Peers(context.Background(), false)
	if err != nil || len(peers) != 1 || peers[0].DeviceID != stnEngine.Self() {
		t.Fatalf("peers after pairing: %+v %v", peers, err)
	}
	if got := strings.Join(uitest.Texts(s.status), "\n"); !strings.Contains(got, "城关派出所") || !strings.Contains(got, "从未联系") {
		t.Errorf("status lacks the new peer:\n%s", got)
	}

	test.Tap(uitest.FindButton(t, s.pairing, "取消配对"))
	u.Wait()
	if !strings.Contains(asked, "城关派出所") {
		t.Errorf("unpair was not confirmed by name: %q", asked)
	}
	if peers, _ := post.SyncBook().Peers(context.Background(), false); len(peers) != 0 {
		t.Errorf("still paired: %+v", peers)
	}
}

func TestSyncExchangeFolder(t *testing.T) {
	post, _, _, _ := uitest.PairedPost(t)
	u, s := openSync(t, post)
	if got := strings.Join(uitest.Texts(s.status), "\n"); !strings.Contains(got, "还没打包") {
		t.Errorf("status does not say changes wait to be packed:\n%s", got)
	}
	stick := t.TempDir()
	test.Tap(s.exchBtn)
	if s.exchMsg.Text != "请先选择 U 盘上的文件夹。" {
		t.Errorf("no folder: %q", s.exchMsg.Text)
	}
	s.exchDir.SetText(filepath.Join(stick, "missing"))
	test.Tap(s.exchBtn)
	if !strings.Contains(s.exchMsg.Text, "U 盘插好了吗") {
		t.Errorf("missing folder: %q", s.exchMsg.Text)
	}
	s.exchDir.SetText(stick)
	test.Tap(s.exchBtn)
	u.Wait()
	if !strings.Contains(s.exchMsg.Text, "写到 U 盘") {
		t.Fatalf("exchange report %q", s.exchMsg.Text)
	}
	files, _ := os.ReadDir(stick)
	if len(files) == 0 {
		t.Fatal("nothing written to the stick")
	}

}

func TestSyncNowAndRejects(t *testing.T) {
	ctx := context.Background()
	post, _, _ := uitest.SyncPair(t)
	if _, err := post.SyncBook().LogReject(ctx, syncbook.Reject{Carrier: "/media/usb", File: "cs-bad.cjc", Origin: "XXXX-YYYY", Reason: "signature does not verify"}); err != nil {
		t.Fatal(err)
	}
	u, s := openSync(t, post)
	test.Tap(s.syncBtn)
	u.Wait()
	if !strings.Contains(s.syncMsg.Text, "打包了") || !strings.Contains(s.syncMsg.Text, "没有可以直接连接的设备") {
		t.Errorf("sync now said %q", s.syncMsg.Text)
	}
	if got := strings.Join(uitest.Texts(s.status), "\n"); !strings.Contains(got, "本机的修改都已打包好") || !strings.Contains(got, "被拒收") {
		t.Errorf("status after sync:\n%s", got)
	}
	got := strings.Join(uitest.Texts(s.rejects), "\n")
	// An entry from before kinds were kept, in the engine's English: the
	// tab says it in Chinese and keeps the English under 详细信息.
	if !strings.Contains(got, "cs-bad.cjc") || !strings.Contains(got, "原因：文件没有被接受，原因见详细信息。") || strings.Contains(got, "signature does not verify") {
		t.Errorf("rejects tab:\n%s", got)
	}
	// A refusal before any signature verified names no sender.
	if _, err := post.SyncBook().LogReject(ctx, syncbook.Reject{Carrier: "/media/usb", File: "cs-forged.cjcs", Reason: "changeset signature does not verify"}); err != nil {
		t.Fatal(err)
	}
	s.Refresh()
	u.Wait()
	if got := strings.Join(uitest.Texts(s.rejects), "\n"); !strings.Contains(got, "发送方不明") {
		t.Errorf("rejects tab without a verified sender:\n%s", got)
	}
}

// Every kind of refusal the engine logs is said in Chinese on 已拒收; the
// engine's own Chinese (a chain it could not place, with its numbers) is
// shown as it is; the English is never on screen.
func TestRejectWords(t *testing.T) {
	_, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	for _, k := range cjsync.RejectKinds() {
		r := syncbook.Reject{Kind: string(k), Reason: "some English words from the engine"}
		got := rejectWords(r)
		if got == "" || got == "sync.reject."+string(k) || !startsCJK(got) || strings.Contains(got, "English") {
			t.Errorf("%s: %q", k, got)
		}
	}
	for _, tc := range []struct {
		r    syncbook.Reject
		want string
	}{
		{syncbook.Reject{Kind: "chain", Reason: "「东河村警务室」的第 7 号数据包接不上先前已收到的第 5 号。 (broken chain: sequence 7)"}, "「东河村警务室」的第 7 号数据包接不上先前已收到的第 5 号。"},
		{syncbook.Reject{Kind: "rebased", Reason: "「城关派出所」没有把本机的第 3 号数据包排进序列。"}, "「城关派出所」没有把本机的第 3 号数据包排进序列。"},
		{syncbook.Reject{Kind: "", Reason: "changeset signature does not verify"}, "文件没有被接受，原因见详细信息。"},
		{syncbook.Reject{Kind: "a kind from a newer version", Reason: "x (y)"}, "文件没有被接受，原因见详细信息。"},
	} {
		if got := rejectWords(tc.r); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
}

// After a USB round trip post → stick → station → stick → post, the
// post's 同步 says plainly that the station has everything (its signed
// receipt came back on the stick); before the return trip it says what
// waits for the station and since when. Stick bytes count as sent and
// received.
func TestSyncReceiptAfterStickRoundTrip(t *testing.T) {
	ctx := context.Background()
	post, _, _, stnEngine := uitest.PairedPost(t)
	u, s := openSync(t, post)
	stick := t.TempDir()
	s.exchDir.SetText(stick)
	test.Tap(s.exchBtn)
	u.Wait()
	got := uitest.Joined(s.status)
	if !strings.Contains(got, "个数据包等着派出所收下（从 ") || strings.Contains(got, "之前的全部修改") {
		t.Errorf("before the return trip the status does not say what waits for the station:\n%s", got)
	}
	if strings.Contains(got, "配对的设备都已收到") {
		t.Errorf("before the return trip the status says everything arrived:\n%s", got)
	}

	// The station reads the stick and writes its receipt onto it.
	if _, err := exchange.Once(ctx, stnEngine, stick); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.exchBtn)
	u.Wait()
	got = uitest.Joined(s.status)
	for _, want := range []string{"派出所已收到 ", " 之前的全部修改", "本机的修改都已打包好"} {
		if !strings.Contains(got, want) {
			t.Errorf("after the round trip the status lacks %q:\n%s", want, got)
		}
	}
	// It is the first thing on the screen, above the device cards.
	if i, j := strings.Index(got, "派出所已收到 "), strings.Index(got, "本机设备号"); i < 0 || j < 0 || i > j {
		t.Errorf("the receipt line is not above this device's card:\n%s", got)
	}
	for _, bad := range []string{"等着", "还有 ", "Every", "package", "to send"} {
		if strings.Contains(got, bad) {
			t.Errorf("after the round trip the status says %q:\n%s", bad, got)
		}
	}
	peers, err := post.SyncBook().Peers(ctx, false)
	if err != nil || len(peers) != 1 {
		t.Fatalf("peers %+v %v", peers, err)
	}
	if peers[0].BytesIn == 0 || peers[0].BytesOut == 0 {
		t.Fatalf("stick bytes not counted: in %d, out %d", peers[0].BytesIn, peers[0].BytesOut)
	}
	if want := fmt.Sprintf("已收到 %s，已发出 %s", status.BytesWords(peers[0].BytesIn), status.BytesWords(peers[0].BytesOut)); !strings.Contains(got, want) {
		t.Errorf("status lacks the stick bytes %q:\n%s", want, got)
	}
}

// The engine's own status text, which the CLI prints, is Chinese.
func TestSyncStatusTextChinese(t *testing.T) {
	ctx := context.Background()
	post, _, stnEngine := uitest.SyncPair(t)
	postEngine, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postEngine.Pair(ctx, uitest.PairingCode(t, stnEngine)); err != nil {
		t.Fatal(err)
	}
	st, err := postEngine.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range st.Text {
		if r >= 'a' && r <= 'z' {
			t.Fatalf("status text has Latin words: %q", st.Text)
		}
	}
}

func TestPairingCodeFileHasOneExtension(t *testing.T) {
	post, _, _ := uitest.SyncPair(t)
	_, s := openSync(t, post)
	name := s.codeFileName()
	if !strings.HasPrefix(name, "配对码-") || !strings.HasSuffix(name, ".cjpair") || strings.Count(name, ".") != 1 {
		t.Errorf("pairing code file suggested as %q", name)
	}
}

// TestSyncServersCard: the discovery and relay servers are set in 同步's
// pairing tab; a bad URL is named in Chinese and saves nothing, good ones
// are saved for the next sync and shown again when 同步 reopens.
func TestSyncServersCard(t *testing.T) {
	post, _, _ := uitest.SyncPair(t)
	u, s := openSync(t, post)
	ctx := context.Background()
	const disco = "https://192.0.2.10:8443/?id=P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2"
	const relay = "relay://192.0.2.10:22067/?id=P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2"
	cases := []struct {
		name, disco, relay string
		msg                string
		want               syncbook.NetServers
	}{
		{"wrong scheme", "http://192.0.2.10:8443/", "", "服务器地址有误，未保存", syncbook.NetServers{Discovery: []string{}, Relays: []string{}}},
		{"bad pinned ID", "", "relay://192.0.2.10:22067/?id=NOTANID", "服务器地址有误，未保存", syncbook.NetServers{Discovery: []string{}, Relays: []string{}}},
		{"both, blank lines and a repeat", disco + "\n\n" + disco, "  " + relay + "  \n", "已保存：1 个发现服务器，1 个中继服务器", syncbook.NetServers{Discovery: []string{disco}, Relays: []string{relay}}},
		{"relay bad keeps the saved ones", disco, "relay://nohost", "服务器地址有误，未保存", syncbook.NetServers{Discovery: []string{disco}, Relays: []string{relay}}},
		{"cleared", "", "", "已清空", syncbook.NetServers{Discovery: []string{}, Relays: []string{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.discoIn.SetText(c.disco)
			s.relayIn.SetText(c.relay)
			test.Tap(uitest.FindButton(t, s.pairing, "保存服务器"))
			u.Wait()
			if !strings.Contains(s.serverMsg.Text(), c.msg) {
				t.Errorf("message %q, want %q", s.serverMsg.Text(), c.msg)
			}
			got, err := post.SyncBook().NetServers(ctx)
			if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("saved %+v (%v), want %+v", got, err, c.want)
			}
		})
	}
	if _, err := post.SyncBook().NetServers(ctx); err != nil {
		t.Fatal(err)
	}
	if err := post.SyncBook().SetNetServers(ctx, syncbook.NetServers{Discovery: []string{disco}, Relays: []string{}}); err != nil {
		t.Fatal(err)
	}
	_, s2 := openSync(t, post)
	if s2.discoIn.Text != disco || s2.relayIn.Text != "" {
		t.Errorf("reopened 同步 shows %q / %q", s2.discoIn.Text, s2.relayIn.Text)
	}
}

// TestSyncStationPublishesServers: at a station the servers card publishes
// the lists to the posts and shows what it publishes; a bad URL publishes
// nothing.
func TestSyncStationPublishesServers(t *testing.T) {
	_, stn, _ := uitest.SyncPair(t)
	u, s := openSync(t, stn)
	ctx := context.Background()
	const relay = "relay://192.0.2.10:22067/?id=P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2"
	s.relayIn.SetText("relay://192.0.2.10")
	test.Tap(uitest.FindButton(t, s.pairing, "发布给各警务室"))
	u.Wait()
	if own, err := tierdata.OwnServers(ctx, stn); err != nil || len(own) != 0 || !strings.Contains(s.serverMsg.Text(), "有误") {
		t.Fatalf("a bad relay: published %v (%v), message %q", own, err, s.serverMsg.Text())
	}
	s.relayIn.SetText(relay)
	test.Tap(uitest.FindButton(t, s.pairing, "发布给各警务室"))
	u.Wait()
	own, err := tierdata.OwnServers(ctx, stn)
	if err != nil || len(own) != 1 || own[0].URL != relay || own[0].Kind != store.ServerRelay {
		t.Fatalf("published %+v (%v)", own, err)
	}
	if !strings.Contains(s.serverMsg.Text(), "已保存并发布") {
		t.Errorf("message %q", s.serverMsg.Text())
	}
	if got := strings.Join(uitest.Texts(s.pairing), "\n"); !strings.Contains(got, "正在发布给各警务室的服务器：\n中继服务器："+relay) {
		t.Errorf("the card does not show what is published:\n%s", got)
	}
}

// TestSyncOffersNewRelease: a station carried a signed release to the
// post; 同步 says 有新版本 1.3.0，来自城关派出所, and 安装新版本 asks,
// starts the installer on the file and closes cunjing. A release signed by
// another key is said as refused, never offered.
func TestSyncOffersNewRelease(t *testing.T) {
	ctx := context.Background()
	post, _, postEngine, stnEngine := uitest.PairedPost(t)
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, 32))
	rogue := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{6}, 32))
	keys := []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	file := []byte(strings.Repeat("new cunjing ", 1000))
	goos, kind, name := runtime.GOOS, release.KindDeb, "cunjing_1.3.0.deb"
	if goos == "windows" {
		kind, name = release.KindInstaller, "cunjing-setup.exe"
	}
	sign := func(k ed25519.PrivateKey, version string) []byte {
		m, err := release.Describe(version, goos, runtime.GOARCH, kind, name, bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		b, err := release.Sign(m, k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := update.Publish(ctx, stnEngine, keys, sign(key, "1.3.0"), bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	// One slipped past the station's check, signed by another key.
	if err := stnEngine.Store().Save(ctx, &store.Release{Version: "2.0.0", OS: goos, Arch: runtime.GOARCH,
		Manifest: string(sign(rogue, "2.0.0")), FileHash: changeset.HashBlob(file), PublishedAt: "2026-12-05"}); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{stnEngine, postEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	u, s := openSync(t, post)
	var ran []string
	quit := false
	s.releaseKeys = func() ([]ed25519.PublicKey, error) { return keys, nil }
	s.startInstaller = func(name string, args ...string) error { ran = append([]string{name}, args...); return nil }
	s.quit = func() { quit = true }
	s.confirm = func(_, _ string, ok func()) { ok() }
	s.Refresh()
	u.Wait()
	got := strings.Join(uitest.Texts(s.status), "\n")
	if !strings.Contains(got, "有新版本 1.3.0，来自城关派出所") || !strings.Contains(got, "本机现在是 0.1.0") {
		t.Fatalf("no offer shown:\n%s", got)
	}
	if !strings.Contains(got, "收到的新版本 2.0.0（来自城关派出所）：签名不对") {
		t.Errorf("the rogue release is not said as refused:\n%s", got)
	}
	test.Tap(uitest.FindButton(t, s.status, "安装新版本"))
	u.Wait()
	if len(ran) == 0 || !quit {
		t.Fatalf("installer %v, quit %v; message %q %q", ran, quit, s.updateMsg.Text(), s.updateMsg.Detail())
	}
	path := ran[len(ran)-1]
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, file) || filepath.Base(path) != name {
		t.Errorf("installer file %s: %v", path, err)
	}
}

// TestPairFromFile: a pairing-code file opened with cunjing shows the
// pairing tab and asks whether to pair with the device it names; a file
// that is not there says so and pairs nothing.
func TestPairFromFile(t *testing.T) {
	post, _, stnEngine := uitest.SyncPair(t)
	u, s := openSync(t, post)
	var asked string
	s.confirm = func(_, text string, ok func()) { asked = text }
	dir := t.TempDir()
	s.PairFromFile(filepath.Join(dir, "没有这个.cjpair"))
	u.Wait()
	if asked != "" || s.tabs.SelectedIndex() != TabPair {
		t.Fatalf("missing file: asked %q, tab %d", asked, s.tabs.SelectedIndex())
	}
	s.ShowTab(0)
	p := filepath.Join(dir, "配对码-城关.cjpair")
	if err := os.WriteFile(p, []byte(codeOf(t, stnEngine, "城关派出所", store.RoleStation)+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.PairFromFile(p)
	u.Wait()
	if s.tabs.SelectedIndex() != TabPair || !strings.Contains(asked, "城关派出所") || !strings.Contains(asked, stnEngine.Self()) {
		t.Errorf("tab %d, confirm said %q", s.tabs.SelectedIndex(), asked)
	}
	if peers, _ := post.SyncBook().Peers(context.Background(), false); len(peers) != 0 {
		t.Errorf("paired without the officer's yes: %+v", peers)
	}
}

// Pairing across the tree's rules is refused in Chinese: a post with a
// county's code, a station with a second county (naming the first).
func TestSyncPairRoleRules(t *testing.T) {
	ctx := context.Background()
	post, stn, _ := uitest.SyncPair(t)
	countyEngine := synctest.Device(t, store.RoleCounty, "城关县公安局")
	u, s := openSync(t, post)
	s.confirm = func(_, _ string, ok func()) { ok() }
	s.codeIn.SetText(codeOf(t, countyEngine, "城关县公安局", store.RoleCounty))
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	u.Wait()
	if got := s.pairMsg.Text(); got != "警务室只和派出所配对，这个配对码是县公安局的。" {
		t.Errorf("post with a county: %q", got)
	}
	if peers, _ := post.SyncBook().Peers(ctx, false); len(peers) != 0 {
		t.Errorf("paired anyway: %+v", peers)
	}
	// A station paired with one county is refused a second.
	su, ss := openSync(t, stn)
	ss.confirm = func(_, _ string, ok func()) { ok() }
	for i, name := range []string{"城关县公安局", "邻县公安局"} {
		other := synctest.Device(t, store.RoleCounty, name)
		ss.codeIn.SetText(codeOf(t, other, name, store.RoleCounty))
		test.Tap(uitest.FindButton(t, ss.pairing, "配对"))
		su.Wait()
		if i == 1 && !strings.Contains(ss.pairMsg.Text(), "已经和「城关县公安局」配对") {
			t.Errorf("second county: %q", ss.pairMsg.Text())
		}
	}
}

// A pasted pairing code is laid out in lines of its own (Fyne wrapping
// one unbroken line of it froze the window for seconds) and still pairs;
// a short code and text typed by hand are left as they are.
func TestPastedCodeIsLaidOutInLines(t *testing.T) {
	post, _, stnEngine := uitest.SyncPair(t)
	_, s := openSync(t, post)
	code := codeOf(t, stnEngine, "城关派出所", store.RoleStation)
	s.codeIn.SetText("  " + code + "\n")
	lines := strings.Split(s.codeIn.Text, "\n")
	if len(lines) < len(code)/codeWidth {
		t.Fatalf("a %d-character code in %d lines", len(code), len(lines))
	}
	for _, l := range lines {
		if utf8.RuneCountInString(l) > codeWidth || strings.TrimSpace(l) != l {
			t.Fatalf("line %q", l)
		}
	}
	if strings.Join(lines, "") != code {
		t.Fatal("laying the code out changed it")
	}
	if _, err := identity.ParseCode(s.codeIn.Text); err != nil {
		t.Fatalf("the laid-out code does not parse: %v", err)
	}
	for _, keep := range []string{"CJP-7K3M-Q9XA", "一个手写的备注", strings.Repeat("码", codeWidth)} {
		s.codeIn.SetText(keep)
		if s.codeIn.Text != keep {
			t.Errorf("%q became %q", keep, s.codeIn.Text)
		}
	}
	s.codeIn.SetText(strings.Repeat("码", codeWidth+1))
	if want := strings.Repeat("码", codeWidth) + "\n码"; s.codeIn.Text != want {
		t.Errorf("a long line of Chinese became %q", s.codeIn.Text)
	}
}

// A station with many posts, none of them sent anything yet: 同步状态
// said 还没有要发给「…」的修改 once a post, a dozen lines of nothing at a
// township; it says it once, naming them all.
func TestNothingToSendSaidOnce(t *testing.T) {
	stn := synctest.Device(t, store.RoleStation, "城关派出所")
	var names []string
	for _, n := range []string{"张庄村警务室", "李家屯警务室", "王楼警务室"} {
		synctest.Pair(t, stn, synctest.Device(t, store.RolePost, n))
		names = append(names, "「"+n+"」")
	}
	_, s := openSync(t, stn.Store())
	got := uitest.Joined(s.status)
	if n := strings.Count(got, "还没有要发给"); n != 1 {
		t.Fatalf("还没有要发给 said %d times, want once:\n%s", n, got)
	}
	if want := "还没有要发给" + strings.Join(names, "、") + "的修改"; !strings.Contains(got, want) {
		t.Errorf("the status lacks %q:\n%s", want, got)
	}
}

// TestSyncNowSaysWhyInWords: 立即同步 with the station's address refusing
// and the only relay down showed the errors' own text — Go's English
// ("dial tcp 127.0.0.1:…: connect: connection refused") — to a village
// officer. Now it says what happened and what to do next, in Chinese only.
func TestSyncNowSaysWhyInWords(t *testing.T) {
	ctx := context.Background()
	pe := synctest.Device(t, store.RolePost, "东河警务室")
	se := synctest.Device(t, store.RoleStation, "城关派出所")
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	code, err := se.Identity().Code("城关派出所", store.RoleStation, []string{free()}) // nobody listens there
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pe.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, err := servers.Save(ctx, pe.Store().SyncBook(), servers.List{Relays: []string{"relay://" + free()}}); err != nil {
		t.Fatal(err)
	}
	u, s := openSync(t, pe.Store())
	test.Tap(s.syncBtn)
	u.Wait()
	got := s.syncMsg.Text
	if !strings.Contains(got, "城关派出所：没有同步成功。连不上中继服务器。") || regexp.MustCompile(`[A-Za-z]`).MatchString(got) {
		t.Errorf("立即同步 said %q, want why in Chinese words only", got)
	}
	if s.syncDetail.Visible() {
		t.Errorf("small print for a failure said in words: %q", s.syncDetail.Text)
	}
}

// TestSessionLines: each way a session ends, in words; a failure with no
// words of its own gets a Chinese sentence and its raw text in small
// print (never the raw text alone).
func TestSessionLines(t *testing.T) {
	st := synctest.Device(t, store.RolePost, "东河警务室").Store()
	_, _ = openSync(t, st) // the app's translations
	peer := syncbook.Peer{Name: "城关派出所"}
	cases := []struct {
		name        string
		se          synconce.Session
		line, small string
	}{
		{"done", synconce.Session{Peer: peer, Result: bep.Result{Complete: true, Pulled: 2, Imported: 3, Path: bep.PathDirect, Address: "192.0.2.1:22000"}},
			"城关派出所：已同步，收到 2 个文件，合并 3 个数据包。", ""},
		{"relay down", synconce.Session{Peer: peer, Err: fmt.Errorf("sync with 城关派出所: relay x: %w: dial tcp: connection refused", bep.ErrRelayDown)},
			"城关派出所：没有同步成功。连不上中继服务器。", ""},
		{"dead link midway", synconce.Session{Peer: peer, Result: bep.Result{Pulled: 1, Err: fmt.Errorf("read: %w", framing.ErrSilent), Error: "read: the link brought nothing"}},
			"城关派出所：没有同步完（收到 1 个文件，合并 0 个数据包）。连接中途断了", ""},
		{"unknown", synconce.Session{Peer: peer, Err: errors.New("cluster config: folder cj-post-X: no such thing")},
			"城关派出所：没有同步成功。原因不明。", "城关派出所的原始出错信息：cluster config: folder cj-post-X: no such thing"},
		{"unknown, text only", synconce.Session{Peer: peer, Result: bep.Result{Error: "index: odd"}},
			"原因不明", "城关派出所的原始出错信息：index: odd"},
	}
	latin := regexp.MustCompile(`[A-Za-z]`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines, details := c.se.Lines(words)
			text := strings.Join(lines, "\n")
			if !strings.Contains(text, c.line) || latin.MatchString(strings.ReplaceAll(text, c.se.Result.Address, "")) {
				t.Errorf("said %q, want %q and no Latin letters", text, c.line)
			}
			if small := strings.Join(details, "\n"); small != c.small {
				t.Errorf("small print %q, want %q", small, c.small)
			}
		})
	}
}

// A post restored from a backup made before it paired with its station
// no longer knows the station, which still holds the post and its work:
// 同步 drew a card per paired device and said 还没有配对, so the lost
// pairing showed nowhere in the window (only `sync --once` said it). It
// says what happened and what to do, where things stand.
func TestSyncSaysAPairingLostToARestore(t *testing.T) {
	ctx := context.Background()
	post, _, stnEngine := uitest.SyncPair(t)
	saved, err := backup.Write(ctx, post, t.TempDir(), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	postEngine, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	uitest.PairEngines(t, postEngine, stnEngine)
	path := post.Path()
	if err := post.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, path, saved, backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { restored.Close() })
	u, s := openSync(t, restored)
	for name, part := range map[string]fyne.CanvasObject{"状态": s.status, "配对": s.pairing} {
		got := strings.Join(uitest.Texts(part), "\n")
		if !strings.Contains(got, "配对之前的备份恢复的") || !strings.Contains(got, "城关派出所") || strings.Contains(got, "还没有和任何设备配对") {
			t.Errorf("同步's %s after a restore from before the pairing does not say it was lost:\n%s", name, got)
		}
	}
	// Not to be synced with again on purpose: 取消配对 beside it says so.
	var asked string
	s.confirm = func(_, text string, ok func()) { asked = text; ok() }
	test.Tap(uitest.FindButton(t, s.pairing, "取消配对"))
	u.Wait()
	if !strings.Contains(asked, "城关派出所") {
		t.Errorf("unpair was not confirmed by name: %q", asked)
	}
	if got := strings.Join(uitest.Texts(s.status), "\n"); strings.Contains(got, "配对之前的备份恢复的") {
		t.Errorf("the lost pairing is still said after unpairing it:\n%s", got)
	}
}

// TestOwnCardIsNotAmongThePaired: 同步状态 lists the paired devices under
// 已配对的设备, then this post's own card: under a heading 本机 of its own,
// or a newcomer reads that the post is paired with itself.
func TestOwnCardIsNotAmongThePaired(t *testing.T) {
	ctx := context.Background()
	post, _, stnEngine := uitest.SyncPair(t)
	postEngine, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	uitest.PairEngines(t, postEngine, stnEngine)
	var self store.Post
	if err := post.Get(ctx, &self, post.DeviceID()); err != nil {
		t.Fatal(err)
	}
	_, s := openSync(t, post)
	texts := uitest.Texts(s.status)
	index := func(want string) int {
		for i, x := range texts {
			if x == want {
				return i
			}
		}
		return -1
	}
	paired, mine, own := index("已配对的设备"), index("本机"), index(self.Name)
	if paired < 0 || own < 0 {
		t.Fatalf("no 已配对的设备 (%d) or own card %q (%d) in 同步状态:\n%s", paired, self.Name, own, strings.Join(texts, "\n"))
	}
	if !(paired < mine && mine < own) {
		t.Errorf("own card %q (at %d) is not under a heading 本机 (at %d) after the paired devices (at %d):\n%s",
			self.Name, own, mine, paired, strings.Join(texts, "\n"))
	}
}

// TestRejectsSaySettled: 拒收的文件 says which refusals sync has since put
// right (the engine's words), above the list that keeps them; with none
// settled it says nothing of it.
func TestRejectsSaySettled(t *testing.T) {
	rs := []syncbook.Reject{{At: "2026-12-04 09:00", File: "cs-1.cjcs", Kind: "fork", Origin: "ABC"}}
	const settled = "先前拒收的 1 个数据包已处理完：里面的修改两边都已合并，对方也已收到，不再提醒（记录仍在拒收记录里）。"
	for _, c := range []struct {
		settled string
		want    bool
	}{{settled, true}, {"", false}} {
		got := uitest.Joined(container.NewVBox(rejectsView(rs, c.settled)...))
		if strings.Contains(got, "已处理完") != c.want || !strings.Contains(got, "cs-1.cjcs") {
			t.Errorf("settled %q: 拒收的文件 reads\n%s", c.settled, got)
		}
	}
}

// TestPeerCardSaysTheLastProblemInWords: a paired device's card says its
// last problem in 立即同步's words, Go's text only under 原因不明.
func TestPeerCardSaysTheLastProblemInWords(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		cause, raw string
		want, not  string
	}{
		{"sync.why.refused", "dial tcp 10.0.0.2:22000: connect: connection refused", "对方", "dial tcp"},
		{"", "something odd", "原因不明", ""},
	} {
		got := uitest.Joined(peerCard(status.Peer{Name: "城关派出所", Role: store.RoleStation, LastCause: c.cause, LastError: c.raw}, now))
		if !strings.Contains(got, "上次的问题："+c.want) || (c.not != "" && strings.Contains(got, c.not)) {
			t.Errorf("cause %q: the card reads\n%s", c.cause, got)
		}
	}
}

// A paired device whose sessions are paused here (its files kept failing
// verification, sync/quarantine) or whose files addressed to others are
// counted past what a changeset's reference excuses says so on its card,
// in sync's words, as the command line's status does. Red before: the
// card said neither; only the station's 各警务室 showed a pause.
func TestPeerCardSaysPausedAndOverExcused(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	for _, p := range []status.Peer{
		{Name: "张庄村警务室", Role: store.RolePost, Paused: "与「张庄村警务室」的同步已暂停：它发来的文件多次没有通过校验。"},
		{Name: "张庄村警务室", Role: store.RolePost, OverExcused: "「张庄村警务室」今天发来的不是给本机的文件超过了允许的数量，已计入。"},
	} {
		got := uitest.Joined(peerCard(p, now))
		want := p.Paused + p.OverExcused
		if !strings.Contains(got, want) {
			t.Errorf("the card of %+v reads\n%s", p, got)
		}
	}
}

// What a peer sent and received is said on its card as the command
// line's status says it (status.BytesWords, TestBytesWords: one way to
// say a byte count; the card had its own, kit.SizeText, and the two
// differed under 10 KB and over 10 MB).
func TestPeerCardBytesAsTheStatusSaysThem(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	for _, n := range []int64{0, 900, 5 << 10, 1023 << 10, 12_900_000, 3 << 20} {
		p := status.Peer{Name: "城关派出所", Role: store.RoleStation, BytesIn: n, BytesOut: n + 1}
		card := uitest.Joined(peerCard(p, now))
		if w := "已收到 " + status.BytesWords(n) + "，已发出 " + status.BytesWords(n+1); !strings.Contains(card, w) {
			t.Errorf("%d bytes: want %q on the card:\n%s", n, w, card)
		}
	}
}

// A post that removed or did not keep what an older station's broadcast
// carried (migration 0025, sync/admit) says so in 同步 as `sync --once`
// does, in the same sentence: the command line's (syncwords.Withheld
// through the Chinese table, as syncwords.Fill gives its JSON) is the
// window's line. Red before: the window had its own wording ("只删了",
// no count of changes) in its translations and the command line its own
// in sync/status.
func TestSyncStatusSaysWhatWasWithheld(t *testing.T) {
	_, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	for _, tc := range []struct {
		w    syncbook.Withheld
		want []string
	}{
		{syncbook.Withheld{}, nil},
		{syncbook.Withheld{Removed: 12, RemovedChanges: 40}, []string{"派出所自己的 12 条记录", "升级时已从本机删除（40 条修改）", "本警务室自己的记录一条没动"}},
		{syncbook.Withheld{Removed: 3, RemovedChanges: 9, Refused: 2, RefusedChanges: 4}, []string{"3 条记录", "又收到这样的 2 条记录（4 条修改），没有收下"}},
		{syncbook.Withheld{Refused: 5, RefusedChanges: 5}, []string{"又收到这样的 5 条记录", "本警务室自己的记录一条没动"}},
	} {
		lines := statusWords(status.Summary{Withheld: tc.w})
		got := strings.Join(lines, "\n")
		if len(tc.want) == 0 && strings.Contains(got, "派出所") {
			t.Errorf("%+v: nothing withheld, yet %q", tc.w, got)
		}
		for _, want := range tc.want {
			if !strings.Contains(got, want) {
				t.Errorf("%+v: %q lacks %q", tc.w, got, want)
			}
		}
		sum := status.Summary{Withheld: tc.w}
		syncwords.Fill(&sum, clocktest.Today(t)) // what the command line says
		if cli := sum.WithheldWords; cli != "" && !slices.Contains(lines, cli) {
			t.Errorf("%+v: the command line says\n%s\nthe window\n%s", tc.w, cli, got)
		}
	}
}

// TestCLIAndWindowSayWhatWasWithheld: the same post read by `cunjing
// sync --once` (its JSON's withheld_words and its text) and by 同步 says
// what was not kept in one sentence. Red before: the two were worded
// apart and had drifted (the window left out the changes).
func TestCLIAndWindowSayWhatWasWithheld(t *testing.T) {
	ctx := context.Background()
	post, stn, _ := uitest.SyncPair(t)
	for i, tbl := range []string{"households", "residents", "audit_log"} {
		if err := post.SyncBook().NoteWithheld(ctx, tbl, fmt.Sprintf("rec-%d", i), stn.DeviceID(), i+1); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		var out bytes.Buffer
		env := &clikit.Env{Stdout: &out, Stderr: io.Discard, StoreOptions: store.Options{Now: clocktest.Clock(t)}}
		defer env.ReleaseHolds()
		if err := synccmd.Sync(ctx, env, append([]string{"--once", "--db", post.Path()}, args...)); err != nil {
			t.Fatalf("sync --once %v: %v", args, err)
		}
		return out.String()
	}
	var js struct {
		Status status.Summary `json:"status"`
	}
	if err := json.Unmarshal([]byte(run("--json")), &js); err != nil {
		t.Fatal(err)
	}
	said := js.Status.WithheldWords
	if !strings.Contains(said, "又收到这样的 3 条记录（6 条修改），没有收下") || !strings.Contains(js.Status.Text, said) {
		t.Fatalf("sync --once --json: withheld_words %q, text %q", said, js.Status.Text)
	}
	if text := run(); !strings.Contains(text, said) {
		t.Errorf("sync --once says\n%s\nwithout its JSON's %q", text, said)
	}
	env, w := uitest.NewSyncEnv(t, post)
	uitest.NoCutText(t, w)
	s := New(env)
	w.SetContent(s.Object())
	env.Wait()
	if !slices.Contains(uitest.Texts(s.status), said) {
		t.Errorf("同步 does not say the command line's %q:\n%s", said, uitest.Joined(s.status))
	}
}

// TestUnpairedStatusLeadsToPairing: a post paired with nobody is shown
// 去配对 beside 立即同步 (which has nobody to reach), and the button opens
// 配对; once paired, it is gone and 立即同步 is the main action again.
func TestUnpairedStatusLeadsToPairing(t *testing.T) {
	post, _, stnEngine := uitest.SyncPair(t)
	u, s := openSync(t, post)
	test.Tap(uitest.FindButton(t, s.status, "去配对"))
	if got := s.tabs.SelectedIndex(); got != tabPair || s.tabs.Items[got].Text != "配对" {
		t.Fatalf("去配对 opened tab %d, want 配对", got)
	}
	if s.syncBtn.Importance == widget.HighImportance {
		t.Error("立即同步 is still the main action with nobody to sync with")
	}
	s.confirm = func(_, _ string, ok func()) { ok() }
	s.codeIn.SetText(codeOf(t, stnEngine, "城关派出所", store.RoleStation))
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	u.Wait()
	s.Refresh()
	u.Wait()
	for _, o := range uitest.Buttons(s.status) {
		if o.Text == "去配对" {
			t.Error("去配对 is still offered once paired")
		}
	}
	if s.syncBtn.Importance != widget.HighImportance {
		t.Error("立即同步 is not the main action once paired")
	}
}
