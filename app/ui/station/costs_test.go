package station

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// 发布 → 条目的金额和依据: the station sets a cost item's amount, source,
// 本地 and 已核实 as `cunjing costs set` does (boardset.SetFigure), with
// the same refusals said in Chinese, and the item is published at once.
func TestStationSetsCostFigure(t *testing.T) {
	ctx := context.Background()
	stn, u, pub := openPublish(t)
	if got := uitest.Joined(pub.figs.box); !strings.Contains(got, "本所还没有条目") {
		t.Errorf("before any item:\n%s", got)
	}
	test.Tap(uitest.FindButton(t, pub.box, "发布打架成本条目"))
	u.Wait()
	// The compensation line, which the station gives what a fight here
	// usually costs from its own cases.
	var local store.CostItem
	for _, it := range pub.figs.items {
		if it.Grp == "economic" && local.ID == "" {
			local = it
		}
	}
	if local.ID == "" {
		t.Fatalf("no economic line among the published defaults (%d items)", len(pub.figs.items))
	}
	if got := uitest.Joined(pub.figs.box); !strings.Contains(got, local.Text) || !strings.Contains(got, "待核实") || strings.Contains(got, "【本地】") {
		t.Errorf("the list does not show %s, or the unconfirmed defaults as 待核实, or shows a local figure:\n%s", local.Text, got)
	}
	published := u.Publishes
	for _, tc := range []struct {
		name          string
		min, max, src string
		local, check  bool
		msg           string // "" saves
	}{
		{"min above max", "9000", "7000", "城关派出所2024—2025年调解的32起打架案件", true, true, "最低不能大于最高"},
		{"not a number", "七千", "", "城关派出所2024—2025年调解的32起打架案件", true, true, "要写数字"},
		{"infinite", "6000", "Inf", "城关派出所2024—2025年调解的32起打架案件", true, true, "要写数字"},
		{"local without source", "6000", "9000", "", true, true, "写明依据"},
		{"saved", "6000", "9000", "城关派出所2024—2025年调解的32起打架案件", true, true, ""},
	} {
		pub.figs.edit(local)
		f := pub.figs.ed
		f.min.SetText(tc.min)
		f.max.SetText(tc.max)
		f.source.SetText(tc.src)
		f.local.SetChecked(tc.local)
		f.checked.SetChecked(tc.check)
		test.Tap(uitest.FindButton(t, pub.figs.editor, "保存并发布"))
		u.Wait()
		var back store.CostItem
		if err := stn.Get(ctx, &back, local.ID); err != nil {
			t.Fatal(err)
		}
		if tc.msg != "" {
			if !strings.Contains(f.msg.Text, tc.msg) || back.Local {
				t.Errorf("%s: message %q (want %q), stored local %v", tc.name, f.msg.Text, tc.msg, back.Local)
			}
			continue
		}
		if back.AmountMin != 6000 || back.AmountMax != 9000 || !back.Confirmed || !back.Local || back.CheckedOn != u.Now().Format("2006-01-02") ||
			!strings.Contains(back.Source, "32起") {
			t.Errorf("%s: stored %+v", tc.name, back)
		}
		if pub.figs.ed != nil || u.Publishes != published+1 {
			t.Errorf("%s: form still open (%v) or not published (%d calls)", tc.name, pub.figs.ed != nil, u.Publishes-published)
		}
		if got := uitest.Joined(pub.figs.box); !strings.Contains(got, "已核实") || !strings.Contains(got, "【本地】") {
			t.Errorf("%s: the list does not say 已核实:\n%s", tc.name, got)
		}
	}
}
