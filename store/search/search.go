// Package search is cunjing's one search: what a typed query means, which
// index keys a house, household or person gives, and how hits rank. The
// map's find box, the household list, `cunjing locate`, the station's
// township search and the emergency card all go through it (through
// store.Store.Search), so the same words find the same houses, ranked the
// same, everywhere.
//
// It sits below store, pure like store/schedule, rather than above it like
// store/ledger: the keys must be derived on every write path of the
// database — Save, the ledger import and sync's Apply — and only store sees
// all of them, so store calls Keys when it writes and Parse when it reads,
// and the rules exist once. Nothing here touches the database.
//
// The rules, best first (Match order):
//
//	number      a house's current number, exact (203, ２０３, 10-1, 203号)
//	old-number  a number the house had before, exact
//	name        a person's or householder's name, exact; then a prefix (王 → 王建国);
//	            then the given name alone (海涛 → 孙海涛: officers know people by it)
//	pinyin      full pinyin or initials, exact (zjj, zhangjianjun); then a prefix
//	landmark    a landmark's name containing the query (map only)
//	phone       a phone, whole; then its last 4 or more digits
//	id          an ID number, exact (18 or 15 characters); then its last 4–6
//
// Nothing matches an arbitrary part of an ID number, a phone or a name:
// "203" finds house 203, not every ID with 203 in it.
package search

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"cunjing/maps/numbering"

	"github.com/mozillazg/go-pinyin"
)

// Key kinds in the index.
const (
	KindNumber    = "h" // a house's number (or a household's door number when it has no house on the map)
	KindOldNumber = "o" // a house's former numbers
	KindName      = "n" // a person's name
	KindGiven     = "g" // a person's given name (the name without its surname)
	KindPinyin    = "p" // full pinyin of a name, lower case, no spaces
	KindInitials  = "i" // pinyin initials of a name
	KindPhone     = "t" // a phone's digits, reversed (a tail is a prefix)
	KindID        = "d" // an ID number, reversed (its last digits are a prefix)
)

// Key is one index entry of a record.
type Key struct {
	Kind  string
	Value string
}

// Match says what matched; smaller is better.
type Match int

// The ranks, best first.
const (
	MatchNone Match = iota
	MatchNumber
	MatchOldNumber
	MatchName
	MatchNamePrefix
	MatchGivenName
	MatchPinyin
	MatchPinyinPrefix
	MatchLandmark
	MatchPhone
	MatchPhoneTail
	MatchID
	MatchIDTail
)

var matchNames = [...]string{"", "number", "old-number", "name", "name-prefix", "given-name", "pinyin", "pinyin-prefix",
	"landmark", "phone", "phone-tail", "id", "id-tail"}

func (m Match) String() string {
	if m < 0 || int(m) >= len(matchNames) {
		return "?"
	}
	return matchNames[m]
}

// Errors of Parse.
var (
	ErrEmptyQuery = errors.New("search query is empty")
	ErrTooLong    = errors.New("search query is too long")
)

// MaxQueryRunes bounds a query: nothing searched for is longer than an
// address line.
const MaxQueryRunes = 64

// Lookup is one probe of the index: keys of Kind equal to Value are Exact
// matches; when Prefix is set, keys starting with Value are Prefix matches.
type Lookup struct {
	Kind   string
	Value  string
	Exact  Match // MatchNone: an exact key is not a hit of its own (it still is a Prefix one)
	Prefix Match // MatchNone: exact keys only
}

// Upper is the exclusive upper bound of a prefix range: every key that
// starts with Value sorts (bytewise, as SQLite's BINARY collation does)
// at or above Value and below Upper.
func (l Lookup) Upper() string { return l.Value + string(utf8.MaxRune) }

// Classify says how key matched this lookup.
func (l Lookup) Classify(key string) Match {
	switch {
	case key == l.Value && l.Exact != MatchNone:
		return l.Exact
	case l.Prefix != MatchNone && strings.HasPrefix(key, l.Value):
		return l.Prefix
	}
	return MatchNone
}

// Plan is a parsed query: the index probes to make, best first, and the
// text a landmark name is matched against.
type Plan struct {
	Text     string // trimmed
	Lookups  []Lookup
	Landmark string // "" when the query cannot be a landmark's name
}

