package kit

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// longForm is a form of 30 fields, one of them multi-line, taller than
// the window.
func longForm() (*fyne.Container, []*widget.Entry) {
	box := container.NewVBox()
	var entries []*widget.Entry
	for i := range 30 {
		e := widget.NewEntry()
		if i == 3 {
			e = widget.NewMultiLineEntry()
		}
		e.SetText(fmt.Sprintf("第 %d 项", i))
		entries = append(entries, e)
		box.Add(widget.NewForm(widget.NewFormItem(fmt.Sprintf("字段 %d", i), e)))
	}
	return box, entries
}

// The wheel over a text field scrolls the form (with a plain VScroll the
// entry's own scroller takes it and the form stays put); taps and typing
// still reach the field.
func TestWheelOverEntryScrollsTheForm(t *testing.T) {
	for _, tc := range []struct {
		name   string
		make   func(fyne.CanvasObject) (fyne.CanvasObject, *container.Scroll)
		scroll bool
	}{
		{"plain VScroll (the defect)", func(o fyne.CanvasObject) (fyne.CanvasObject, *container.Scroll) {
			s := container.NewVScroll(o)
			return s, s
		}, false},
		{"FormScroll", func(o fyne.CanvasObject) (fyne.CanvasObject, *container.Scroll) {
			s := NewFormScroll(o)
			return s, s.Scroll
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form, entries := longForm()
			obj, sc := tc.make(form)
			w := test.NewTempWindow(t, obj)
			w.Resize(fyne.NewSize(500, 400))
			for _, e := range []*widget.Entry{entries[1], entries[3]} { // a single-line and the multi-line field
				sc.Offset = fyne.Position{}
				sc.Refresh()
				at := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(20, 10))
				test.Scroll(w.Canvas(), at, 0, -120)
				if moved := sc.Offset.Y > 0; moved != tc.scroll {
					t.Errorf("wheel over %q: form offset %v, want scrolled %v", e.Text, sc.Offset.Y, tc.scroll)
				}
			}
			sc.Offset = fyne.Position{}
			sc.Refresh()
			tapped := false
			btn := widget.NewButton("保存", func() { tapped = true })
			form.Objects = append([]fyne.CanvasObject{btn}, form.Objects...)
			form.Refresh()
			w.Resize(fyne.NewSize(500, 401))
			test.TapCanvas(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(btn).Add(fyne.NewPos(10, 10)))
			if !tapped {
				t.Error("a click on a button under the wheel catcher did not reach it")
			}
		})
	}
}

// The catcher takes the wheel only: nothing else a pointer does stops at it.
func TestWheelCatcherTakesOnlyTheWheel(t *testing.T) {
	var o any = &wheelCatcher{}
	if _, ok := o.(fyne.Scrollable); !ok {
		t.Fatal("the catcher does not take the wheel")
	}
	for name, ok := range map[string]bool{
		"Tappable": is[fyne.Tappable](o), "DoubleTappable": is[fyne.DoubleTappable](o), "SecondaryTappable": is[fyne.SecondaryTappable](o),
		"Draggable": is[fyne.Draggable](o), "Focusable": is[fyne.Focusable](o), "Hoverable": is[desktop.Hoverable](o),
		"Mouseable": is[desktop.Mouseable](o), "Cursorable": is[desktop.Cursorable](o),
	} {
		if ok {
			t.Errorf("the wheel catcher is %s: it would take that from the fields under it", name)
		}
	}
}

func is[T any](o any) bool { _, ok := o.(T); return ok }
