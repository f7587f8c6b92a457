package station

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/schedule"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// A station that read a post's stick shows the post on its dashboard and
// publishes notices and cost items.
func TestStationDashboardAndPublish(t *testing.T) {
	ctx := context.Background()
	_, stn, _, _ := uitest.StationWithPost(t)
	u, w := uitest.NewSyncEnv(t, stn)
	dash, pub := NewDashboard(u), NewPublish(u)
	w.SetContent(container.NewAppTabs(dash.TabItem(), pub.TabItem()))
	// Painted twice: the counts and the posts first, the patrol figures
	// still being counted, then with them.
	var paints []string
	dash.painted = func(bool) { paints = append(paints, uitest.Joined(dash.box)) }
	dash.Refresh()
	u.Wait()
	if len(paints) != 2 || !strings.Contains(paints[0], "正在统计") || !strings.Contains(paints[0], "房屋 1 处，住户 1 户") ||
		strings.Contains(paints[1], "正在统计") {
		t.Errorf("paints of the home: %q", paints)
	}
	got := uitest.Joined(dash.box)
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
	pub.noticeT.SetText("春节期间加强巡逻")
	pub.noticeB.SetText("各警务室腊月廿三起每晚巡逻。")
	test.Tap(uitest.FindButton(t, pub.box, "发布通知"))
	u.Wait()
	notices, err := stn.Notices(ctx)
	if err != nil || len(notices) != 1 || notices[0].Owner != stn.DeviceID() {
		t.Fatalf("notices %+v %v", notices, err)
	}
	if !strings.Contains(pub.pubMsg.Text, "已发布 1 条") || u.Publishes != 1 {
		t.Errorf("publish message %q, %d calls of Published", pub.pubMsg.Text, u.Publishes)
	}
	// A station with no cost items publishes the shipped defaults.
	test.Tap(uitest.FindButton(t, pub.box, "发布打架成本条目"))
	u.Wait()
	if items, _ := stn.CostItems(ctx); len(items) < 10 {
		t.Errorf("defaults not published: %d items", len(items))
	}
}

