package kit

import (
	"errors"
	"testing"

	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// Every schedule.Problem has its words.
func TestEveryProblemHasWords(t *testing.T) {
	for _, code := range schedule.ProblemCodes {
		if problemKeys[code] == "" {
			t.Errorf("problem %q has no words (problemKeys)", code)
		}
	}
	for _, in := range []string{schedule.InRule, schedule.InException, schedule.InMember} {
		if problemWhere[in] == "" {
			t.Errorf("%q has no words (problemWhere)", in)
		}
	}
}

// Figures' problems are said in the officer's words where their fault is
// a schedule.Problem, and as the figures say them otherwise (an older
// figure without its fault, a fault of another kind).
func TestFigureProblems(t *testing.T) {
	in := schedule.Input{Teams: []schedule.Team{{ID: "t", Name: "一队"}},
		Rules: []schedule.Rule{{ID: "r", Name: "夜巡", TeamID: "t", Kind: schedule.KindPatrol}}}
	f, err := tally.Tally(in, nil, schedule.DateOf(2026, 12, 1), schedule.DateOf(2026, 12, 2), tally.Due{}, tally.ByMonth)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Problems) != 1 || len(f.Faults) != 1 {
		t.Fatalf("a rule without days or hours: problems %q, faults %v", f.Problems, f.Faults)
	}
	other := errors.New("patrol times do not read")
	f.Problems = append(f.Problems, "old figure without its fault", "patrols: "+other.Error())
	f.Faults = append(f.Faults, nil, other)
	got := FigureProblems(f)
	if len(got) != 3 || got[0] == f.Problems[0] || !containsHan(got[0]) {
		t.Errorf("the roster's fault: %q, want it in the officer's words, not %q", got[0], f.Problems[0])
	}
	if got[1] != f.Problems[1] || got[2] != f.Problems[2] {
		t.Errorf("other problems: %q, want them as the figures say them", got[1:])
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
