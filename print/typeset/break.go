package typeset

import (
	"strings"
	"unicode"
)

// Line-breaking classes (simplified from GB/T 15834 practice and UAX #14).
const (
	// NoLineStart is closing punctuation: it never starts a line; it goes
	// down with the character before it.
	NoLineStart = "，。、；：？！）》」』”’〕】〗〙〉｝］．…‥·％‰℃°ー" + ",.;:?!)]}%"
	// NoLineEnd is opening punctuation and currency signs: they never end
	// a line; they go down with what follows.
	NoLineEnd = "（《「『“‘〔【〖〘〈｛［" + "([{" + "¥￥$£€"
	// WordJoiner (U+2060) in a text forbids a break where it stands; it is
	// not printed. Lists of names join each name's characters with it.
	WordJoiner = '\u2060'
)

var (
	startSet = runeSet(NoLineStart)
	endSet   = runeSet(NoLineEnd)
)

func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

func noStart(r rune) bool { return startSet[r] }
func noEnd(r rune) bool   { return endSet[r] }

// units that stay on the line with the number before them (5日, 500元,
// 24小时, 3.5米); the longest match wins.
var numberUnits = []string{
	"平方米", "万元", "小时", "分钟", "公里", "千米", "厘米", "毫米", "公斤", "千克", "周岁",
	"元", "角", "分", "秒", "时", "日", "天", "周", "月", "年", "岁", "人", "次", "个", "号", "户",
	"条", "米", "亩", "斤", "克", "吨", "万", "亿", "倍", "层", "楼", "栋", "室", "组", "队", "台",
	"辆", "件", "张", "页", "㎡", "℃",
}

// Join returns s with a word joiner between its characters, so Break keeps
// it on one line (a person's name in a list) unless it alone is wider than
// the line.
func Join(s string) string {
	rs := []rune(s)
	if len(rs) < 2 {
		return s
	}
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteRune(WordJoiner)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// StripJoiners removes word joiners (what Break prints).
func StripJoiners(s string) string {
	if !strings.ContainsRune(s, WordJoiner) {
		return s
	}
	return strings.ReplaceAll(s, string(WordJoiner), "")
}

type atomKind uint8

const (
	aWord atomKind = iota // a Latin word or number (with its unit)
	aCJK                  // one ideograph or other character set solid
	aClose
	aOpen
	aSpace
	aNewline
	aJoin
)

type atom struct {
	s    string
	kind atomKind
	word bool // an ideograph inside a word with the one before (words.go)
}

func isSpace(r rune) bool { return r != '\n' && r != 0xA0 && unicode.IsSpace(r) }

// isWordRune: letters, digits and the connectors inside numbers and Latin
// words (0371-12345678, 5–10, a@b.cn). Fullwidth digits and letters count
// too. The full stop, comma and colon belong to a word only between two
// word runes (3.5, 07:00, 1,000); elsewhere they are closing punctuation.
func isWordRune(r rune) bool {
	switch {
	case r == '\n' || isSpace(r) || r == WordJoiner:
		return false
	case noStart(r), noEnd(r):
		return false
	case r >= 0xFF10 && r <= 0xFF19, r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A:
		return true
	}
	return r < 0x2E80
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= 0xFF10 && r <= 0xFF19 }

// atoms splits text into the pieces line breaking works with.
func atoms(text string) []atom {
	rs := []rune(text)
	out := make([]atom, 0, len(rs))
	inword := inWord(rs)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\n':
			out = append(out, atom{s: "\n", kind: aNewline})
			i++
		case r == WordJoiner:
			out = append(out, atom{kind: aJoin})
			i++
		case isSpace(r):
			j := i
			for j < len(rs) && isSpace(rs[j]) {
				j++
			}
			out = append(out, atom{s: string(rs[i:j]), kind: aSpace})
			i = j
		case isWordRune(r):
			j := i + 1
			for j < len(rs) {
				if isWordRune(rs[j]) {
					j++
				} else if j+1 < len(rs) && strings.ContainsRune(".,:", rs[j]) && isWordRune(rs[j+1]) {
					j += 2
				} else {
					break
				}
			}
			if isDigit(rs[j-1]) {
				j += unitAt(rs[j:])
			}
			out = append(out, atom{s: string(rs[i:j]), kind: aWord})
			i = j
		case noStart(r):
			out = append(out, atom{s: string(r), kind: aClose})
			i++
		case noEnd(r):
			out = append(out, atom{s: string(r), kind: aOpen})
			i++
		default:
			out = append(out, atom{string(r), aCJK, inword != nil && inword[i]})
			i++
		}
	}
	return out
}

