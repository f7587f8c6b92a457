package schedule

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseSpec(t *testing.T) {
	anchor := DateOf(2026, 1, 3)
	tests := []struct {
		in   string
		want Spec
	}{
		{"每天", Spec{Kind: Daily}},
		{"每日一巡", Spec{Kind: Daily}},
		{"农历逢二、五、十", Spec{Kind: Lunar, Endings: []int{2, 5, 10}}},
		{"逢一四七", Spec{Kind: Lunar, Endings: []int{1, 4, 7}}},
		{"逢三、六、九集", Spec{Kind: Lunar, Endings: []int{3, 6, 9}}},
		{"逢五排十", Spec{Kind: Lunar, Endings: []int{5, 10}}},
		{"阴历逢单", Spec{Kind: Lunar, Endings: []int{1, 3, 5, 7, 9}}},
		{"公历逢1、5、8", Spec{Kind: Solar, Endings: []int{1, 5, 8}}},
		{"逢１５８", Spec{Kind: Solar, Endings: []int{1, 5, 8}}},
		{"公历逢0", Spec{Kind: Solar, Endings: []int{10}}},
		// A listed number is a day and means its ending: 10 is 十, not
		// 1 and 0 (markets on the 1st, 11th and 21st too).
		{"农历逢2、5、10", Spec{Kind: Lunar, Endings: []int{2, 5, 10}}},
		{"公历逢1、5、10", Spec{Kind: Solar, Endings: []int{1, 5, 10}}},
		{"逢5、15、25", Spec{Kind: Solar, Endings: []int{5}}},
		{"逢10、20、30", Spec{Kind: Solar, Endings: []int{10}}},
		{"逢10", Spec{Kind: Solar, Endings: []int{10}}},
		{"逢3、06、09", Spec{Kind: Solar, Endings: []int{3, 6, 9}}},
		{"农历逢五、十五、廿五", Spec{Kind: Lunar, Endings: []int{5}}},
		{"逢二、十二、二十二", Spec{Kind: Lunar, Endings: []int{2}}},
		{"逢三、十、三十", Spec{Kind: Lunar, Endings: []int{3, 10}}},
		{"逢二五十", Spec{Kind: Lunar, Endings: []int{2, 5, 10}}},
		// Spaces list the numbers as 、 does.
		{"农历逢2 5 10", Spec{Kind: Lunar, Endings: []int{2, 5, 10}}},
		{"逢5 15 25", Spec{Kind: Solar, Endings: []int{5}}},
		{"逢二 十二 二十二", Spec{Kind: Lunar, Endings: []int{2}}},
		{"逢1 5 8", Spec{Kind: Solar, Endings: []int{1, 5, 8}}},
		{"农历逢二、五、八（小月无三十则不补）", Spec{Kind: Lunar, Endings: []int{2, 5, 8}}}, // no 30: policy irrelevant
		{"农历逢五、十（小月无三十则不补）", Spec{Kind: Lunar, Endings: []int{5, 10}, ShortMonth: ShortMonthSkip}},
		{"农历每月初一、十五", Spec{Kind: Lunar, Days: []int{1, 15}}},
		{"初一十五", Spec{Kind: Lunar, Days: []int{1, 15}}},
		{"每月1日、15日", Spec{Kind: Solar, Days: []int{1, 15}}},
		{"公历每月10号", Spec{Kind: Solar, Days: []int{10}}},
		{"农历逢三及每月初一", Spec{Kind: Lunar, Endings: []int{3}, Days: []int{1}}},
		{"每周一、五", Spec{Kind: Weekly, Weekdays: []int{1, 5}}},
		{"周一至周五", Spec{Kind: Weekly, Weekdays: []int{1, 2, 3, 4, 5}}},
		{"星期六、星期日", Spec{Kind: Weekly, Weekdays: []int{6, 7}}},
		{"礼拜天", Spec{Kind: Weekly, Weekdays: []int{7}}},
		{"工作日", Spec{Kind: Weekly, Weekdays: []int{1, 2, 3, 4, 5}}},
		{"赶辰戌", Spec{Kind: Branch, Branches: []string{"辰", "戌"}}},
		{"逢子午卯酉日", Spec{Kind: Branch, Branches: []string{"子", "卯", "午", "酉"}}},
		{"五天一集", Spec{Kind: EveryN, Every: 5}},
		{"每5天一次（自2026-01-03起）", Spec{Kind: EveryN, Every: 5, Anchor: anchor}},
		{"十天一集 自2026-01-03起", Spec{Kind: EveryN, Every: 10, Anchor: anchor}},
		{"一天一集", Spec{Kind: Daily}},
	}
	for _, tc := range tests {
		got, err := ParseSpec(tc.in)
		if err != nil {
			t.Errorf("ParseSpec(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseSpec(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	for _, in := range []string{
		"", "   ", "hello", "逢", "农历逢", "逢二、五、X", "逢2、五", "每周八", "周五至周一", "周一至",
		"赶辰X", "0天一集", "99天一集", "五天一集（2026-02-30）", "农历逢二（自2026-01-03起）",
		"每天（小月不补）", "农历逢二（胡说）", "农历逢二（", "农历每月三十一", "初一、1日", "公历每月初一",
		"农历每月32日", "逢2、5、40",
	} {
		if sp, err := ParseSpec(in); err == nil {
			t.Errorf("ParseSpec(%q) = %+v, want an error", in, sp)
		}
	}
}

// An error quotes what was written, whole: a rule ending in 起 without a
// date before it was cut 13 bytes short, mid-character, and the error
// showed mojibake ("每周一二三\xe5\x9b").
func TestParseSpecErrorQuotesWholeCharacters(t *testing.T) {
	for _, in := range []string{"每周一二三四五六日起", "逢二、五、十起", "五天一集自起"} {
		_, err := ParseSpec(in)
		if err == nil {
			t.Errorf("ParseSpec(%q): want an error", in)
			continue
		}
		if msg := err.Error(); !utf8.ValidString(msg) || strings.Contains(msg, `\x`) || strings.ContainsRune(msg, utf8.RuneError) {
			t.Errorf("ParseSpec(%q): error %q is not readable", in, msg)
		}
	}
	if sp, err := ParseSpec("每5天一次2026-01-03起"); err != nil || sp.Anchor != DateOf(2026, 1, 3) {
		t.Errorf("a trailing start date: %+v, %v", sp, err)
	}
}

func TestSpecValidate(t *testing.T) {
	bad := []Spec{
		{},
		{Kind: "monthly"},
		{Kind: Lunar},
		{Kind: Lunar, Endings: []int{11}},
		{Kind: Lunar, Days: []int{31}},
		{Kind: Solar, Days: []int{0}},
		{Kind: Lunar, Endings: []int{2}, Weekdays: []int{1}},
		{Kind: Weekly},
		{Kind: Weekly, Weekdays: []int{0}},
		{Kind: Branch, Branches: []string{"龙"}},
		{Kind: EveryN, Every: 5},
		{Kind: EveryN, Every: 0, Anchor: DateOf(2026, 1, 1)},
		{Kind: EveryN, Every: 5, Anchor: DateOf(1800, 1, 1)},
		{Kind: Daily, ShortMonth: ShortMonthSkip},
		{Kind: Lunar, Endings: []int{10}, ShortMonth: "maybe"},
	}
	for _, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("Validate(%+v): want an error", s)
		}
	}
}

