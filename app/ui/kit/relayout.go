package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// relayout lays out again everything that holds o, from o's parent up to
// the window's content, once o's minimum size has changed after it was
// laid out. Fyne lays a container out when its own size changes or it is
// refreshed, not when a child grows: a wrapped status line given a longer
// text after its screen was laid out kept the height of its old text, its
// words cut after one or two lines (设置's 备份口令 and restore messages,
// 地理配准's). Holders are found by Held; one it cannot look into (a
// custom widget) ends the path there, and nothing changes.
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

// Held are the objects o holds, as their public fields show: a
// container's objects, a scroll's (and kit's FormScroll's) content, a
// card's, a split's two sides, every tab's content, a form's widgets.
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
	case *widget.Form:
		out := make([]fyne.CanvasObject, 0, len(c.Items))
		for _, it := range c.Items {
			out = append(out, it.Widget)
		}
		return out
	}
	return nil
}
