package uitest

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
)

// Texts collects the text of every label, button and card under o, in
// tree order.
func Texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *widget.Label:
			out = append(out, v.Text)
		case *wrap.Label:
			out = append(out, v.Raw())
		case *kit.Message:
			out = append(out, v.Text())
		case *canvas.Text:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *container.Scroll:
			walk(v.Content)
		case *kit.FormScroll:
			walk(v.Scroll.Content)
		case *container.Split:
			walk(v.Leading)
			walk(v.Trailing)
		case *container.AppTabs:
			for _, it := range v.Items {
				out = append(out, it.Text)
				walk(it.Content)
			}
		case *widget.Form:
			for _, it := range v.Items {
				out = append(out, it.Text)
				walk(it.Widget)
			}
		case *widget.RadioGroup:
			out = append(out, v.Options...)
		case *widget.Select:
			out = append(out, v.Selected)
		case *widget.Entry:
			out = append(out, v.Text)
		case *kit.Entry:
			out = append(out, v.Text)
		case *widget.Card:
			out = append(out, v.Title, v.Subtitle)
			if v.Content != nil {
				walk(v.Content)
			}
		}
	}
	walk(o)
	return out
}

// Joined is the text under o, a line each.
func Joined(o fyne.CanvasObject) string { return strings.Join(Texts(o), "\n") }

// Walk visits o and everything under it. A kit.Entry (the forms' fields
// and the search boxes, which pass Ctrl+E on) is visited, then its own
// widget.Entry, the one kit's forms hand out: a test looking for a
// *widget.Entry finds it as it found a plain one (a kit.SelectEntry, its
// widget.SelectEntry).
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch v := o.(type) {
	case *kit.Entry:
		visit(&v.Entry)
	case *kit.SelectEntry:
		visit(&v.SelectEntry)
	}
	for _, c := range kit.Held(o) {
		Walk(c, visit)
	}
}

// FirstCheck is the first check box under o.
func FirstCheck(o fyne.CanvasObject) (*widget.Check, bool) {
	var found *widget.Check
	Walk(o, func(x fyne.CanvasObject) {
		if c, ok := x.(*widget.Check); ok && found == nil {
			found = c
		}
	})
	return found, found != nil
}

// Buttons are the buttons under o, in tree order.
func Buttons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	Walk(o, func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok {
			out = append(out, b)
		}
	})
	return out
}

// FindButton is the first button under o with this text; the test fails
// when there is none.
func FindButton(t testing.TB, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range Buttons(o) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in:\n%s", text, Joined(o))
	return nil
}

// ButtonIn finds a button by its text anywhere under o, through widget
// renderers (dialogs build their buttons inside); nil when there is none.
func ButtonIn(o fyne.CanvasObject, text string) *widget.Button {
	switch v := o.(type) {
	case nil:
		return nil
	case *widget.Button:
		if v.Text == text {
			return v
		}
		return nil
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := ButtonIn(c, text); b != nil {
				return b
			}
		}
		return nil
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			if b := ButtonIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// DialogButton is ButtonIn that fails the test when there is none.
func DialogButton(t testing.TB, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	b := ButtonIn(o, text)
	if b == nil {
		t.Fatalf("no button %q", text)
	}
	return b
}

// WalkRendered visits o and every object drawn under it, as the window
// draws them: containers' objects and every widget's renderer (dialogs,
// accordions, selects' insides), where Walk follows only the declared
// structure. Hidden objects are visited too (visit decides); visit returns
// whether to go below the object. Only what is drawn is visited: a
// kit.Entry, not its own widget.Entry (Walk visits both), so every object
// visited has a place in the window (EntryOf reads a kit.Entry's text).
func WalkRendered(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if o == nil || !visit(o) {
		return
	}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			WalkRendered(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			WalkRendered(c, visit)
		}
	}
}

// Shown is the text a person sees under o, a line each: labels and
// buttons, through widget renderers (dialogs, folds) and leaving out what
// is hidden (a closed 详细信息).
func Shown(o fyne.CanvasObject) string {
	var out []string
	WalkRendered(o, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *wrap.Label:
			out = append(out, v.Raw())
		case *widget.Button:
			out = append(out, v.Text)
		default:
			return true
		}
		return false
	})
	return strings.Join(out, "\n")
}

// WheelScrollsForm turns the mouse wheel over target, a field inside root,
// and reports whether the scroll holding target (the nearest one above
// it in root's tree) moved. The scroll starts at its top.
func WheelScrollsForm(t testing.TB, c fyne.Canvas, root, target fyne.CanvasObject) bool {
	t.Helper()
	var holder *container.Scroll
	findScroll(root, target, nil, &holder)
	if holder == nil {
		t.Fatalf("%T is in no scroll under the root", target)
	}
	holder.ScrollToTop()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(InTree(root, target)).Add(fyne.NewPos(8, 8))
	test.Scroll(c, at, 0, -120)
	return holder.Offset.Y > 0
}

// findScroll sets *holder to the nearest scroll above target under o.
func findScroll(o, target fyne.CanvasObject, inner *container.Scroll, holder **container.Scroll) bool {
	if stands(o, target) {
		*holder = inner
		return true
	}
	if sc, ok := o.(*container.Scroll); ok {
		inner = sc
	}
	for _, c := range kit.Held(o) {
		if findScroll(c, target, inner, holder) {
			return true
		}
	}
	return false
}

