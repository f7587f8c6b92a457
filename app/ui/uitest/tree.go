package uitest

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
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

// Walk visits o and everything under it.
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			Walk(c, visit)
		}
	case *container.Scroll:
		Walk(v.Content, visit)
	case *kit.FormScroll:
		Walk(v.Scroll, visit)
	case *container.Split:
		Walk(v.Leading, visit)
		Walk(v.Trailing, visit)
	case *container.AppTabs:
		for _, it := range v.Items {
			Walk(it.Content, visit)
		}
	case *widget.Form:
		for _, it := range v.Items {
			Walk(it.Widget, visit)
		}
	case *widget.Card:
		if v.Content != nil {
			Walk(v.Content, visit)
		}
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
// whether to go below the object.
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
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(target).Add(fyne.NewPos(8, 8))
	test.Scroll(c, at, 0, -120)
	return holder.Offset.Y > 0
}

// findScroll sets *holder to the nearest scroll above target under o.
func findScroll(o, target fyne.CanvasObject, inner *container.Scroll, holder **container.Scroll) bool {
	if o == target {
		*holder = inner
		return true
	}
	if sc, ok := o.(*container.Scroll); ok {
		inner = sc
	}
	for _, c := range children(o) {
		if findScroll(c, target, inner, holder) {
			return true
		}
	}
	return false
}

// children are o's direct children as Walk sees them.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch v := o.(type) {
	case *fyne.Container:
		return v.Objects
	case *container.Scroll:
		return []fyne.CanvasObject{v.Content}
	case *kit.FormScroll:
		return []fyne.CanvasObject{v.Scroll}
	case *container.Split:
		return []fyne.CanvasObject{v.Leading, v.Trailing}
	case *container.AppTabs:
		var out []fyne.CanvasObject
		for _, it := range v.Items {
			out = append(out, it.Content)
		}
		return out
	case *widget.Form:
		var out []fyne.CanvasObject
		for _, it := range v.Items {
			out = append(out, it.Widget)
		}
		return out
	case *widget.Card:
		if v.Content != nil {
			return []fyne.CanvasObject{v.Content}
		}
	}
	return nil
}
