package station

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/postcounts"
	"cunjing/store/schedule/tally"
	"cunjing/store/storetest"
	cjsync "cunjing/sync"
	syncstation "cunjing/sync/station"
)

// mondayTownship is a township's posts as the view reads them (in the
// sync book's order): a post doing fine, one whose patrols were missed
// and which asks to unlock a month, one silent for five days, one that
// never sent anything and one whose sync is paused, each with its figures
// counted.
func mondayTownship() township {
	plan := func(done, of int) syncstation.PatrolPlan {
		return syncstation.PatrolPlan{From: "2026-12-01", To: "2026-12-07", Count: tally.Count{Done: done, Planned: of, Rate: float64(done) / float64(of)}}
	}
	post := func(id, name string, fresh time.Duration, p syncstation.PatrolPlan) syncstation.PostView {
		return syncstation.PostView{DeviceID: id, Name: name, Freshness: fresh, Plan: p, Stats: postcounts.NewStats(id),
			Stale: fresh < 0 || fresh > syncstation.StaleAfter}
	}
	asks := post("P2", "李家屯警务室", time.Hour, plan(2, 9))
	asks.Requests = 2
	paused := post("P5", "赵寨警务室", 2*time.Hour, plan(9, 9))
	paused.Paused = "已暂停和「赵寨警务室」同步：它发来的 3 个文件没有通过签名校验。"
	return township{Township: syncstation.Township{PlansReady: true, Posts: []syncstation.PostView{
		post("P1", "张庄村警务室", time.Hour, plan(9, 9)),
		asks,
		post("P3", "王湾警务室", 5*24*time.Hour, plan(8, 9)),
		post("P4", "刘集警务室", -1, plan(0, 9)),
		paused,
	}}, acks: map[string]cjsync.PeerAck{}, held: map[string]heldFrom{}}
}

// postOrder is the order the posts' names come in text.
func postOrder(text string, tw township) []string {
	var names []string
	for _, p := range tw.Posts {
		names = append(names, p.Name)
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Index(text, a) - strings.Index(text, b) })
	return names
}

