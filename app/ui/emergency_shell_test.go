package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store/emergencylog"
)

// 紧急 is one tap (or Ctrl+E) away from every screen, and from the idle
// lock the password opens straight onto it.
func TestEmergencyFromEveryScreenAndTheLock(t *testing.T) {
	s := withUsers(t, uitest.Fixture(t, 0))
	u, w := newTestUI(t, s)
	// Behind the login nothing opens: the button only arms it.
	u.ShowEmergency()
	if u.body != nil || u.EmergencyScreen() != nil {
		t.Fatal("紧急 opened before anyone logged in")
	}
	u.acct.emergencyNext = false
	login(t, u, "zhao", "secret1")
	for _, a := range Areas() {
		u.Show(a)
		if u.sos.Text != "紧急（Ctrl+E）" {
			t.Fatalf("the button says %q", u.sos.Text)
		}
		test.Tap(u.sos)
		u.Wait()
		if u.Current() != AreaEmergency {
			t.Fatalf("from %s the button shows %s", a, u.Current())
		}
	}
	// (The map area, without a font here, says so in dialogs: close them.)
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
	u.Show(AreaBoards)
	w.Canvas().Unfocus()
	sc, ok := w.Canvas().(fyne.Shortcutable)
	if !ok {
		t.Fatal("the test canvas takes no shortcuts")
	}
	sc.TypedShortcut(EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		t.Fatalf("Ctrl+E shows %s", u.Current())
	}
	if w.Canvas().Focused() == nil {
		var over []string
		for _, o := range w.Canvas().Overlays().List() {
			over = append(over, uitest.Joined(o))
		}
		t.Errorf("the query box has no cursor (overlays: %q)", over)
	}

	// The idle lock: 紧急 on the lock screen, then the password.
	u.Show(AreaHouseholds)
	u.Lock()
	if !strings.Contains(uitest.Shown(w.Content()), "紧急：输入密码后直接打开紧急卡") {
		t.Fatalf("the lock screen has no 紧急:\n%s", uitest.Shown(w.Content()))
	}
	test.Tap(uitest.FindButton(t, w.Content(), "紧急：输入密码后直接打开紧急卡"))
	if u.Current() != AreaHouseholds || !u.acct.locked {
		t.Fatal("紧急 on the lock screen opened without the password")
	}
	login(t, u, "zhao", "secret1")
	if u.Current() != AreaEmergency {
		t.Fatalf("after the password: %s", u.Current())
	}
	e := u.EmergencyScreen()
	e.Search("203")
	u.Wait()
	if c := e.Card(); c == nil || c.House.Number != "203" {
		t.Fatalf("card %+v", c)
	}
	// An officer sees the card as the officer: the log says who.
	list, err := emergencylog.List(u.Ctx(), s, 5)
	if err != nil || len(list) != 1 || list[0].User != "zhao" || list[0].Role != "officer" {
		t.Errorf("log %+v %v", list, err)
	}
}