// Parse reads what was typed into a search box.
func Parse(text string) (Plan, error) {
	q := strings.TrimSpace(text)
	if q == "" {
		return Plan{}, ErrEmptyQuery
	}
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, "")
		if strings.TrimSpace(q) == "" {
			return Plan{}, ErrEmptyQuery
		}
	}
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		return Plan{}, ErrTooLong
	}
	p := Plan{Text: q}
	// "203号" is how the screens and people write a door number: the
	// number is what comes before 号 (NumberKey drops it).
	if n := NumberKey(q); n != "" {
		p.Lookups = append(p.Lookups,
			Lookup{Kind: KindNumber, Value: n, Exact: MatchNumber},
			Lookup{Kind: KindOldNumber, Value: n, Exact: MatchOldNumber})
		// A number stored with 号 ('205号') is keyed plain too: an index
		// derived before NumberKey dropped it is rebuilt on open
		// (searchindex's version 2), so one probe finds it.
	}
	if hasHan(q) {
		name := NameKey(q)
		p.Lookups = append(p.Lookups, Lookup{Kind: KindName, Value: name, Exact: MatchName, Prefix: MatchNamePrefix},
			Lookup{Kind: KindGiven, Value: name, Exact: MatchGivenName})
		p.Landmark = q
	}
	if latin := strings.ToLower(strings.Join(strings.Fields(q), "")); isLetters(latin) {
		full := Lookup{Kind: KindPinyin, Value: latin, Exact: MatchPinyin}
		if len(latin) >= 3 {
			full.Prefix = MatchPinyinPrefix
		}
		ini := Lookup{Kind: KindInitials, Value: latin, Exact: MatchPinyin}
		if len(latin) >= 2 {
			ini.Prefix = MatchPinyinPrefix
		}
		p.Lookups = append(p.Lookups, full, ini)
	}
	digits := PhoneDigits(q)
	if isPhoneQuery(q, digits) {
		p.Lookups = append(p.Lookups, Lookup{Kind: KindPhone, Value: reverse(digits), Exact: MatchPhone, Prefix: MatchPhoneTail})
	}
	if id := IDKey(q); id != "" {
		p.Lookups = append(p.Lookups, Lookup{Kind: KindID, Value: id, Exact: MatchID})
	} else if tail, ok := idTail(q); ok {
		p.Lookups = append(p.Lookups, Lookup{Kind: KindID, Value: reverse(tail), Prefix: MatchIDTail})
	}
	return p, nil
}

// NumberKey is the index form of a house number: PlainNumber, lower
// case. "" when s cannot be one.
func NumberKey(s string) string {
	n := strings.ToLower(PlainNumber(s))
	if n == "" || utf8.RuneCountInString(n) > 16 {
		return ""
	}
	return n
}

// PlainNumber is a house or door number as the screens and plates show
// it before their 号: full-width digits and dashes made plain, spaces
// dropped, and a trailing 号 after a digit dropped. Numbers stored before
// the forms dropped that 号 ('205号') showed as 205号号 and were not found
// by 205; read through PlainNumber they need no migration.
func PlainNumber(s string) string { return numbering.Plain(s) }

// NameKey is the index form of a name: trimmed, inner spaces dropped.
func NameKey(s string) string { return strings.Join(strings.Fields(s), "") }

// compoundSurnames are the two-character surnames common enough to meet.
var compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
	"长孙", "宇文", "司徒", "夏侯", "端木", "西门", "南宫", "独孤", "呼延", "轩辕"}

// GivenName is a Chinese name without its surname (孙海涛 → 海涛, 欧阳明月
// → 明月); "" when nothing is left or the name is not Chinese.
func GivenName(name string) string {
	if !hasHan(name) {
		return ""
	}
	for _, c := range compoundSurnames {
		if rest, ok := strings.CutPrefix(name, c); ok {
			return rest
		}
	}
	_, size := utf8.DecodeRuneInString(name)
	return name[size:]
}

// HouseKeys are the keys of a house.
func HouseKeys(number string, history []string) []Key {
	var ks []Key
	if n := NumberKey(number); n != "" {
		ks = append(ks, Key{KindNumber, n})
	}
	for _, old := range history {
		if n := NumberKey(old); n != "" {
			ks = append(ks, Key{KindOldNumber, n})
		}
	}
	return dedupeKeys(ks)
}

