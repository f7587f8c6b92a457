package typeset

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/text/unicode/norm"

	"cunjing/print/fonts"
)

func metrics(t testing.TB) *Metrics {
	t.Helper()
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font on this machine (install fonts-wqy-microhei): %v", err)
	}
	m, err := NewMetrics(f.TTF)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBreakExamples(t *testing.T) {
	m := metrics(t)
	em := func(n float64) float64 { return n * 10 * PtMM } // n ems at 10 pt
	cases := []struct {
		text string
		w    float64 // ems at 10 pt
		want []string
	}{
		// The duty table's names, in a cell two and a half names wide: no
		// character lost, and no line starting with 、.
		{"赵保田、赵长江、马志刚、胡浩然", 8.5, []string{"赵保田、赵长江、", "马志刚、胡浩然"}},
		{Join("赵保田") + "、" + Join("赵长江") + "、" + Join("马志刚"), 5.5, []string{"赵保田、", "赵长江、", "马志刚"}},
		// Closing punctuation goes down with the character before it.
		{"冲动一时，代价一世。", 5, []string{"冲动一时，", "代价一世。"}},
		{"冲动一时，代价一世。", 4.5, []string{"冲动", "一时，", "代价", "一世。"}},
		// Opening punctuation goes down with what follows.
		{"依据《治安管理处罚法》", 3.5, []string{"依据", "《治安", "管理", "处罚", "法》"}},
		// Numbers with units and Latin words stay whole.
		{"拘留5–10日并处罚款500–1000元", 7, []string{"拘留5–10日", "并处罚款", "500–1000元"}},
		{"电话 0371-12345678 24小时", 7.5, []string{"电话", "0371-12345678", "24小时"}},
		{"a\n\nb", 5, []string{"a", "", "b"}},
	}
	for _, c := range cases {
		lines, ok := Break(m, c.text, 10, em(c.w))
		if strings.Join(lines, "|") != strings.Join(c.want, "|") {
			t.Errorf("Break(%q, %.1f em) = %q (ok %v), want %q", c.text, c.w, lines, ok, c.want)
		}
	}
}

func TestBreakKeepsWordsWhole(t *testing.T) {
	m := metrics(t)
	// 0371-12345678 is one word: it may not be split at the hyphen.
	lines, ok := Break(m, "电话0371-12345678", 10, 8*10*PtMM)
	if !ok || len(lines) != 2 || lines[1] != "0371-12345678" {
		t.Errorf("phone number: %q ok=%v", lines, ok)
	}
	// A word wider than the line is split (nothing lost) and reported.
	lines, ok = Break(m, "13812345678901234567890", 10, 3*10*PtMM)
	if ok || strings.Join(lines, "") != "13812345678901234567890" {
		t.Errorf("overlong word: %q ok=%v", lines, ok)
	}
}

func TestFit(t *testing.T) {
	m := metrics(t)
	b, err := Fit(m, "打架成本警示牌", 60, 12, Spec{Field: "title", MaxPt: 40, MinPt: 10, OneLine: true})
	if err != nil || len(b.Lines) != 1 || b.Width(m) > 60 || b.Pt >= 40 {
		t.Fatalf("one line: %+v %v", b, err)
	}
	_, err = Fit(m, strings.Repeat("打架成本警示牌", 10), 60, 12, Spec{Field: "title", MaxPt: 40, MinPt: 10, OneLine: true})
	var oe *OverflowError
	if !errors.As(err, &oe) || oe.Field != "title" {
		t.Fatalf("want overflow, got %v", err)
	}
	b, err = Fit(m, "殴打他人或者故意伤害他人身体的，处五日以上十日以下拘留", 40, 0, Spec{MaxPt: 12, MinPt: 6})
	if err != nil || b.Pt != 12 || len(b.Lines) < 2 {
		t.Fatalf("unbounded height wraps at the maximum size: %+v %v", b, err)
	}
}

