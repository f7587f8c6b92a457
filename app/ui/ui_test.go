package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// searchBox is the households screen's search box (the first kit.Entry
// on 住户, as the window focuses it), shown.
func searchBox(t *testing.T, u *UI) *kit.Entry {
	t.Helper()
	u.Show(AreaHouseholds)
	var box *kit.Entry
	uitest.Walk(u.screens[AreaHouseholds].Object(), func(o fyne.CanvasObject) {
		if e, ok := o.(*kit.Entry); ok && box == nil {
			box = e
		}
	})
	if box == nil {
		t.Fatal("住户 has no search box")
	}
	return box
}

// entryOf is o as an entry (a kit.Entry's own), nil when it is none.
func entryOf(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *kit.Entry:
		return &e.Entry
	}
	return nil
}

func TestNavHasTheSevenAreas(t *testing.T) {
	u, _ := newTestUI(t, uitest.Fixture(t, 0))
	want := []string{"地图", "住户", "巡逻排班", "警示牌与宣传", "同步", "统计", "设置"}
	var got []string
	for _, a := range Areas() {
		got = append(got, u.nav[a].Text)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("nav = %v, want %v", got, want)
	}
	if u.Current() != AreaHouseholds {
		t.Errorf("opens on %q, want the households", u.Current())
	}
	for _, a := range Areas() {
		test.Tap(u.nav[a])
		u.Wait()
		if u.Current() != a {
			t.Errorf("tapping %s shows %s", a, u.Current())
		}
		if len(u.body.Objects) != 1 || u.body.Objects[0] != u.screens[a].Object() {
			t.Errorf("tapping %s did not put its screen in the body", a)
		}
	}
}

func TestLanguageSwitchRelabels(t *testing.T) {
	u, w := newTestUI(t, uitest.Fixture(t, 0))
	t.Cleanup(func() {
		if err := ApplyLanguage("zh"); err != nil {
			t.Error(err)
		}
	})
	if got := u.nav[AreaHouseholds].Text; got != "住户" {
		t.Fatalf("zh label %q", got)
	}
	test.Tap(u.nav[AreaSettings])
	var language *widget.RadioGroup
	uitest.Walk(u.screens[AreaSettings].Object(), func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok && slices.Contains(r.Options, "English") {
			language = r
		}
	})
	language.SetSelected("English")
	u.Wait()
	if got := u.nav[AreaHouseholds].Text; got != "Households" {
		t.Fatalf("after switching to English the nav says %q", got)
	}
	if got := w.Title(); got != "Cunjing" {
		t.Errorf("window title %q", got)
	}
	if u.Current() != AreaSettings {
		t.Errorf("switching language left settings for %s", u.Current())
	}
	if u.Settings().Language() != "en" {
		t.Errorf("language not kept in preferences: %q", u.Settings().Language())
	}
	// The households screen is rebuilt in English too.
	test.Tap(u.nav[AreaHouseholds])
	u.Wait()
	if got := uitest.Texts(u.screens[AreaHouseholds].Object()); !slices.Contains(got, "3 households") {
		t.Errorf("no count label after the switch: %q", got)
	}
	if err := u.SetLanguage("zh"); err != nil {
		t.Fatal(err)
	}
	if got := u.nav[AreaHouseholds].Text; got != "住户" {
		t.Fatalf("back to zh: %q", got)
	}
}

func TestStatsShowsCounts(t *testing.T) {
	u, _ := newTestUI(t, uitest.Fixture(t, 4))
	test.Tap(u.nav[AreaStats])
	u.Wait()
	got := strings.Join(uitest.Texts(u.screens[AreaStats].Object()), "|")
	// Each tile is its number over its caption.
	for _, want := range []string{"3|村", "47|房屋", "7|住户", "8|居民", "0|待核对冲突"} {
		if !strings.Contains(got, want) {
			t.Errorf("no tile %q in %s", want, got)
		}
	}
}

// The households screen's 在地图上查看 opens 地图 at the house, and the
// map's 查看住户和居民 comes back to 住户.
func TestHouseholdsAndMapJumpToEachOther(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := newTestUI(t, s)
	u.findFont = uitest.Font(t)
	u.SetFontPath("")
	hs, err := s.Households(context.Background(), store.HouseholdFilter{Query: "张志刚"})
	if err != nil || len(hs) != 1 {
		t.Fatalf("households %v %v", hs, err)
	}
	u.Show(AreaHouseholds) // opened before, as the officer's first screen
	u.Wait()
	u.ShowHouseOnMap(hs[0].HouseID)
	u.Wait()
	if u.Current() != AreaMap {
		t.Fatalf("ShowHouseOnMap shows %s", u.Current())
	}
	if got := uitest.Joined(u.screens[AreaMap].Object()); !strings.Contains(got, "西岭村") || !strings.Contains(got, "张志刚") {
		t.Errorf("the map does not show the house:\n%s", got)
	}
	u.OpenHousehold(hs[0].HouseID)
	u.Wait()
	if u.Current() != AreaHouseholds {
		t.Fatalf("OpenHousehold shows %s", u.Current())
	}
	// The household itself, not the list's 在左边点一户 (a dead end: the
	// officer searched again for the house just looked at).
	if got := uitest.Shown(u.screens[AreaHouseholds].Object()); strings.Contains(got, "在左边点一户") || !strings.Contains(got, "添加居民") {
		t.Errorf("查看住户和居民 does not show the household:\n%s", got)
	}
}

// TestSyncTabs: 同步 has five tabs at a post and at a station (whose
// 全镇总览 and 发布 are areas of their own); ShowSyncTab selects one and
// ignores an index out of range.
func TestSyncTabs(t *testing.T) {
	post, stn, _ := uitest.SyncPair(t)
	for _, c := range []struct {
		st   *store.Store
		want int
		last string
	}{{post, 5, "需要核对"}, {stn, 5, "需要核对"}} {
		u, _ := newTestUI(t, c.st)
		if n := u.SyncTabs(); n != c.want {
			t.Fatalf("%s: %d tabs, want %d", c.st.Role(), n, c.want)
		}
		u.ShowSyncTab(c.want - 1)
		var tabs *container.AppTabs
		uitest.Walk(u.screens[AreaSync].Object(), func(o fyne.CanvasObject) {
			if x, ok := o.(*container.AppTabs); ok && tabs == nil {
				tabs = x
			}
		})
		if got := tabs.Selected().Text; got != c.last {
			t.Errorf("%s: tab %q selected, want %q", c.st.Role(), got, c.last)
		}
		u.ShowSyncTab(c.want)
		if got := tabs.Selected().Text; got != c.last {
			t.Errorf("%s: out-of-range index moved the tab to %q", c.st.Role(), got)
		}
	}
}

// 地图's find box and 住户's search box are the one search: they say what
// it finds in the same words (the map's said 门牌号（旧号也行）… 身份证尾号,
// 住户's 门牌号（含旧号）… 身份证号或尾号).
func TestOneSearchOneHint(t *testing.T) {
	uitest.Headless(t)
	for _, code := range []string{"zh", "en"} {
		if err := ApplyLanguage(code); err != nil {
			t.Fatal(err)
		}
		cut := func(s string) string {
			_, after, _ := strings.Cut(s, map[string]string{"zh": "：", "en": ": "}[code])
			return after
		}
		if m, h := cut(lang.L("mapedit.findHint")), cut(lang.L("households.searchHint")); m == "" || m != h {
			t.Errorf("%s: 地图 finds %q, 住户 %q", code, m, h)
		}
	}
	if err := ApplyLanguage("zh"); err != nil {
		t.Fatal(err)
	}
}
