package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"cunjing/store/schedule/almanac"
)

// ParseSpec reads a rule as villages write it:
//
//	每天 / 每日 / 每日一巡                      → Daily
//	农历逢二、五、十 / 逢一四七 / 逢五排十 / 逢单   → Lunar endings (Chinese numerals default to lunar)
//	农历每月初一、十五 / 初一十五                  → Lunar days
//	公历逢1、5、8 / 逢158                        → Solar endings (Arabic digits default to solar)
//	逢2、5、10 / 逢5、15、25                      → a listed number is a day and means its ending (10 = 十)
//	公历每月1日、15日                            → Solar days
//	每周一、五 / 周一至周五 / 星期六 / 工作日 / 周末 → Weekly
//	赶辰戌 / 逢子午卯酉日                         → Branch
//	五天一集 / 每5天一次（自2026-01-03起）         → EveryN
//
// A note in brackets may set the short-month policy ("小月无三十则不补" or
// "小月三十移廿九") or, for every-N-days rules, the anchor date. An
// every-N-days rule parsed without a date has no Anchor yet; Validate says so,
// and the rule editor asks for a known market day.
func ParseSpec(text string) (Spec, error) {
	s := normalizeText(text)
	if s == "" {
		return Spec{}, fmt.Errorf("empty rule")
	}
	if !utf8.ValidString(text) {
		return Spec{}, fmt.Errorf("rule %q is not valid UTF-8", text)
	}
	core, notes, err := splitNotes(s)
	if err != nil {
		return Spec{}, fmt.Errorf("rule %q: %w", text, err)
	}
	// "2026-01-03起" may also trail the rule without brackets.
	if i := strings.Index(core, "自"); i > 0 {
		notes = append(notes, core[i:])
		core = core[:i]
	} else if n := len(core) - len("2026-01-03起"); n > 0 && strings.HasSuffix(core, "起") &&
		strings.Trim(core[n:len(core)-len("起")], "0123456789-") == "" {
		notes = append(notes, core[len(core)-len("2026-01-03起"):])
		core = core[:len(core)-len("2026-01-03起")]
	}
	spec, err := parseCore(core)
	if err != nil {
		return Spec{}, fmt.Errorf("rule %q: %w", text, err)
	}
	for _, n := range notes {
		if err := applyNote(&spec, n); err != nil {
			return Spec{}, fmt.Errorf("rule %q: %w", text, err)
		}
	}
	spec = spec.Normalized()
	// Validate all but a missing anchor, which the caller supplies.
	check := spec
	if check.Kind == EveryN && check.Anchor == 0 {
		check.Anchor = DateOf(2000, 1, 1)
	}
	if err := check.Validate(); err != nil {
		return Spec{}, fmt.Errorf("rule %q: %w", text, err)
	}
	return spec, nil
}

// normalizeText folds full-width forms and drops spaces and list separators
// that carry no meaning.
//
// A space between two numbers separates them as 、 does: 逢2 5 10 is
// 逢2、5、10, not 逢2510 (endings 2, 5, 1 and 0: markets on the 1st, 11th
// and 21st too), and 逢二 十二 二十二 is not 逢二十二二十二.
func normalizeText(s string) string {
	var b strings.Builder
	var last rune
	spaced := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '－' || r == '—' || r == '–':
			r = '-'
		case r == ' ' || r == '\t' || r == '\u3000' || r == '\n' || r == '\r':
			spaced = true
			continue
		}
		if spaced && numeral(last) && numeral(r) {
			b.WriteRune('、')
		}
		b.WriteRune(r)
		last, spaced = r, false
	}
	return b.String()
}

// numeral reports whether r is a digit or a Chinese numeral.
func numeral(r rune) bool {
	return r >= '0' && r <= '9' || strings.ContainsRune("一二三四五六七八九十廿〇零两", r)
}

