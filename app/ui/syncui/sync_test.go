package syncui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
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
	uitest.NewEnv(t, uitest.Fixture(t, 0))
	for _, k := range cjsync.RejectKinds() {
		r := syncbook.Reject{Kind: string(k), Reason: "some English words from the engine"}
		got := rejectWords(r)
		if got == "" || got == "boards.sync.reject."+string(k) || !startsCJK(got) || strings.Contains(got, "English") {
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
	if want := fmt.Sprintf("已收到 %s，已发出 %s", kit.SizeText(peers[0].BytesIn), kit.SizeText(peers[0].BytesOut)); !strings.Contains(got, want) {
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
	if asked != "" || s.tabs.SelectedIndex() != tabPair {
		t.Fatalf("missing file: asked %q, tab %d", asked, s.tabs.SelectedIndex())
	}
	s.ShowTab(0)
	p := filepath.Join(dir, "配对码-城关.cjpair")
	if err := os.WriteFile(p, []byte(codeOf(t, stnEngine, "城关派出所", store.RoleStation)+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.PairFromFile(p)
	u.Wait()
	if s.tabs.SelectedIndex() != tabPair || !strings.Contains(asked, "城关派出所") || !strings.Contains(asked, stnEngine.Self()) {
		t.Errorf("tab %d, confirm said %q", s.tabs.SelectedIndex(), asked)
	}
	if peers, _ := post.SyncBook().Peers(context.Background(), false); len(peers) != 0 {
		t.Errorf("paired without the officer's yes: %+v", peers)
	}
}
