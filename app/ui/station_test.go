package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/mapedit"
	"cunjing/app/ui/roster"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	cjsync "cunjing/sync"
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
	// 各警务室: the post with its village and officer.
	test.Tap(u.nav[AreaPosts])
	u.Wait()
	list := strings.Join(uitest.Texts(u.screens[AreaPosts].Object()), "|")
	for _, w := range []string{"东河警务室", "东河村", "民警：赵警官", "最新数据 ", "本站已收到它的 "} {
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
	if !strings.Contains(home, "东河警务室（已解除配对）") || !strings.Contains(home, "房屋 1 处，住户 1 户") {
		t.Errorf("home:\n%s", home)
	}
	u.Show(AreaPosts)
	u.Wait()
	list := strings.Join(uitest.Texts(u.screens[AreaPosts].Object()), "|")
	if !strings.Contains(list, "已解除配对") || !strings.Contains(list, "东河村") {
		t.Errorf("post list:\n%s", list)
	}
	if strings.Contains(home, "超过 3 天没有新数据") {
		t.Errorf("an unpaired post is counted as stale:\n%s", home)
	}
}