// 各警务室 says per post what the station holds of it, and whether it has
// received what the station published: waiting until the post's receipt
// comes back on the stick, then everything (the home marks a post only
// when packages wait for it for days: sync/station's WaitingLong).
func TestStationDashboardReceipts(t *testing.T) {
	ctx := context.Background()
	post, stn, stnEngine := uitest.SyncPair(t)
	postEngine, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postEngine.Pair(ctx, uitest.PairingCode(t, stnEngine)); err != nil {
		t.Fatal(err)
	}
	if _, err := stnEngine.Pair(ctx, uitest.PairingCode(t, postEngine)); err != nil {
		t.Fatal(err)
	}
	u, w := uitest.NewSyncEnv(t, stn)
	dash, pub := NewDashboard(u), NewPublish(u)
	w.SetContent(container.NewAppTabs(dash.TabItem(), pub.TabItem()))
	stick := t.TempDir()
	exch := func(e *cjsync.Engine) {
		t.Helper()
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	posts := NewPosts(&drillEnv{SyncEnv: u})
	var home string
	show := func() string {
		t.Helper()
		dash.Refresh()
		posts.Back()
		posts.Refresh()
		u.Wait()
		home = uitest.Joined(dash.box)
		// What waits for the post and what came from it is said on its
		// page (its row in the list is one line).
		test.Tap(uitest.FindButton(t, posts.Object(), "查看"))
		return uitest.Joined(posts.Object())
	}
	exch(postEngine)
	eng, err := u.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exch(eng)
	got := show()
	// What the station made since it was set up went onto the stick; the
	// post has not read it yet: normal, said calmly.
	calm := "个数据包，它从那以后还没有同步过，下次同步时会收下"
	for _, want := range []string{"本站已收到它的 1 个数据包（最近一个：", calm} {
		if !strings.Contains(got, want) {
			t.Errorf("各警务室 lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(home, "等它收下") || strings.Contains(home, "需要处理") {
		t.Errorf("home marks a post for what was cut for it a moment ago:\n%s", home)
	}

	// The station publishes a notice: it waits for the post too.
	pub.noticeT.SetText("春节期间加强巡逻")
	pub.noticeB.SetText("各警务室腊月廿三起每晚巡逻。")
	test.Tap(uitest.FindButton(t, pub.box, "发布通知"))
	u.Wait()
	exch(eng)
	got = show()
	if !strings.Contains(got, calm) || strings.Contains(got, "等着") || strings.Contains(got, "之前的全部修改") {
		t.Errorf("dashboard does not say the notice waits for the post:\n%s", got)
	}
	// The post reads the stick and writes its receipt; the station reads it.
	exch(postEngine)
	exch(eng)
	got = show()
	if !strings.Contains(got, "「东河警务室」已收到 ") || !strings.Contains(got, " 之前的全部修改") || strings.Contains(got, "等着") {
		t.Errorf("各警务室 does not say the post has everything:\n%s", got)
	}
	if strings.Contains(home, "等它收下") || strings.Contains(home, "需要处理") {
		t.Errorf("home still marks a post that has everything:\n%s", home)
	}
}

// drillEnv records the ways into a post's records 各警务室 asks the shell
// for.
type drillEnv struct {
	*uitest.SyncEnv
	calls []string
}

func (d *drillEnv) ShowVillageMap(id string)        { d.calls = append(d.calls, "map "+id) }
func (d *drillEnv) ShowVillageHouseholds(id string) { d.calls = append(d.calls, "households "+id) }
func (d *drillEnv) ShowPostBoards(owner string)     { d.calls = append(d.calls, "boards "+owner) }

func (d *drillEnv) ShowPostRoster(owner, name string) {
	d.calls = append(d.calls, "roster "+owner+" "+name)
}

// 各警务室 lists the post, opens it, and asks the shell for its map,
// households and roster; an unpaired post stays, marked.
func TestPostsListAndDrillDown(t *testing.T) {
	ctx := context.Background()
	post, stn, _, _ := uitest.StationWithPost(t)
	vs, err := post.Villages(ctx)
	if err != nil || len(vs) != 1 {
		t.Fatalf("villages %v %v", vs, err)
	}
	u, w := uitest.NewSyncEnv(t, stn)
	d := &drillEnv{SyncEnv: u}
	p := NewPosts(d)
	w.SetContent(p.Object())
	u.Wait()
	list := uitest.Joined(p.Object())
	for _, want := range []string{"各警务室", "东河警务室", "东河村  民警：赵警官", "巡逻：没有排班"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "已解除配对") {
		t.Errorf("a paired post shown as unpaired:\n%s", list)
	}
	test.Tap(uitest.FindButton(t, p.Object(), "查看"))
	page := uitest.Joined(p.Object())
	for _, want := range []string{"返回各警务室", "房屋", "还没有印警示牌", "东河村", "只看不改", "本站已收到它的 1 个数据包", "没有排班的巡逻"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	test.Tap(uitest.FindButton(t, p.Object(), "地图"))
	test.Tap(uitest.FindButton(t, p.Object(), "住户"))
	test.Tap(uitest.FindButton(t, p.Object(), "查看排班和巡逻记录"))
	test.Tap(uitest.FindButton(t, p.Object(), "查看场所和警示牌"))
	want := []string{"map " + vs[0].ID, "households " + vs[0].ID, "roster " + post.DeviceID() + " 东河警务室", "boards " + post.DeviceID()}
	if strings.Join(d.calls, "|") != strings.Join(want, "|") {
		t.Errorf("calls %q, want %q", d.calls, want)
	}
	// Unpaired: still listed, with its records, marked.
	if err := stn.SyncBook().RevokePeer(ctx, post.DeviceID()); err != nil {
		t.Fatal(err)
	}
	test.Tap(uitest.FindButton(t, p.Object(), "返回各警务室"))
	p.Refresh()
	u.Wait()
	list = uitest.Joined(p.Object())
	if !strings.Contains(list, "东河警务室") || !strings.Contains(list, "已解除配对") || !strings.Contains(list, "东河村") {
		t.Errorf("unpaired post:\n%s", list)
	}
}

// 月度审核 of a post opened in 各警务室: the station approves this month
// (the month is locked, audited), unlocking asks for a reason first.
func TestApproveAndUnlockAMonth(t *testing.T) {
	ctx := context.Background()
	post, stn, stnEngine := uitest.SyncPair(t)
	postEngine, err := cjsync.New(ctx, post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postEngine.Pair(ctx, uitest.PairingCode(t, stnEngine)); err != nil {
		t.Fatal(err)
	}
	if _, err := stnEngine.Pair(ctx, uitest.PairingCode(t, postEngine)); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{postEngine, stnEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	u, w := uitest.NewSyncEnv(t, stn)
	p := NewPosts(&drillEnv{SyncEnv: u})
	w.SetContent(p.Object())
	u.Wait()
	test.Tap(uitest.FindButton(t, p.Object(), "查看"))
	u.Wait()
	month := u.Now().AddDate(0, 0, -u.Now().Day()).Format("2006-01") // last month
	page := uitest.Joined(p.Object())
	if !strings.Contains(page, "月度审核") || !strings.Contains(page, "未审核") || !strings.Contains(page, "本月还没过完") {
		t.Fatalf("no 月度审核 on the post's page:\n%s", page)
	}
	test.Tap(uitest.FindButton(t, p.Object(), "审核通过")) // last month comes first: this one is not over
	u.Wait()
	as, err := stn.MonthApprovals(ctx, post.DeviceID())
	if err != nil || len(as) != 1 || as[0].Month != month || as[0].State != store.ApprovalApproved {
		t.Fatalf("approvals %+v %v", as, err)
	}
	page = uitest.Joined(p.Object())
	if !strings.Contains(page, "已审核通过") || !strings.Contains(page, "已锁定") {
		t.Errorf("the page does not say the month is approved:\n%s", page)
	}
	// Unlocking without a reason is refused with a word; with one, done.
	test.Tap(uitest.FindButton(t, p.Object(), "解锁"))
	u.Wait()
	if page := uitest.Joined(p.Object()); !strings.Contains(page, "请先写明解锁原因") {
		t.Errorf("no word that a reason is needed:\n%s", page)
	}
	p.months.reasons[month].SetText("补记一次夜巡")
	test.Tap(uitest.FindButton(t, p.Object(), "解锁"))
	u.Wait()
	as, _ = stn.MonthApprovals(ctx, post.DeviceID())
	if len(as) != 1 || as[0].State != store.ApprovalUnlocked || as[0].Reason != "补记一次夜巡" {
		t.Fatalf("after unlocking %+v", as)
	}
	if page := uitest.Joined(p.Object()); !strings.Contains(page, "已解锁") || !strings.Contains(page, "补记一次夜巡") {
		t.Errorf("the page does not say the month is unlocked:\n%s", page)
	}
	if len(uitest.AuditActions(t, stn, store.AuditUnlock)) != 1 || len(uitest.AuditActions(t, stn, store.AuditApprove)) != 1 {
		t.Errorf("approve and unlock not audited")
	}
}

// A post whose roster does not expand: the station's 首页 and 各警务室 say
// so in the officer's words, whose rule and what to do (they said the
// schedule's English: 'rule "…" (坏规则): rotation needs 5 people per
// turn but lists only 1').
func TestPostRosterProblemInChinese(t *testing.T) {
	ctx := context.Background()
	post, stn, postEngine, stnEngine := uitest.PairedPost(t)
	team := &store.Team{Name: "一队"}
	if err := post.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	m := &store.Member{TeamID: team.ID, Name: "王村警", Role: "村警"}
	if err := post.Save(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := post.Save(ctx, &store.ShiftRule{TeamID: team.ID, Name: "坏规则", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`,
		Windows: "20:00-22:00", People: []string{m.ID}, Rotate: 5, ValidFrom: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{postEngine, stnEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	u, w := uitest.NewSyncEnv(t, stn)
	dash := NewDashboard(u)
	w.SetContent(dash.TabItem().Content)
	dash.Refresh()
	u.Wait()
	posts := NewPosts(&drillEnv{SyncEnv: u})
	u.Wait()
	list := uitest.Joined(posts.Object())
	if !strings.Contains(list, "巡逻：排班有问题") || strings.Contains(list, "没有排班") {
		t.Errorf("各警务室 says the post has no roster, or nothing of its problem:\n%s", list)
	}
	// The home marks the post (its row's 查看 opens the page saying why).
	if home := uitest.Joined(dash.box); !strings.Contains(home, "排班有问题") || strings.Contains(home, "rotation needs") {
		t.Errorf("首页 does not mark the post's roster problem in Chinese:\n%s", home)
	}
	test.Tap(uitest.FindButton(t, posts.Object(), "查看"))
	got := uitest.Joined(posts.Object())
	if !strings.Contains(got, "排班有问题：排班规则“坏规则”：") || !strings.Contains(got, "每班要5个人轮换，可名单上只有1个人") {
		t.Errorf("the post's page does not say the roster's problem in Chinese:\n%s", got)
	}
	if strings.Contains(got, "rotation needs") {
		t.Errorf("the post's page says the schedule's English:\n%s", got)
	}
}
