// Package duty lays out the duty table (值班表) of a post for a week or a
// month: an A4 landscape PDF with one row per day, one column per shift rule,
// market days shaded, and the names and phones of everyone on it; and the
// same table as an .xlsx workbook (the spreadsheet export lives here, beside
// the PDF, so both render the same Table).
//
// It takes plain values (Table) and never touches the database; the app
// fills a Table from a store/schedule Schedule.
package duty

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Entry is one shift on one day.
type Entry struct {
	Start  string   // "07:00"
	End    string   // "08:00"; equal to Start for a 24-hour duty
	Rule   string   // rule name: the column heading
	Team   string   // team name: under the heading
	People []string // names
	Alert  bool     // the slot has conflicts (leave, short, double booking): printed marked
}

// Day is one row.
type Day struct {
	Date    time.Time
	Lunar   string   // e.g. "冬月初二"
	Market  bool     // a market day (逢集)
	Notes   []string // exceptions that touched the day: "春节休集", "元旦"
	Entries []Entry
}

// Person is a line of the contact list.
type Person struct {
	Name  string
	Role  string
	Phone string
}

// Table is a duty table ready to print.
type Table struct {
	Title    string // "东村警务室值班表"
	Period   string // "2026年12月" or "2026年12月7日—13日"
	Days     []Day  // in date order
	Contacts []Person
	Footer   string // e.g. the post's phone, "打印于 2026-11-24"
	// Printed is the printing date written into the PDF's metadata (zero:
	// the PDF library's clock); the footer carries the visible one.
	Printed time.Time
}

// column is one rule of one team.
type column struct {
	Rule, Team string
	times      []string // distinct "07:00-08:00" windows, in order
	first      string   // earliest start, for ordering
}

func (c column) key() string { return c.Team + "\x00" + c.Rule }

// Heading gives the two heading lines.
func (c column) heading() (string, string) {
	return c.Rule, strings.TrimSpace(c.Team + " " + strings.Join(c.times, "、"))
}

func window(e Entry) string {
	if e.Start == e.End {
		return e.Start + "起24小时"
	}
	return e.Start + "-" + e.End
}

func (t *Table) validate() error {
	if len(t.Days) == 0 {
		return fmt.Errorf("duty table %q has no days", t.Title)
	}
	for i := 1; i < len(t.Days); i++ {
		if !t.Days[i].Date.After(t.Days[i-1].Date) {
			return fmt.Errorf("duty table %q: day %d (%s) is not after %s", t.Title, i, t.Days[i].Date.Format("2006-01-02"), t.Days[i-1].Date.Format("2006-01-02"))
		}
	}
	if len(t.Days) > 62 {
		return fmt.Errorf("duty table %q: %d days; print a week or a month", t.Title, len(t.Days))
	}
	return nil
}

func (t *Table) columns() []column {
	idx := map[string]int{}
	var cols []column
	for _, d := range t.Days {
		for _, e := range d.Entries {
			c := column{Rule: e.Rule, Team: e.Team}
			i, ok := idx[c.key()]
			if !ok {
				i = len(cols)
				idx[c.key()] = i
				c.first = e.Start
				cols = append(cols, c)
			}
			if w := window(e); !slices.Contains(cols[i].times, w) {
				cols[i].times = append(cols[i].times, w)
			}
			cols[i].first = min(cols[i].first, e.Start)
		}
	}
	for i := range cols {
		slices.Sort(cols[i].times)
	}
	slices.SortStableFunc(cols, func(a, b column) int {
		return cmp.Or(cmp.Compare(a.first, b.first), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Team, b.Team))
	})
	return cols
}

// cell is the text of one day in one column: the names once when every
// window has the same people, else per window. name writes each name (the
// PDF joins its characters so a name never breaks across lines).
func cell(d Day, c column, name func(string) string) (string, bool) {
	var parts []string
	var people [][]string
	alert := false
	for _, e := range d.Entries {
		if e.Rule != c.Rule || e.Team != c.Team {
			continue
		}
		alert = alert || e.Alert
		names := joinNames(e.People, name)
		if names == "" {
			names = "（无人）"
		}
		parts = append(parts, e.Start+" "+names)
		people = append(people, e.People)
	}
	if len(parts) == 0 {
		return "", false
	}
	same := true
	for _, p := range people[1:] {
		same = same && slices.Equal(p, people[0])
	}
	if same {
		s := joinNames(people[0], name)
		if s == "" {
			s = "（无人）"
		}
		return s, alert
	}
	return strings.Join(parts, "；"), alert
}

func joinNames(people []string, name func(string) string) string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = name(p)
	}
	return strings.Join(out, "、")
}

var weekdayCN = [...]string{"日", "一", "二", "三", "四", "五", "六"}

func dateLabel(d time.Time) string {
	return fmt.Sprintf("%d月%d日 周%s", d.Month(), d.Day(), weekdayCN[d.Weekday()])
}