func splitNotes(s string) (core string, notes []string, err error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			if strings.IndexByte(s, ')') >= 0 {
				return "", nil, fmt.Errorf("unbalanced bracket")
			}
			b.WriteString(s)
			return b.String(), notes, nil
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return "", nil, fmt.Errorf("unbalanced bracket")
		}
		b.WriteString(s[:i])
		notes = append(notes, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

func applyNote(spec *Spec, n string) error {
	switch n {
	case shortLastNote, "小月三十在廿九", "小月赶廿九", "月小赶廿九":
		if spec.Kind != Lunar && spec.Kind != Solar {
			return fmt.Errorf("note %q applies only to day-of-month rules", n)
		}
		spec.ShortMonth = ""
		return nil
	case shortNotes[ShortMonthSkip], "小月不补", "小月无三十":
		if spec.Kind != Lunar && spec.Kind != Solar {
			return fmt.Errorf("note %q applies only to day-of-month rules", n)
		}
		spec.ShortMonth = ShortMonthSkip
		return nil
	}
	d := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(n, "自"), "从"), "起")
	if len(d) == len("2026-01-03") {
		if spec.Kind != EveryN {
			return fmt.Errorf("a start date (%s) applies only to every-N-days rules", d)
		}
		a, err := ParseDate(d)
		if err != nil {
			return fmt.Errorf("anchor: %w", err)
		}
		spec.Anchor = a
		return nil
	}
	return fmt.Errorf("note %q not understood", n)
}

func parseCore(s string) (Spec, error) {
	switch s {
	case "每天", "每日", "天天", "日日", "每日一巡", "每天一巡", "每天一集", "每日一集", "日日集":
		return Spec{Kind: Daily}, nil
	case "工作日", "每个工作日":
		return Spec{Kind: Weekly, Weekdays: []int{1, 2, 3, 4, 5}}, nil
	case "周末", "每周末", "双休日":
		return Spec{Kind: Weekly, Weekdays: []int{6, 7}}, nil
	}
	if sp, ok, err := parseWeekly(s); ok {
		return sp, err
	}
	if sp, ok, err := parseEvery(s); ok {
		return sp, err
	}
	if sp, ok, err := parseBranch(s); ok {
		return sp, err
	}
	return parseMonthDays(s)
}

func trimAnyPrefix(s string, ps ...string) (string, bool) {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return s[len(p):], true
		}
	}
	return s, false
}

func isSep(r rune) bool {
	switch r {
	case '、', ',', '，', '/', '和', '及', '与', ';', '；', '.', '。', '·':
		return true
	}
	return false
}

func parseWeekly(s string) (Spec, bool, error) {
	rest, ok := trimAnyPrefix(s, "每星期", "每礼拜", "每周", "星期", "礼拜", "周")
	if !ok {
		return Spec{}, false, nil
	}
	days := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '日': 7, '天': 7, '七': 7,
		'1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7}
	rest = strings.NewReplacer("星期", "", "礼拜", "", "周", "").Replace(rest)
	rest = strings.TrimSuffix(rest, "各一次")
	var out []int
	rangeFrom := 0
	for _, r := range rest {
		switch {
		case isSep(r):
			continue
		case r == '至' || r == '到' || r == '-' || r == '~' || r == '～':
			if len(out) == 0 || rangeFrom != 0 {
				return Spec{}, true, fmt.Errorf("weekday range %q is incomplete", s)
			}
			rangeFrom = out[len(out)-1]
			continue
		}
		d, ok := days[r]
		if !ok {
			return Spec{}, true, fmt.Errorf("%q is not a weekday in %q", string(r), s)
		}
		if rangeFrom != 0 {
			if d < rangeFrom {
				return Spec{}, true, fmt.Errorf("weekday range %q runs backwards", s)
			}
			for x := rangeFrom + 1; x <= d; x++ {
				out = append(out, x)
			}
			rangeFrom = 0
			continue
		}
		out = append(out, d)
	}
	if rangeFrom != 0 {
		return Spec{}, true, fmt.Errorf("weekday range %q is incomplete", s)
	}
	if len(out) == 0 {
		return Spec{}, true, fmt.Errorf("%q names no weekday", s)
	}
	return Spec{Kind: Weekly, Weekdays: out}, true, nil
}

// parseCNNumber reads 1..99 in Arabic or Chinese numerals (五, 十, 十五, 二十, 廿).
func parseCNNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	arabic := true
	for _, r := range s {
		if r < '0' || r > '9' {
			arabic = false
			break
		}
		n = n*10 + int(r-'0')
		if n > 999 {
			return 0, false
		}
	}
	if arabic {
		return n, true
	}
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10, true
	case len(rs) == 1:
		d, ok := digit[rs[0]]
		return d, ok
	case len(rs) == 2 && rs[0] == '十':
		d, ok := digit[rs[1]]
		return 10 + d, ok
	case len(rs) == 2 && rs[1] == '十':
		d, ok := digit[rs[0]]
		return d * 10, ok
	case len(rs) == 3 && rs[1] == '十':
		a, ok1 := digit[rs[0]]
		b, ok2 := digit[rs[2]]
		return a*10 + b, ok1 && ok2
	}
	return 0, false
}

