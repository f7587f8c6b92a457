package kit

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A status line given a longer text after its screen was laid out is
// laid out whole, wherever it sits: it kept its old height, its words cut
// after a line or two (设置's 备份口令 message, 地理配准's). So is a
// word-wrapped label given its text by SetWrapped or ShowWrapped.
func TestMessageGrowsInPlace(t *testing.T) {
	long := strings.Repeat("这是一条很长的消息，说明出了什么事、该怎么办。", 12)
	for _, c := range []struct {
		name string
		wrap func(m fyne.CanvasObject) fyne.CanvasObject
	}{
		{"in a box", func(m fyne.CanvasObject) fyne.CanvasObject { return container.NewVBox(widget.NewLabel("上面"), m) }},
		{"in a scroll", func(m fyne.CanvasObject) fyne.CanvasObject {
			return container.NewVScroll(container.NewVBox(widget.NewLabel("上面"), m, widget.NewLabel("下面")))
		}},
		{"in a card in a form scroll", func(m fyne.CanvasObject) fyne.CanvasObject {
			return NewFormScroll(container.NewPadded(container.NewVBox(widget.NewCard("备份", "", container.NewVBox(widget.NewLabel("上面"), m)))))
		}},
		{"in tabs and a split", func(m fyne.CanvasObject) fyne.CanvasObject {
			return container.NewAppTabs(container.NewTabItem("一", container.NewHSplit(widget.NewLabel("左"), container.NewVBox(m))))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			test.NewTempApp(t)
			m := NewMessage()
			w := test.NewTempWindow(t, c.wrap(m))
			w.Resize(fyne.NewSize(600, 500))
			for _, set := range []func(){
				func() { m.SetText(long) },
				func() { m.SetText("短") },
				func() { m.SetError(long, errors.New("the cause")) },
			} {
				set()
				if got, want := m.Size().Height, m.MinSize().Height; got < want-0.5 {
					t.Fatalf("the line has %.0f px of the %.0f it needs", got, want)
				}
			}
		})
		t.Run(c.name+", a label", func(t *testing.T) {
			test.NewTempApp(t)
			l := StatusLabel("")
			l.Hide()
			w := test.NewTempWindow(t, c.wrap(l))
			w.Resize(fyne.NewSize(600, 500))
			for _, set := range []func(){
				func() { ShowWrapped(l, "短") },
				func() { ShowWrapped(l, long) },
				func() { SetWrapped(l, "短") },
				func() { SetWrapped(l, long+long) },
			} {
				set()
				if got, want := l.Size().Height, l.MinSize().Height; got < want-0.5 {
					t.Fatalf("the label has %.0f px of the %.0f it needs", got, want)
				}
			}
		})
	}
}

// A wrapped text shown from the start at a border's bottom is given one
// line's height (the border asks its height before giving it its width)
// and Fyne's headless window never lays it out again: 警示牌's 批量 hint
// showed 35 of the 54 px its two lines need. Refit, once the screen is
// laid out, gives it all its lines.
func TestRefitAFirstLayoutsCut(t *testing.T) {
	test.NewTempApp(t)
	l := StatusLabel(strings.Repeat("批量：为每个张贴场所各生成一张，合成一个文件。", 3))
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(400, 300))
	w.SetContent(container.NewBorder(nil, container.NewVBox(l), nil, nil, widget.NewLabel("预览")))
	Refit(l)
	if got, want := l.Size().Height, l.MinSize().Height; got < want-0.5 {
		t.Fatalf("the hint has %.0f px of the %.0f it needs", got, want)
	}
}