// Describe must parse back to the same spec.
func TestDescribeRoundTrip(t *testing.T) {
	specs := []Spec{
		{Kind: Daily},
		{Kind: Lunar, Endings: []int{2, 5, 10}},
		{Kind: Lunar, Endings: []int{5, 10}, ShortMonth: ShortMonthSkip},
		{Kind: Lunar, Days: []int{1, 15, 30}},
		{Kind: Lunar, Endings: []int{3}, Days: []int{1}},
		{Kind: Solar, Endings: []int{1, 5, 8}},
		{Kind: Solar, Endings: []int{10}},
		{Kind: Solar, Days: []int{1, 15, 31}, ShortMonth: ShortMonthSkip},
		{Kind: Weekly, Weekdays: []int{1, 5}},
		{Kind: Weekly, Weekdays: []int{1, 2, 3, 4, 5, 6, 7}},
		{Kind: Branch, Branches: []string{"辰", "戌"}},
		{Kind: EveryN, Every: 5, Anchor: DateOf(2026, 1, 3)},
	}
	for _, s := range specs {
		text := s.Describe()
		got, err := ParseSpec(text)
		if err != nil {
			t.Errorf("ParseSpec(Describe(%+v) = %q): %v", s, text, err)
			continue
		}
		if !reflect.DeepEqual(got, s.Normalized()) {
			t.Errorf("%q parsed to %+v, want %+v", text, got, s.Normalized())
		}
	}
	if got := (Spec{Kind: Lunar, Endings: []int{10, 2, 5}}).Describe(); got != "农历逢二、五、十" {
		t.Errorf("Describe = %q", got)
	}
	if got := (Spec{Kind: Solar, Endings: []int{1, 5, 8}}).Describe(); got != "公历逢1、5、8" {
		t.Errorf("Describe = %q", got)
	}
}

