package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Relaid runs change, which gives o — a word-wrapped text on a screen
// laid out already — new content (a longer text, or shows it), and lays
// o's holders out again when o now needs more height than it was given
// (relayout). Every word-wrapped text set after its screen was laid out
// goes through it: kit.Message, SetWrapped, ShowWrapped.
func Relaid(o fyne.CanvasObject, change func()) {
	change()
	if o.Visible() && o.MinSize().Height > o.Size().Height+0.5 {
		relayout(o)
	}
}

// SetWrapped gives l, a word-wrapped label (a status line, a note under a
// field) whose screen was laid out already, a new text, laid out whole
// (Relaid): with l.SetText, the words past the lines its old text had
// were cut off.
func SetWrapped(l TextSetter, text string) {
	Relaid(l, func() { l.SetText(text) })
}

// TextSetter is a label: a widget.Label, or a wrap.Label (Wrapped).
type TextSetter interface {
	fyne.CanvasObject
	SetText(string)
}

// Refit lays o's holders out again when o, a word-wrapped text shown from
// the start, needs more height than its first layout gave it: a holder
// that asks its children's heights before it gives them their width (a
// border's top or bottom) gets one line's for a text that wraps into more
// once it has its width, and the headless window never lays it out again
// (the real one, not on a frame where something else grew). Call it once
// the screen was laid out (a load's result).
func Refit(o fyne.CanvasObject) { Relaid(o, func() {}) }

// ShowWrapped is SetWrapped that also shows l, or hides it when text is
// "" (a field's error, a hint shown only when there is something to say).
func ShowWrapped(l TextSetter, text string) {
	Relaid(l, func() {
		l.SetText(text)
		if text == "" {
			l.Hide()
		} else {
			l.Show()
		}
	})
}

// relayout lays out again everything that holds o, from o's parent up to
// the window's content, once o's minimum size has changed after it was
// laid out. Fyne's headless test driver never does; the real window's
// does on its next frame (the parent of a grown object is laid out again,
// then its parent if that grew), but keeps one such parent a frame: when
// another object further on in the window grew too (a list's row), only
// that one's parent is laid out, and the text stays in the height of its
// old one, drawn over what lies below it (seen under Xvfb with Fyne
// 2.7.1). Holders are found by Held; one it cannot look into (a custom
// widget) ends the path there, and nothing changes.
func relayout(o fyne.CanvasObject) {
	app := fyne.CurrentApp()
	if app == nil {
		return
	}
	c := app.Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	roots := append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
	for _, r := range roots {
		if path := pathTo(r, o); path != nil {
			for i := len(path) - 2; i >= 0; i-- { // the holders, innermost first
				path[i].Refresh()
			}
			return
		}
	}
}

// pathTo is the chain of objects from root down to o (both included), or
// nil when o is not under root (as far as public fields show).
func pathTo(root, o fyne.CanvasObject) []fyne.CanvasObject {
	if root == nil {
		return nil
	}
	if root == o {
		return []fyne.CanvasObject{root}
	}
	for _, k := range Held(root) {
		if p := pathTo(k, o); p != nil {
			return append([]fyne.CanvasObject{root}, p...)
		}
	}
	return nil
}

// Holder is a widget of our own whose renderer draws objects it holds
// (the shell's root round every screen, EscapeTo's content): it names
// them, so Held goes on through it — a path from the window's root
// stopped at the shell's, and neither a grown text's holders were laid
// out again (Relaid) nor a form's scroll found (RevealProblem).
type Holder interface{ HeldObjects() []fyne.CanvasObject }

// Held are the objects o holds, as their public fields show: a
// container's objects, a scroll's (and kit's FormScroll's) content, a
// card's, a split's two sides, every tab's content, a form's widgets, a
// Holder's.
// Nothing for any other widget (its parts are its renderer's). relayout
// finds a status line's holders by it; the tests' tree walks (uitest)
// walk by it.
func Held(o fyne.CanvasObject) []fyne.CanvasObject {
	switch c := o.(type) {
	case *fyne.Container:
		return c.Objects
	case *container.Scroll:
		return []fyne.CanvasObject{c.Content}
	case *FormScroll:
		return []fyne.CanvasObject{c.Scroll}
	case *widget.Card:
		if c.Content != nil {
			return []fyne.CanvasObject{c.Content}
		}
	case *container.Split:
		return []fyne.CanvasObject{c.Leading, c.Trailing}
	case *container.AppTabs:
		out := make([]fyne.CanvasObject, 0, len(c.Items))
		for _, it := range c.Items {
			out = append(out, it.Content)
		}
		return out
	case Holder:
		return c.HeldObjects()
	case *widget.Form:
		out := make([]fyne.CanvasObject, 0, len(c.Items))
		for _, it := range c.Items {
			out = append(out, it.Widget)
		}
		return out
	}
	return nil
}