func parseEvery(s string) (Spec, bool, error) {
	// 五天一集, 5日一集, 每5天, 每五天一次, 每隔五天一集 (= every 5 days: the
	// market is "five days apart").
	t, _ := trimAnyPrefix(s, "每隔", "每")
	for _, unit := range []string{"天", "日"} {
		i := strings.Index(t, unit)
		if i <= 0 {
			continue
		}
		n, ok := parseCNNumber(t[:i])
		if !ok {
			continue
		}
		tail := t[i+len(unit):]
		switch tail {
		case "", "一集", "一次", "一巡", "一班", "一轮", "一回":
		default:
			return Spec{}, true, fmt.Errorf("%q: after %q expected 一集 or 一次", s, t[:i+len(unit)])
		}
		if n < 1 || n > maxEvry {
			return Spec{}, true, fmt.Errorf("every %d days out of range 1..%d", n, maxEvry)
		}
		if n == 1 {
			return Spec{Kind: Daily}, true, nil
		}
		return Spec{Kind: EveryN, Every: n}, true, nil
	}
	return Spec{}, false, nil
}

func parseBranch(s string) (Spec, bool, error) {
	t, _ := trimAnyPrefix(s, "赶", "逢")
	t = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t, "集"), "日"), "日集")
	var out []string
	for _, r := range t {
		if isSep(r) {
			continue
		}
		if branchIndex(string(r)) < 0 {
			if len(out) > 0 {
				return Spec{}, true, fmt.Errorf("%q is not an earthly branch in %q", string(r), s)
			}
			return Spec{}, false, nil
		}
		out = append(out, string(r))
	}
	if len(out) == 0 {
		return Spec{}, false, nil
	}
	return Spec{Kind: Branch, Branches: out}, true, nil
}

func parseMonthDays(s string) (Spec, error) {
	kind := SpecKind("")
	if t, ok := trimAnyPrefix(s, "农历", "阴历", "旧历"); ok {
		kind, s = Lunar, t
	} else if t, ok := trimAnyPrefix(s, "公历", "阳历", "新历"); ok {
		kind, s = Solar, t
	}
	if s == "" {
		return Spec{}, fmt.Errorf("names no days")
	}
	var sp Spec
	// Endings part: 逢… up to 及/每月 or the end.
	if t, ok := trimAnyPrefix(s, "逢", "每逢"); ok {
		endPart := t
		daysPart := ""
		if i := strings.Index(t, "每月"); i >= 0 {
			endPart, daysPart = t[:i], t[i+len("每月"):]
			endPart = strings.TrimSuffix(endPart, "及")
		}
		endings, k, err := parseEndings(endPart, kind)
		if err != nil {
			return Spec{}, err
		}
		kind = k
		sp.Endings = endings
		s = daysPart
		if daysPart == "" {
			sp.Kind = kind
			return sp, nil
		}
	} else {
		s, _ = trimAnyPrefix(s, "每月")
	}
	days, k, err := parseDays(s, kind)
	if err != nil {
		return Spec{}, err
	}
	sp.Kind, sp.Days = k, days
	return sp, nil
}

