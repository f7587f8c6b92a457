package ui

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store/clock/clocktest"
	"cunjing/store/emergencylog"
)

// Esc closes a dialog as its 取消 does, from the window and with the
// cursor in one of its fields: Fyne's dialogs take no keys, so every
// dialog of the window (记为巡逻记录 here, the file chooser, an error)
// could be closed only with the mouse, and Esc typed into the field.
func TestEscClosesTheDialogOnTop(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUIWith(t, s, Options{Now: clocktest.Clock(t), FindFont: uitest.Font(t)})
	u.ShowEmergency()
	e := u.EmergencyScreen()
	e.Search("203")
	u.Wait()
	record := uitest.ButtonIn(w.Content(), "记为巡逻记录")
	if record == nil {
		t.Fatalf("no 记为巡逻记录 on the card:\n%s", uitest.Shown(w.Content()))
	}
	for _, cursor := range []string{"in the dialog's 经过和结果", "nowhere"} {
		test.Tap(record)
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("记为巡逻记录 opened no dialog")
		}
		var field *kit.Entry
		uitest.WalkRendered(top, func(o fyne.CanvasObject) bool {
			if en, ok := o.(*kit.Entry); ok && en.MultiLine {
				field = en
			}
			return true
		})
		if field == nil {
			t.Fatalf("the dialog has no 经过和结果:\n%s", uitest.Shown(top))
		}
		if cursor == "nowhere" {
			w.Canvas().Unfocus()
		} else {
			w.Canvas().Focus(field)
			field.SetText("到场")
		}
		uitest.PressKey(w, fyne.KeyEscape)
		u.Wait()
		if w.Canvas().Overlays().Top() != nil {
			t.Fatalf("with the cursor %s, Esc left the dialog open:\n%s", cursor, uitest.Shown(w.Canvas().Overlays().Top()))
		}
		if field.Text != "到场" && cursor != "nowhere" {
			t.Errorf("Esc typed into the field: %q", field.Text)
		}
	}
	list, err := emergencylog.List(u.Ctx(), s, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if l.PatrolID != "" {
			t.Errorf("Esc saved a patrol record: %+v", l)
		}
	}
	if record.Disabled() {
		t.Error("after Esc 记为巡逻记录 is no longer offered")
	}
	// The screen's own search box keeps Esc when no dialog is open.
	uitest.PressKey(w, fyne.KeyEscape)
	if u.Current() != AreaEmergency {
		t.Errorf("Esc with no dialog left 紧急 for %s", u.Current())
	}
}

// In the window as the officer has it (the shell round the screens), 保存
// at the foot of the resident form with a wrong 身份证号 brings the field
// into sight: the shell's root (activityWatch) named nothing it holds, so
// the form's scroll was not found from the window and nothing moved.
func TestSaveShowsTheProblemInTheShell(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	addResidentTo(t, u, w, "203")
	var id *kit.Entry
	var sc *kit.FormScroll
	uitest.WalkRendered(w.Content(), func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *kit.Entry:
			if v.PlaceHolder == "18 位，最后一位可以是 X" {
				id = v
			}
		case *kit.FormScroll:
			sc = v // the detail pane's, after the list's
		}
		return o.Visible()
	})
	if id == nil || sc == nil {
		t.Fatalf("no 身份证号 (%v) or no scroll (%v):\n%s", id != nil, sc != nil, uitest.Shown(w.Content()))
	}
	sc.Scroll.Refresh()
	id.SetText("41052219900101123")
	sc.Scroll.ScrollToOffset(fyne.NewPos(0, sc.Scroll.Content.Size().Height-sc.Scroll.Size().Height))
	if sc.Scroll.Offset.Y < 100 {
		t.Fatalf("the form is not longer than its pane (pane %v, form %v)", sc.Scroll.Size(), sc.Scroll.Content.Size())
	}
	save := uitest.ButtonIn(sc, "保存")
	if save == nil {
		t.Fatal("no 保存")
	}
	test.Tap(save)
	u.Wait()
	d := fyne.CurrentApp().Driver()
	if top := d.AbsolutePositionForObject(id).Y - d.AbsolutePositionForObject(sc.Scroll).Y; top < 0 || top > sc.Scroll.Size().Height {
		t.Errorf("after 保存 the 身份证号 is %.0f px from the pane's top (pane %.0f high)", top, sc.Scroll.Size().Height)
	}
}

// On the first-run screen too, Esc closes the ledger's file chooser (the
// shell's window hook was set only once a post was open).
func TestEscClosesTheFirstRunChooser(t *testing.T) {
	uitest.Headless(t)
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	wl := ShowWelcome(w, WelcomeOptions{Path: filepath.Join(t.TempDir(), "post.db"),
		CreateEmpty: func(context.Context, string, NewPost) error { return nil }})
	picked := false
	wl.ledgerDialog(func(string) { picked = true })
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no file chooser")
	}
	w.Canvas().Unfocus()
	uitest.PressKey(w, fyne.KeyEscape)
	if w.Canvas().Overlays().Top() != nil || picked {
		t.Errorf("after Esc: chooser open %v, a file picked %v", w.Canvas().Overlays().Top() != nil, picked)
	}
}
