package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
)

func householdsOf(t *testing.T, u *UI) *householdsScreen {
	t.Helper()
	h, ok := u.screens[AreaHouseholds].(*householdsScreen)
	if !ok {
		t.Fatalf("households screen not built")
	}
	return h
}

// listed returns the owners of the households the list shows.
func listed(h *householdsScreen) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, len(h.rows))
	for i, r := range h.rows {
		out[i] = r.OwnerName
	}
	return out
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

func TestHouseholdListShowsEveryHousehold(t *testing.T) {
	// More than one page, so paging must stitch the pages together.
	u, _ := newTestUI(t, uitest.Fixture(t, firstPage+20))
	h := householdsOf(t, u)
	if n := len(listed(h)); n != firstPage+23 {
		t.Fatalf("list has %d households, want %d", n, firstPage+23)
	}
	if got := h.count.Text; got != "共 83 户" {
		t.Errorf("count label %q", got)
	}
}

func TestSearchFiltersTheList(t *testing.T) {
	u, _ := newTestUI(t, uitest.Fixture(t, 30))
	h := householdsOf(t, u)
	cases := []struct {
		name, query string
		want        []string
	}{
		{"owner name", "王建国", []string{"王建国"}},
		{"two-character resident name", "海涛", []string{"张志刚"}},
		{"house number", "203", []string{"王建国"}},
		{"old house number", "118", []string{"王建国"}},
		{"phone", uitest.WangPhone, []string{"王建国"}},
		{"ID number", uitest.WangID, []string{"王建国"}},
		{"lowercase x ID", strings.ToLower(uitest.WangID), []string{"王建国"}},
		{"nothing", "不存在的人", []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.search.SetText("")
			test.Type(h.search, c.query)
			u.Wait()
			if got := listed(h); !slices.Equal(got, c.want) {
				t.Fatalf("search %q lists %v, want %v", c.query, got, c.want)
			}
		})
	}
}

func TestSingleResultOpensTheHousehold(t *testing.T) {
	u, _ := newTestUI(t, uitest.Fixture(t, 5))
	h := householdsOf(t, u)
	test.Type(h.search, "王建国")
	u.Wait()
	got := strings.Join(uitest.Texts(h.detail), "\n")
	for _, want := range []string{"203号", "刘桂兰", "身份证 " + uitest.WangID, "家中无异常", "重点户", "红色"} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
}

func TestAuxiliarySeesMaskedIDs(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := newTestUI(t, s)
	u.Settings().SetRole(kit.RoleAuxiliary)
	h := householdsOf(t, u)
	test.Type(h.search, "203")
	u.Wait()
	got := strings.Join(uitest.Texts(h.detail), "\n")
	if strings.Contains(got, uitest.WangID) {
		t.Fatalf("auxiliary sees the full ID number:\n%s", got)
	}
	if !strings.Contains(got, store.MaskIDNumber(uitest.WangID)) {
		t.Fatalf("masked ID %s missing:\n%s", store.MaskIDNumber(uitest.WangID), got)
	}
}

func TestFilters(t *testing.T) {
	u, _ := newTestUI(t, uitest.Fixture(t, 10))
	h := householdsOf(t, u)
	cases := []struct {
		name               string
		village, cat, warn int // select indexes, 0 = all
		want               []string
	}{
		{"left-behind elderly", 0, 4, 0, []string{"李秀英"}},
		{"rental", 0, 2, 0, []string{"张志刚"}},
		{"red", 0, 0, 1, []string{"王建国"}},
		{"orange", 0, 0, 2, []string{"张志刚"}},
		{"village 东河村 (sorted first)", 1, 0, 0, []string{"李秀英", "王建国"}},
		{"东河村 and green", 1, 0, 3, []string{"李秀英"}},
		{"key household in 西岭村", 2, 1, 0, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.village.SetSelectedIndex(c.village)
			h.category.SetSelectedIndex(c.cat)
			h.warning.SetSelectedIndex(c.warn)
			u.Wait()
			if got := listed(h); !slices.Equal(got, c.want) {
				t.Fatalf("lists %v, want %v", got, c.want)
			}
		})
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
	s := u.screens[AreaSettings].(*settingsScreen)
	s.language.SetSelected("English")
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
	if got := householdsOf(t, u).count.Text; got != "3 households" {
		t.Errorf("count label after switch %q", got)
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
	got := strings.Join(uitest.Texts(u.screens[AreaStats].(*statsScreen).tiles), "|")
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
}
