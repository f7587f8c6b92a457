package station

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// A station that read a post's stick shows the post on its dashboard and
// publishes notices and cost items.
func TestStationDashboardAndPublish(t *testing.T) {
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
	// The post writes its changes to a stick (同步's exchange tab does
	// this), the station reads it.
	stick := t.TempDir()
	if _, err := exchange.Once(ctx, postEngine, stick); err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Once(ctx, stnEngine, stick); err != nil {
		t.Fatal(err)
	}
	u, w := uitest.NewSyncEnv(t, stn)
	dash, pub := NewDashboard(u), NewPublish(u)
	w.SetContent(container.NewAppTabs(dash.TabItem(), pub.TabItem()))
	dash.Refresh()
	u.Wait()
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
