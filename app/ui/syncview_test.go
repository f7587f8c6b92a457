package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
	"cunjing/sync/identity"
)

// syncPair makes a post with a village and a house, and its station, each
// with a real sync identity.
func syncPair(t *testing.T) (post, stn *store.Store, stnEngine *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	post, _, err := cjsync.Init(ctx, filepath.Join(dir, "post.db"),
		store.Identity{Role: store.RolePost, Name: "东河警务室", Township: "城关镇", Officer: "赵警官", Phone: "13900001111"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { post.Close() })
	stn, _, err = cjsync.Init(ctx, filepath.Join(dir, "station.db"),
		store.Identity{Role: store.RoleStation, Name: "城关派出所", Township: "城关镇", Officer: "刘所长"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stn.Close() })
	v := &store.Village{Name: "东河村", Township: "城关镇"}
	if err := post.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	h := &store.House{VillageID: v.ID, Number: "203", Kind: "house", Geometry: `[{"x":0,"y":0},{"x":9,"y":0},{"x":9,"y":9}]`}
	if err := post.Save(ctx, h); err != nil {
		t.Fatal(err)
	}
	if err := post.Save(ctx, &store.Household{VillageID: v.ID, HouseID: h.ID, OwnerName: "王建国", Warning: store.WarnRed,
		Categories: []string{store.CatKey}}); err != nil {
		t.Fatal(err)
	}
	if stnEngine, err = cjsync.New(ctx, stn, cjsync.Options{}); err != nil {
		t.Fatal(err)
	}
	return post, stn, stnEngine
}

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

func syncOf(t *testing.T, u *UI) *syncScreen {
	t.Helper()
	test.Tap(u.nav[AreaSync])
	u.Wait()
	return u.screens[AreaSync].(*syncScreen)
}

func TestSyncPairAndUnpair(t *testing.T) {
	post, _, stnEngine := syncPair(t)
	u, _ := newTestUI(t, post)
	s := syncOf(t, u)
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
	if !strings.Contains(s.pairMsg.Text, "不是有效的配对码") {
		t.Errorf("bad code: %q", s.pairMsg.Text)
	}
	s.codeIn.SetText(s.code)
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	if !strings.Contains(s.pairMsg.Text, "本机自己的配对码") {
		t.Errorf("own code: %q", s.pairMsg.Text)
	}

	// A code wrapped over lines in a message still reads.
	code := codeOf(t, stnEngine, "城关派出所", store.RoleStation)
	s.codeIn.SetText(code[:40] + "\n" + code[40:])
	test.Tap(uitest.FindButton(t, s.pairing, "配对"))
	u.Wait()
	if !strings.Contains(asked, "城关派出所") || !strings.Contains(asked, "派出所") || !strings.Contains(asked, stnEngine.Self()) {
		t.Errorf("confirm dialog said %q", asked)
	}
	peers, err := post.Peers(context.Background(), false)
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
	if peers, _ := post.Peers(context.Background(), false); len(peers) != 0 {
		t.Errorf("still paired: %+v", peers)
	}
}

func TestSyncExchangeFolderAndStationDashboard(t *testing.T) {
	ctx := context.Background()
	post, stn, stnEngine := syncPair(t)
	postEngine, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postEngine.Pair(ctx, mustCode(t, stnEngine)); err != nil {
		t.Fatal(err)
	}
	if _, err := stnEngine.Pair(ctx, mustCode(t, postEngine)); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, post)
	s := syncOf(t, u)
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

	// The station reads the stick and its dashboard shows the post.
	if _, err := exchange.Once(ctx, stnEngine, stick); err != nil {
		t.Fatal(err)
	}
	su, _ := newTestUI(t, stn)
	ss := syncOf(t, su)
	got := strings.Join(uitest.Texts(ss.dashboard), "\n")
	if strings.Contains(got, "计划 0") {
		t.Errorf("dashboard counts a post without a roster as planned 0:\n%s", got)
	}
	// The post has no roster: nothing planned, not "0 of 0 done (100%)".
	for _, want := range []string{"全镇（1 个警务室）", "东河警务室", "房屋 1 处，住户 1 户", "红色 1", "重点户 1", "没有排班的巡逻"} {
		if !strings.Contains(got, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, got)
		}
	}

	// Publishing a notice saves it as the station's and packs it.
	ss.noticeT.SetText("春节期间加强巡逻")
	ss.noticeB.SetText("各警务室腊月廿三起每晚巡逻。")
	test.Tap(uitest.FindButton(t, ss.publish, "发布通知"))
	su.Wait()
	notices, err := stn.Notices(ctx)
	if err != nil || len(notices) != 1 || notices[0].Owner != stn.DeviceID() {
		t.Fatalf("notices %+v %v", notices, err)
	}
	if !strings.Contains(ss.pubMsg.Text, "已发布 1 条") {
		t.Errorf("publish message %q", ss.pubMsg.Text)
	}
	// A station with no cost items publishes the shipped defaults.
	test.Tap(uitest.FindButton(t, ss.publish, "发布打架成本条目"))
	su.Wait()
	if items, _ := stn.CostItems(ctx); len(items) < 10 {
		t.Errorf("defaults not published: %d items", len(items))
	}
}

