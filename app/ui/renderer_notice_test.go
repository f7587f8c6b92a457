package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
)

// TestSoftwareNotice: the window on the software renderer says so once, in
// Chinese, with what to do; never again for the same user, even after a
// restart (the preference is kept).
func TestSoftwareNotice(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := ApplyLanguage("zh"); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	if !ShowSoftwareNotice(w, a.Preferences()) {
		t.Fatal("first start on the software renderer: no notice")
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("notice not shown")
	}
	got := uitest.Shown(top)
	for _, want := range []string{"软件绘图", "慢一些", "显卡驱动", "只提示这一次"} {
		if !strings.Contains(got, want) {
			t.Errorf("notice lacks %q:\n%s", want, got)
		}
	}
	n := len(w.Canvas().Overlays().List())

	w2 := test.NewTempWindow(t, nil) // the next start
	for i := range 2 {
		if ShowSoftwareNotice(w2, a.Preferences()) {
			t.Errorf("start %d after the first: notice shown again", i+2)
		}
	}
	if got := len(w2.Canvas().Overlays().List()); got != 0 {
		t.Errorf("later start: %d overlays, want none", got)
	}
	if got := len(w.Canvas().Overlays().List()); got != n {
		t.Errorf("first window: %d overlays, want %d", got, n)
	}
}
