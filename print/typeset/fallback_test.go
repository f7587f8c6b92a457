package typeset

import (
	"context"
	"encoding/binary"
	"image/color"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"cunjing/print/fonts"
)

// damagedTable is ttf (a single font) with the table tag filled with 0xFF,
// as a damaged disk or a bad download leaves a font in a fonts folder.
func damagedTable(t *testing.T, ttf []byte, tag string) []byte {
	t.Helper()
	d := append([]byte(nil), ttf...)
	if len(d) < 12 || string(d[:4]) == "ttcf" {
		t.Skip("the machine's font is a collection")
	}
	for i, n := 0, int(binary.BigEndian.Uint16(d[4:])); i < n; i++ {
		e := d[12+16*i:]
		if string(e[:4]) == tag {
			off, ln := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
			for j := off; j < off+ln; j++ {
				d[j] = 0xFF
			}
			return d
		}
	}
	t.Skipf("the machine's font has no %s table", tag)
	return nil
}

// TestDamagedFallbackFont: a fallback font whose advances are damaged
// (hmtx all 0xFF) made each character drawn from it about 65 ems wide: a
// householder's name with 㙟 no longer fitted its cell ('does not fit even
// at 10 pt', no resident sheet) or left a gap across the page. A fallback
// glyph whose advance or outline lies outside a character's box is not
// used: the character gets the box of a character no font has.
func TestDamagedFallbackFont(t *testing.T) {
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	for _, tag := range []string{"hmtx", "glyf"} {
		fb, err := sfnt.Parse(damagedTable(t, f.TTF, tag))
		if err != nil {
			continue // refused whole: no fallback, a box
		}
		m, err := NewMetrics(goregular.TTF) // no CJK: 张 comes from the fallback
		if err != nil {
			t.Fatal(err)
		}
		m.Fallbacks(func() []*sfnt.Font { return []*sfnt.Font{fb} })
		const pt = 10.0
		em := pt * PtMM
		if w := m.Width("张", pt); w <= 0 || w > 1.5*em {
			t.Errorf("%s damaged: 张 is %.1f mm wide at %.0f pt (%.1f em)", tag, w, pt, w/em)
		}
		segs, _ := m.Shape('张', pt)
		for _, s := range segs {
			for _, p := range s.P[:1] {
				if p[0] < -0.5*em || p[0] > 1.5*em || p[1] < -1.5*em || p[1] > 0.5*em {
					t.Errorf("%s damaged: 张's outline reaches (%.1f, %.1f) mm from the pen at %.0f pt", tag, p[0], p[1], pt)
				}
			}
		}
	}
}

// TestInvisibleCharactersDrawNothing: text pasted from WeChat or a
// spreadsheet brings characters that are never seen — a tab, a variation
// selector after an emoji (U+FE0F), a left-to-right mark, a soft hyphen.
// The font lacks them, and since characters the font lacks are drawn as a
// box they printed 张□三 in a name (gofpdf's empty .notdef showed a
// gap an em wide before). They take no room and draw nothing.
func TestInvisibleCharactersDrawNothing(t *testing.T) {
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	m, err := NewMetrics(f.TTF)
	if err != nil {
		t.Fatal(err)
	}
	const pt = 10.0
	for _, r := range []rune{'\t', '\r', '\uFE0F', '\u200E', '\u00AD', '\U000E0100'} {
		if m.Has(r) {
			continue
		}
		if w, want := m.Width("张"+string(r)+"三", pt), m.Width("张三", pt); w != want {
			t.Errorf("张%U三 is %.2f mm wide, 张三 %.2f", r, w, want)
		}
		if segs, _ := m.Shape(r, pt); len(segs) != 0 {
			t.Errorf("%U is drawn (%d outline steps): a box in the name", r, len(segs))
		}
	}
}

// TestPDFFallbacksOfItsFont: a PDF draws the characters its font lacks
// from that Font's fallback fonts (here goregular, given in memory, not
// the machine's), and asks for them only when such a character comes:
// text the font has opens nothing.
func TestPDFFallbacksOfItsFont(t *testing.T) {
	cjk, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	f, err := fonts.FromBytes(cjk.Name, cjk.TTF, fonts.WithFallbackFonts(goregular.TTF))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPDF(context.Background(), f, Info{Title: "fallbacks"})
	if err != nil {
		t.Fatal(err)
	}
	p.AddPage(100, 100)
	p.Text(10, 20, 12, color.RGBA{A: 0xff}, false, "张三 Zhang 13800138000")
	if p.M.fallbacksLoaded {
		t.Fatal("fallback fonts loaded for text the font has")
	}
	if p.M.Has('㙟') {
		t.Skip("the machine's font has 㙟")
	}
	p.Text(10, 40, 12, color.RGBA{A: 0xff}, false, "欧阳㙟")
	if !p.M.fallbacksLoaded || len(p.M.fallbacks) != 1 {
		t.Errorf("after 㙟: loaded %v, %d fallback fonts; want the Font's one (goregular)", p.M.fallbacksLoaded, len(p.M.fallbacks))
	}
}
