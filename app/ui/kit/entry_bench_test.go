package kit

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// A key typed at the end of a multi-line entry holding n characters of
// Chinese prose (no newline: a notice's paragraph), word-wrapped or
// clipped, in a 600 px wide window. Fyne lays a wrapped entry's whole
// text out again at every key (docs/BENCHMARKS.md).
func BenchmarkMultiLineEntryKey(b *testing.B) {
	para := strings.Repeat("各村请于本周内完成对独居老人和留守儿童的走访，发现异常及时上报。", 200)
	for _, c := range []struct {
		wrap fyne.TextWrap
		n    int
	}{
		{fyne.TextWrap(fyne.TextTruncateClip), 4000},
		{fyne.TextWrapWord, 500},
		{fyne.TextWrapWord, 1000},
		{fyne.TextWrapWord, 2000},
		{fyne.TextWrapWord, 4000},
	} {
		name := fmt.Sprintf("wrap=%d/n=%d", c.wrap, c.n)
		b.Run(name, func(b *testing.B) {
			test.NewTempApp(b)
			e := NewMultiLineEntry()
			e.Wrapping = c.wrap
			e.SetText(string([]rune(para)[:c.n]))
			w := test.NewTempWindow(b, e)
			w.Resize(fyne.NewSize(600, 400))
			w.Canvas().Focus(e)
			e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.TypedRune('字')
			}
		})
	}
}
