package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// TestEscapeClosesTheDialogAsItsCancel: Esc, from the window or typed in
// an entry of the dialog, closes every kind of dialog the screens show as
// its safe button would (the answer "no", nothing saved); a dialog still
// working (its button disabled) and a progress bar stay; nothing on top,
// Esc is the entry's.
func TestEscapeClosesTheDialogAsItsCancel(t *testing.T) {
	esc := &fyne.KeyEvent{Name: fyne.KeyEscape}
	for _, tc := range []struct {
		name      string
		show      func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog
		closes    bool
		wantReply string
	}{
		{"information", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			d := dialog.NewInformation("标题", "说明", w)
			d.SetOnClosed(func() { answer("closed") })
			return d
		}, true, "closed"},
		{"confirm", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			return dialog.NewConfirm("删除", "删除吗？", func(yes bool) { answer(map[bool]string{true: "yes", false: "no"}[yes]) }, w)
		}, true, "no"},
		{"custom confirm with an entry", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			return dialog.NewCustomConfirm("记录", "保存", "取消", in, func(ok bool) { answer(map[bool]string{true: "saved", false: "cancelled"}[ok]) }, w)
		}, true, "cancelled"},
		{"custom", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			d := dialog.NewCustom("修改记录", "关闭", in, w)
			d.SetOnClosed(func() { answer("closed") })
			return d
		}, true, "closed"},
		{"without buttons, its cancel named", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			var d dialog.Dialog
			d = dialog.NewCustomWithoutButtons("导入", EscapeTo(in, func() { answer("cancelled"); d.Hide() }), w)
			return d
		}, true, "cancelled"},
		{"without buttons, none named", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			return dialog.NewCustomWithoutButtons("导入", in, w)
		}, false, ""},
		{"progress", func(w fyne.Window, in fyne.CanvasObject, answer func(string)) dialog.Dialog {
			return dialog.NewCustomWithoutButtons("请稍候", widget.NewProgressBarInfinite(), w)
		}, false, ""},
	} {
		for _, from := range []string{"window", "entry"} {
			t.Run(tc.name+"/"+from, func(t *testing.T) {
				w := chooserWindow(t)
				in := NewEntry()
				reply := ""
				d := tc.show(w, in, func(s string) { reply = s })
				d.Show()
				if from == "window" {
					if !Escape(w.Canvas()) && tc.closes {
						t.Fatal("Escape found no dialog to close")
					}
				} else {
					w.Canvas().Focus(in)
					if w.Canvas().Focused() != in {
						t.Skip("no entry in this dialog")
					}
					in.TypedKey(esc)
				}
				if open := w.Canvas().Overlays().Top() != nil; open == tc.closes {
					t.Errorf("after Esc, dialog open %v; want %v", open, !tc.closes)
				}
				if reply != tc.wantReply {
					t.Errorf("answer %q, want %q", reply, tc.wantReply)
				}
			})
		}
	}
}

// TestEscapeLeavesAWorkingDialogAndTheScreen: a dismiss button disabled
// (work running) keeps its dialog open; with no dialog, Esc typed in an
// entry of the screen is the entry's (Escape reports false).
func TestEscapeLeavesAWorkingDialogAndTheScreen(t *testing.T) {
	w := chooserWindow(t)
	if Escape(w.Canvas()) {
		t.Error("Escape with no dialog reported one closed")
	}
	d := dialog.NewConfirm("同步", "同步吗？", func(bool) { t.Error("a disabled dismiss answered") }, w)
	d.Show()
	b := escapeButton(w.Canvas().Overlays().Top())
	if b == nil {
		t.Fatal("the confirm dialog has no dismiss button found")
	}
	b.Disable()
	if !Escape(w.Canvas()) {
		t.Error("Escape did not take the key over a working dialog")
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("Esc closed a dialog whose dismiss is disabled")
	}
}
