package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"cunjing/app/monthreport"
	"cunjing/app/ui/households"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit"
	"cunjing/app/ui/roster"
	"cunjing/app/ui/station"
	"cunjing/app/ui/uitest"
	"cunjing/maps/geo"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/mapdata"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// stationWithPost is a station that read its post's stick: the post's
// village, house and household are at the station.
func stationWithPost(t *testing.T) (post, stn *store.Store, postEngine *cjsync.Engine) {
	t.Helper()
	post, stn, postEngine, _ = uitest.StationWithPost(t)
	return post, stn, postEngine
}

// The station's window has its own navigation and opens on the township;
// 各警务室 lists the post, opens it, and from it the post's map (read-only),
// households and roster (read-only) in their areas.
func TestStationWindow(t *testing.T) {
	post, stn, _ := stationWithPost(t)
	u, _ := newTestUI(t, stn)
	var got []string
	for _, a := range AreasFor(store.RoleStation) {
		got = append(got, u.nav[a].Text)
	}
	want := []string{"全镇总览", "各警务室", "地图", "住户", "巡逻排班", "警示牌与宣传", "发布", "同步", "设置"}
	if !slices.Equal(got, want) {
		t.Fatalf("station nav = %v, want %v", got, want)
	}
	if _, ok := u.nav[AreaStats]; ok {
		t.Error("a station's nav has 统计")
	}
	if u.Current() != AreaTownship {
		t.Fatalf("station opens on %s", u.Current())
	}
	home := strings.Join(uitest.Texts(u.screens[AreaTownship].Object()), "|")
	for _, w := range []string{"全镇（1 个警务室）", "东河警务室", "房屋 1 处，住户 1 户"} {
		if !strings.Contains(home, w) {
			t.Errorf("home lacks %q:\n%s", w, home)
		}
	}
	// The home's row of the post opens it in 各警务室.
	test.Tap(uitest.FindButton(t, u.screens[AreaTownship].Object(), "查看"))
	u.Wait()
	if p := u.screens[AreaPosts].(*station.Posts); u.Current() != AreaPosts || !strings.Contains(uitest.Joined(p.Object()), "返回各警务室") {
		t.Fatalf("the home's 查看 shows %s:\n%s", u.Current(), uitest.Joined(u.screens[AreaPosts].Object()))
	}
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "返回各警务室"))
	// 各警务室: the post with its village and officer.
	test.Tap(u.nav[AreaPosts])
	u.Wait()
	list := strings.Join(uitest.Texts(u.screens[AreaPosts].Object()), "|")
	for _, w := range []string{"东河警务室", "东河村", "民警：赵警官", "最新数据：", "巡逻：没有排班"} {
		if !strings.Contains(list, w) {
			t.Errorf("post list lacks %q:\n%s", w, list)
		}
	}
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "查看"))
	u.Wait()
	page := strings.Join(uitest.Texts(u.screens[AreaPosts].Object()), "|")
	for _, w := range []string{"返回各警务室", "没有排班的巡逻", "东河村", "只看不改"} {
		if !strings.Contains(page, w) {
			t.Errorf("post page lacks %q:\n%s", w, page)
		}
	}
	// Its map, read-only: no drawing tools, an edit is refused.
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "地图"))
	u.Wait()
	if u.Current() != AreaMap {
		t.Fatalf("地图 shows %s", u.Current())
	}
	m := u.screens[AreaMap].(*mapedit.Screen)
	mapText := strings.Join(uitest.Texts(m.Object()), "|")
	if !strings.Contains(mapText, "只看不改") || strings.Contains(mapText, "画巷道") {
		t.Errorf("station map is not read-only:\n%s", mapText)
	}
	// Its households.
	u.ShowPost(post.DeviceID())
	u.Wait()
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "住户"))
	u.Wait()
	if u.Current() != AreaHouseholds {
		t.Fatalf("住户 shows %s", u.Current())
	}
	if hh := strings.Join(uitest.Texts(u.screens[AreaHouseholds].Object()), "|"); !strings.Contains(hh, "王建国") || !strings.Contains(hh, "东河村") {
		t.Errorf("households of the post:\n%s", hh)
	}
	// Its roster, read-only, named.
	u.ShowPost(post.DeviceID())
	u.Wait()
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "查看排班和巡逻记录"))
	u.Wait()
	if u.Current() != AreaPatrol {
		t.Fatalf("巡逻排班 shows %s", u.Current())
	}
	r := u.screens[AreaPatrol].(*roster.Screen)
	if txt := strings.Join(uitest.Texts(r.Object()), "|"); !strings.Contains(txt, "正在看「东河警务室」的排班和巡逻记录") {
		t.Errorf("roster scope:\n%s", txt)
	}
	// Its 月度审核, scrolled to.
	u.ShowPostMonths(post.DeviceID())
	u.Wait()
	if p := u.screens[AreaPosts].(*station.Posts); !p.AtMonths() {
		t.Error("ShowPostMonths did not scroll to 月度审核")
	}
	// Its venues and boards: 警示牌与宣传 narrowed to the post.
	u.ShowPost(post.DeviceID())
	u.Wait()
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "查看场所和警示牌"))
	u.Wait()
	if u.Current() != AreaBoards {
		t.Fatalf("警示牌与宣传 shows %s", u.Current())
	}
	if txt := strings.Join(uitest.Texts(u.screens[AreaBoards].Object()), "|"); !strings.Contains(txt, "东河警务室") {
		t.Errorf("boards not narrowed to the post:\n%s", txt)
	}
	// Back on the list.
	u.Show(AreaPosts)
	u.Wait()
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "返回各警务室"))
	u.Wait()
	if txt := strings.Join(uitest.Texts(u.screens[AreaPosts].Object()), "|"); !strings.Contains(txt, "查看") {
		t.Errorf("back to the list:\n%s", txt)
	}
}