// alphabet mixes what the layouts print: names, the punctuation the
// breaking rules are about, digits, units, Latin, spaces, newlines and
// word joiners.
var alphabet = []string{
	"赵", "保", "田", "长", "江", "马", "志", "刚", "胡", "浩", "然", "警", "打", "架", "成", "本",
	"，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "”", "（", "《", "「", "『", "“",
	"0", "1", "5", "9", "10", "500", "–", "-", ":", ".", "元", "日", "年", "小时", "%",
	"a", "b", "X", "Z", "word", " ", " ", "\n", string(WordJoiner), "·", "…", "——",
}

func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(alphabet[rng.Intn(len(alphabet))])
	}
	return b.String()
}

// CheckRandom feeds random text through one cell and checks what Fit gives
// back: an *OverflowError, or a block that Verify accepts and whose placed
// lines lie inside the box.
func checkRandom(t *testing.T, m *Metrics, rng *rand.Rand, c Cell, n int) (fitted int) {
	t.Helper()
	for i := 0; i < n; i++ {
		text := randomText(rng, rng.Intn(40))
		b, err := Fit(m, text, c.W, c.H, c.Spec)
		if err != nil {
			var oe *OverflowError
			if !errors.As(err, &oe) {
				t.Fatalf("Fit(%q, %+v): %v", text, c, err)
			}
			continue
		}
		if err := Verify(m, text, b, c.W, c.H); err != nil {
			t.Fatalf("cell %.1f×%.1f mm %+v: %v", c.W, c.H, c.Spec, err)
		}
		if err := CheckPlaced(m, b, 10, 20, c.W, c.H, Align(rng.Intn(3))); err != nil {
			t.Fatalf("cell %.1f×%.1f mm %+v, text %q: %v", c.W, c.H, c.Spec, text, err)
		}
		fitted++
	}
	return fitted
}

func TestFitProperty(t *testing.T) {
	m := metrics(t)
	rng := rand.New(rand.NewSource(17))
	fitted, multi := 0, 0
	observed := 0
	m.observe = func(Cell) { observed++ } // the observer's path, as NewPDF sets it
	for k := 0; k < 300; k++ {
		maxPt := 5 + rng.Float64()*30
		c := Cell{W: 4 + rng.Float64()*120, H: 0, Spec: Spec{MaxPt: maxPt, MinPt: maxPt * (0.3 + rng.Float64()*0.7), OneLine: rng.Intn(4) == 0}}
		if rng.Intn(3) > 0 {
			c.H = 3 + rng.Float64()*60
		}
		n := checkRandom(t, m, rng, c, 20)
		fitted += n
		if !c.Spec.OneLine {
			multi += n
		}
	}
	if observed != 300*20 {
		t.Errorf("the observer was told of %d fits, want %d", observed, 300*20)
	}
	// Most random texts must fit, or the property says little.
	if fitted < 6000*6/10 || multi < 3000 {
		t.Errorf("only %d of 6000 random texts fitted (%d wrapped)", fitted, multi)
	}
}

// The checks must be able to fail: a block with a character dropped,
// duplicated or moved, a line too wide, or a line starting with 、 is
// refused.
func TestVerifyCatches(t *testing.T) {
	m := metrics(t)
	text := "赵保田、赵长江、马志刚"
	good := Block{Lines: []string{"赵保田、赵长江、", "马志刚"}, Pt: 10}
	if err := Verify(m, text, good, 100, 0); err != nil {
		t.Fatalf("good block refused: %v", err)
	}
	bad := map[string]Block{
		"dropped":    {Lines: []string{"赵保田、赵长江、", "马志"}, Pt: 10},
		"lost line":  {Lines: []string{"赵保田、赵长江、"}, Pt: 10},
		"duplicated": {Lines: []string{"赵保田、赵长江、", "江马志刚"}, Pt: 10},
		"reordered":  {Lines: []string{"赵保田、赵江长、", "马志刚"}, Pt: 10},
		"、 first":    {Lines: []string{"赵保田", "、赵长江、马志刚"}, Pt: 10},
		"too wide":   {Lines: []string{"赵保田、赵长江、马志刚"}, Pt: 30},
	}
	for name, b := range bad {
		if err := Verify(m, text, b, 40, 0); err == nil {
			t.Errorf("%s: Verify accepted %q", name, b.Lines)
		}
	}
	if err := Verify(m, "（打架）", Block{Lines: []string{"（", "打架）"}, Pt: 10}, 40, 0); err == nil {
		t.Error("line ending with （ accepted")
	}
	if err := Verify(m, "罚款500元", Block{Lines: []string{"罚款500", "元"}, Pt: 10}, 40, 0); err == nil {
		t.Error("number split from its unit accepted")
	}
	if err := Verify(m, "call 110 now", Block{Lines: []string{"call 1", "10 now"}, Pt: 10}, 40, 0); err == nil {
		t.Error("number split accepted")
	}
	if err := CheckPlaced(m, good, 0, 0, 10, 3, Left); err == nil {
		t.Error("block outside a small box accepted")
	}
}