// unitAt is the length in runes of the unit word at the start of rs.
func unitAt(rs []rune) int {
	best := 0
	for _, u := range numberUnits {
		n := len([]rune(u))
		if n > best && n <= len(rs) && string(rs[:n]) == u {
			best = n
		}
	}
	return best
}

type unitKind uint8

const (
	uText unitKind = iota
	uSpace
	uNewline
)

// unit is an unbreakable piece of a line, or a space run, or a newline.
// A text unit that holds a word (words.go) keeps its pieces as they were
// without it: a word is kept on one line only when it fits on one.
type unit struct {
	s     string
	kind  unitKind
	parts []string // nil: s is one piece
}

// add glues s to u so the two never part.
func (u *unit) add(s string) {
	u.s += s
	if n := len(u.parts); n > 0 {
		u.parts[n-1] += s
	}
}

// addWord glues s to u as the next character of a word.
func (u *unit) addWord(s string) {
	if u.parts == nil {
		u.parts = []string{u.s}
	}
	u.parts = append(u.parts, s)
	u.s += s
}

// split is u as the units it was made of, for a word wider than a line.
func (u unit) split() []unit {
	out := make([]unit, len(u.parts))
	for i, p := range u.parts {
		out[i] = unit{s: p, kind: uText}
	}
	return out
}

// units glues atoms into unbreakable units: closing punctuation to what
// precedes it (across spaces), opening punctuation and joined characters
// to what follows, the characters of a word to each other.
func units(text string) []unit {
	var out []unit
	glueNext := false
	lastText := func() int { // index of the last text unit before trailing spaces, -1 if none in this paragraph
		for k := len(out) - 1; k >= 0; k-- {
			switch out[k].kind {
			case uText:
				return k
			case uNewline:
				return -1
			}
		}
		return -1
	}
	for _, a := range atoms(text) {
		switch a.kind {
		case aNewline:
			out = append(out, unit{s: "\n", kind: uNewline})
			glueNext = false
		case aJoin:
			if n := len(out); n > 0 && out[n-1].kind == uText {
				glueNext = true
			}
		case aSpace:
			if glueNext {
				out[len(out)-1].add(a.s)
				continue
			}
			out = append(out, unit{s: a.s, kind: uSpace})
		case aClose:
			if k := lastText(); k >= 0 {
				u := out[k]
				for _, sp := range out[k+1:] {
					u.add(sp.s)
				}
				u.add(a.s)
				out = append(out[:k], u)
				continue
			}
			out = append(out, unit{s: a.s, kind: uText})
			glueNext = false
		case aOpen:
			if glueNext {
				out[len(out)-1].add(a.s)
			} else {
				out = append(out, unit{s: a.s, kind: uText})
			}
			glueNext = true
		default:
			n := len(out)
			switch {
			case glueNext:
				out[n-1].add(a.s)
			case a.word && n > 0 && out[n-1].kind == uText:
				out[n-1].addWord(a.s)
			default:
				out = append(out, unit{s: a.s, kind: uText})
			}
			glueNext = false
		}
	}
	return out
}

// Measurer gives the advance width of a string at a size, in millimetres.
type Measurer interface {
	Width(s string, pt float64) float64
}

// Breaker is a Measurer that breaks lines itself, typically through a
// Cache (a batch of 900 boards breaks the same texts at the same sizes
// again and again). Fit uses it when the Measurer has it.
type Breaker interface {
	Measurer
	Break(text string, pt, w float64) ([]string, bool)
}

// Cache remembers Break's results for one Measurer.
type Cache struct {
	m map[cacheKey]cacheVal
}

type cacheKey struct {
	text  string
	pt, w float64
}

type cacheVal struct {
	lines []string
	ok    bool
}

// maxCached bounds a Cache; past it, it starts again.
const maxCached = 1 << 16

// Break is Break(m, text, pt, w), remembered. The lines returned are
// shared: callers must not change them.
func (c *Cache) Break(m Measurer, text string, pt, w float64) ([]string, bool) {
	k := cacheKey{text, pt, w}
	if v, ok := c.m[k]; ok {
		return v.lines, v.ok
	}
	lines, ok := Break(m, text, pt, w)
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[cacheKey]cacheVal{}
	}
	c.m[k] = cacheVal{lines, ok}
	return lines, ok
}

// breakWith breaks through m's own Break when it has one.
func breakWith(m Measurer, text string, pt, w float64) ([]string, bool) {
	if b, ok := m.(Breaker); ok {
		return b.Break(text, pt, w)
	}
	return Break(m, text, pt, w)
}