// An unpaired post keeps its data at the station and shows 已解除配对;
// it is not listed as stale.
func TestStationUnpairedPost(t *testing.T) {
	ctx := context.Background()
	post, stn, _ := stationWithPost(t)
	if err := stn.SyncBook().RevokePeer(ctx, post.DeviceID()); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, stn)
	home := strings.Join(uitest.Texts(u.screens[AreaTownship].Object()), "|")
	if !strings.Contains(home, "东河警务室|已解除配对") || !strings.Contains(home, "房屋 1 处，住户 1 户") {
		t.Errorf("home:\n%s", home)
	}
	u.Show(AreaPosts)
	u.Wait()
	list := strings.Join(uitest.Texts(u.screens[AreaPosts].Object()), "|")
	if !strings.Contains(list, "已解除配对") || !strings.Contains(list, "东河村") {
		t.Errorf("post list:\n%s", list)
	}
	if strings.Contains(home, "超过 3 天没有新数据") || strings.Contains(home, "需要处理") {
		t.Errorf("an unpaired post is counted as stale:\n%s", home)
	}
}

// The station's home searches every post: a name, its pinyin initials or a
// house number lists the household with its village and what matched; 住户
// and 地图 open it; a query with no hit says so, one too long says why,
// and clearing the box brings the overview back.
func TestStationTownshipSearch(t *testing.T) {
	_, stn, _ := stationWithPost(t)
	u, _ := newTestUI(t, stn)
	home := u.screens[AreaTownship].(*station.Home)
	text := func() string { return strings.Join(uitest.Texts(home.Object()), "|") }
	for _, tc := range []struct{ q, want string }{
		{"王建国", "按姓名找到"},
		{"wjg", "按拼音找到"}, {"203", "按门牌号找到"},
	} {
		u.SearchTownship(tc.q)
		u.Wait()
		got := text()
		if len(home.Hits()) != 1 || !strings.Contains(got, "全镇找到 1 条") || !strings.Contains(got, "王建国") ||
			!strings.Contains(got, "东河村") || !strings.Contains(got, tc.want) {
			t.Errorf("search %q: %d hits:\n%s", tc.q, len(home.Hits()), got)
		}
		if strings.Contains(got, "全镇（1 个警务室）") {
			t.Errorf("search %q: the overview still shows under the hits", tc.q)
		}
	}
	test.Tap(uitest.FindButton(t, home.Object(), "住户"))
	u.Wait()
	if u.Current() != AreaHouseholds {
		t.Fatalf("住户 opened %s", u.Current())
	}
	u.SearchTownship("王建国")
	u.Wait()
	test.Tap(uitest.FindButton(t, home.Object(), "地图"))
	u.Wait()
	if u.Current() != AreaMap {
		t.Fatalf("地图 opened %s", u.Current())
	}
	u.SearchTownship("赵钱孙")
	u.Wait()
	if got := text(); !strings.Contains(got, "没有找到“赵钱孙”") || len(home.Hits()) != 0 {
		t.Errorf("no hit:\n%s", got)
	}
	u.SearchTownship(strings.Repeat("王", 80))
	u.Wait()
	if got := text(); !strings.Contains(got, "要找的内容太长了") {
		t.Errorf("too long:\n%s", got)
	}
	u.SearchTownship("")
	u.Wait()
	if got := text(); !strings.Contains(got, "全镇（1 个警务室）") {
		t.Errorf("cleared: the overview is not back:\n%s", got)
	}
}

