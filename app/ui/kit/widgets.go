package kit

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit/wrap"
)

// fixedWidth lays its objects over each other at a fixed width, so list
// columns line up whatever their text.
type fixedWidth struct{ w float32 }

func (l fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.w, h)
}

func (l fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func WithWidth(w float32, o fyne.CanvasObject) *fyne.Container {
	return container.New(fixedWidth{w: w}, o)
}

// Dot is a small filled circle (a household's warning colour).
func Dot(c color.Color, size float32) (*canvas.Circle, fyne.CanvasObject) {
	circ := canvas.NewCircle(c)
	return circ, container.NewCenter(container.NewGridWrap(fyne.NewSize(size, size), circ))
}

// Heading is a large bold label.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// TitleHeading is a Heading that wraps: for a title holding what a user
// typed (a name, an address), which may be longer than the screen is
// wide. Put it where it gets the full width (not in an HBox).
func TitleHeading(text string) *widget.Label {
	l := Heading(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Chip is a short word on a tinted rounded background (a category).
func Chip(text string, bg color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(bg)
	r.CornerRadius = 6
	l := widget.NewLabel(text)
	return container.NewStack(r, l)
}

// Tile is a big number over its caption, for 统计.
func Tile(caption string, n int) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.White)
	bg.CornerRadius = 8
	bg.StrokeColor = ColHeader
	bg.StrokeWidth = 2
	num := canvas.NewText(strconv.Itoa(n), ColPrimary)
	num.TextSize = 40
	num.TextStyle = fyne.TextStyle{Bold: true}
	num.Alignment = fyne.TextAlignCenter
	caption2 := widget.NewLabelWithStyle(caption, fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewStack(bg, container.NewPadded(container.NewVBox(num, caption2)))
}

// Field is one "label: value" line of a detail pane; empty values are
// left out by the caller.
func Field(label, val string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{})
	l.Importance = widget.LowImportance
	v := widget.NewLabel(val)
	v.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, WithWidth(110, l), nil, v)
}

// TightVBox stacks objects with no gap: two lines of a list row read as
// one entry, and a short row fits more households on an old 768-line
// screen.
type TightVBox struct{}

func (TightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - 2*theme.Padding()
	}
	s.Height += 2 * theme.Padding()
	return s
}

func (TightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - 2*theme.Padding()
	}
}

// WarningLines shows the sync engine's own sentences (a PC whose clock is
// off, what keeps two devices apart; in Chinese) as warnings, skipping
// empty ones.
func WarningLines(texts []string) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, t := range texts {
		if t == "" {
			continue
		}
		l := widget.NewLabel(t)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		out = append(out, l)
	}
	return out
}

// Wrapped is a label whose text wraps at the words, Chinese punctuation
// kept off a line's head (wrap.Label).
func Wrapped(text string) *wrap.Label {
	return wrap.New(text)
}

// StatusLabel is a message in the low-importance colour, wrapped at the
// words with Chinese punctuation kept off a line's head (Wrapped).
func StatusLabel(text string) *wrap.Label {
	l := Wrapped(text)
	l.Importance = widget.LowImportance
	return l
}

// LowLabel is a note in the low-importance colour (StatusLabel).
func LowLabel(s string) *wrap.Label { return StatusLabel(s) }

// Alert is a message behind the warning sign, in the importance given
// (danger for what is wrong, warning for what to look at).
func Alert(text string, imp widget.Importance) fyne.CanvasObject {
	l := Wrapped(text)
	l.Importance = imp
	return container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, l)
}

// Scroll is o padded in a vertical scroll (a tab's content) whose wheel
// works over its fields too (FormScroll).
func Scroll(o fyne.CanvasObject) fyne.CanvasObject {
	return NewFormScroll(container.NewPadded(o))
}

// WholeSelect holds s no narrower than its longest option needs, for a
// select laid out at its least width (in an HBox, at a Border's side):
// Fyne gives a Select the width of its placeholder (请选择), so a chosen
// 行动不便 or a village 王家庄村 showed as 行动… or 王家… and the officer
// could not see what was chosen.
func WholeSelect(s *widget.Select) *fyne.Container {
	return container.New(wholeSelect{s: s}, s)
}

type wholeSelect struct{ s *widget.Select }

func (l wholeSelect) MinSize([]fyne.CanvasObject) fyne.Size {
	m := l.s.MinSize()
	size := theme.TextSize()
	// What the select adds around its text: its padding and its arrow.
	chrome := m.Width - fyne.MeasureText(l.s.PlaceHolder, size, fyne.TextStyle{}).Width
	for _, o := range l.s.Options {
		m.Width = max(m.Width, fyne.MeasureText(o, size, fyne.TextStyle{}).Width+chrome)
	}
	return m
}

func (l wholeSelect) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixedWidth{}.Layout(objs, size)
}
