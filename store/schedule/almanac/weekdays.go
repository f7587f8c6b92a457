package almanac

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WeekdaysOff is a member's regular days off (固定休息: a volunteer who
// never patrols on the market day his stall is open) from a day on, until
// the next WeekdaysOff of the same member.
type WeekdaysOff struct {
	From Date
	Days []time.Weekday // sorted, Monday first; none: no regular day off from From
}

// String is the store form: "2026-12-06:3,6" (ISO weekday numbers, 1
// Monday … 7 Sunday), "2026-12-06:" for none from that day.
func (w WeekdaysOff) String() string {
	nums := make([]string, len(w.Days))
	for i, d := range w.Days {
		nums[i] = strconv.Itoa(isoWeekday(d))
	}
	return w.From.String() + ":" + strings.Join(nums, ",")
}

func isoWeekday(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

// SortWeekdays sorts days Monday first and drops repeats.
func SortWeekdays(days []time.Weekday) []time.Weekday {
	out := slices.Clone(days)
	slices.SortFunc(out, func(a, b time.Weekday) int { return isoWeekday(a) - isoWeekday(b) })
	return slices.Compact(out)
}

// ParseWeekdaysOff reads a member's regular days off in the store form
// (WeekdaysOff.String), one entry a change, in order of their days.
func ParseWeekdaysOff(ss []string) ([]WeekdaysOff, error) {
	out := make([]WeekdaysOff, 0, len(ss))
	for i, s := range ss {
		day, nums, ok := strings.Cut(strings.TrimSpace(s), ":")
		if !ok {
			return nil, fmt.Errorf("days off %d %q: want YYYY-MM-DD:1,3 (weekdays 1 Monday … 7 Sunday)", i, s)
		}
		from, err := ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("days off %d: %w", i, err)
		}
		w := WeekdaysOff{From: from}
		if nums != "" {
			for _, n := range strings.Split(nums, ",") {
				k, err := strconv.Atoi(strings.TrimSpace(n))
				if err != nil || k < 1 || k > 7 {
					return nil, fmt.Errorf("days off %d %q: weekday %q is not 1 (Monday) … 7 (Sunday)", i, s, n)
				}
				w.Days = append(w.Days, time.Weekday(k%7))
			}
		}
		w.Days = SortWeekdays(w.Days)
		if i > 0 && from <= out[i-1].From {
			return nil, fmt.Errorf("days off %d %q: not after the one before (%s)", i, s, out[i-1].From)
		}
		out = append(out, w)
	}
	return out, nil
}

// OffOn is the regular days off in force on day d ("" none): the last
// change from d or before.
func OffOn(ws []WeekdaysOff, d Date) []time.Weekday {
	var days []time.Weekday
	for _, w := range ws {
		if w.From > d {
			break
		}
		days = w.Days
	}
	return days
}

// KeepPastWeekdaysOff is a member's regular days off set to days on
// today, the days before today kept as was has them: the changes before
// today stay, any from today on give way to days, which is added only
// when it differs from what was in force the day before (so setting what
// was there adds nothing).
func KeepPastWeekdaysOff(was []WeekdaysOff, days []time.Weekday, today Date) []WeekdaysOff {
	var out []WeekdaysOff
	for _, w := range was {
		if w.From < today {
			out = append(out, w)
		}
	}
	days = SortWeekdays(days)
	if !slices.Equal(OffOn(out, today), days) {
		out = append(out, WeekdaysOff{From: today, Days: days})
	}
	return out
}

// FormatWeekdaysOff is ws in the store form.
func FormatWeekdaysOff(ws []WeekdaysOff) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}
