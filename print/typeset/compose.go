package typeset

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