// 月报 on the station's home writes the month report the CLI writes: one
// sheet per topic, a row per post and 合计; the note says where it went.
func TestStationMonthReportFromTheWindow(t *testing.T) {
	_, stn, _ := stationWithPost(t)
	u, _ := newTestUI(t, stn)
	home := u.screens[AreaTownship].(*station.Home)
	if txt := strings.Join(uitest.Texts(home.Object()), "|"); !strings.Contains(txt, "导出 Excel") || !strings.Contains(txt, "月报") {
		t.Fatalf("home lacks 月报:\n%s", txt)
	}
	month := u.Now().Format("2006-01")
	path := filepath.Join(t.TempDir(), "月报.xlsx")
	if err := home.ExportReport(month, path, false); err != nil {
		t.Fatal(err)
	}
	u.Wait()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(monthreport.SheetPeople)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		if len(r) > 0 {
			names = append(names, r[0])
		}
	}
	if !slices.Contains(names, "东河警务室") || !slices.Contains(names, "合计") {
		t.Errorf("people sheet rows %q", names)
	}
	if err := home.ExportReport("1999-01", path, false); err == nil {
		t.Error("a month the bar does not offer was written")
	}
}

// A station's 地图 offers 全镇: every georeferenced village on one map, to
// look at and find a house in; plates (village by village) are off there.
func TestStationTownshipMap(t *testing.T) {
	ctx := context.Background()
	_, stn, _ := stationWithPost(t)
	vs, err := stn.Villages(ctx)
	if err != nil || len(vs) != 1 {
		t.Fatalf("villages %v %v", vs, err)
	}
	if err := mapdata.SaveGeoref(ctx, stn, vs[0].ID, geo.FrameGeoref(114.35, 34.81)); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUIWith(t, stn, Options{Now: clocktest.Clock(t), FindFont: uitest.Font(t)})
	u.Show(AreaMap)
	u.Wait()
	m := u.screens[AreaMap].(*mapedit.Screen)
	opts := m.VillageOptions()
	if len(opts) != 2 || opts[1] != "全镇（1 个村）" {
		t.Fatalf("village options %q", opts)
	}
	m.ShowVillage("township")
	u.Wait()
	if v := m.Village(); v == nil || len(v.Houses) != 1 || v.Houses[0].Number != "203" {
		t.Fatalf("township map: %+v", v)
	}
	u.FindOnMap("203")
	u.Wait()
	if txt := uitest.Shown(m.Object()); !strings.Contains(txt, "203") {
		t.Errorf("find 203 on the township map:\n%s", txt)
	}
}

// 查看 of a post on the home, then 巡逻排班: the roster shown is that
// post's, and says so.
func TestStationRosterFollowsThePostLookedAt(t *testing.T) {
	post, stn, _ := stationWithPost(t)
	u, _ := newTestUI(t, stn)
	test.Tap(uitest.FindButton(t, u.screens[AreaTownship].Object(), "查看"))
	u.Wait()
	test.Tap(u.nav[AreaPatrol])
	u.Wait()
	r := u.screens[AreaPatrol].(*roster.Screen)
	if r.Owner() != post.DeviceID() {
		t.Errorf("巡逻排班 shows %q, want the post looked at %q", r.Owner(), post.DeviceID())
	}
	if txt := strings.Join(uitest.Texts(r.Object()), "|"); !strings.Contains(txt, "正在看「东河警务室」的排班和巡逻记录") {
		t.Errorf("roster does not say whose it is:\n%s", txt)
	}
}

// 巡逻排班 at a station follows the post looked at from every place a
// post is opened (各警务室's own list as the home's 查看), and opened
// first, with no post looked at, says whose roster it shows.
func TestStationRosterFollowsThePostFromEveryPlace(t *testing.T) {
	post, stn, _ := stationWithPost(t)
	u, _ := newTestUI(t, stn)
	// First open: no post looked at yet.
	test.Tap(u.nav[AreaPatrol])
	u.Wait()
	r := u.screens[AreaPatrol].(*roster.Screen)
	if txt := uitest.Shown(r.Object()); !strings.Contains(txt, "正在看「东河警务室」的排班和巡逻记录") || r.Owner() != post.DeviceID() {
		t.Errorf("巡逻排班 opened first shows %q, not saying whose:\n%s", r.Owner(), txt)
	}
	// 各警务室's own 查看.
	r.ShowOwner("", "")
	test.Tap(u.nav[AreaPosts])
	u.Wait()
	test.Tap(uitest.FindButton(t, u.screens[AreaPosts].Object(), "查看"))
	u.Wait()
	test.Tap(u.nav[AreaPatrol])
	u.Wait()
	if r.Owner() != post.DeviceID() {
		t.Errorf("巡逻排班 after 各警务室's 查看 shows %q, want %q", r.Owner(), post.DeviceID())
	}
}

