package maps

// Search: one box for house numbers (current and old), householder names
// (Chinese, full pinyin or pinyin initials such as "wjg" for 王建国),
// phone numbers (whole or the last four or more digits) and landmark
// names. A SearchIndex is built once per map version; Locate then answers
// from hash maps and one pass over short precomputed strings.

import (
	"cmp"
	"errors"
	"sort"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// LocateHit is one search result. Its JSON keys are the CLI's
// (`cunjing locate … --json`).
type LocateHit struct {
	Number string  `json:"number"`
	Name   string  `json:"name"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`

	HouseID    string `json:"-"` // empty for a landmark
	LandmarkID string `json:"-"`
	// Match says what matched: "number", "old-number", "phone", "name",
	// "pinyin" or "landmark".
	Match string `json:"-"`
	score int
}

// ErrEmptyQuery is returned for a blank search.
var ErrEmptyQuery = errors.New("search query is empty")

type searchEntry struct {
	house    int
	name     string
	phone    string   // digits only
	pinyins  []string // full pinyin readings of the name, e.g. "wangjianguo"
	initials []string // e.g. "wjg"
	at       Point
}

// SearchIndex answers Locate queries for one village.
type SearchIndex struct {
	v         *Village
	entries   []searchEntry
	byNumber  map[string]int
	byOld     map[string][]int
	byPhone   map[string][]int
	landmarks []Landmark
}

// maxReadings caps the pinyin combinations kept for names full of
// characters with several readings.
const maxReadings = 16

// NewSearchIndex precomputes numbers, phones and pinyin for every house.
func NewSearchIndex(v *Village) *SearchIndex {
	ix := &SearchIndex{v: v, byNumber: map[string]int{}, byOld: map[string][]int{}, byPhone: map[string][]int{}, landmarks: v.Landmarks}
	for i := range v.Houses {
		h := &v.Houses[i]
		e := searchEntry{house: i, name: strings.TrimSpace(h.Name), phone: digitsOnly(h.Phone), at: h.Polygon.Centroid()}
		e.pinyins, e.initials = nameReadings(e.name)
		ix.entries = append(ix.entries, e)
		if n := NormalizeNumber(h.Number); n != "" {
			ix.byNumber[strings.ToLower(n)] = i
		}
		for _, old := range h.History {
			if n := strings.ToLower(NormalizeNumber(old)); n != "" {
				ix.byOld[n] = append(ix.byOld[n], i)
			}
		}
		if e.phone != "" {
			ix.byPhone[e.phone] = append(ix.byPhone[e.phone], i)
		}
	}
	return ix
}

// digitsOnly keeps the digits of a phone number, dropping a +86/86 prefix.
func digitsOnly(s string) string {
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

// nameReadings returns the full-pinyin and initial-letter spellings of a
// name, one per combination of the readings of its characters.
func nameReadings(name string) (full, initials []string) {
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

// Match scores, best first.
const (
	scoreNumber    = 100
	scorePhone     = 95
	scoreName      = 94
	scoreOldNumber = 90
	scoreInitials  = 85
	scorePinyin    = 80
	scoreLandmark  = 78
	scoreNamePart  = 70
	scorePyPrefix  = 65
	scorePhoneTail = 60
)

// Locate finds houses (and landmarks) matching the query, best first;
// limit ≤ 0 returns every match.
func (ix *SearchIndex) Locate(query string, limit int) ([]LocateHit, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, ErrEmptyQuery
	}
	best := map[int]LocateHit{} // by house index
	add := func(i int, score int, match string) {
		if h, ok := best[i]; ok && h.score >= score {
			return
		}
		e := &ix.entries[i]
		house := &ix.v.Houses[i]
		best[i] = LocateHit{Number: house.Number, Name: house.Name, X: round1(e.at.X), Y: round1(e.at.Y),
			HouseID: house.ID, Match: match, score: score}
	}
	num := strings.ToLower(NormalizeNumber(q))
	if i, ok := ix.byNumber[num]; ok {
		add(i, scoreNumber, "number")
	}
	for _, i := range ix.byOld[num] {
		add(i, scoreOldNumber, "old-number")
	}
	digits := digitsOnly(q)
	if isPhoneQuery(q, digits) {
		for _, i := range ix.byPhone[digits] {
			add(i, scorePhone, "phone")
		}
		if len(digits) >= 4 && len(digits) < 11 {
			for i := range ix.entries {
				if p := ix.entries[i].phone; p != "" && strings.HasSuffix(p, digits) {
					add(i, scorePhoneTail, "phone")
				}
			}
		}
	}
	han := hasHan(q)
	latin := strings.ToLower(strings.ReplaceAll(q, " ", ""))
	isLatin := isLetters(latin)
	if han || isLatin {
		for i := range ix.entries {
			e := &ix.entries[i]
			if e.name == "" {
				continue
			}
			if han {
				switch {
				case e.name == q:
					add(i, scoreName, "name")
				case strings.Contains(e.name, q):
					add(i, scoreNamePart, "name")
				}
				continue
			}
			for _, in := range e.initials {
				if in == latin {
					add(i, scoreInitials, "pinyin")
				} else if len(latin) >= 2 && strings.HasPrefix(in, latin) {
					add(i, scorePyPrefix, "pinyin")
				}
			}
			for _, py := range e.pinyins {
				if py == latin {
					add(i, scorePinyin, "pinyin")
				} else if len(latin) >= 3 && strings.HasPrefix(py, latin) {
					add(i, scorePyPrefix, "pinyin")
				}
			}
		}
	}
	hits := make([]LocateHit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	if han {
		for _, lm := range ix.landmarks {
			if lm.Name != "" && strings.Contains(lm.Name, q) {
				hits = append(hits, LocateHit{Name: lm.Name, X: round1(lm.Point.X), Y: round1(lm.Point.Y),
					LandmarkID: lm.ID, Match: "landmark", score: scoreLandmark})
			}
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].score != hits[b].score {
			return hits[a].score > hits[b].score
		}
		if c := CompareNumbers(hits[a].Number, hits[b].Number); c != 0 {
			return c < 0
		}
		return hits[a].Name < hits[b].Name
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// Locate is NewSearchIndex plus one query.
func Locate(v *Village, query string, limit int) ([]LocateHit, error) {
	return NewSearchIndex(v).Locate(query, limit)
}

// isPhoneQuery: a query of digits (spaces, dashes, +86 allowed) at least
// four long can be (the end of) a phone number.
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

// CompareNumbers orders house numbers naturally: 2 < 10 < 10-1 < 10-2 < 11,
// numbers before other text; it returns -1, 0 or 1.
func CompareNumbers(a, b string) int {
	ba, sa, oka := baseNumber(NormalizeNumber(a))
	bb, sb, okb := baseNumber(NormalizeNumber(b))
	switch {
	case oka && okb:
		if ba != bb {
			return cmp.Compare(ba, bb)
		}
		if sa != sb {
			return cmp.Compare(sa, sb)
		}
	case oka:
		return -1
	case okb:
		return 1
	}
	return strings.Compare(a, b)
}
