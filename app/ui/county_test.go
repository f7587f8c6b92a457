package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/station"
	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// The county's window has its own navigation and opens on 全县总览: the
// station, its post under it with the post's counts.
func TestCountyWindow(t *testing.T) {
	county, _ := uitest.CountyWithStation(t)
	u, _ := newTestUI(t, county)
	var got []string
	for _, a := range AreasFor(store.RoleCounty) {
		got = append(got, u.nav[a].Text)
	}
	if want := []string{"全县总览", "发布", "同步", "设置"}; !slices.Equal(got, want) {
		t.Fatalf("county nav = %v, want %v", got, want)
	}
	if u.Current() != AreaCounty {
		t.Fatalf("county opens on %s", u.Current())
	}
	home := u.screens[AreaCounty].(*station.CountyHome)
	if v := home.View(); v == nil || len(v.Stations) != 1 {
		t.Fatalf("county view %+v", v)
	}
	text := strings.Join(uitest.Texts(home.Object()), "|")
	for _, w := range []string{"全县（1 个派出所，1 个警务室）", "城关派出所", "东河警务室：住户 1 户，居民 0 人", "月报："} {
		if !strings.Contains(text, w) {
			t.Errorf("county home lacks %q:\n%s", w, text)
		}
	}
	// 发布 says whom the county publishes to.
	test.Tap(u.nav[AreaPublish])
	u.Wait()
	pub := strings.Join(uitest.Texts(u.screens[AreaPublish].Object()), "|")
	for _, w := range []string{"发布给各派出所", "派出所再转给它的各警务室", "本局还没有条目"} {
		if !strings.Contains(pub, w) {
			t.Errorf("county 发布 lacks %q:\n%s", w, pub)
		}
	}
}
