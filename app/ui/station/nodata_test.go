package station

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/postcounts"
	"cunjing/store/storetest"
	cjsync "cunjing/sync"
	syncstation "cunjing/sync/station"
)

// silentTownship is a station with two posts, both without villages or a
// roster: 刘寨 paired and never heard from (nothing of it arrived), 周营
// whose first, empty, package arrived an hour ago.
func silentTownship() township {
	silent := syncstation.PostView{DeviceID: "P1", Name: "刘寨警务室", Freshness: -1, Stats: postcounts.NewStats("P1"), Stale: true}
	empty := syncstation.PostView{DeviceID: "P2", Name: "周营村警务室", Freshness: time.Hour, Stats: postcounts.NewStats("P2")}
	empty.Stats.LastArrival = 1
	plan := syncstation.PatrolPlan{From: "2026-12-01", To: "2026-12-07"}
	silent.Plan, empty.Plan = plan, plan
	return township{Township: syncstation.Township{PlansReady: true, Posts: []syncstation.PostView{silent, empty}},
		acks: map[string]cjsync.PeerAck{}, held: map[string]heldFrom{"P2": {n: 1}}}
}

// A post the station has received nothing from is not said to have no
// roster, no village and 0 houses (the station does not know), and its
// page offers no month to approve (审核通过 would lock months the station
// holds nothing of): each place says nothing has arrived and what the
// post has to do. A post whose data did arrive, empty, is still said to
// have no roster.
func TestNothingReceivedIsNotSaidAsZeros(t *testing.T) {
	s := storetest.New(t, store.RoleStation, clocktest.Clock(t))
	u, w := uitest.NewSyncEnv(t, s)
	w.Resize(fyne.NewSize(kit.MaxWindow.Width-180, kit.MaxWindow.Height))
	uitest.NoCutText(t, w)
	tw := silentTownship()
	post := func(id string) syncstation.PostView {
		for _, pv := range tw.Posts {
			if pv.DeviceID == id {
				return pv
			}
		}
		t.Fatalf("no post %s", id)
		return syncstation.PostView{}
	}
	show := func(o fyne.CanvasObject) string {
		w.SetContent(kit.Scroll(o))
		return uitest.Joined(o)
	}
	home := func(id string) string { return show(attentionRow(post(id), true, func(string) {})) }
	list := func(id string) string { return show(postRow(post(id), u.Now(), func() {})) }
	page := func(id string) string {
		p := &Posts{u: &drillEnv{SyncEnv: u}, list: container.NewVBox(), page: container.NewVBox(), root: container.NewStack(), t: &tw}
		p.Open(id)
		u.Wait()
		w.SetContent(p.Object())
		return uitest.Joined(p.Object())
	}
	const told = "还没有收到它的任何数据"
	for _, c := range []struct {
		where, post string
		text        func(id string) string
		want, not   []string
	}{
		{"全镇总览", "P1", home, []string{"没有收到数据", told, "立即同步"}, []string{"房屋 0 处", "没有排班"}},
		{"全镇总览", "P2", home, []string{"没有排班的巡逻", "房屋 0 处"}, []string{told}},
		{"各警务室", "P1", list, []string{"没有收到数据", told}, []string{"还没有村", "没有排班"}},
		{"各警务室", "P2", list, []string{"还没有村", "没有排班"}, []string{told}},
		{"its page", "P1", page, []string{told, "立即同步"}, []string{"审核通过", "没有排班", "巡逻完成", "红色 0", "还没有村"}},
		{"its page", "P2", page, []string{"审核通过", "没有排班", "还没有村"}, []string{told}},
	} {
		row := c.text(c.post)
		for _, want := range c.want {
			if !strings.Contains(row, want) {
				t.Errorf("%s lacks %q for %s:\n%s", c.where, want, c.post, row)
			}
		}
		for _, not := range c.not {
			if strings.Contains(row, not) {
				t.Errorf("%s says %q of %s:\n%s", c.where, not, c.post, row)
			}
		}
	}
}
