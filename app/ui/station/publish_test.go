package station

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// 发布通知 tapped twice (a double click on a slow PC, or a second tap
// because nothing seemed to happen) publishes the notice once: every
// post would otherwise list the same notice twice. After publishing, the
// form is empty for the next notice.
func TestNoticePublishedOnce(t *testing.T) {
	ctx := context.Background()
	stn, u, pub := openPublish(t)
	pub.noticeT.SetText("春节期间加强巡逻")
	pub.noticeB.SetText("各警务室腊月廿三起每晚巡逻。")
	b := uitest.FindButton(t, pub.box, "发布通知")
	test.Tap(b)
	test.Tap(b) // before the first publish has finished
	u.Wait()
	test.Tap(b) // after it: the form was emptied
	u.Wait()
	notices, err := stn.Notices(ctx)
	if err != nil || len(notices) != 1 {
		t.Fatalf("%d notices published (want 1): %+v %v", len(notices), notices, err)
	}
	if pub.noticeT.Text != "" || pub.noticeB.Text != "" {
		t.Errorf("the form still holds the published notice: %q %q", pub.noticeT.Text, pub.noticeB.Text)
	}

	// A board template the same way.
	pub.tplName.SetText("集市版")
	b = uitest.FindButton(t, pub.box, "发布模板")
	test.Tap(b)
	test.Tap(b)
	u.Wait()
	test.Tap(b)
	u.Wait()
	tpls, err := stn.BoardTemplates(ctx)
	if err != nil || len(tpls) != 1 {
		t.Fatalf("%d templates published (want 1): %v", len(tpls), err)
	}
}

// 发布打架成本条目 tapped twice on a station with no items yet publishes
// the shipped defaults once: both taps read "no items" before either had
// saved, and every post got each default line twice.
func TestDefaultItemsPublishedOnce(t *testing.T) {
	ctx := context.Background()
	stn, u, pub := openPublish(t)
	b := uitest.FindButton(t, pub.box, "发布打架成本条目")
	test.Tap(b)
	test.Tap(b)
	u.Wait()
	items, err := stn.CostItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, it := range items {
		seen[fmt.Sprint(it.Tier, " ", it.Sort, " ", it.Text)]++
	}
	for text, n := range seen {
		if n > 1 {
			t.Errorf("%q published %d times", text, n)
		}
	}
	if len(seen) < 10 {
		t.Errorf("%d default lines published", len(seen))
	}
}

// 月报 offers the months as of today, not as of when the window opened:
// a station's window left open over the turn of the month kept offering
// (and preselecting as 上个月) the month before last.
func TestReportMonthsFollowTheClock(t *testing.T) {
	_, stn, _ := uitest.SyncPair(t)
	now := time.Date(2026, 11, 30, 23, 50, 0, 0, time.Local)
	env, w := uitest.NewEnvAt(t, stn, func() time.Time { return now })
	uitest.NoCutText(t, w)
	r := newReportBar(&uitest.SyncEnv{Env: env})
	if got := r.month(); got != "2026-10" {
		t.Fatalf("on 30 November the report month is %s, want 2026-10", got)
	}
	now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local) // the next morning
	if got := r.month(); got != "2026-11" {
		t.Errorf("on 1 December the report month is %s, want 2026-11", got)
	}
	if r.pick.Selected != "2026年11月" {
		t.Errorf("the month shown is %q, want 2026年11月", r.pick.Selected)
	}
}

// A notice's 内容 is word-wrapped, and Fyne lays a wrapped entry's whole
// text out again at every key: past 1,000 characters each key got slow
// (31 ms at 2,000, 117 ms at 4,000 here; BenchmarkMultiLineEntryKey, an
// old PC several times that). Past the bound a line under the field says
// so, with the count, and 发布通知 refuses until it is shorter.
func TestNoticeBodyIsBounded(t *testing.T) {
	ctx := context.Background()
	stn, u, pub := openPublish(t)
	pub.noticeT.SetText("春节期间加强巡逻")
	long := strings.Repeat("各警务室腊月廿三起每晚巡逻。", 80) // 1,120 characters
	pub.noticeB.SetText(long)
	want := "最多 1000 字，现在 1120 字"
	if !pub.noticeLen.Visible() || !strings.Contains(pub.noticeLen.Text, want) {
		t.Errorf("past the bound the field says %q (shown %v), want %q", pub.noticeLen.Text, pub.noticeLen.Visible(), want)
	}
	test.Tap(uitest.FindButton(t, pub.box, "发布通知"))
	u.Wait()
	if n, err := stn.Notices(ctx); err != nil || len(n) != 0 {
		t.Fatalf("a notice past the bound was published: %d %v", len(n), err)
	}
	if !strings.Contains(pub.pubMsg.Text, want) {
		t.Errorf("发布通知 says %q", pub.pubMsg.Text)
	}
	pub.noticeB.SetText(string([]rune(long)[:1000]))
	if pub.noticeLen.Visible() {
		t.Errorf("at the bound the field still says %q", pub.noticeLen.Text)
	}
	test.Tap(uitest.FindButton(t, pub.box, "发布通知"))
	u.Wait()
	if n, err := stn.Notices(ctx); err != nil || len(n) != 1 {
		t.Fatalf("%d notices of 1,000 characters published (want 1): %v", len(n), err)
	}
}

// openPublish shows 发布 of a station (uitest.SyncPair's, paired with
// nobody yet) in a headless window.
func openPublish(t *testing.T) (*store.Store, *uitest.SyncEnv, *Publish) {
	t.Helper()
	_, stn, _ := uitest.SyncPair(t)
	u, w := uitest.NewSyncEnv(t, stn)
	pub := NewPublish(u)
	w.SetContent(container.NewAppTabs(pub.TabItem()))
	u.Wait()
	return stn, u, pub
}