// Break lays text out in lines no wider than w millimetres at pt points.
// Spaces where a line breaks are dropped, word joiners are removed, "\n"
// forces a break; every other character comes out once, in order. ok is
// false when some unbreakable unit (a word, a number with its unit, a
// character with its punctuation, a joined name) is wider than w alone: it
// is then split between characters so nothing is lost, and a caller that
// must not break words shrinks the text or reports an overflow.
//
// A paragraph does not end on one character alone (打成残疾的，还要另赔辅助
// 器具费和残疾赔偿 / 金): when the last line is a single ideograph, with
// its punctuation, the last two lines are broken again a little narrower,
// which takes a word or more down from the line above, and that is kept
// when it still makes two lines. The lines before them stay as they were.
func Break(m Measurer, text string, pt, w float64) (lines []string, ok bool) {
	us := splitWide(m, units(text), pt, w)
	lines, ok, starts := breakGreedy(m, us, pt, w)
	n := len(lines)
	if !ok || n < 2 || len(starts) != n || !loneChar(lines[n-1]) || lines[n-2] == "" || loneChar(lines[n-2]) {
		return lines, ok
	}
	tail := us[starts[n-2]:]
	for _, u := range tail {
		if u.kind == uNewline {
			return lines, ok // the last line is a paragraph of its own
		}
	}
	// Narrower than the line above, so its last unit goes down.
	if again, ok2, _ := breakGreedy(m, tail, pt, m.Width(lines[n-2], pt)-1e-6); ok2 && len(again) == 2 && !loneChar(again[1]) && again[0] != "" {
		return append(lines[:n-2:n-2], again...), ok
	}
	return lines, ok
}

// splitWide splits the words wider than w alone into the pieces they
// were made of.
func splitWide(m Measurer, us []unit, pt, w float64) []unit {
	for i := 0; i < len(us); i++ {
		if us[i].parts == nil || m.Width(StripJoiners(us[i].s), pt) <= w+1e-9 {
			continue
		}
		out := append(us[:i:i], us[i].split()...)
		for _, u := range us[i+1:] {
			if u.parts != nil && m.Width(StripJoiners(u.s), pt) > w+1e-9 {
				out = append(out, u.split()...)
			} else {
				out = append(out, u)
			}
		}
		return out
	}
	return us
}

// loneChar reports whether line is one ideograph, alone or with the
// punctuation that may not start a line after it.
func loneChar(line string) bool {
	rs := []rune(strings.TrimFunc(line, isSpace))
	if len(rs) == 0 || !unicode.Is(unicode.Han, rs[0]) {
		return false
	}
	for _, r := range rs[1:] {
		if !noStart(r) {
			return false
		}
	}
	return true
}

// breakGreedy is Break without the care for a last line: each line takes
// as many units as fit. starts holds the index in us of each line's first
// unit (meaningful only when ok).
func breakGreedy(m Measurer, us []unit, pt, w float64) (lines []string, ok bool, starts []int) {
	ok = true
	starts = []int{0}
	const eps = 1e-9
	var cur strings.Builder
	curW := 0.0
	started := false // cur holds text (possibly "" after a newline)
	pending := ""    // spaces between the line so far and the next unit
	emit := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW, started, pending = 0, false, ""
	}
	place := func(s string) {
		sw := m.Width(s, pt)
		if sw <= w+eps {
			cur.WriteString(s)
			curW, started = sw, true
			return
		}
		ok = false
		for _, r := range s {
			rw := m.Width(string(r), pt)
			if started && curW+rw > w+eps {
				emit()
			}
			cur.WriteRune(r)
			curW += rw
			started = true
		}
	}
	for i, u := range us {
		switch u.kind {
		case uNewline:
			emit()
			starts = append(starts, i+1)
			continue
		case uSpace:
			if started {
				pending += u.s
			}
			continue
		}
		s := StripJoiners(u.s)
		if !started {
			place(s)
			continue
		}
		uw := m.Width(s, pt)
		sw := 0.0
		if pending != "" {
			sw = m.Width(pending, pt)
		}
		if curW+sw+uw <= w+eps {
			cur.WriteString(pending)
			cur.WriteString(s)
			curW += sw + uw
			pending = ""
			continue
		}
		emit()
		starts = append(starts, i)
		place(s)
	}
	if started || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	if len(starts) > len(lines) {
		starts = starts[:len(lines)]
	}
	return lines, ok, starts
}
