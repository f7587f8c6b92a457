package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// Every screen of the post's and the station's window opens in the
// largest window a 1366×768 screen shows whole (kit.MaxWindow) with
// nothing cut off: the window's content needs no more than the window,
// and every visible object outside a scroll lies inside it (a scroll may
// hold more than it shows: that is what it is for).
func TestEveryScreenFitsA1366x768Screen(t *testing.T) {
	_, stn, _ := stationWithPost(t)
	for _, tc := range []struct {
		role string
		st   func(t *testing.T) *store.Store
	}{
		{store.RolePost, func(t *testing.T) *store.Store { return uitest.Fixture(t, 0) }},
		{store.RoleStation, func(*testing.T) *store.Store { return stn }},
	} {
		t.Run(tc.role, func(t *testing.T) {
			u, w := newTestUI(t, tc.st(t))
			w.Resize(kit.MaxWindow)
			areas := append(AreasFor(tc.role), AreaEmergency)
			for _, a := range areas {
				u.Show(a)
				u.Wait()
				w.Resize(kit.MaxWindow)
				content := w.Content()
				if min := content.MinSize(); min.Width > kit.MaxWindow.Width || min.Height > kit.MaxWindow.Height {
					t.Errorf("%s: needs %v, more than the %v a 1366×768 screen shows", a, min, kit.MaxWindow)
				}
				for _, c := range clipped(w, content) {
					t.Errorf("%s: %s", a, c)
				}
				for _, c := range uitest.CutWrapped(content) {
					t.Errorf("%s: %s", a, c)
				}
				for _, sel := range englishSelects(content) {
					t.Errorf("%s: a select's empty state says %q (Fyne's own English): make it with kit.NewSelect", a, sel)
				}
			}
		})
	}
}

// clipped lists the visible objects outside any scroll that reach past
// the window's canvas.
func clipped(w fyne.Window, root fyne.CanvasObject) []string {
	size := w.Canvas().Size()
	d := fyne.CurrentApp().Driver()
	var out []string
	uitest.WalkRendered(root, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if _, ok := o.(*container.Scroll); ok {
			return false // a scroll shows part of its content by design
		}
		if o.Size().Width > 0 && o.Size().Height > 0 {
			pos := d.AbsolutePositionForObject(o)
			end := pos.Add(o.Size())
			const slack = 1 // rounding of float layouts
			if pos.X < -slack || pos.Y < -slack || end.X > size.Width+slack || end.Y > size.Height+slack {
				out = append(out, fmt.Sprintf("%T %q at %v size %v reaches past the %v window", o, textOf(o), pos, o.Size(), size))
				return false // its children are cut off with it
			}
		}
		return true
	})
	return out
}

func textOf(o fyne.CanvasObject) string {
	switch v := o.(type) {
	case *widget.Label:
		return v.Text
	case *widget.Button:
		return v.Text
	}
	return ""
}

// englishSelects lists the placeholders of selects that would show
// Fyne's own "(Select one)" while nothing is chosen.
func englishSelects(root fyne.CanvasObject) []string {
	var out []string
	uitest.WalkRendered(root, func(o fyne.CanvasObject) bool {
		if v, ok := o.(*widget.Select); ok && (v.PlaceHolder == "" || strings.Contains(v.PlaceHolder, "Select")) {
			out = append(out, v.PlaceHolder)
		}
		return true
	})
	return out
}
