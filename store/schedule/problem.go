package schedule

import (
	"errors"
	"fmt"
)

// Problem is a fault in a roster that stops it expanding, one an officer
// can mend: Code says what it is — the app says it in the officer's words,
// with what to do, under a key of its own for each code, filling in Args
// in order — and Error is the English the command line prints. In and
// Name say whose fault it is (a rule's, a swap's or stop's, a member's),
// set as it is wrapped with its record's name.
type Problem struct {
	Code string
	Args []any
	In   string // InRule, InException, InMember; "" the whole roster's
	Name string
	msg  string
}

func (p *Problem) Error() string { return p.msg }

// Whose a Problem is (Problem.In).
const (
	InRule      = "rule"
	InException = "exception"
	InMember    = "member"
)

// Problem codes (Problem.Code); ProblemCodes lists them all.
const (
	ProblemRange        = "range"        // a date beyond the calendar's years, or a range too long to view
	ProblemBookings     = "bookings"     // too many people on the range's slots
	ProblemRecord       = "record"       // a record damaged (no id, an id twice, a negative count): not the officer's typing
	ProblemTeam         = "team"         // the rule's or member's team is gone
	ProblemMember       = "member"       // the rule lists someone no longer on the roster
	ProblemTwice        = "twice"        // Args: the name listed twice
	ProblemNobody       = "nobody"       // a rotation with nobody to take turns
	ProblemShort        = "short"        // Args: people a turn, people listed
	ProblemStart        = "start"        // a rotation without a start date
	ProblemMinPeople    = "minPeople"    // Args: the least, people a turn
	ProblemDates        = "dates"        // Args: the end, the start (the end is before it)
	ProblemHours        = "hours"        // the hours missing, beyond a day or overlapping
	ProblemDays         = "days"         // the days (spec) do not read
	ProblemKind         = "kind"         // the kind does not read
	ProblemHolidays     = "holidays"     // the holiday policy does not read
	ProblemVersion      = "version"      // a version kept by an earlier edit is damaged
	ProblemGoneRule     = "goneRule"     // a swap or stop names a rule deleted
	ProblemGonePerson   = "gonePerson"   // a swap names someone no longer on the roster
	ProblemSelf         = "self"         // Args: who would stand in for themself
	ProblemExcDays      = "excDays"      // a swap's or stop's days do not read
	ProblemAddNoRules   = "addNoRules"   // an added day names no rule
	ProblemLeave        = "leave"        // Args: the leave's first and last day (the last before the first)
	ProblemHolidayEntry = "holidayEntry" // an entry of the holiday calendar does not read
)

// ProblemCodes are every Problem code.
var ProblemCodes = []string{ProblemRange, ProblemBookings, ProblemRecord, ProblemTeam, ProblemMember, ProblemTwice, ProblemNobody,
	ProblemShort, ProblemStart, ProblemMinPeople, ProblemDates, ProblemHours, ProblemDays, ProblemKind, ProblemHolidays,
	ProblemVersion, ProblemGoneRule, ProblemGonePerson, ProblemSelf, ProblemExcDays, ProblemAddNoRules, ProblemLeave, ProblemHolidayEntry}

// problem is a Problem whose words take the English's arguments.
func problem(code, format string, args ...any) *Problem {
	return &Problem{Code: code, Args: args, msg: fmt.Sprintf(format, args...)}
}

// problemOf is a Problem whose words take no arguments (the English names
// IDs, or is err's).
func problemOf(code string, err error) *Problem { return &Problem{Code: code, msg: err.Error()} }

// problemIDs is problemOf a formatted English.
func problemIDs(code, format string, args ...any) *Problem {
	return problemOf(code, fmt.Errorf(format, args...))
}

// within says err is the fault of a record: in ("rule", …) id (name).
func within(in, id, name string, err error) error {
	if p := (*Problem)(nil); errors.As(err, &p) && p.In == "" {
		p.In, p.Name = in, name
	}
	return fmt.Errorf("%s %q (%s): %w", in, id, name, err)
}
