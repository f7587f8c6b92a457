package rostercmd_test

import (
	"encoding/json"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m) }

// cunjing roster over a year the holiday calendar does not hold (the app
// ships 2026 and 2027) plans the demo's 护学岗 on 元旦 2028 (Monday
// 2028-01-03, 元旦's day off) as on an ordinary Monday, and says so on
// stderr, with or without --json; within the calendar's years it says
// nothing.
func TestCLIRosterSaysWhenAYearHasNoHolidays(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	out, errs, code := clitest.Run(t, "roster", "--db", db, "--from", "2028-01-03", "--to", "2028-01-03", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var slots []struct{ Kind string }
	if err := json.Unmarshal([]byte(out), &slots); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	gate := 0
	for _, s := range slots {
		if s.Kind == "school_gate" {
			gate++
		}
	}
	if gate == 0 {
		t.Fatalf("bad case: no 护学岗 on Monday 2028-01-03: %s", out)
	}
	if !strings.Contains(errs, "holiday calendar has no") || !strings.Contains(errs, "for 2028") || !strings.Contains(errs, "护学岗") {
		t.Errorf("stderr does not say 2028 has no holidays: %q", errs)
	}
	if _, errs, _ := clitest.Run(t, "roster", "--db", db, "--from", "2027-01-01", "--to", "2027-01-31"); strings.Contains(errs, "holiday calendar has no") {
		t.Errorf("2027 is in the calendar, but: %q", errs)
	}
}