// parseEndings reads "二、五、十", "一四七", "五排十", "1、5、8", "单", "双".
func parseEndings(s string, kind SpecKind) ([]int, SpecKind, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "集"), "日"), "号")
	switch s {
	case "单", "单日", "单号":
		if kind == "" {
			kind = Lunar
		}
		return []int{1, 3, 5, 7, 9}, kind, nil
	case "双", "双日", "双号":
		if kind == "" {
			kind = Lunar
		}
		return []int{2, 4, 6, 8, 10}, kind, nil
	}
	cn := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': 10, '〇': 10, '零': 10}
	var out []int
	sawCN, sawAr := false, false
	// Arabic digits run together are endings each ("逢158": 1, 5, 8), but
	// in a list with separators each number is a day and means its ending
	// ("逢2、5、10": the 10th, 20th and 30th, not also the 1st, 11th and
	// 21st; "逢5、15、25": 5), and "10", "20" or "30" alone is ending 十;
	// so are Chinese numbers in a list (逢五、十五、廿五: 5).
	listed := strings.ContainsFunc(s, isSep)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isSep(r) || r == '排' || r == '逢' {
			continue
		}
		if r >= '0' && r <= '9' {
			sawAr = true
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			num := string(rs[i:j])
			if n, _ := strconv.Atoi(num); j-i > 1 && (listed || n%10 == 0 && n <= 30) {
				if n < 1 || n > 31 {
					return nil, "", fmt.Errorf("%q is not a day of the month (1…31)", num)
				}
				out = append(out, (n+9)%10+1)
				i = j - 1
				continue
			}
			e := int(r - '0')
			if e == 0 {
				e = 10
			}
			out = append(out, e)
			continue
		}
		if _, ok := cn[r]; (ok || r == '廿') && listed {
			// 逢五、十五、廿五 lists days too: 十五 is 5, not 十 and 五.
			j := i
			for j < len(rs) && (cn[rs[j]] != 0 || rs[j] == '廿') {
				j++
			}
			if j-i > 1 {
				if n, ok := parseCNNumber(strings.ReplaceAll(string(rs[i:j]), "廿", "二十")); ok && n >= 11 && n <= 30 {
					sawCN = true
					out = append(out, (n+9)%10+1)
					i = j - 1
					continue
				}
			}
		}
		if e, ok := cn[r]; ok {
			sawCN = true
			out = append(out, e)
			continue
		}
		return nil, "", fmt.Errorf("%q is not a day ending (一…十 or 0…9)", string(r))
	}
	if len(out) == 0 {
		return nil, "", fmt.Errorf("逢 names no day endings")
	}
	// Villages write lunar endings in Chinese numerals and solar ones in
	// Arabic digits.
	kind, err := writtenIn(kind, sawCN, sawAr, "day endings mix Chinese and Arabic numerals; write 农历逢二、五、十 or 公历逢2、5、0")
	if err != nil {
		return nil, "", err
	}
	return out, kind, nil
}

// writtenIn is the calendar of days written in one notation: kind when the
// rule names it, else lunar when the lunar notation was seen and solar
// otherwise. Both notations in one rule is the error mixed.
func writtenIn(kind SpecKind, lunar, solar bool, mixed string) (SpecKind, error) {
	switch {
	case lunar && solar:
		return "", errors.New(mixed)
	case kind != "":
		return kind, nil
	case lunar:
		return Lunar, nil
	}
	return Solar, nil
}

// parseDays reads "初一、十五" (lunar) or "1日、15日" / "1号、15号" (solar).
func parseDays(s string, kind SpecKind) ([]int, SpecKind, error) {
	if s == "" {
		return nil, "", fmt.Errorf("names no days")
	}
	var out []int
	sawLunar, sawSolar := false, false
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		if isSep(r) {
			i++
			continue
		}
		if r >= '0' && r <= '9' {
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			n, _ := parseCNNumber(string(rs[i:j]))
			if j < len(rs) && (rs[j] == '日' || rs[j] == '号') {
				j++
			}
			out = append(out, n)
			sawSolar = true
			i = j
			continue
		}
		// Lunar day names are two runes: 初一 … 三十.
		if i+1 < len(rs) {
			name := string(rs[i : i+2])
			found := 0
			for d := 1; d <= 30; d++ {
				if almanac.LunarDayName(d) == name {
					found = d
					break
				}
			}
			if name == "廿十" || name == "念十" {
				found = 20
			}
			if found > 0 {
				out = append(out, found)
				sawLunar = true
				i += 2
				continue
			}
		}
		return nil, "", fmt.Errorf("%q is not understood as a rule; try 每天, 农历逢二、五、十, 公历逢1、5、8, 每周一、五, 赶辰戌, 五天一集 or 农历每月初一、十五", string(rs))
	}
	kind, err := writtenIn(kind, sawLunar, sawSolar, "days mix lunar names (初一) and solar numbers (1日)")
	if err != nil {
		return nil, "", err
	}
	if kind == Solar && sawLunar {
		return nil, "", fmt.Errorf("solar rule written with lunar day names")
	}
	if kind == Lunar && sawSolar {
		// 农历每月1日 is unusual but unambiguous.
		for _, d := range out {
			if d > 30 {
				return nil, "", fmt.Errorf("lunar day %d does not exist", d)
			}
		}
	}
	return out, kind, nil
}
