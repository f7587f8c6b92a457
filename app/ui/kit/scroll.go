package kit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// FormScroll is a vertical scroll for long forms and panels whose mouse
// wheel scrolls the form wherever the pointer is — over a text field too.
//
// Fyne gives a wheel event to the last scrollable object under the pointer
// in its tree walk, and every Entry holds a scroller of its own (a single
// line one too, since text is clipped by scrolling): over an entry the
// wheel went to the entry, which had nothing to scroll, and the form
// stopped (fyne-io/fyne#1939; the maintainers' answer, PR #1994, is to
// have no scroller in the entry, which would make long text widen the
// form). Here a transparent catcher lies over the scroll, after it in
// the tree, so it is the last scrollable found and hands the wheel to the
// form's scroll. It is neither tappable, hoverable nor draggable, so taps,
// typing, cursors and drags still reach the fields under it.
type FormScroll struct {
	widget.BaseWidget
	Scroll *container.Scroll
	wheel  *wheelCatcher
}

// NewFormScroll scrolls content vertically, the wheel working over every
// field.
func NewFormScroll(content fyne.CanvasObject) *FormScroll {
	s := &FormScroll{Scroll: container.NewVScroll(content)}
	s.wheel = &wheelCatcher{to: s.Scroll}
	s.wheel.ExtendBaseWidget(s.wheel)
	s.ExtendBaseWidget(s)
	return s
}

// ScrollToTop shows the top of the content.
func (s *FormScroll) ScrollToTop() { s.Scroll.ScrollToTop() }

func (s *FormScroll) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(s.Scroll, s.wheel))
}

// wheelCatcher passes wheel events to a scroll.
type wheelCatcher struct {
	widget.BaseWidget
	to *container.Scroll
}

func (w *wheelCatcher) Scrolled(ev *fyne.ScrollEvent) { w.to.Scrolled(ev) }

func (w *wheelCatcher) MinSize() fyne.Size { return fyne.Size{} }

func (w *wheelCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
