package typeset

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// IsMark reports whether r is a combining mark: it draws over the
// character before it (é typed as e and U+0301, a Pinyin tone mark typed
// after its vowel) and takes no advance of its own.
func IsMark(r rune) bool {
	if r < 0x300 || r >= 0x3400 && r <= 0x9FFF {
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Me)
}

// needsCompose reports whether s has a combining mark, or a Latin letter
// with its accent (ǘ) that no font shows.
func (m *Metrics) needsCompose(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < 0xC3 { // every rune below U+00C0: ASCII, Latin-1 signs
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if IsMark(r) || accented(r) && !m.shows(string(r)) {
			return true
		}
		i += n
	}
	return false
}

// accented reports whether r is in the blocks of Latin letters with
// accents (Latin-1 to Latin Extended-B, Latin Extended Additional).
func accented(r rune) bool {
	return r >= 0xC0 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF
}

// Compose is s as it is set: each character followed by combining marks
// becomes the precomposed character where Unicode has one and a font
// shows it (NFC: e + U+0301 → é, a + U+0304 → ā), composed as far as the
// fonts allow (u + U+0308 + U+0301 → ǘ, else ü + U+0301); marks left over
// stay, each drawn over the character before it with no advance. A
// precomposed letter no font shows (wqy-microhei's ǘ and ǚ are blank) is
// taken apart and composed the same way. Text that needs none of this
// comes back as it is, at the cost of one scan.
func (m *Metrics) Compose(s string) string {
	if !m.needsCompose(s) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && IsMark(rs[j]) {
			j++
		}
		c := rs[i:j]
		if accented(c[0]) && !m.shows(string(c[0])) {
			c = append([]rune(norm.NFD.String(string(c[0]))), c[1:]...)
		}
		b.WriteString(m.composeCluster(c))
		i = j
	}
	return b.String()
}

// composeCluster composes a character and the marks after it: as many of
// the marks as give characters some font shows, the rest left as marks.
func (m *Metrics) composeCluster(c []rune) string {
	if len(c) == 1 {
		return string(c)
	}
	for k := len(c); k > 1; k-- {
		head := norm.NFC.String(string(c[:k]))
		if m.shows(head) {
			return head + string(c[k:])
		}
	}
	return string(c)
}

// shows reports whether a font, the embedded one or a fallback, has every
// character of s that is not a mark (a mark no font has is left out).
func (m *Metrics) shows(s string) bool {
	for _, r := range s {
		if IsMark(r) {
			continue
		}
		if _, _, ok := m.source(r); !ok {
			return false
		}
	}
	return true
}

// markGap is the paper left between a mark stacked over another accent
// and that accent, in ems.
const markGap = 0.04

// Rise is how far (mm at pt) the combining mark at byte i of s (as
// Compose leaves it) is drawn above its place. A mark is drawn from a
// fallback font where it sits over a plain lowercase letter, so on a
// letter that already carries an accent (ê and U+0304, which Unicode
// has no precomposed form for; ü and U+030C where ǚ shows blank) or on a
// tall one it was drawn over that accent or letter: ê̄'s macron crossed
// the circumflex. A mark above the letter (its ink starting higher than
// a quarter em) is raised until its ink clears the ink of the letter and
// of the marks drawn on it before it by markGap; marks below, and marks
// that clear already, stay where the font puts them.
func (m *Metrics) Rise(s string, i int, pt float64) float64 {
	if i <= 0 || i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	if !IsMark(r) {
		return 0
	}
	// The cluster's base: the last character before i that is no mark.
	b := i
	for b > 0 {
		c, n := utf8.DecodeLastRuneInString(s[:b])
		b -= n
		if !IsMark(c) {
			break
		}
	}
	base, n := utf8.DecodeRuneInString(s[b:])
	top, _, ok := m.inkAnyEm(base)
	if !ok {
		return 0
	}
	rise := 0.0
	for j := b + n; j <= i; {
		c, k := utf8.DecodeRuneInString(s[j:])
		up, down, ok := m.inkAnyEm(c)
		rise = 0
		if ok && -down > 0.25 { // ink starting above a quarter em: a mark above
			rise = max(0, top+markGap+down)
			top = up + rise
		}
		j += k
	}
	return rise * pt * PtMM
}

// inkAnyEm is how far r's ink reaches above (up) and below (down) the
// baseline in ems, from the font it is drawn from (the main font or a
// fallback); down is negative for ink wholly above the baseline.
func (m *Metrics) inkAnyEm(r rune) (up, down float64, ok bool) {
	f, g, ok := m.source(r)
	if !ok {
		return 0, 0, false
	}
	upem := fixed.I(int(f.UnitsPerEm()))
	b, _, err := f.GlyphBounds(&m.buf, g, upem, font.HintingNone)
	if err != nil || b.Max.Y <= b.Min.Y {
		return 0, 0, false
	}
	u := float64(upem)
	return -float64(b.Min.Y) / u, float64(b.Max.Y) / u, true
}
