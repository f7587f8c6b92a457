package almanac

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a civil date in the Gregorian calendar, stored as its Julian Day
// Number so that day arithmetic, weekdays and the sexagenary day cycle are
// integer operations. The zero Date means "not set".
type Date int32

// Supported calendar range. The lunar library computes new moons
// astronomically and is trustworthy well beyond this, but villages only need
// the present; a bounded range also keeps bad input from expanding forever.
const (
	MinYear = 1901
	MaxYear = 2099
)

// DateOf returns the civil date of y-m-d without range checks; use ParseDate
// or NewDate for outside input.
func DateOf(y, m, d int) Date {
	// Fliegel & Van Flandern (1968), valid for every Gregorian date.
	a := (14 - m) / 12
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return Date(d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045)
}

// NewDate validates y-m-d and the supported range.
func NewDate(y, m, d int) (Date, error) {
	if m < 1 || m > 12 || d < 1 || d > DaysIn(y, m) {
		return 0, fmt.Errorf("date %04d-%02d-%02d does not exist", y, m, d)
	}
	if y < MinYear || y > MaxYear {
		return 0, fmt.Errorf("date %04d-%02d-%02d is outside the supported calendar range %d-01-01..%d-12-31", y, m, d, MinYear, MaxYear)
	}
	return DateOf(y, m, d), nil
}

// ParseDate reads "2026-12-01".
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) != 2 || len(parts[2]) != 2 {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
		}
		n[i] = v
	}
	return NewDate(n[0], n[1], n[2])
}

// Zone is Beijing time (UTC+8; China has kept no daylight saving since
// 1991): the one zone in which cunjing reckons calendar days — today, the
// day of a duty or a patrol, a month's first and last day — whatever zone
// the machine is set to (a station's headless server often runs in UTC, a
// laptop bought abroad in another). Every user of cunjing works in Beijing
// time. A fixed zone, so it needs no tzdata (Windows has none). store/clock
// and schedule re-name it; nothing else defines a zone.
var Zone = time.FixedZone("CST", 8*60*60)

// DayOf returns the calendar day of the instant t in Beijing time (Zone),
// whatever t's location: 2026-12-05 23:30 UTC is 2026-12-06.
func DayOf(t time.Time) Date { return FromTime(t.In(Zone)) }

// FromTime returns the civil date of t in t's location: for a date held as
// a time.Time (midnight of a day); an instant's day is DayOf's.
func FromTime(t time.Time) Date {
	return DateOf(t.Year(), int(t.Month()), t.Day())
}

// YMD returns year, month, day.
func (d Date) YMD() (y, m, day int) {
	// Inverse of DateOf (Richards 2013).
	f := int(d) + 1401 + (((4*int(d)+274277)/146097)*3)/4 - 38
	e := 4*f + 3
	g := (e % 1461) / 4
	h := 5*g + 2
	day = (h%153)/5 + 1
	m = (h/153+2)%12 + 1
	y = e/1461 - 4716 + (12+2-m)/12
	return y, m, day
}

// Time returns midnight of d in loc (UTC when loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, day := d.YMD()
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, loc)
}

// Weekday of d.
func (d Date) Weekday() time.Weekday { return time.Weekday((int(d) + 1) % 7) }

// AddDays returns d+n.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

func (d Date) String() string {
	if d == 0 {
		return ""
	}
	y, m, day := d.YMD()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// MarshalText writes "2026-12-01" (empty when unset).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2026-12-01"; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) inRange() bool {
	return d >= DateOf(MinYear, 1, 1) && d <= DateOf(MaxYear, 12, 31)
}

func CheckRange(d Date) error {
	if !d.inRange() {
		return fmt.Errorf("date %s is outside the supported calendar range %d-01-01..%d-12-31", d, MinYear, MaxYear)
	}
	return nil
}

func DaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DateRange is an inclusive range of dates.
type DateRange struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// Contains reports whether d lies in r.
func (r DateRange) Contains(d Date) bool { return d >= r.From && d <= r.To }

