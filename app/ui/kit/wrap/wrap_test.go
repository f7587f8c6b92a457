package wrap

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// every rune one unit wide
func mono(s []rune) float32 { return float32(len(s)) }

func TestFix(t *testing.T) {
	cases := []struct {
		name, text string
		width      float32
		want       string
	}{
		{"fits", "先点画房屋，再点地图。", 20, "先点画房屋，再点地图。"},
		{"no punctuation at the break", "一二三四五六七八九十", 4, "一二三四五六七八九十"},
		{"comma would lead", "一二三四，五六七八", 4, "一二三\n四，五六七八"},
		{"closing quote would lead", "先点“画房屋”“画巷道”等", 11, "先点“画房屋”“画巷\n道”等"},
		{"full stop and quote", "他说好。”然后", 3, "他说\n好。”然后"},
		{"opening bracket would end", "一二三（四五）", 4, "一二三\n（四五）"},
		{"a space breaks as Fyne does", "Esc 取消，Delete 删除", 8, "Esc 取消，Delete 删除"},
		{"every paragraph", "一二三四，五\n一二三四。", 4, "一二三\n四，五\n一二三\n四。"},
		{"punctuation only", "，，，，，，", 2, "，，，，，，"},
	}
	for _, c := range cases {
		if got := Fix(c.text, c.width, mono); got != c.want {
			t.Errorf("%s: Fix(%q, %v) = %q, want %q", c.name, c.text, c.width, got, c.want)
		}
	}
}

func TestFixList(t *testing.T) {
	cases := []struct {
		text  string
		width float32
		want  string
	}{
		{"李国强、胡宇航、周宇航、陈静", 20, "李国强、胡宇航、周宇航、陈静"},
		{"李国强、胡宇航、周宇航、陈静", 6, "李国强、\n胡宇航、\n周宇航、陈静"},
		{"李国强、胡宇航、周宇航、陈静", 8, "李国强、胡宇航、周宇航、陈静"}, // Fyne breaks after 、 itself
		{"李国强、胡宇航、周宇航、陈静", 10, "李国强、胡宇航、\n周宇航、陈静"},
		{"欧阳一二三四五六、王", 4, "欧阳一二三四五\n六、王"}, // an item longer than a line: Fyne's breaks, and 、 not at a line's head
	}
	for _, c := range cases {
		if got := FixList(c.text, '、', c.width, mono); got != c.want {
			t.Errorf("FixList(%q, %v) = %q, want %q", c.text, c.width, got, c.want)
		}
	}
}

// In a window, no shown line of a wrapped hint starts with punctuation
// (the map's 怎么用 read "“画巷道 / ”等"), and the text given is kept.
func TestLabelNoPunctuationAtLineHead(t *testing.T) {
	test.NewTempApp(t)
	text := "画地图：先点上面的“画房屋”“画巷道”等，再在地图上点。选中的东西可以拖动，拖角上的小方块可以改形状。"
	for w := float32(80); w <= 400; w += 7 {
		l := New(text)
		win := test.NewTempWindow(t, l)
		win.Resize(fyne.NewSize(w, 400))
		l.Resize(fyne.NewSize(w, l.MinSize().Height))
		if l.Raw() != text || strings.ReplaceAll(l.Text, "\n", "") != text {
			t.Fatalf("width %.0f: text %q", w, l.Text)
		}
		for _, line := range shownLines(t, l) {
			if r := []rune(line); len(r) > 0 && strings.ContainsRune(noHead, r[0]) {
				t.Errorf("width %.0f: a line starts with %q: %q", w, string(r[0]), line)
			}
		}
		l.SetText("短。")
		if l.Text != "短。" || l.Raw() != "短。" {
			t.Errorf("SetText: %q", l.Text)
		}
	}
}

// shownLines are the rows Fyne draws for l.
func shownLines(t *testing.T, l *Label) []string {
	t.Helper()
	var lines []string
	r := test.WidgetRenderer(l)
	for _, o := range r.Objects() {
		rt, ok := o.(*widget.RichText)
		if !ok {
			continue
		}
		for _, row := range test.WidgetRenderer(rt).Objects() {
			if txt, ok := row.(*canvas.Text); ok {
				lines = append(lines, txt.Text)
			}
		}
	}
	if len(lines) == 0 {
		t.Fatal("no rows found")
	}
	return lines
}