// The 60×90 cm calculator board printed 打成残疾的，还要另赔辅助器具费和残疾
// 赔偿 / 金: a paragraph ended on one character alone. Where the greedy
// breaker leaves one ideograph (with its punctuation) on the last line, the
// last two lines are broken again with more on the last; the lines above
// stay, the breaking rules hold, and a last line after a forced break
// stays as it is.
func TestNoLoneLastCharacter(t *testing.T) {
	m := metrics(t)
	const pt = 12.0
	for _, text := range []string{
		"打成残疾的，还要另赔辅助器具费和残疾赔偿金",
		"打成残疾的，还要另赔辅助器具费和残疾赔偿金。",
		"被拘留期间不能回家、不能干活，一家老小担惊受怕；丢了工作、误了生意，邻里乡亲面前丢了脸面。",
	} {
		rs := []rune(text)
		// A width that leaves the last character alone.
		for _, cut := range []int{len(rs) - 1, len(rs) - 2} {
			w := m.Width(string(rs[:cut]), pt) + 0.01
			greedy, _, _ := breakGreedy(m, units(text), pt, w)
			if !loneChar(greedy[len(greedy)-1]) {
				continue
			}
			lines, ok := Break(m, text, pt, w)
			b := Block{Lines: lines, Pt: pt, Leading: Leading}
			if err := Verify(m, text, b, w, 0); !ok || err != nil {
				t.Fatalf("%q at %.1f mm: %v %v", text, w, ok, err)
			}
			if len(lines) != len(greedy) || loneChar(lines[len(lines)-1]) {
				t.Errorf("%q at %.1f mm: %q (greedy %q)", text, w, lines, greedy)
			}
			for i := 0; i < len(lines)-2; i++ {
				if lines[i] != greedy[i] {
					t.Errorf("%q at %.1f mm: line %d %q changed (greedy %q)", text, w, i+1, lines[i], greedy[i])
				}
			}
		}
	}
	// One character on a line of its own after a forced break stays.
	if lines, _ := Break(m, "赔偿金\n金", pt, 100); len(lines) != 2 || lines[1] != "金" {
		t.Errorf("forced break: %q", lines)
	}
}

// TestWords: every word is two to maxWordLen ideographs, so none is
// silently left out of wordSet.
func TestWords(t *testing.T) {
	for _, w := range words {
		rs := []rune(w)
		if len(rs) < 2 || len(rs) > maxWordLen {
			t.Errorf("word %q: %d characters, want 2..%d", w, len(rs), maxWordLen)
		}
		for _, r := range rs {
			if !unicode.Is(unicode.Han, r) {
				t.Errorf("word %q: %q is no ideograph", w, r)
			}
		}
	}
}

