package kit

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2/lang"

	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// problemKeys are the words for each schedule.Problem code: what is wrong
// and what to do, in the officer's words.
var problemKeys = map[string]string{
	schedule.ProblemRange:        "roster.problem.range",
	schedule.ProblemBookings:     "roster.problem.bookings",
	schedule.ProblemRecord:       "roster.problem.record",
	schedule.ProblemTeam:         "roster.problem.team",
	schedule.ProblemMember:       "roster.problem.member",
	schedule.ProblemTwice:        "roster.problem.twice",
	schedule.ProblemNobody:       "roster.problem.nobody",
	schedule.ProblemShort:        "roster.problem.short",
	schedule.ProblemStart:        "roster.problem.start",
	schedule.ProblemMinPeople:    "roster.problem.minPeople",
	schedule.ProblemDates:        "roster.problem.dates",
	schedule.ProblemHours:        "roster.problem.hours",
	schedule.ProblemDays:         "roster.problem.days",
	schedule.ProblemKind:         "roster.problem.kind",
	schedule.ProblemHolidays:     "roster.problem.holidays",
	schedule.ProblemVersion:      "roster.problem.version",
	schedule.ProblemGoneRule:     "roster.problem.goneRule",
	schedule.ProblemGonePerson:   "roster.problem.gonePerson",
	schedule.ProblemSelf:         "roster.problem.self",
	schedule.ProblemExcDays:      "roster.problem.excDays",
	schedule.ProblemAddNoRules:   "roster.problem.addNoRules",
	schedule.ProblemLeave:        "roster.problem.leave",
	schedule.ProblemHolidayEntry: "roster.problem.holidayEntry",
}

// problemWhere are the words naming whose a problem is (schedule.Problem.In).
var problemWhere = map[string]string{
	schedule.InRule:      "roster.problem.inRule",
	schedule.InException: "roster.problem.inException",
	schedule.InMember:    "roster.problem.inMember",
}

// RosterProblem is err, a roster that does not expand, said in the
// officer's words (whose fault, what is wrong, what to do) when it is a
// schedule.Problem; any other error as it is. The roster's calendar, its
// 完成情况 and the station's screens say it alike.
func RosterProblem(err error) error {
	var p *schedule.Problem
	key, ok := "", false
	if errors.As(err, &p) {
		key, ok = problemKeys[p.Code]
	}
	if !ok {
		return err
	}
	text := fmt.Sprintf(lang.L(key), p.Args...)
	if w, ok := problemWhere[p.In]; ok {
		text = fmt.Sprintf(lang.L(w), p.Name) + text
	}
	return errors.New(text)
}

// FigureProblems are the problems of patrol figures as the window shows
// them: each in the officer's words where its fault is a
// schedule.Problem, else as the figures say it.
func FigureProblems(f tally.Figures) []string {
	out := make([]string, len(f.Problems))
	for i, pr := range f.Problems {
		out[i] = pr
		if i < len(f.Faults) && f.Faults[i] != nil {
			if pe := RosterProblem(f.Faults[i]); pe != f.Faults[i] {
				out[i] = pe.Error()
			}
		}
	}
	return out
}
