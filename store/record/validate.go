package record

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// FieldError says which field of which record is wrong, so the UI can put
// the message next to the right input.
type FieldError struct {
	Table string
	Field string
	Value string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("%s.%s %q: %s", e.Table, e.Field, e.Value, e.Msg)
	}
	return fmt.Sprintf("%s.%s: %s", e.Table, e.Field, e.Msg)
}

func fieldErr(table, field, value, msg string) error {
	return &FieldError{Table: table, Field: field, Value: value, Msg: msg}
}

// normaliseDigits turns full-width digits and letters into ASCII, drops
// spaces (ledgers are typed by hand and often padded) and upper-cases x.
func normaliseDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == 'ｘ' || r == 'Ｘ' || r == 'x':
			b.WriteRune('X')
		case unicode.IsSpace(r) || r == '\u3000' || r == '-':
			// skip separators
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar computes the GB 11643-1999 check character of the first 17
// digits of a resident ID number.
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("want 17 digits, got %d", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		d := first17[i]
		if d < '0' || d > '9' {
			return 0, fmt.Errorf("character %d is not a digit", i+1)
		}
		sum += int(d-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}

// NormaliseIDNumber validates a resident ID number and returns its canonical
// 18-character form. It accepts full-width digits, spaces and a lowercase x,
// and upgrades a 15-digit first-generation number by inserting "19" after
// the area code and computing the check character. Unknown area codes are
// accepted: the list changes and a wrong rejection blocks real people.
func NormaliseIDNumber(raw string) (string, error) {
	s := normaliseDigits(raw)
	switch len(s) {
	case 15:
		for i := 0; i < 15; i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", fmt.Errorf("15-digit ID must be all digits")
			}
		}
		s17 := s[:6] + "19" + s[6:]
		c, err := IDCheckChar(s17)
		if err != nil {
			return "", err
		}
		s = s17 + string(c)
	case 18:
	default:
		return "", fmt.Errorf("ID number must have 18 characters (or 15), has %d", len(s))
	}
	want, err := IDCheckChar(s[:17])
	if err != nil {
		return "", err
	}
	if s[17] != want {
		return "", fmt.Errorf("check character is %c, want %c (typo?)", s[17], want)
	}
	if _, err := IDBirthDate(s); err != nil {
		return "", err
	}
	return s, nil
}

// IDBirthDate returns the birth date encoded in a canonical 18-char ID.
func IDBirthDate(id string) (time.Time, error) {
	if len(id) != 18 {
		return time.Time{}, fmt.Errorf("ID number must have 18 characters")
	}
	t, err := time.Parse("20060102", id[6:14])
	if err != nil {
		return time.Time{}, fmt.Errorf("birth date %s in ID is not a real date", id[6:14])
	}
	// Only the calendar's sane range here: whether a birth date lies in
	// the future is a question for a clock (CheckIDNumberAt and Save ask
	// the store's), never this PC's wall clock.
	if t.Year() < 1880 || t.Year() > 2199 {
		return time.Time{}, fmt.Errorf("birth date %s in ID is out of range", id[6:14])
	}
	return t, nil
}

// IDGender returns "男" or "女" from the sequence digit (odd is male).
func IDGender(id string) string {
	if len(id) != 18 {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{2,3}\d{7,8}$`)
)

// NormalisePhone validates a mobile, landline or service number and returns
// it without spaces, dashes or the +86 prefix.
func NormalisePhone(raw string) (string, error) {
	s := normaliseDigits(raw)
	s = strings.NewReplacer("(", "", ")", "", "（", "", "）", "").Replace(s)
	if strings.HasPrefix(s, "+86") {
		s = s[3:]
	} else if strings.HasPrefix(s, "86") && len(s) == 13 {
		s = s[2:]
	}
	switch {
	case mobileRe.MatchString(s), landlineRe.MatchString(s):
		return s, nil
	case s == "110" || s == "119" || s == "120" || s == "122":
		return s, nil
	}
	return "", fmt.Errorf("not a mobile (1xxxxxxxxxx), landline (0 + area code + number) or service number")
}

// MaskIDNumber hides the middle of an ID number (1401**********123X) for
// roles that may not see it in full.
func MaskIDNumber(id string) string {
	if len(id) <= 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}

func validDate(s string) bool {
	if s == "" {
		return true
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func oneOf(v string, allowed ...string) bool {
	if v == "" {
		return true
	}
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// IDProblem says what is wrong with a typed ID number, in a form a screen
// can turn into plain words while the officer is still typing.
type IDProblem int

// ID number problems, in the order CheckIDNumber looks for them.
const (
	IDOK          IDProblem = iota // valid (or empty: the number is optional)
	IDShort                        // fewer than 18 characters (or 15) so far
	IDLong                         // more than 18 characters
	IDBadChar                      // a character that is not a digit (X only last)
	IDBadDate                      // the birth date in it does not exist or is out of range
	IDBadCheck                     // the last character does not match: a typo somewhere
	IDFutureBirth                  // valid, but the birth date in it is after today (CheckIDNumberAt)
)

// CheckIDNumberAt is CheckIDNumber that also refuses a birth date after
// the day of now (the store's or the window's clock), as Save does.
func CheckIDNumberAt(raw string, now time.Time) (id string, problem IDProblem) {
	id, problem = CheckIDNumber(raw)
	if id != "" && IDBirthAfter(id, now) {
		return "", IDFutureBirth
	}
	return id, problem
}

// CheckIDNumber normalises raw like NormaliseIDNumber and says what is
// wrong with it, if anything. An empty number is IDOK with an empty id.
// It never disagrees with NormaliseIDNumber: id is non-empty exactly when
// NormaliseIDNumber accepts raw.
func CheckIDNumber(raw string) (id string, problem IDProblem) {
	s := normaliseDigits(raw)
	if s == "" {
		return "", IDOK
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && !(c == 'X' && i == 17) {
			return "", IDBadChar
		}
	}
	switch {
	case len(s) > 18:
		return "", IDLong
	case len(s) != 18 && len(s) != 15:
		return "", IDShort
	}
	if len(s) == 18 {
		if _, err := IDBirthDate(s); err != nil {
			return "", IDBadDate
		}
	} else if _, err := IDBirthDate(s[:6] + "19" + s[6:] + "0"); err != nil {
		return "", IDBadDate
	}
	id, err := NormaliseIDNumber(s)
	if err != nil {
		return "", IDBadCheck
	}
	return id, IDOK
}

// MsgNotFinite is the FieldError message of a number that is NaN or
// infinite. Forms refuse them as typed, but a record can come another way
// (a ledger import, a future screen): SQLite stores NaN as NULL, which a
// NOT NULL column refuses with a raw error, and Inf prints as "+Inf元".
const MsgNotFinite = "is not a finite number"

// num is a float field of a record, for finite.
type num struct {
	field string
	v     float64
}

// finite refuses the first of nums that is NaN or infinite. Each Validate
// of a record with float fields calls it first: the range checks after it
// compare, and every comparison with NaN is false, so NaN would pass them.
func finite(table string, nums ...num) error {
	for _, n := range nums {
		if math.IsNaN(n.v) || math.IsInf(n.v, 0) {
			return fieldErr(table, n.field, fmt.Sprint(n.v), MsgNotFinite)
		}
	}
	return nil
}