// PersonKeys are the keys of a person: name, its pinyin, phones and ID
// number (any may be empty).
func PersonKeys(name, idNumber string, phones ...string) []Key {
	var ks []Key
	if n := NameKey(name); n != "" {
		ks = append(ks, Key{KindName, n})
		if g := GivenName(n); g != "" {
			ks = append(ks, Key{KindGiven, g})
		}
		full, initials := NameReadings(n)
		for _, f := range full {
			ks = append(ks, Key{KindPinyin, f})
		}
		for _, i := range initials {
			ks = append(ks, Key{KindInitials, i})
		}
	}
	for _, ph := range phones {
		if d := PhoneDigits(ph); len(d) >= 4 {
			ks = append(ks, Key{KindPhone, reverse(d)})
		}
	}
	if id := IDKey(idNumber); id != "" {
		ks = append(ks, Key{KindID, id})
	}
	return dedupeKeys(ks)
}

// HouseholdKeys are the keys of a household: its householder and tenant
// (names and phones) and, for a household with no house on the map, the
// door number it gives.
func HouseholdKeys(owner, ownerPhone, tenant, tenantPhone, door string, onMap bool) []Key {
	ks := PersonKeys(owner, "", ownerPhone)
	ks = append(ks, PersonKeys(tenant, "", tenantPhone)...)
	if !onMap {
		if n := NumberKey(door); n != "" {
			ks = append(ks, Key{KindNumber, n})
		}
	}
	return dedupeKeys(ks)
}

func dedupeKeys(ks []Key) []Key {
	seen := make(map[Key]bool, len(ks))
	out := ks[:0]
	for _, k := range ks {
		if k.Value != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// IDKey is the index form of a whole ID number (18 characters, or the old
// 15 digits), reversed; "" when s is not one. The checksum is not checked:
// a mistyped number stored is still found by what was stored.
func IDKey(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	switch len(s) {
	case 15:
		if !allDigits(s) {
			return ""
		}
	case 18:
		if !allDigits(s[:17]) || !(s[17] == 'X' || isDigit(s[17])) {
			return ""
		}
	default:
		return ""
	}
	return reverse(s)
}

// idTail: 4–6 digits (the last may be X) can be the end of an ID number.
func idTail(q string) (string, bool) {
	q = strings.ToUpper(q)
	if len(q) < 4 || len(q) > 6 {
		return "", false
	}
	if !allDigits(q[:len(q)-1]) || !(isDigit(q[len(q)-1]) || q[len(q)-1] == 'X') {
		return "", false
	}
	return q, true
}

// PhoneDigits keeps the digits of a phone number, dropping a +86/86 prefix.
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		}
	}
	d := b.String()
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		d = d[2:]
	}
	return d
}

// isPhoneQuery: digits (spaces, dashes, +86 allowed), at least four, can
// be (the end of) a phone number.
func isPhoneQuery(q, digits string) bool {
	if len(digits) < 4 {
		return false
	}
	for _, r := range q {
		if !(unicode.IsDigit(r) || r == ' ' || r == '-' || r == '+' || r == '－') {
			return false
		}
	}
	return true
}

// maxReadings caps the pinyin combinations kept for names full of
// characters with several readings.
const maxReadings = 16

// NameReadings returns the full-pinyin and initial-letter spellings of a
// name, one per combination of the readings of its characters.
func NameReadings(name string) (full, initials []string) {
	if name == "" {
		return nil, nil
	}
	args := pinyin.NewArgs()
	args.Heteronym = true
	full, initials = []string{""}, []string{""}
	for _, r := range name {
		var reads []string
		switch {
		case r < unicode.MaxASCII:
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				reads = []string{strings.ToLower(string(r))}
			}
		default:
			reads = pinyin.SinglePinyin(r, args)
		}
		if len(reads) == 0 {
			continue
		}
		var nf, ni []string
		for k := range full {
			for _, rd := range reads {
				if rd == "" {
					continue
				}
				if len(nf) >= maxReadings {
					break
				}
				nf = append(nf, full[k]+rd)
				ni = append(ni, initials[k]+rd[:1])
			}
		}
		if len(nf) > 0 {
			full, initials = nf, ni
		}
	}
	return dedupe(full), dedupe(initials)
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func reverse(s string) string {
	b := []byte(s) // ASCII only: digits and X
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