// String gives the range, e.g. "2026-01-01..2026-01-03" (one day: the day).
func (r DateRange) String() string {
	if r.From == r.To {
		return r.From.String()
	}
	return r.From.String() + ".." + r.To.String()
}

// ParseDateRange reads "2026-12-01..2026-12-05" or a single date, the form the
// store keeps members' leave in.
func ParseDateRange(s string) (DateRange, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		to = from
	}
	f, err := ParseDate(from)
	if err != nil {
		return DateRange{}, fmt.Errorf("range %q: %w", s, err)
	}
	t, err := ParseDate(to)
	if err != nil {
		return DateRange{}, fmt.Errorf("range %q: %w", s, err)
	}
	if t < f {
		return DateRange{}, fmt.Errorf("range %q ends before it starts", s)
	}
	return DateRange{From: f, To: t}, nil
}

// ParseLeave converts the store's leave strings into ranges.
func ParseLeave(ss []string) ([]DateRange, error) {
	out := make([]DateRange, 0, len(ss))
	for i, s := range ss {
		r, err := ParseDateRange(s)
		if err != nil {
			return nil, fmt.Errorf("leave %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Clock is a time of day in minutes after midnight; 24:00 (1440) is allowed
// as the end of a window.
type Clock int16

// ParseClock reads "07:00", "7:00", "16:30" or "24:00".
func ParseClock(s string) (Clock, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "：", ":"))
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q: want HH:MM between 00:00 and 24:00", s)
	}
	return Clock(hh*60 + mm), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "07:00".
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "07:00".
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Window is a time of day a slot covers. An End at or before Start runs into
// the next day, so 08:00–08:00 is a 24-hour duty.
type Window struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// Minutes is the window's length.
func (w Window) Minutes() int {
	n := int(w.End) - int(w.Start)
	if n <= 0 {
		n += 1440
	}
	return n
}

// Overnight reports whether the window ends on the next day.
func (w Window) Overnight() bool { return int(w.Start)+w.Minutes() > 1440 }

func (w Window) String() string { return w.Start.String() + "-" + w.End.String() }

// ParseWindows reads one or more windows: "07:00-08:00、16:30-17:30",
// "08:00–08:00" (24 hours), "全天"/"24小时" (08:00–08:00, the usual hand-over
// time at a post).
func ParseWindows(s string) ([]Window, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("no time given")
	}
	var out []Window
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }) {
		part = strings.TrimSpace(part)
		switch part {
		case "全天", "24小时", "二十四小时", "24h":
			out = append(out, Window{Start: 8 * 60, End: 8 * 60})
			continue
		}
		var a, b string
		var ok bool
		for _, sep := range []string{"–", "—", "~", "～", "至", "到", "-"} {
			if a, b, ok = strings.Cut(part, sep); ok {
				break
			}
		}
		if !ok {
			return nil, fmt.Errorf("window %q: want HH:MM-HH:MM", part)
		}
		st, err := ParseClock(a)
		if err != nil {
			return nil, fmt.Errorf("window %q: %w", part, err)
		}
		en, err := ParseClock(b)
		if err != nil {
			return nil, fmt.Errorf("window %q: %w", part, err)
		}
		if st == 1440 {
			return nil, fmt.Errorf("window %q: cannot start at 24:00", part)
		}
		out = append(out, Window{Start: st, End: en})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no time given")
	}
	return out, nil
}

// WindowsFromColumns builds windows from the store's start and end columns,
// which may each hold a comma-separated list ("07:00,16:30" and
// "08:00,17:30") for a rule with several windows a day.
func WindowsFromColumns(start, end string) ([]Window, error) {
	ss := strings.Split(start, ",")
	es := strings.Split(end, ",")
	if len(ss) != len(es) {
		return nil, fmt.Errorf("windows: %d start times but %d end times", len(ss), len(es))
	}
	parts := make([]string, len(ss))
	for i := range ss {
		parts[i] = strings.TrimSpace(ss[i]) + "-" + strings.TrimSpace(es[i])
	}
	return ParseWindows(strings.Join(parts, ","))
}
