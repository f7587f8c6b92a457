package search

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// kinds lists a plan's probes as kind:value, prefix probes marked with *.
func kinds(p Plan) []string {
	var out []string
	for _, l := range p.Lookups {
		s := l.Kind + ":" + l.Value
		if l.Prefix != MatchNone {
			s += "*"
		}
		out = append(out, s)
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"203", []string{"h:203", "o:203"}}, // three digits: a house number, nothing else
		{"２０３－１", []string{"h:203-1", "o:203-1"}},
		{"203号", []string{"h:203", "o:203"}}, // as the screens write it (203号  王建国)
		{"２０５", []string{"h:205", "o:205"}},  // '205号' stored by an older version is keyed 205 too
		{"10-1号", []string{"h:10-1", "o:10-1"}},
		{"2031", []string{"h:2031", "o:2031", "t:1302*", "d:1302*"}}, // a number, a phone's or ID's end
		{"王建国", []string{"h:王建国", "o:王建国", "n:王建国*", "g:王建国"}},
		{"wjg", []string{"h:wjg", "o:wjg", "p:wjg*", "i:wjg*"}},
		{"Wang Jian", []string{"p:wangjian*", "i:wangjian*"}}, // spaces dropped, any case
		{"w", []string{"h:w", "o:w", "p:w", "i:w"}},           // one letter: exact only
		{"13812345678", []string{"h:13812345678", "o:13812345678", "t:87654321831*"}},
		{"+86 138 1234 5678", []string{"t:87654321831*"}},
		{"11010519491231002x", []string{"d:X20013219491501011"}},
		{"002x", []string{"h:002x", "o:002x", "d:X200*"}},
		{"1234567", []string{"h:1234567", "o:1234567", "t:7654321*"}}, // 7 digits: too long for an ID's tail
	} {
		p, err := Parse(tc.q)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		got := kinds(p)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: probes %v lack %s", tc.q, got, w)
			}
		}
		if tc.q == "203" && !slices.Equal(got, []string{"h:203", "o:203"}) {
			t.Errorf("203 probes %v: a three-digit query is a house number only", got)
		}
		if tc.q == "1234567" && slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "d:") }) {
			t.Errorf("1234567 probes %v: 7 digits are no ID tail", got)
		}
	}
	for _, q := range []string{"", "   ", "\t\n"} {
		if _, err := Parse(q); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("%q: %v, want ErrEmptyQuery", q, err)
		}
	}
	if _, err := Parse(strings.Repeat("王", MaxQueryRunes+1)); !errors.Is(err, ErrTooLong) {
		t.Errorf("long query: %v", err)
	}
}

// A number stored with 号 ('205号', full-width digits) is keyed and shown
// without it; a 号 after no digit is part of the number.
func TestPlainNumber(t *testing.T) {
	for _, tc := range []struct{ in, plain, key string }{
		{"205号", "205", "205"},
		{"２０５号", "205", "205"},
		{" 10－1号 ", "10-1", "10-1"},
		{"附1号", "附1", "附1"},
		{"203", "203", "203"},
		{"甲号", "甲号", "甲号"},
		{"号", "号", "号"},
		{"A3号", "A3", "a3"},
		{"", "", ""},
	} {
		if got := PlainNumber(tc.in); got != tc.plain {
			t.Errorf("PlainNumber(%q) = %q, want %q", tc.in, got, tc.plain)
		}
		if got := NumberKey(tc.in); got != tc.key {
			t.Errorf("NumberKey(%q) = %q, want %q", tc.in, got, tc.key)
		}
	}
	for _, keys := range [][]Key{HouseKeys("998号", []string{"118号"}), HouseholdKeys("赵六", "", "", "", "205号", false)} {
		for _, k := range keys {
			if (k.Kind == KindNumber || k.Kind == KindOldNumber) && strings.HasSuffix(k.Value, "号") {
				t.Errorf("keys %v: number key %q keeps its 号", keys, k.Value)
			}
		}
	}
}

func TestKeys(t *testing.T) {
	ks := PersonKeys("单雄", "11010519491231002x", "+86 139 0000 5678", "12")
	var got []string
	for _, k := range ks {
		got = append(got, k.Kind+":"+k.Value)
	}
	for _, w := range []string{"n:单雄", "g:雄", "p:shanxiong", "p:danxiong", "i:sx", "i:dx", "t:87650000931", "d:X20013219491501011"} {
		if !slices.Contains(got, w) {
			t.Errorf("keys %v lack %s", got, w)
		}
	}
	if slices.ContainsFunc(got, func(s string) bool { return s == "t:21" }) {
		t.Errorf("keys %v: a 2-digit phone is no phone", got)
	}
	if g := GivenName("欧阳明月"); g != "明月" {
		t.Errorf("given name of 欧阳明月: %q", g)
	}
	if hk := HouseholdKeys("", "", "", "", "88", true); len(hk) != 0 {
		t.Errorf("a household on the map gives its door number: %v", hk)
	}
	if hk := HouseholdKeys("", "", "", "", "88", false); len(hk) != 1 || hk[0] != (Key{KindNumber, "88"}) {
		t.Errorf("door number of a household off the map: %v", hk)
	}
}

func TestLookupClassify(t *testing.T) {
	l := Lookup{Kind: KindName, Value: "王", Exact: MatchName, Prefix: MatchNamePrefix}
	for key, want := range map[string]Match{"王": MatchName, "王建国": MatchNamePrefix, "汪": MatchNone, "李王": MatchNone} {
		if got := l.Classify(key); got != want {
			t.Errorf("%s: %v, want %v", key, got, want)
		}
		if in := key >= l.Value && key < l.Upper(); in != (want != MatchNone) {
			t.Errorf("%s: inside the range %v, matches %v", key, in, want)
		}
	}
}

// FuzzParse: anything typed into a search box parses or is refused by
// name, never panics, and every probe is valid text whose prefix range
// holds exactly the keys that start with it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"203", "２０３－１", "王", "wjg", "13812345678", "+86 138", "附1", "\x00", "  ", "坑塘", "ǚ", "17-1-1",
		"11010519491231002x", "002X", "\xff\xfe", "王 jian 203", strings.Repeat("9", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := Parse(q)
		if err != nil {
			if !errors.Is(err, ErrEmptyQuery) && !errors.Is(err, ErrTooLong) {
				t.Fatalf("%q: unexpected error %v", q, err)
			}
			return
		}
		if p.Text == "" || len(p.Lookups) > 9 {
			t.Fatalf("%q: plan %+v", q, p)
		}
		for _, l := range p.Lookups {
			if !utf8.ValidString(l.Value) || l.Value == "" {
				t.Fatalf("%q: probe %+v", q, l)
			}
			if l.Exact == MatchNone && l.Prefix == MatchNone {
				t.Fatalf("%q: probe %+v matches nothing", q, l)
			}
			longer := l.Value + "国"
			if (l.Classify(longer) != MatchNone) != (l.Prefix != MatchNone) || longer >= l.Upper() {
				t.Fatalf("%q: probe %+v: %q classified %v", q, l, longer, l.Classify(longer))
			}
		}
	})
}