func mustCode(t *testing.T, e *cjsync.Engine) identity.Code {
	t.Helper()
	var self store.Post
	if err := e.Store().Get(context.Background(), &self, e.Self()); err != nil {
		t.Fatal(err)
	}
	c, err := e.Identity().Code(self.Name, e.Store().Role(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSyncNowAndRejects(t *testing.T) {
	ctx := context.Background()
	post, _, _ := syncPair(t)
	if _, err := post.LogReject(ctx, store.Reject{Carrier: "/media/usb", File: "cs-bad.cjc", Origin: "XXXX-YYYY", Reason: "signature does not verify"}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, post)
	s := syncOf(t, u)
	test.Tap(s.syncBtn)
	u.Wait()
	if !strings.Contains(s.syncMsg.Text, "打包了") || !strings.Contains(s.syncMsg.Text, "没有可以直接连接的设备") {
		t.Errorf("sync now said %q", s.syncMsg.Text)
	}
	if got := strings.Join(uitest.Texts(s.status), "\n"); !strings.Contains(got, "本机的修改都已打包好") || !strings.Contains(got, "被拒收") {
		t.Errorf("status after sync:\n%s", got)
	}
	got := strings.Join(uitest.Texts(s.rejects), "\n")
	if !strings.Contains(got, "cs-bad.cjc") || !strings.Contains(got, "原因：signature does not verify") {
		t.Errorf("rejects tab:\n%s", got)
	}
}

// TestSyncTabs: a post's 同步 has five tabs, a station's two more (全镇总览
// and 发布); ShowSyncTab selects one and ignores an index out of range.
func TestSyncTabs(t *testing.T) {
	post, stn, _ := syncPair(t)
	for _, c := range []struct {
		st   *store.Store
		want int
		last string
	}{{post, 5, "需要核对"}, {stn, 7, "发布"}} {
		u, _ := newTestUI(t, c.st)
		if n := u.SyncTabs(); n != c.want {
			t.Fatalf("%s: %d tabs, want %d", c.st.Role(), n, c.want)
		}
		u.ShowSyncTab(c.want - 1)
		tabs := syncOf(t, u).tabs
		if got := tabs.Selected().Text; got != c.last {
			t.Errorf("%s: tab %q selected, want %q", c.st.Role(), got, c.last)
		}
		u.ShowSyncTab(c.want)
		if got := tabs.Selected().Text; got != c.last {
			t.Errorf("%s: out-of-range index moved the tab to %q", c.st.Role(), got)
		}
	}
}