// stands reports whether o, an object of a tree, stands for target: it is
// target, or the kit.Entry (kit.SelectEntry) whose own entry target is
// (kit's forms hand out &e.Entry, a *widget.Entry, and put e in the layout).
func stands(o, target fyne.CanvasObject) bool {
	switch e := o.(type) {
	case *kit.Entry:
		return target == o || target == fyne.CanvasObject(&e.Entry)
	case *kit.SelectEntry:
		return target == o || target == fyne.CanvasObject(&e.SelectEntry)
	}
	return o == target
}

// EntryOf is o as an entry: a widget.Entry, a kit.Entry's own, or the
// entry of a select entry (widget's or kit's); nil when it is none.
func EntryOf(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *kit.Entry:
		return &e.Entry
	case *widget.SelectEntry:
		return &e.Entry
	case *kit.SelectEntry:
		return &e.Entry
	}
	return nil
}

// InTree is the object under root that stands for o: o itself, or the
// kit.Entry whose own entry o is (the window finds, focuses and places
// only what is in its tree). It is o when nothing under root stands for it.
func InTree(root, o fyne.CanvasObject) fyne.CanvasObject {
	var found fyne.CanvasObject
	WalkRendered(root, func(x fyne.CanvasObject) bool {
		if found == nil && stands(x, o) {
			found = x
		}
		return found == nil
	})
	if found == nil {
		return o
	}
	return found
}

// Focus gives the cursor to o, a field under the window's content, as a
// click would: to the kit.Entry holding it when o is a kit.Entry's own
// entry. The test fails when the window cannot focus it.
func Focus(t testing.TB, w fyne.Window, o fyne.CanvasObject) {
	t.Helper()
	f, ok := InTree(w.Content(), o).(fyne.Focusable)
	if !ok {
		t.Fatalf("%T cannot take the cursor", o)
	}
	w.Canvas().Focus(f)
	if w.Canvas().Focused() != f {
		t.Fatalf("%T is not in the window: it did not take the cursor", o)
	}
}

// PressShortcut types s as the window's driver does: to the object with
// the cursor when it takes shortcuts, else to the window's canvas.
func PressShortcut(w fyne.Window, s fyne.Shortcut) {
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// PressKey types the key name as the window's driver does: to the object
// with the cursor when there is one, else to the window's canvas (its
// OnTypedKey, as the shell's Esc).
func PressKey(w fyne.Window, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if on := w.Canvas().OnTypedKey(); on != nil {
		on(ev)
	}
}

// CutSelects lists the selects shown under o (laid out, visible, an
// option chosen) too narrow for their chosen option: a select laid out at
// its least width (an HBox, a Border's side) is as wide as its
// placeholder, and a longer option ends in "…" (kit.WholeSelect). What
// an option needs is measured as Fyne sizes a select for its
// placeholder: the placeholder's width swapped for the option's.
func CutSelects(o fyne.CanvasObject) []string {
	var cut []string
	WalkRendered(o, func(x fyne.CanvasObject) bool {
		s, ok := x.(*widget.Select)
		if !ok {
			return x.Visible()
		}
		if !s.Visible() || s.Selected == "" || s.Size().Width == 0 {
			return false
		}
		size := theme.TextSize()
		need := s.MinSize().Width - fyne.MeasureText(s.PlaceHolder, size, fyne.TextStyle{}).Width +
			fyne.MeasureText(s.Selected, size, fyne.TextStyle{}).Width
		if s.Size().Width+0.5 < need {
			cut = append(cut, fmt.Sprintf("%s: %.0f wide, needs %.0f", s.Selected, s.Size().Width, need))
		}
		return false
	})
	return cut
}

// CutWrapped lists the word-wrapped texts shown under o (labels and rich
// texts, through widget renderers) that have less height than their
// lines need: set after their screen was laid out, they kept the height
// of their old text and show only its first lines. Hidden ones and ones
// never laid out (no size) are left out.
func CutWrapped(o fyne.CanvasObject) []string {
	var out []string
	cut := func(x fyne.CanvasObject, text string) {
		if sz, min := x.Size(), x.MinSize(); sz.Width > 0 && sz.Height < min.Height-0.5 {
			if r := []rune(text); len(r) > 40 {
				text = string(r[:40]) + "…"
			}
			out = append(out, fmt.Sprintf("%T %q: %.0f px of the %.0f its lines need", x, text, sz.Height, min.Height))
		}
	}
	WalkRendered(o, func(x fyne.CanvasObject) bool {
		if !x.Visible() {
			return false
		}
		switch v := x.(type) {
		case *widget.Label:
			if wraps(v.Wrapping) {
				cut(v, v.Text)
			}
			return false
		case *wrap.Label:
			cut(v, v.Raw())
			return false
		case *widget.RichText:
			if wraps(v.Wrapping) {
				cut(v, v.String())
			}
			return false
		}
		return true
	})
	return out
}

func wraps(w fyne.TextWrap) bool { return w == fyne.TextWrapWord || w == fyne.TextWrapBreak }
