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

// pressShortcut delivers s as the real window does: to the widget with
// the cursor when it takes shortcuts (an entry), else to the canvas.
func pressShortcut(w fyne.Window, s fyne.Shortcut) {
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// Ctrl+E opens 紧急 with the cursor in a search box, and after another
// area was opened from there: the entry that had the cursor kept it,
// hidden, and swallowed Ctrl+E, so the shortcut on the 紧急 button did
// nothing on 巡逻排班 once 住户 had been searched.
func TestEmergencyShortcutFromASearchBox(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	w.Canvas().Focus(searchBox(t, u))
	u.Show(AreaPatrol)
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		t.Errorf("Ctrl+E on 巡逻排班 after searching 住户 shows %s", u.Current())
	}
	w.Canvas().Focus(searchBox(t, u))
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		t.Errorf("Ctrl+E with the cursor in 住户's search box shows %s", u.Current())
	}
}
