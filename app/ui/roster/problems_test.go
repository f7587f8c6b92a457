package roster

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"cunjing/app/ui/roster/tab"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/schedule"
)

// A roster that does not expand says under 详细信息, in Chinese, whose
// fault it is, what is wrong and what to do — not the schedule's English
// ("rule \"0193…\" (坏规则): rotation needs 5 people per turn but lists
// only 1"), which it said before.
func TestExpandFailureSaysWhatToDo(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		breakIt func(t *testing.T, s *store.Store, team string, member string)
		want    []string
	}{
		{"a rotation bigger than its list", func(t *testing.T, s *store.Store, team, m string) {
			save(t, s, &store.ShiftRule{TeamID: team, Name: "坏规则", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				People: []string{m}, Rotate: 5, ValidFrom: "2026-11-01"})
		}, []string{"排班规则“坏规则”：", "每班要5个人轮换，可名单上只有1个人", "改小"}},
		{"a team-wide rotation of a team with nobody", func(t *testing.T, s *store.Store, team, m string) {
			empty := &store.Team{Name: "空队"}
			save(t, s, empty)
			save(t, s, &store.ShiftRule{TeamID: empty.ID, Name: "空队轮班", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				Rotate: 1, ValidFrom: "2026-11-01"})
		}, []string{"排班规则“空队轮班”：", "轮班没有人可排", "添上队员"}},
		{"a swap naming someone gone", func(t *testing.T, s *store.Store, team, m string) {
			b, err := json.Marshal(schedule.Exception{Action: schedule.Replace, Dates: &schedule.DateRange{From: schedule.DateOf(2026, 12, 1), To: schedule.DateOf(2026, 12, 1)},
				Person: m, Substitute: "0190-gone"})
			if err != nil {
				t.Fatal(err)
			}
			save(t, s, &store.ShiftException{Name: "甲乙换班", Spec: string(b)})
		}, []string{"停排和换班“甲乙换班”：", "它要换的人已经不在队里了"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newPinnedFixture(t)
			ts, err := s.Teams(ctx)
			if err != nil || len(ts) == 0 {
				t.Fatalf("teams %v (%v)", ts, err)
			}
			ms, err := s.Members(ctx, ts[0].ID)
			if err != nil || len(ms) == 0 {
				t.Fatalf("members %v (%v)", ms, err)
			}
			c.breakIt(t, s, ts[0].ID, ms[0].ID)
			_, p := openPatrol(t, s, pinnedDay)
			p.cal.show()
			if got := p.cal.status.Text(); !strings.Contains(got, "排班算不出来") {
				t.Fatalf("status %q", got)
			}
			detail := p.cal.status.Detail()
			for _, w := range c.want {
				if !strings.Contains(detail, w) {
					t.Errorf("详细信息 says %q, want %q in it", detail, w)
				}
			}
			if latin := regexp.MustCompile(`[A-Za-z]{2,}`); latin.MatchString(detail) {
				t.Errorf("详细信息 says %q: English", detail)
			}
		})
	}
}

func save(t *testing.T, s *store.Store, recs ...store.Record) {
	t.Helper()
	if err := s.Save(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

// The rule card says up to when the roster before the edits is kept; a
// rule that ended keeps all its days, so its card says nothing of the
// version its team's members leaving after its end kept (it said
// 改动以前的排班保留到 the day after it ended).
func TestRuleCardSaysWhatIsKept(t *testing.T) {
	uitest.Headless(t)
	vs := `[{"until":"2026-12-01","people":["a"]}]`
	for _, c := range []struct {
		name, validTo string
		says          bool
	}{
		{"in force", "", true},
		{"ends after the version", "2026-12-31", true},
		{"ended before the version", "2026-11-30", false},
		{"ended on its day", "2026-12-01", false},
	} {
		r := store.ShiftRule{Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00", ValidTo: c.validTo, Versions: vs}
		if got := strings.Contains(ruleText(r, tab.Data{}), "改动以前的排班保留到2026-12-01"); got != c.says {
			t.Errorf("%s: says %v, want %v", c.name, got, c.says)
		}
	}
}