func TestSpecJSON(t *testing.T) {
	s := Spec{Kind: EveryN, Every: 5, Anchor: DateOf(2026, 1, 3)}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"kind":"every","every":5,"anchor":"2026-01-03"}` {
		t.Errorf("JSON = %s", b)
	}
	var back Spec
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"kind":"every","every":5,"anchor":"2026-02-30"}`), &back); err == nil {
		t.Error("bad anchor date: want an error")
	}
}

func dates(t *testing.T, ss ...string) []Date {
	out := make([]Date, len(ss))
	for i, s := range ss {
		out[i] = mustDate(t, s)
	}
	return out
}

func TestNextDates(t *testing.T) {
	tests := []struct {
		rule string
		from string
		n    int
		want []Date
	}{
		// 乙巳 腊月 runs 2026-01-19 (初一) .. 2026-02-16 (廿九, 除夕): 29 days,
		// so its 三十 market is held on 廿九; then 丙午 正月初二 is 02-18.
		{"农历逢二、五、十", "2026-01-19", 10, dates(t, "2026-01-20", "2026-01-23", "2026-01-28", "2026-01-30",
			"2026-02-02", "2026-02-07", "2026-02-09", "2026-02-12", "2026-02-16", "2026-02-18")},
		{"农历逢二、五、十（小月无三十则不补）", "2026-02-10", 3, dates(t, "2026-02-12", "2026-02-18", "2026-02-21")},
		// 闰六月 2025 (07-25 .. 08-22) keeps its markets: 初一, 初四, 初七 …
		{"逢一四七", "2025-07-24", 4, dates(t, "2025-07-25", "2025-07-28", "2025-07-31", "2025-08-04")},
		// …and its 廿七 (08-20), then 七月初一 (08-23).
		{"逢一四七", "2025-08-19", 2, dates(t, "2025-08-20", "2025-08-23")},
		{"农历每月初一、十五", "2026-02-16", 3, dates(t, "2026-02-17", "2026-03-03", "2026-03-19")},
		{"公历逢1、5、8", "2026-01-28", 5, dates(t, "2026-01-28", "2026-01-31", "2026-02-01", "2026-02-05", "2026-02-08")},
		{"公历逢0", "2026-02-19", 3, dates(t, "2026-02-20", "2026-02-28", "2026-03-10")},
		{"每周一、五", "2026-12-01", 4, dates(t, "2026-12-04", "2026-12-07", "2026-12-11", "2026-12-14")},
		{"五天一集（自2026-01-03起）", "2026-01-01", 3, dates(t, "2026-01-03", "2026-01-08", "2026-01-13")},
		{"每天", "2026-12-31", 2, dates(t, "2026-12-31", "2027-01-01")},
	}
	for _, tc := range tests {
		s, err := ParseSpec(tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		got, err := NextDates(s, mustDate(t, tc.from), tc.n)
		if err != nil {
			t.Fatalf("%s: %v", tc.rule, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s from %s: %v, want %v", tc.rule, tc.from, got, tc.want)
		}
	}
}

// 赶辰戌: day branches counted from 1949-10-01 (甲子, branch 子) by plain
// arithmetic: 辰 is branch 4, 戌 branch 10, so every 6 days.
func TestBranchDays(t *testing.T) {
	s, err := ParseSpec("赶辰戌")
	if err != nil {
		t.Fatal(err)
	}
	got, err := NextDates(s, mustDate(t, "2026-12-01"), 20)
	if err != nil {
		t.Fatal(err)
	}
	base := DateOf(1949, 10, 1)
	for i, d := range got {
		if b := int(d-base) % 12; b != 4 && b != 10 {
			t.Errorf("%s: branch %d, want 4 (辰) or 10 (戌)", d, b)
		}
		if i > 0 && d-got[i-1] != 6 {
			t.Errorf("%s follows %s: want 6 days apart", d, got[i-1])
		}
	}
	if got[0]-mustDate(t, "2026-12-01") >= 6 {
		t.Errorf("first 辰/戌 day %s is too late", got[0])
	}
}

func TestNextDatesErrors(t *testing.T) {
	if _, err := NextDates(Spec{Kind: EveryN, Every: 5}, DateOf(2026, 1, 1), 3); err == nil || !strings.Contains(err.Error(), "anchor") {
		t.Errorf("missing anchor: %v", err)
	}
	if _, err := NextDates(Spec{Kind: Daily}, DateOf(1800, 1, 1), 3); err == nil {
		t.Error("out of range: want an error")
	}
	if _, err := NextDates(Spec{Kind: Daily}, DateOf(2026, 1, 1), -1); err == nil {
		t.Error("n<0: want an error")
	}
	// Near the end of the range it returns what exists rather than failing.
	got, err := NextDates(Spec{Kind: Daily}, DateOf(2099, 12, 30), 5)
	if err != nil || len(got) != 2 {
		t.Errorf("end of range: %v %v", got, err)
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"每天", "农历逢二、五、十", "逢一四七", "公历逢1、5、8", "每周一、五", "赶辰戌", "五天一集",
		"农历每月初一、十五", "每5天一次（自2026-01-03起）", "周一至周五", "农历逢五、十（小月无三十则不补）", "（", "逢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSpec(in)
		if err != nil {
			return
		}
		if s.Kind == EveryN && s.Anchor == 0 {
			s.Anchor = DateOf(2026, 1, 1)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseSpec(%q) = %+v, which does not validate: %v", in, s, err)
		}
		back, err := ParseSpec(s.Describe())
		if err != nil || !reflect.DeepEqual(back, s.Normalized()) {
			t.Fatalf("ParseSpec(%q) = %+v; Describe %q parses to %+v, %v", in, s, s.Describe(), back, err)
		}
		if _, err := NextDates(s, DateOf(2026, 1, 1), 5); err != nil {
			t.Fatalf("NextDates(%+v): %v", s, err)
		}
	})
}

func TestSpecJSONCodec(t *testing.T) {
	text, err := EncodeSpec(Spec{Kind: Lunar, Endings: []int{10, 2, 5, 5}})
	if err != nil || text != `{"kind":"lunar","endings":[2,5,10]}` {
		t.Fatalf("EncodeSpec = %s, %v", text, err)
	}
	s, err := DecodeSpec(text)
	if err != nil || s.Describe() != "农历逢二、五、十" {
		t.Fatalf("DecodeSpec = %+v, %v", s, err)
	}
	for _, bad := range []string{``, `{}`, `{"kind":"lunar"}`, `{"kind":"daily","colour":"red"}`, `{"kind":"every","every":5}`,
		`{"kind":"weekly","weekdays":[1]} {}`, `[1]`, `{"kind":"every","every":5,"anchor":"yesterday"}`} {
		if _, err := DecodeSpec(bad); err == nil {
			t.Errorf("DecodeSpec(%s): want an error", bad)
		}
	}
	if _, err := EncodeSpec(Spec{Kind: Weekly}); err == nil {
		t.Error("EncodeSpec of an empty weekly rule: want an error")
	}
}

func FuzzDecodeSpec(f *testing.F) {
	for _, s := range []string{`{"kind":"lunar","endings":[2,5,10]}`, `{"kind":"every","every":5,"anchor":"2026-01-03"}`,
		`{"kind":"branch","branches":["辰","戌"]}`, `{"kind":"solar","days":[31],"short_month":"skip"}`, `{"kind":"weekly","weekdays":[1,5]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := DecodeSpec(text)
		if err != nil {
			return
		}
		back, err := ParseSpec(s.Describe())
		if err != nil || !reflect.DeepEqual(back, s) {
			t.Fatalf("%s: Describe %q parses to %+v, %v; want %+v", text, s.Describe(), back, err, s)
		}
		if _, err := NextDates(s, DateOf(2026, 1, 1), 3); err != nil {
			t.Fatalf("NextDates(%+v): %v", s, err)
		}
	})
}

// A leap month is an ordinary month for markets: 逢十 in 2025's 29-day
// 闰六月 (07-25..08-22) is held on 初十, 二十 and, for its 三十, on 廿九
// (08-22) — unless the rule says 小月无三十则不补.
func TestMarketInALeapMonth(t *testing.T) {
	for _, tc := range []struct {
		rule string
		want []Date
	}{
		{"农历逢十", []Date{DateOf(2025, 8, 3), DateOf(2025, 8, 13), DateOf(2025, 8, 22)}},
		{"农历逢十（小月无三十则不补）", []Date{DateOf(2025, 8, 3), DateOf(2025, 8, 13)}},
		{"农历每月三十", []Date{DateOf(2025, 8, 22)}},
	} {
		got, err := NextDates(spec(t, tc.rule), DateOf(2025, 7, 25), 3)
		if err != nil {
			t.Fatal(err)
		}
		var in []Date
		for _, d := range got {
			if d <= DateOf(2025, 8, 22) {
				in = append(in, d)
			}
		}
		if !reflect.DeepEqual(in, tc.want) {
			t.Errorf("%s in 闰六月 2025: %v, want %v", tc.rule, in, tc.want)
		}
	}
}
