package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// newTestUI opens the main UI over s in a headless window, its clock at
// the tests' today.
func newTestUI(t *testing.T, s *store.Store) (*UI, fyne.Window) {
	t.Helper()
	return newTestUIWith(t, s, Options{Now: clocktest.Clock(t)})
}

// newTestUIWith opens the main UI over s with opt.
func newTestUIWith(t *testing.T, s *store.Store, opt Options) (*UI, fyne.Window) {
	t.Helper()
	uitest.Headless(t)
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	q := &uitest.Queue{}
	u := newUI(a, w, s, opt, q.Do, q.Drain)
	t.Cleanup(u.Close)
	uitest.NoCutText(t, w)
	u.Wait()
	return u, w
}

// addResidentTo finds the household query names in 住户 and taps its
// 添加居民.
func addResidentTo(t *testing.T, u *UI, w fyne.Window, query string) {
	t.Helper()
	u.SearchHouseholds(query)
	u.Wait()
	add := uitest.ButtonIn(w.Content(), "添加居民")
	if add == nil {
		t.Fatalf("no 添加居民:\n%s", uitest.Shown(w.Content()))
	}
	test.Tap(add)
	u.Wait()
}