// 全镇总览 on a Monday morning: the post needing the most urgent look
// first, each with what it needs, and 查看 opens it in 各警务室.
func TestHomeListsThePostsWorstFirst(t *testing.T) {
	uitest.Headless(t)
	tw := mondayTownship()
	var opened []string
	d := &Dashboard{box: container.NewVBox(), open: func(id string) { opened = append(opened, id) }}
	d.box.Objects = dashboardView(tw, d.open)
	w := test.NewWindow(d.Object())
	defer w.Close()
	w.Resize(kit.MaxWindow)
	got := uitest.Joined(d.box)
	want := []string{"赵寨警务室", "刘集警务室", "王湾警务室", "李家屯警务室", "张庄村警务室"}
	if order := postOrder(got, tw); !slices.Equal(order, want) {
		t.Errorf("home lists %v, want the worst first %v:\n%s", order, want, got)
	}
	for _, w := range []string{"有 4 个警务室需要处理", "同步已暂停", "没有收到数据", "超过 3 天没有新数据", "巡逻只完成 22%", "2 条修改申请待审核", "最新数据：1 小时前"} {
		if !strings.Contains(got, w) {
			t.Errorf("home lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "巡逻只完成 100%") {
		t.Errorf("a post doing all its patrols is flagged:\n%s", got)
	}
	buttons := uitest.Buttons(d.box)
	if len(buttons) != len(tw.Posts) {
		t.Fatalf("%d buttons on the home, want 查看 per post", len(buttons))
	}
	test.Tap(buttons[0])
	if !slices.Equal(opened, []string{"P5"}) {
		t.Errorf("查看 of the first row opened %v", opened)
	}
	uitest.NoCutText(t, w)
}

// 各警务室 lists the posts in the same order, each with what it needs as
// chips; a paused sync is said in full on the post's page.
func TestPostsListWorstFirst(t *testing.T) {
	s := storetest.New(t, store.RoleStation, clocktest.Clock(t))
	u, w := uitest.NewSyncEnv(t, s)
	tw := mondayTownship()
	tw.acks["P1"] = cjsync.PeerAck{Peer: "P1", Role: store.RolePost} // nothing was ever to be sent
	tw.Posts[2].Officer, tw.Posts[2].Phone = "王警官", "13900001111"
	p := &Posts{u: &drillEnv{SyncEnv: u}, list: container.NewVBox(), page: container.NewVBox(), root: container.NewStack(), t: &tw}
	p.draw()
	w.SetContent(p.Object())
	got := uitest.Joined(p.Object())
	want := []string{"赵寨警务室", "刘集警务室", "王湾警务室", "李家屯警务室", "张庄村警务室"}
	if order := postOrder(got, tw); !slices.Equal(order, want) {
		t.Errorf("各警务室 lists %v, want %v:\n%s", order, want, got)
	}
	for _, w := range []string{"同步已暂停", "没有收到数据", "巡逻只完成 22%", "民警：王警官  电话：13900001111"} {
		if !strings.Contains(got, w) {
			t.Errorf("各警务室 lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "还没有收到它的数据，本站还没有收到它的数据包") {
		t.Errorf("the list says twice that nothing came from a post:\n%s", got)
	}
	if strings.Contains(got, "还没有要发给") {
		t.Errorf("the list says of a post that nothing was to be sent to it:\n%s", got)
	}
	test.Tap(uitest.FindButton(t, p.Object(), "查看"))
	page := uitest.Joined(p.Object())
	if !strings.Contains(page, "赵寨警务室") || !strings.Contains(page, "同步已暂停") || !strings.Contains(page, "没有通过签名校验") {
		t.Errorf("the first 查看 did not open the paused post, with its trouble:\n%s", page)
	}
}

// 全县总览 lists each station's posts worst first too.
func TestCountyListsPostsWorstFirst(t *testing.T) {
	uitest.Headless(t)
	tw := mondayTownship()
	card := stationCard(syncstation.StationView{Name: "城关派出所", Township: tw.Township}, clocktest.Today(t))
	got := uitest.Joined(card)
	want := []string{"赵寨警务室", "刘集警务室", "王湾警务室", "李家屯警务室", "张庄村警务室"}
	if order := postOrder(got, tw); !slices.Equal(order, want) {
		t.Errorf("the station's card lists %v, want %v:\n%s", order, want, got)
	}
}

// twelvePosts is mondayTownship grown to twelve posts, seven of them fine.
func twelvePosts() township {
	tw := mondayTownship()
	for i := range 7 {
		p := tw.Posts[0]
		p.DeviceID, p.Name = fmt.Sprintf("F%d", i), fmt.Sprintf("第%d警务室", i+1)
		p.Stats.Houses, p.Stats.Households, p.Stats.Residents = 30, 32, 96
		tw.Posts = append(tw.Posts, p)
	}
	for _, p := range tw.Posts {
		tw.Total.Add(p.Stats)
		tw.TotalPlan.Done += p.Plan.Done
		tw.TotalPlan.Planned += p.Plan.Planned
	}
	tw.TotalPlan.From, tw.TotalPlan.To = "2026-12-01", "2026-12-07"
	return tw
}

// At 1366×768 the duty officer sees first which posts need him: the
// totals take one strip above the list, not a screen of tiles (which left
// room for three rows of twelve posts), and every total is still there.
func TestHomeShowsTheWorstPostsOnTheFirstScreen(t *testing.T) {
	uitest.Headless(t)
	tw := twelvePosts()
	d := &Dashboard{box: container.NewVBox(), open: func(string) {}}
	d.box.Objects = dashboardView(tw, d.open)
	w := test.NewWindow(d.Object())
	defer w.Close()
	// What the home gives 全镇总览 in the largest window: the navigation on
	// its left and the search box over it taken off.
	w.Resize(fyne.NewSize(kit.MaxWindow.Width-180, kit.MaxWindow.Height-60))
	drv := fyne.CurrentApp().Driver()
	seen := 0
	for _, o := range d.box.Objects {
		if uitest.ButtonIn(o, "查看") == nil {
			continue
		}
		if drv.AbsolutePositionForObject(o).Y+o.Size().Height <= w.Canvas().Size().Height {
			seen++
		}
	}
	t.Logf("%d whole rows on the first screen", seen)
	if seen < 6 {
		t.Errorf("the first screen shows %d whole rows of 12 posts, want at least 6:\n%s", seen, uitest.Shown(d.Object()))
	}
	got := uitest.Joined(d.box)
	for _, want := range []string{"全镇（12 个警务室）", "巡逻按 2026-12-01 到 2026-12-07 统计", "房屋", "住户", "居民", "巡逻完成", "91 / 108", "已印警示牌",
		"按颜色：", "有 4 个警务室需要处理"} {
		if !strings.Contains(got, want) {
			t.Errorf("the home lacks %q:\n%s", want, got)
		}
	}
	if i, j := strings.Index(got, "赵寨警务室"), strings.Index(got, "按颜色："); j < i {
		t.Errorf("the households by colour come before the worst post:\n%s", got)
	}
	uitest.NoCutText(t, w)
}

// 各警务室 at 1366×768 with twelve posts: a compact row per post (its name
// and needs, when it last sent data, its patrols, 查看), so at least eight
// posts show whole on the first screen, worst first, nothing cut. Five
// lines a post showed two and a half.
func TestPostsListShowsEightPostsOnTheFirstScreen(t *testing.T) {
	s := storetest.New(t, store.RoleStation, clocktest.Clock(t))
	u, w := uitest.NewSyncEnv(t, s)
	tw := twelvePosts()
	tw.Posts[2].Officer, tw.Posts[2].Phone = "王警官", "13900001111"
	p := &Posts{u: &drillEnv{SyncEnv: u}, list: container.NewVBox(), page: container.NewVBox(), root: container.NewStack(), t: &tw}
	p.draw()
	w.SetContent(p.Object())
	// What the window gives 各警务室 in the largest window: the navigation
	// on its left taken off.
	w.Resize(fyne.NewSize(kit.MaxWindow.Width-180, kit.MaxWindow.Height))
	drv := fyne.CurrentApp().Driver()
	seen := 0
	for _, o := range p.list.Objects {
		if uitest.ButtonIn(o, "查看") == nil {
			continue
		}
		if drv.AbsolutePositionForObject(o).Y+o.Size().Height <= w.Canvas().Size().Height {
			seen++
		}
	}
	t.Logf("%d whole rows on the first screen; row %v, canvas %v", seen, p.list.Objects[0].Size(), w.Canvas().Size())
	if seen < 8 {
		t.Errorf("各警务室 shows %d whole rows of 12 posts, want at least 8:\n%s", seen, uitest.Shown(p.Object()))
	}
	got := uitest.Joined(p.Object())
	want := []string{"赵寨警务室", "刘集警务室", "王湾警务室", "李家屯警务室", "张庄村警务室"}
	if order := postOrder(got, mondayTownship()); !slices.Equal(order, want) {
		t.Errorf("各警务室 lists %v, want %v:\n%s", order, want, got)
	}
	for _, w := range []string{"同步已暂停", "没有收到数据", "巡逻只完成 22%", "民警：王警官", "电话：13900001111", "巡逻 2/9（22%）"} {
		if !strings.Contains(got, w) {
			t.Errorf("各警务室 lacks %q:\n%s", w, got)
		}
	}
	uitest.NoCutText(t, w)
}

// 全县总览 has the home's one strip of totals above its list, not the
// old tiles, so the stations' cards start near the top; every total is
// still there and the households by colour come at the foot.
func TestCountyHasTheTotalsStrip(t *testing.T) {
	uitest.Headless(t)
	tw := twelvePosts()
	c := syncstation.County{Stations: []syncstation.StationView{{Name: "城关派出所", DeviceID: "S1", Township: tw.Township}},
		Total: tw.Total, TotalPlan: tw.TotalPlan}
	box := container.NewVBox(countyView(c, clocktest.Today(t))...)
	w := test.NewWindow(kit.Scroll(box))
	defer w.Close()
	w.Resize(fyne.NewSize(kit.MaxWindow.Width-180, kit.MaxWindow.Height-60))
	var card fyne.CanvasObject
	for _, o := range box.Objects {
		if strings.Contains(uitest.Joined(o), "城关派出所") {
			card = o
			break
		}
	}
	if card == nil {
		t.Fatalf("no card of the station:\n%s", uitest.Joined(box))
	}
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(card).Y
	t.Logf("the first station's card starts at %v", top)
	if top > 130 {
		t.Errorf("the first station's card starts %v down, want the totals in one strip above it (≤ 130):\n%s", top, uitest.Shown(box))
	}
	got := uitest.Joined(box)
	for _, want := range []string{"全县（1 个派出所，12 个警务室）", "巡逻按 2026-12-01 到 2026-12-07 统计", "房屋", "住户", "居民", "巡逻完成", "91 / 108", "已印警示牌", "全县住户：", "按颜色：", "派出所，" + kit.ShortID("S1")} {
		if !strings.Contains(got, want) {
			t.Errorf("全县总览 lacks %q:\n%s", want, got)
		}
	}
	if i, j := strings.Index(got, "城关派出所"), strings.Index(got, "按颜色："); j < i {
		t.Errorf("the households by colour come before the stations:\n%s", got)
	}
	uitest.NoCutText(t, w)
}
