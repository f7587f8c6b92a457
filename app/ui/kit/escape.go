package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Escape closes the dialog on top of canvas c as its own safe button
// would — 取消, 关闭, or 确定 when that is its only one: the button a
// Fyne dialog puts first in its row (its dismiss), or what a dialog
// without a row named with EscapeTo — and reports whether c had such a
// dialog on top (a disabled button, as while its work runs, counts: the
// key is used, nothing closes). Fyne's dialogs take no keys, so without
// it a dialog could be closed only with the mouse; the shell calls it for
// Esc on the window, and Entry and SelectEntry for Esc typed in them.
func Escape(c fyne.Canvas) bool {
	if c == nil {
		return false
	}
	top := c.Overlays().Top()
	if h := escapeHolderOf(top); h != nil {
		h.cancel()
		return true
	}
	b := escapeButton(top)
	if b == nil {
		return false
	}
	if !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
	return true
}

// EscapeTo is content for a dialog without a button row
// (dialog.NewCustomWithoutButtons) whose Esc runs cancel: what its own
// 取消 among its content does.
func EscapeTo(content fyne.CanvasObject, cancel func()) fyne.CanvasObject {
	h := &escapeHolder{content: content, cancel: cancel}
	h.ExtendBaseWidget(h)
	return h
}

type escapeHolder struct {
	widget.BaseWidget
	content fyne.CanvasObject
	cancel  func()
}

// HeldObjects names the content (kit.Holder).
func (h *escapeHolder) HeldObjects() []fyne.CanvasObject { return []fyne.CanvasObject{h.content} }

func (h *escapeHolder) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(h.content)
}

// dialogParts are the objects of a Fyne dialog shown as the overlay
// top: its popup holds one container laid out by the dialog, whose
// objects are its icon, background, content, button row and title
// (fyne/v2/dialog's create); nil for any other overlay.
func dialogParts(top fyne.CanvasObject) []fyne.CanvasObject {
	p, ok := top.(*widget.PopUp)
	if !ok || p.Content == nil {
		return nil
	}
	box, ok := p.Content.(*fyne.Container)
	if !ok || len(box.Objects) != 5 {
		return nil
	}
	return box.Objects
}

// escapeHolderOf is the EscapeTo content of the dialog top, if it is one.
func escapeHolderOf(top fyne.CanvasObject) *escapeHolder {
	parts := dialogParts(top)
	if parts == nil {
		return nil
	}
	h, _ := parts[2].(*escapeHolder)
	if h == nil || h.cancel == nil {
		return nil
	}
	return h
}

// escapeButton is the button Esc taps on the dialog top: its dismiss,
// first in its button row.
func escapeButton(top fyne.CanvasObject) *widget.Button {
	parts := dialogParts(top)
	if parts == nil {
		return nil
	}
	row, ok := parts[3].(*fyne.Container)
	if !ok {
		return nil
	}
	for _, o := range row.Objects {
		if b, ok := o.(*widget.Button); ok {
			return b
		}
	}
	return nil
}