// TestBreakKeepsWordsTogether: a line does not end inside a word of the
// printed texts (起施 / 行 in the boards' legal basis), nor inside a number
// written in Chinese with its 第 and its unit (第二百三十 / 四条); a word
// wider than the line alone is still split, without an overflow.
func TestBreakKeepsWordsTogether(t *testing.T) {
	m := metrics(t)
	em := func(n float64) float64 { return n * 10 * PtMM }
	cases := []struct {
		name   string
		text   string
		w      float64 // ems at 10 pt
		want   []string
		wantOK bool
	}{
		{"the footer's 施行", "2024年3月1日起施行）第二百三十四条", 8, []string{"2024年3月1日起", "施行）", "第二百三十四条"}, true},
		{"诉讼 in a law's name", "第一千一百七十九条；《诉讼费用交纳办法》", 12.5, []string{"第一千一百七十九条；", "《诉讼费用交纳办法》"}, true},
		{"a Chinese number and its 第…条", "刑法第二百三十四条", 7, []string{"刑法", "第二百三十四条"}, true},
		{"身体 on a board", "故意伤害他人身体：拘留", 7, []string{"故意伤害", "他人身体：拘留"}, true}, // 他人, 人身 and 身体 overlap: none is split
		{"有期徒刑", "致人轻伤：有期徒刑、拘役", 7, []string{"致人轻伤：", "有期徒刑、拘役"}, true},
		// Free text still breaks between any two characters.
		{"no word", "冲动一时代价一世", 4, []string{"冲动一时", "代价一世"}, true},
		// A word wider than the line is split between its characters, and
		// that is no overflow: the text would have broken there before.
		{"word wider than the line", "派出所", 2, []string{"派出", "所"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines, ok := Break(m, c.text, 10, em(c.w))
			if strings.Join(lines, "|") != strings.Join(c.want, "|") || ok != c.wantOK {
				t.Errorf("Break(%q, %.1f em) = %q ok=%v, want %q ok=%v", c.text, c.w, lines, ok, c.want, c.wantOK)
			}
		})
	}
}

// A name typed with combining marks (e and U+0301, a Pinyin tone mark
// after its vowel) took a full em per mark: 张 Zha + U+0304 + ng measured
// an em wider than Zhāng, and a mark the font lacks was a box. A mark
// takes no advance of its own, and the text is set composed (NFC) as far
// as the font shows the result: the same width as the precomposed text,
// every base character one the font shows, the same text read back.
func TestCombiningMarksTakeNoAdvance(t *testing.T) {
	m := metrics(t)
	cases := []struct{ typed, composed string }{
		{"Jose\u0301", "José"},
		{"a\u0300", "à"},
		{"张 Zha\u0304ng", "张 Zhāng"},
		{"Lu\u0308", "Lü"},
		{"Lu\u0308\u0301 Nguye\u0302\u0303n", "Lǘ Nguyễn"},
		{"e\u0302\u0304", "ê̄"}, // no precomposed form
		{"柳树村", "柳树村"},
	}
	for _, c := range cases {
		got := m.Compose(c.typed)
		if norm.NFC.String(got) != norm.NFC.String(c.typed) {
			t.Errorf("Compose(%+q) = %+q, not the same text", c.typed, got)
		}
		for _, r := range got {
			if !IsMark(r) && !m.shows(string(r)) {
				t.Errorf("Compose(%+q) = %+q: %U shown by no font", c.typed, got, r)
			}
		}
		want := 0.0
		for _, r := range m.Compose(c.composed) {
			if !IsMark(r) {
				want += m.em(r) * 10 * PtMM
			}
		}
		if w := m.Width(c.typed, 10); math.Abs(w-want) > 1e-9 {
			t.Errorf("Width(%+q) = %.2f mm, want %.2f (its letters, the marks nothing)", c.typed, w, want)
		}
		if w := m.Width(c.composed, 10); math.Abs(w-want) > 1e-9 {
			t.Errorf("Width(%+q) = %.2f mm, want %.2f", c.composed, w, want)
		}
	}
	// A glyph the font maps a letter to but leaves blank is no glyph.
	for _, r := range "ǘǚāéü王" {
		if g, ok := m.glyph(r); ok {
			if b, _, err := m.f.GlyphBounds(&m.buf, g, m.upem, font.HintingNone); err != nil || b.Empty() {
				t.Errorf("%c: Has, but its glyph is blank", r)
			}
		}
	}
}