// A household created or imported at a station would be the station's
// own record (store: a new record's owner is the device writing it), sent
// in its broadcast to every post of the township, and its post's officer
// could see it but never change it (a post writes only its own records).
// So a station's 住户 offers neither 新建住户 nor 导入台账 and says in one
// line where households are entered; it still corrects a post's
// household (the owner stays the post).
func TestStationHouseholdsAreEnteredAtThePost(t *testing.T) {
	ctx := context.Background()
	post, stn, postEngine := stationWithPost(t)
	u, _ := newTestUI(t, stn)
	u.Show(AreaHouseholds)
	u.Wait()
	hh := u.screens[AreaHouseholds].(*households.Screen)
	shown := uitest.Shown(hh.Object())
	for _, b := range []string{"新建住户", "导入台账"} {
		if uitest.ButtonIn(hh.Object(), b) != nil {
			t.Errorf("a station's 住户 offers %s:\n%s", b, shown)
		}
	}
	if !strings.Contains(shown, "住户在各警务室录入和导入") || uitest.ButtonIn(hh.Object(), "导出台账") == nil {
		t.Errorf("a station's 住户 does not say where households are entered, or lost 导出台账:\n%s", shown)
	}
	var note *widget.Label
	uitest.Walk(hh.Object(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "住户在各警务室") {
			note = l
		}
	})
	if note == nil || note.MinSize().Height > note.MinSize().Width {
		t.Errorf("the note is not one line beside the buttons: %+v", note)
	}
	// A house with nobody recorded opens no new household's form there.
	vs, err := post.Villages(ctx)
	if err != nil || len(vs) != 1 {
		t.Fatalf("villages %v %v", vs, err)
	}
	house := &store.House{VillageID: vs[0].ID, Number: "205"}
	if err := post.Save(ctx, house); err != nil {
		t.Fatal(err)
	}
	eng, err := u.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{postEngine, eng} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	hh.OpenHouse(house.ID)
	u.Wait()
	if shown := uitest.Shown(hh.Object()); strings.Contains(shown, "保存") || !strings.Contains(shown, "住户在各警务室录入和导入") {
		t.Errorf("a station's 住户 opened a new household's form for an empty house:\n%s", shown)
	}
	// At the post both are there.
	pu, _ := newTestUI(t, post)
	pu.Show(AreaHouseholds)
	pu.Wait()
	for _, b := range []string{"新建住户", "导入台账"} {
		if uitest.ButtonIn(pu.screens[AreaHouseholds].Object(), b) == nil {
			t.Errorf("a post's 住户 lacks %s", b)
		}
	}
}

// A resident added at the station to a post's household is the post's
// record (the station corrects it), so it reaches that post and its
// officer can change it: left to the store it was the station's own, sent
// to every post and refused there (record belongs to another device).
func TestStationResidentAddedIsThePosts(t *testing.T) {
	ctx := context.Background()
	post, stn, postEngine := stationWithPost(t)
	u, w := newTestUI(t, stn)
	addResidentTo(t, u, w, "王建国")
	var entries []*kit.Entry
	uitest.WalkRendered(w.Content(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*kit.Entry); ok {
			entries = append(entries, e)
		}
		return o.Visible()
	})
	if len(entries) < 2 {
		t.Fatalf("no form:\n%s", uitest.Shown(w.Content()))
	}
	var name *kit.Entry // the form's first field, 姓名 (the search box holds the query)
	for _, e := range entries {
		if e.Text != "王建国" && name == nil {
			name = e
		}
	}
	name.SetText("王小站")
	save := uitest.ButtonIn(w.Content(), "保存")
	if save == nil {
		t.Fatal("no 保存")
	}
	test.Tap(save)
	u.Wait()
	var found *store.Resident
	rows, err := stn.Households(ctx, store.HouseholdFilter{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("households %v %v", rows, err)
	}
	rs, err := stn.Residents(ctx, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		if rs[i].Name == "王小站" {
			found = &rs[i]
		}
	}
	if found == nil {
		t.Fatalf("the resident was not saved:\n%s", uitest.Shown(w.Content()))
	}
	if found.Owner != post.DeviceID() {
		t.Errorf("the resident added at the station is %q's, want the post's %q", found.Owner, post.DeviceID())
	}
	eng, err := u.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{eng, postEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	var at store.Resident
	if err := post.Get(ctx, &at, found.ID); err != nil {
		t.Fatalf("the resident did not reach the post: %v", err)
	}
	at.Name = "王小改"
	if err := post.Save(ctx, &at); err != nil {
		t.Errorf("the post's officer cannot change the resident the station added: %v", err)
	}
}
