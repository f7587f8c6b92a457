package tally

import (
	"testing"

	"cunjing/store/schedule"
)

// The figures plan what the roster shows on holidays and 调休 days (the
// expansion's own rules are schedule's TestWorkdayRuleOnMakeUpDay), and
// carry the years whose holidays the calendar does not hold.
func TestTallyFollowsHolidays(t *testing.T) {
	hs, err := schedule.DefaultHolidays()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, spec string
		day        schedule.Date
		planned    int
		gaps       int
	}{
		{"周一至周五 护学岗 on 国庆节调休上班 (Saturday)", "周一至周五", schedule.DateOf(2026, 10, 10), 2, 0},
		{"每周一、五 护学岗 on a 调休 Saturday", "每周一、五", schedule.DateOf(2026, 10, 10), 0, 0},
		{"护学岗 not on 元旦 2027", "周一至周五", schedule.DateOf(2027, 1, 1), 0, 0},
		{"2028: the calendar holds no holidays, planned and said", "周一至周五", schedule.DateOf(2028, 1, 3), 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := post(t)
			in.Holidays = hs
			in.Rules = []schedule.Rule{in.Rules[2]} // 护学岗, two windows a day
			in.Rules[0].Spec = spec(t, tc.spec)
			f, err := Tally(in, nil, tc.day, tc.day, Due{}, ByMonth)
			if err != nil {
				t.Fatal(err)
			}
			if f.Planned != tc.planned || len(f.HolidayGaps) != tc.gaps || len(f.Problems) != 0 {
				t.Errorf("planned %d, gaps %+v, problems %v; want %d planned, %d gaps", f.Planned, f.HolidayGaps, f.Problems, tc.planned, tc.gaps)
			}
			if s := expandT(t, in, tc.day, tc.day); len(s.Slots) != f.Planned {
				t.Errorf("the roster shows %d slots, the figures plan %d", len(s.Slots), f.Planned)
			}
		})
	}
}
