package roster

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/roster/rosterwords"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/syncbook"
)

// leaves deletes 孙辅警 as the member's delete button does.
func leaves(t *testing.T, p *Screen, _ store.ShiftRule) {
	for _, m := range p.data.Members {
		if m.Name == "孙辅警" {
			p.RemoveMember(m.ID)
			return
		}
	}
	t.Fatal("no 孙辅警")
}

// Editing who stands on a rule — its people, or the members of the team
// a rule draws on — changes the days from the edit on, never the past:
// the calendar, the duty tables and 完成情况 show the turns as they were
// (they all expand the same rules). Red before: every past turn moved.
func TestEditingWhoStandsKeepsThePast(t *testing.T) {
	ctx := context.Background()
	today, err := schedule.ParseDate(pinnedDay)
	if err != nil {
		t.Fatal(err)
	}
	start := today - 20
	for _, c := range []struct {
		name string
		list bool // the rule lists its people (else it draws on the team)
		edit func(t *testing.T, p *Screen, rule store.ShiftRule)
	}{
		{"a person added to the rule", true, func(t *testing.T, p *Screen, rule store.ShiftRule) {
			p.rules.edit(rule)
			e := p.rules.ed
			e.people.SetSelected(e.people.Options)
			test.Tap(e.saveBtn)
		}},
		{"a person taken off the rule", true, func(t *testing.T, p *Screen, rule store.ShiftRule) {
			p.rules.edit(rule)
			e := p.rules.ed
			e.people.SetSelected(e.people.Options[:1])
			test.Tap(e.saveBtn)
		}},
		{"two a turn instead of one", true, func(t *testing.T, p *Screen, rule store.ShiftRule) {
			p.rules.edit(rule)
			e := p.rules.ed
			e.rotate.SetText("2")
			test.Tap(e.saveBtn)
		}},
		{"a member joins the team", false, func(t *testing.T, p *Screen, rule store.ShiftRule) {
			p.teams.editMember(store.Member{TeamID: rule.TeamID, Role: "辅警"})
			e := p.teams.member
			e.name.SetText("李新人")
			e.save()
		}},
		{"a member leaves the team", false, leaves},
		// Deleting someone a rule lists takes them off it from today (it
		// failed the whole roster before: "unknown member").
		{"a member the rule lists leaves", true, leaves},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newPinnedFixture(t)
			team, err := s.Teams(ctx)
			if err != nil || len(team) == 0 {
				t.Fatalf("teams: %v", err)
			}
			sun := &store.Member{TeamID: team[0].ID, Name: "孙辅警", Role: "辅警"}
			if err := s.Save(ctx, sun); err != nil {
				t.Fatal(err)
			}
			ms, err := s.Members(ctx, team[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			zhao := slices.IndexFunc(ms, func(m store.Member) bool { return m.Name == "赵警官" })
			if zhao < 0 {
				t.Fatal("no 赵警官 in the fixture")
			}
			rule := store.ShiftRule{TeamID: team[0].ID, Name: "轮流值守", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`,
				Windows: "20:00-22:00", Rotate: 1, ValidFrom: start.String()}
			if c.list {
				rule.People = []string{ms[zhao].ID, sun.ID}
			}
			if err := s.Save(ctx, &rule); err != nil {
				t.Fatal(err)
			}
			turns := func() map[schedule.Date]string {
				t.Helper()
				in, err := rosterdata.ScheduleInput(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				sch, err := schedule.Expand(in, start, today+6)
				if err != nil {
					t.Fatal(err)
				}
				out := map[schedule.Date]string{}
				for _, sl := range sch.Slots {
					if sl.RuleID == rule.ID {
						words := fmt.Sprint(sl.People)
						for _, c := range sl.Conflicts {
							words += fmt.Sprintf(" %s:%s/%s/%d/%d", c.Kind, c.Person, c.By, c.Need, c.Have)
						}
						out[sl.Date] = words
					}
				}
				return out
			}
			was := turns()
			u, p := openPatrol(t, s, pinnedDay)
			c.edit(t, p, rule)
			u.Wait()
			now := turns()
			changed := false
			for d := start; d <= today+6; d++ {
				if d < today && now[d] != was[d] {
					t.Errorf("%s (before the edit): %s, was %s", d, now[d], was[d])
				}
				changed = changed || now[d] != was[d]
			}
			if !changed {
				t.Error("the edit changed no day from today on")
			}
			// The rule's card says so.
			k := slices.IndexFunc(p.data.Rules, func(r store.ShiftRule) bool { return r.ID == rule.ID })
			if card := ruleText(p.data.Rules[k], p.data); !strings.Contains(card, "改动以前的排班保留到"+(today-1).String()) {
				t.Errorf("the card does not say the past is kept:\n%s", card)
			}
			// A second edit the same day keeps the first's past too.
			p.rules.edit(p.data.Rules[slices.IndexFunc(p.data.Rules, func(r store.ShiftRule) bool { return r.ID == rule.ID })])
			p.rules.ed.minPeople.SetText("1")
			test.Tap(p.rules.ed.saveBtn)
			u.Wait()
			again := turns()
			for d := start; d < today; d++ {
				if again[d] != was[d] {
					t.Errorf("after a second edit, %s: %s, was %s", d, again[d], was[d])
				}
			}
		})
	}
}

// A post's own 农忙假 for 2028 (a year the app ships no calendar for)
// does not hide that 2028's 寒假 and 暑假 are missing, and with 寒假
// entered the calendar says 暑假 is. Red before: the status line was
// empty once any school day of 2028 was stored.
func TestCalendarSaysWhichSchoolBreakIsMissing(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	rs, err := s.ShiftRules(ctx)
	if err != nil || len(rs) == 0 {
		t.Fatalf("fixture rules: %v", err)
	}
	gate := rs[0]
	gate.ID, gate.Name, gate.Kind, gate.Holidays = "", "村小护学岗", schedule.KindSchoolGate, ""
	gate.Spec, gate.Windows, gate.Rotate, gate.MinPeople, gate.ValidTo = `{"kind":"weekly","weekdays":[1,5]}`, "07:00-08:00", 0, 0, ""
	if err := s.Save(ctx, &gate); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		add  store.Holiday
		want string
	}{
		{store.Holiday{Name: "农忙假", Kind: schedule.HolidaySchool, DateFrom: "2028-05-29", DateTo: "2028-06-04"}, "没有2028年的学校放假（寒暑假）：村小护学岗"},
		{store.Holiday{Name: "寒假", Kind: schedule.HolidaySchool, DateFrom: "2028-01-22", DateTo: "2028-02-20"}, "没有2028年的暑假：村小护学岗"},
	} {
		if err := rosterdata.SaveHoliday(ctx, s, &c.add, pinnedDay); err != nil {
			t.Fatal(err)
		}
		_, p := openPatrol(t, s, "2028-03-06")
		if got := p.cal.status.Text(); !p.cal.status.Visible() || !strings.Contains(got, c.want) {
			t.Errorf("with %s stored, the status (shown %v) says %q, want %q", c.add.Name, p.cal.status.Visible(), got, c.want)
		}
	}
}

// A rule keeps the words it was written in, so a later fix of how they
// are read can re-read them; a rule saved before, whose days can only be
// the old digit-by-digit reading of 逢2、5、10 (two days running), says
// so where it is shown, and so does one whose words read otherwise now.
// Nothing is changed behind the officer's back. Red before: no words were
// kept and nothing was said.
func TestRuleKeepsItsWordsAndSaysWhenToCheckIt(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	p.rules.edit(store.ShiftRule{})
	e := p.rules.ed
	test.Type(e.name, "逢集巡逻")
	e.spec.SetText("农历逢2、5、10")
	e.windows.SetText("07:00-08:00")
	e.people.SetSelected(e.people.Options[:1])
	test.Tap(e.saveBtn)
	u.Wait()
	rule := func(name string) store.ShiftRule {
		t.Helper()
		rs, err := s.ShiftRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Name == name {
				return r
			}
		}
		t.Fatalf("no rule %s", name)
		return store.ShiftRule{}
	}
	if got := rule("逢集巡逻"); !strings.Contains(got.Spec, "农历逢2、5、10") {
		t.Errorf("the words are not kept: %s", got.Spec)
	}
	team := rule("逢集巡逻").TeamID
	for _, c := range []struct{ name, spec string }{
		{"旧集日", `{"kind":"lunar","endings":[1,2,5,10]}`},
		{"老集日", `{"kind":"lunar","endings":[1,4,7]}`},
		{"重读集日", `{"kind":"lunar","endings":[1,2,5,10],"text":"农历逢2、5、10"}`},
	} {
		if err := s.Save(ctx, &store.ShiftRule{TeamID: team, Name: c.name, Kind: schedule.KindMarket, Spec: c.spec, Windows: "08:00-12:00"}); err != nil {
			t.Fatal(err)
		}
	}
	p.Refresh()
	u.Wait()
	for _, c := range []struct{ name, says string }{
		{"逢集巡逻", ""}, {"旧集日", "没有存下原来的写法"}, {"老集日", ""}, {"重读集日", "按现在的读法，“农历逢2、5、10”是农历逢二、五、十"},
	} {
		k := slices.IndexFunc(p.data.Rules, func(r store.ShiftRule) bool { return r.Name == c.name })
		if k < 0 {
			t.Fatalf("no rule %s in the list", c.name)
		}
		// The list's card of the rule shows ruleText.
		card := ruleText(p.data.Rules[k], p.data)
		says := strings.Contains(card, "没有存下原来的写法") || strings.Contains(card, "按现在的读法")
		if c.says == "" && says || c.says != "" && !strings.Contains(card, c.says) {
			t.Errorf("%s's card says:\n%s\nwant %q", c.name, card, c.says)
		}
		if !strings.Contains(uitest.Joined(p.rules.List), card) {
			t.Errorf("the list does not show %s's card", c.name)
		}
	}
	// Saved again without its days touched, the old rule keeps no words
	// it was not written in, and still says to check it.
	p.rules.edit(rule("旧集日"))
	if got := uitest.Joined(p.rules.ed.Object()); !strings.Contains(got, "没有存下原来的写法") {
		t.Errorf("the editor does not say it:\n%s", got)
	}
	p.rules.ed.windows.SetText("08:00-11:00")
	test.Tap(p.rules.ed.saveBtn)
	u.Wait()
	if got := rule("旧集日"); strings.Contains(got.Spec, "text") || got.Windows != "08:00-11:00" {
		t.Errorf("saved again untouched: %s, %s", got.Spec, got.Windows)
	}
}

// Deleting the one person a rule lists is refused with a message naming
// the rule, and nobody is deleted; deleting a team rules draw on likewise.
// Before, the member went and the calendar said 排班没能展开 with
// "unknown member" behind it.
func TestDeletingSomeoneARuleNeeds(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	team := &store.Team{Name: "夜巡队"}
	if err := s.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	qian := &store.Member{TeamID: team.ID, Name: "钱村警", Role: "村警"}
	if err := s.Save(ctx, qian); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.ShiftRule{TeamID: team.ID, Name: "村口夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`,
		Windows: "20:00-22:00", People: []string{qian.ID}, ValidFrom: "2026-11-01"}); err != nil {
		t.Fatal(err)
	}
	u, p := openPatrol(t, s, pinnedDay)
	for _, c := range []struct {
		name string
		del  func()
		want string
	}{
		{"the one member a rule lists", func() { p.RemoveMember(qian.ID) }, "钱村警还是这些规则排班要用的人：「村口夜巡」"},
		{"a team a rule draws on", func() { p.RemoveTeam(team.ID, func() {}) }, "夜巡队还有规则在用：「村口夜巡」"},
	} {
		c.del()
		u.Wait()
		if shown := uitest.Shown(u.Window().Canvas().Overlays().Top()); !strings.Contains(shown, "还不能删除") || !strings.Contains(shown, c.want) {
			t.Errorf("%s: the window says:\n%s", c.name, shown)
		}
		if ms, err := s.Members(ctx, team.ID); err != nil || len(ms) != 1 {
			t.Errorf("%s: %d members left (%v)", c.name, len(ms), err)
		}
		u.Window().Canvas().Overlays().Top().Hide()
		u.Window().Canvas().Overlays().Remove(u.Window().Canvas().Overlays().Top())
	}
	if err := p.data.InErr; err != nil {
		t.Errorf("the roster does not read: %v", err)
	}
}

// Deleting a rule that has run asks whether to end it (saying its past
// stays) and moves it under 已结束的规则; the calendar keeps its days.
func TestDeletingARuleThatRanEndsIt(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	teams, err := s.Teams(ctx)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	rule := &store.ShiftRule{TeamID: teams[0].ID, Name: "秋季护学岗", Kind: schedule.KindSchoolGate, Spec: `{"kind":"daily"}`,
		Windows: "07:00-08:00", MinPeople: 1, ValidFrom: "2026-09-01"}
	if err := s.Save(ctx, rule); err != nil {
		t.Fatal(err)
	}
	u, p := openPatrol(t, s, pinnedDay)
	p.rules.show()
	if got := uitest.Joined(p.rules.List); strings.Contains(got, "已结束的规则") {
		t.Fatalf("an ended section before anything ended:\n%s", got)
	}
	p.RemoveRule(rule.ID)
	u.Wait()
	k := slices.IndexFunc(p.data.Rules, func(r store.ShiftRule) bool { return r.ID == rule.ID })
	if k < 0 || p.data.Rules[k].ValidTo != "2026-12-01" {
		t.Fatalf("the rule after deleting it: %+v", p.data.Rules)
	}
	got := uitest.Joined(p.rules.List)
	if i, j := strings.Index(got, "已结束的规则"), strings.Index(got, "秋季护学岗"); i < 0 || j < i {
		t.Errorf("秋季护学岗 is not under 已结束的规则:\n%s", got)
	}
}

// 保存 tapped twice on a new member (a double click, or again on a slow
// PC) adds one member, as the other areas' forms do (kit.Save).
func TestDoubleSaveOfANewMemberSavesOnce(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	teams, err := s.Teams(ctx)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	u, p := openPatrol(t, s, pinnedDay)
	p.teams.editMember(store.Member{TeamID: teams[0].ID, Role: "辅警"})
	e := p.teams.member
	e.name.SetText("周双击")
	e.save()
	e.save()
	u.Wait()
	ms, err := s.Members(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.DeleteFunc(ms, func(m store.Member) bool { return m.Name != "周双击" })); n != 1 {
		t.Errorf("two taps on 保存 saved %d members", n)
	}
}

// Moving a member to another team that a team-wide rotation of their old
// team cannot do without is refused, naming the rule, and the member stays
// (before, the move went through and the calendar said 排班没能展开).
func TestMovingSomeoneARotationNeeds(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	team := &store.Team{Name: "夜巡队"}
	if err := s.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	qian := &store.Member{TeamID: team.ID, Name: "钱村警", Role: "村警"}
	li := &store.Member{TeamID: team.ID, Name: "李辅警", Role: "辅警"}
	if err := s.Save(ctx, qian, li); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.ShiftRule{TeamID: team.ID, Name: "两人夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`,
		Windows: "20:00-22:00", Rotate: 2, ValidFrom: "2026-11-01"}); err != nil {
		t.Fatal(err)
	}
	u, p := openPatrol(t, s, pinnedDay)
	p.teams.editMember(*qian)
	e := p.teams.member
	other := slices.IndexFunc(e.teams, func(tm store.Team) bool { return tm.ID != team.ID })
	if other < 0 {
		t.Fatal("no other team")
	}
	e.team.SetSelectedIndex(other)
	e.save()
	u.Wait()
	if shown := uitest.Shown(u.Window().Canvas().Overlays().Top()); !strings.Contains(shown, "还不能调队") || !strings.Contains(shown, "钱村警 是这些规则轮班要用的人：「两人夜巡」") {
		t.Errorf("the window says:\n%s", shown)
	}
	if ms, err := s.Members(ctx, team.ID); err != nil || len(ms) != 2 {
		t.Errorf("%d members left in 夜巡队 (%v)", len(ms), err)
	}
	if err := p.data.InErr; err != nil {
		t.Errorf("the roster does not read: %v", err)
	}
}

// A rule that lists nobody takes turns over its whole team: the form says
// when a turn needs more people than the team has (as it does for the
// people ticked) and does not save it, also when only the team is changed
// to a smaller one. Red before: it saved, and the calendar said 排班没能展开
// (rotation needs 3 per turn but lists only 1).
func TestRotationOverTheTeamTooBig(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	small := &store.Team{Name: "小队"}
	if err := s.Save(ctx, small); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.Member{TeamID: small.ID, Name: "钱村警", Role: "村警"}); err != nil {
		t.Fatal(err)
	}
	_, p := openPatrol(t, s, pinnedDay)
	teamOf := func(e *ruleEditor, id string) int {
		return slices.IndexFunc(e.teams, func(tm store.Team) bool { return tm.ID == id })
	}
	big := slices.IndexFunc(p.data.Teams, func(tm store.Team) bool {
		n := 0
		for _, m := range p.data.Members {
			if m.TeamID == tm.ID {
				n++
			}
		}
		return n >= 2
	})
	if big < 0 {
		t.Fatal("the fixture has no team of two")
	}
	for _, c := range []struct {
		name   string
		rotate string
		team   string // the team chosen last
		ok     bool
	}{
		{"two a turn in a team of one", "2", small.ID, false},
		{"one a turn in a team of one", "1", small.ID, true},
		{"two a turn, the team changed to one of one", "2", "", false},
		{"two a turn in a team of two or more", "2", p.data.Teams[big].ID, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p.rules.edit(store.ShiftRule{})
			e := p.rules.ed
			e.name.SetText("全队轮流")
			e.spec.SetText("每天")
			e.windows.SetText("20:00-22:00")
			e.from.SetText("2026-11-01")
			if c.team == "" {
				e.team.SetSelectedIndex(teamOf(e, p.data.Teams[big].ID))
				e.rotate.SetText(c.rotate)
				e.team.SetSelectedIndex(teamOf(e, small.ID))
			} else {
				e.team.SetSelectedIndex(teamOf(e, c.team))
				e.rotate.SetText(c.rotate)
			}
			if got := e.ready(); got != c.ok {
				t.Errorf("保存 enabled %v, want %v; the form says:\n%s", got, c.ok, uitest.Joined(e.form.Object()))
			}
			if !c.ok && !strings.Contains(uitest.Joined(e.form.Object()), "这个队只有 1 人") {
				t.Errorf("the form does not say the team is too small:\n%s", uitest.Joined(e.form.Object()))
			}
		})
	}
}

// A stand-in by a member who left since still says who stood in: the
// exception's card names them by their last name. Red before: " 替 赵警官"
// (the name was looked up among the members still there).
func TestExceptionNamesSomeoneWhoLeft(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	today, err := schedule.ParseDate(pinnedDay)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := s.Teams(ctx)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	ms, err := s.Members(ctx, teams[0].ID)
	if err != nil || len(ms) == 0 {
		t.Fatalf("members: %v", err)
	}
	sun := &store.Member{TeamID: teams[0].ID, Name: "孙辅警", Role: "辅警"}
	if err := s.Save(ctx, sun); err != nil {
		t.Fatal(err)
	}
	x := schedule.Exception{Action: schedule.Replace, Dates: &schedule.DateRange{From: today - 7, To: today - 5}, Person: ms[0].ID, Substitute: sun.ID}
	spec, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.ShiftException{Name: "孙替班", Spec: string(spec)}); err != nil {
		t.Fatal(err)
	}
	u, p := openPatrol(t, s, pinnedDay)
	p.RemoveMember(sun.ID)
	u.Wait()
	want := "孙辅警 替 " + ms[0].Name
	for _, e := range p.data.Exceptions {
		if e.Name == "孙替班" {
			if got := rosterwords.Exception(e, p.data); !strings.Contains(got, want) {
				t.Errorf("the stand-in's card says %q, want %q", got, want)
			}
			return
		}
	}
	t.Fatal("the stand-in is gone")
}

// A PC whose clock fell back years (a flat clock battery: 1999) does not
// cut the roster's history there: the screen's status line says the
// computer's date looks wrong, and an edit of who stands applies from
// the day the database has seen (its edits stamped then by the hybrid
// logical clock), so the turns before it stay. Red before: the edit
// applied "from 1999" — the rule had not begun then, so no version was
// kept and every past turn was rewritten — and nothing was said.
func TestClockYearsBehindCutsNoHistory(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	seen, err := schedule.ParseDate(pinnedDay)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := s.Teams(ctx)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	ms, err := s.Members(ctx, teams[0].ID)
	if err != nil || len(ms) < 2 {
		t.Fatalf("members: %v", err)
	}
	rule := &store.ShiftRule{TeamID: teams[0].ID, Name: "轮流值守", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`,
		Windows: "20:00-22:00", Rotate: 1, People: []string{ms[0].ID, ms[1].ID}, ValidFrom: (seen - 20).String()}
	if err := s.Save(ctx, rule); err != nil {
		t.Fatal(err)
	}
	turns := func() map[schedule.Date]string { return turnsOf(t, s, rule.ID, seen-20, seen+6) }
	was := turns()
	u, p := openPatrol(t, s, "1999-06-01")
	if !p.clock.Note.Visible() || !strings.Contains(p.clock.Note.Text(), "电脑的日期（1999-06-01）不对") || !strings.Contains(p.clock.Note.Text(), "从"+pinnedDay+"起算") {
		t.Errorf("the status line says %q (shown %v), want that the computer's date looks wrong", p.clock.Note.Text(), p.clock.Note.Visible())
	}
	k := slices.IndexFunc(p.data.Rules, func(r store.ShiftRule) bool { return r.ID == rule.ID })
	p.rules.edit(p.data.Rules[k])
	p.rules.ed.people.SetSelected(p.rules.ed.people.Options[:1])
	test.Tap(p.rules.ed.saveBtn)
	u.Wait()
	now := turns()
	for d := seen - 20; d < seen; d++ {
		if now[d] != was[d] {
			t.Errorf("%s (before the day seen): %s, was %s", d, now[d], was[d])
		}
	}
	changed := false
	for d := seen; d <= seen+6; d++ {
		changed = changed || now[d] != was[d]
	}
	if !changed {
		t.Errorf("the edit changed nothing from %s on: %v", seen, now)
	}
	// With the clock right again the line goes.
	right, err := clock.Day(pinnedDay, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	p.now = clock.Fixed(right)
	p.Refresh()
	u.Wait()
	if p.clock.Note.Visible() {
		t.Errorf("the clock right, the status line still says %q", p.clock.Note.Text())
	}
}

// TestOfficerConfirmsTheDateAfterTheClockRanAhead: the post's PC had its
// year typed wrong (a year ahead) and 乙, who left, was taken off the
// night patrol then; the clock is set right. The screen says the
// computer's date looks wrong (it cannot tell this from a clock fallen
// behind) and, without a way out, every edit applied from next year and
// 乙 stood for a year. An auxiliary logged in is not offered the
// confirmation; the officer is, sees both dates, says the computer's
// date is today: the line goes, 乙 no longer stands, and an edit then
// applies from the real today.
func TestOfficerConfirmsTheDateAfterTheClockRanAhead(t *testing.T) {
	ctx := context.Background()
	right, err := clock.Day(pinnedDay, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	today := schedule.FromTime(right)
	ahead := right.AddDate(1, 0, -1)
	wall := right.AddDate(0, 0, -30)
	s, team := postOnAMovableClock(t, &wall)
	var ids []string
	for _, n := range []string{"甲", "乙", "丙"} {
		m := &store.Member{TeamID: team.ID, Name: n, Role: "辅警"}
		if err := s.Save(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	rule := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
		Rotate: 1, People: ids[:2], ValidFrom: (today - 30).String()}
	if err := s.Save(ctx, rule); err != nil {
		t.Fatal(err)
	}
	turns := func() map[schedule.Date]string { return turnsOf(t, s, rule.ID, today-30, today+6) }
	was := turns()
	// The year typed wrong: 乙 taken off.
	wall = ahead
	d, err := rosterdata.EditDayOf(ctx, s, ahead)
	if err != nil {
		t.Fatal(err)
	}
	rule.People = []string{ids[0], ids[2]}
	if err := rosterdata.SaveKeepingPast(ctx, s, d.Day, rule); err != nil {
		t.Fatal(err)
	}
	// The clock set right.
	wall = right
	u, p := openPatrol(t, s, pinnedDay)
	seen := schedule.FromTime(ahead).String()
	if !p.clock.Note.Visible() || !strings.Contains(p.clock.Note.Text(), "电脑的日期（"+pinnedDay+"）早于这里已经记下的日期（"+seen+"）") {
		t.Fatalf("the status line says %q (shown %v), want the two dates", p.clock.Note.Text(), p.clock.Note.Visible())
	}
	// An auxiliary logged in is told to ask an officer.
	u.SetUser(&store.User{Username: "sun", Role: store.UserAuxiliary})
	p.Refresh()
	u.Wait()
	if p.clock.OK.Visible() || !strings.Contains(p.clock.Note.Text(), "请民警") {
		t.Errorf("an auxiliary: button shown %v, the line says %q", p.clock.OK.Visible(), p.clock.Note.Text())
	}
	u.SetUser(&store.User{Username: "zhao", DisplayName: "赵警官", Role: store.UserOfficer})
	p.Refresh()
	u.Wait()
	if !p.clock.OK.Visible() || p.clock.OK.Text != "电脑日期是对的…" {
		t.Fatalf("an officer: button shown %v %q", p.clock.OK.Visible(), p.clock.OK.Text)
	}
	test.Tap(p.clock.OK)
	if p.clock.Dlg == nil {
		t.Fatal("no question which day is today")
	}
	overlay := u.Window().Canvas().Overlays().Top()
	if shown := uitest.Shown(overlay); !strings.Contains(shown, "电脑的日期："+pinnedDay) || !strings.Contains(shown, "这里记下的最晚日期："+seen) ||
		!strings.Contains(shown, "会改动以前的排班") {
		t.Errorf("the question says:\n%s", shown)
	}
	test.Tap(uitest.DialogButton(t, overlay, "今天是"+pinnedDay+"（电脑的日期）"))
	u.Wait()
	if p.clock.Note.Visible() || p.clock.OK.Visible() {
		t.Errorf("confirmed, the status line still says %q", p.clock.Note.Text())
	}
	log, err := s.AuditLog(ctx, "", 10)
	if err != nil || len(log) != 1 || log[0].Action != store.AuditClock || log[0].User != "赵警官" || log[0].Role != store.UserOfficer {
		t.Errorf("audit log %+v %v, want 赵警官's confirmation", log, err)
	}
	now := turns()
	for day := today - 30; day <= today+6; day++ {
		if day < today && now[day] != was[day] {
			t.Errorf("%s (before today): %s, was %s", day, now[day], was[day])
		}
		if day >= today && strings.Contains(now[day], "乙") {
			t.Errorf("%s: 乙, taken off, still stands", day)
		}
	}
	// An edit now applies from the real today: 丙 alone from today on.
	k := slices.IndexFunc(p.data.Rules, func(r store.ShiftRule) bool { return r.ID == rule.ID })
	p.rules.edit(p.data.Rules[k])
	c := slices.IndexFunc(p.rules.ed.people.Options, func(o string) bool { return strings.Contains(o, "丙") })
	if c < 0 {
		t.Fatalf("no 丙 among %q", p.rules.ed.people.Options)
	}
	p.rules.ed.people.SetSelected([]string{p.rules.ed.people.Options[c]})
	test.Tap(p.rules.ed.saveBtn)
	u.Wait()
	after := turns()
	for day := today - 30; day <= today+6; day++ {
		if day < today && after[day] != now[day] {
			t.Errorf("%s (before today): %s after the edit, %s before", day, after[day], now[day])
		}
		if day >= today && after[day] != "丙" {
			t.Errorf("%s: %s, want 丙 alone from today", day, after[day])
		}
	}
}

// turnsOf is who stands on rule's slots of from..to, by day.
func turnsOf(t *testing.T, s *store.Store, rule string, from, to schedule.Date) map[schedule.Date]string {
	t.Helper()
	in, err := rosterdata.ScheduleInput(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := schedule.Expand(in, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[schedule.Date]string{}
	for _, sl := range sch.Slots {
		if sl.RuleID == rule {
			out[sl.Date] = strings.Join(sl.People, "、")
		}
	}
	return out
}

// TestClockThatCannotBeRightIsNotConfirmed: a PC whose clock battery went
// flat reads 1999; the status line said the date looked wrong and offered
// 电脑日期是对的…, which set the mark back to 1999 and let the next edit
// rewrite every turn since. A date before this build, or before what the
// station's changes held here were made on, is said to be wrong, with
// what to do (set the computer's date), and not offered for confirming.
func TestClockThatCannotBeRightIsNotConfirmed(t *testing.T) {
	ctx := context.Background()
	right, err := clock.Day(pinnedDay, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		pc   time.Time
		peer bool
		says []string
	}{
		{"flat battery", time.Date(1999, 6, 1, 9, 0, 0, 0, clock.Zone), false,
			[]string{"电脑的日期（1999-06-01）不对", "这个版本的村警通是2025-11-04以后才做出来的", "请先把电脑的日期和时间改对", "排班的改动从" + pinnedDay + "起算"}},
		{"a month behind the station", right.AddDate(0, 0, -30), true,
			[]string{"电脑的日期（2026-11-02）不对", "传来的改动已经记到了" + pinnedDay, "请先把电脑的日期和时间改对"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wall := right
			s, err := store.Create(ctx, filepath.Join(t.TempDir(), "post.db"), store.Identity{DeviceID: "POSTDEV-TEST", Role: store.RolePost, Name: "东河警务室"},
				store.Options{Now: func() time.Time { return wall }, BackupWorkFactor: 10})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if err := s.Save(ctx, &store.Team{Name: "一队"}); err != nil {
				t.Fatal(err)
			}
			if tc.peer {
				stn, err := store.Create(ctx, filepath.Join(t.TempDir(), "station.db"), store.Identity{DeviceID: "STNDEV-TEST", Role: store.RoleStation, Name: "城关派出所"},
					store.Options{Now: func() time.Time { return right }, BackupWorkFactor: 10})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { stn.Close() })
				if err := stn.Save(ctx, &store.Village{Name: "西关村"}); err != nil {
					t.Fatal(err)
				}
				cs, _, err := stn.ChangesSince(ctx, stn.DeviceID(), 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Apply(ctx, cs); err != nil {
					t.Fatal(err)
				}
			}
			wall = tc.pc
			_, p := openPatrol(t, s, tc.pc.Format("2006-01-02"))
			if !p.clock.Note.Visible() {
				t.Fatal("no word that the computer's date is wrong")
			}
			for _, want := range tc.says {
				if !strings.Contains(p.clock.Note.Text(), want) {
					t.Errorf("the status line lacks %q:\n%s", want, p.clock.Note.Text())
				}
			}
			if p.clock.OK.Visible() {
				t.Errorf("%q offered for a date that cannot be today", p.clock.OK.Text)
			}
			// Laid out whole above the tabs, not drawn over them (it was
			// given its text while hidden, and shown without a layout).
			d := fyne.CurrentApp().Driver()
			if bottom, tabs := d.AbsolutePositionForObject(p.clock.Note).Y+p.clock.Note.MinSize().Height, d.AbsolutePositionForObject(p.tabs).Y; tabs < bottom-1 {
				t.Errorf("the line ends at %.0f, below the tabs' top at %.0f: drawn over them", bottom, tabs)
			}
			p.clock.Confirm()
			if p.clock.Dlg != nil {
				t.Error("the question which day is today is asked anyway")
			}
			if log, err := s.AuditLog(ctx, "", 10); err != nil || len(log) != 0 {
				t.Errorf("audit log %+v %v, want nothing confirmed", log, err)
			}
		})
	}
}

// TestStationsDateOfferedWhenItMeasuredTheClockBehind: the post's PC fell a
// month behind ten days after the roster's last edit, and the station
// measured it so at the last sync. The officer taps 今天是哪一天…: the
// question no longer offers the PC's date (confirmed, it would rewrite the
// month since) but says what the station measured and its date, offering
// that date or 取消; taken, edits apply from the station's date. Red
// before: the PC's date was offered, and confirmed, as with no station;
// then (hroster4) the button read 电脑日期是对的…, promising the date the
// question refuses.
func TestStationsDateOfferedWhenItMeasuredTheClockBehind(t *testing.T) {
	ctx := context.Background()
	pc, err := clock.Day(pinnedDay, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	real := pc.AddDate(0, 0, 30)
	wall := real.AddDate(0, 0, -10)
	s, _ := postOnAMovableClock(t, &wall)
	wall = pc.Add(-time.Hour) // the clock fell behind; the station measured it
	book := s.SyncBook()
	if err := book.PutPeer(ctx, syncbook.Peer{DeviceID: "STATION-AAAAAAA", Name: "城关派出所", Role: store.RoleStation}); err != nil {
		t.Fatal(err)
	}
	if err := book.SetPeerClock(ctx, "STATION-AAAAAAA", real.Sub(pc).Milliseconds(), syncbook.ClockByHello); err != nil {
		t.Fatal(err)
	}
	wall = pc
	u, p := openPatrol(t, s, pinnedDay)
	// The button does not promise the PC's date, which is not offered.
	if !p.clock.OK.Visible() || p.clock.OK.Text != "今天是哪一天…" {
		t.Fatalf("beside %q: button shown %v %q, want 今天是哪一天…", p.clock.Note.Text(), p.clock.OK.Visible(), p.clock.OK.Text)
	}
	test.Tap(p.clock.OK)
	if p.clock.Dlg == nil {
		t.Fatal("no question which day is today")
	}
	overlay := u.Window().Canvas().Overlays().Top()
	station := schedule.FromTime(real).String()
	measured := schedule.FromTime(real.Add(-time.Hour)).String() // by the station's clock
	// The dates set off by spaces: Fyne's word wrap breaks a line at a
	// space, and broke one inside a date (2 / 026-12-05) without.
	if shown := uitest.Shown(overlay); !strings.Contains(shown, "「城关派出所」在 "+measured+" 同步时") || !strings.Contains(shown, "慢了30天") ||
		!strings.Contains(shown, "今天应是 "+station+"（派出所的日期），不是电脑上的 "+pinnedDay) {
		t.Errorf("the question says:\n%s", shown)
	}
	if uitest.ButtonIn(overlay, "今天是"+pinnedDay+"（电脑的日期）") != nil {
		t.Error("the PC's date offered, though the station measured it a month behind")
	}
	if uitest.ButtonIn(overlay, "取消") == nil {
		t.Error("no 取消")
	}
	test.Tap(uitest.DialogButton(t, overlay, "今天是"+station+"（派出所的日期）"))
	u.Wait()
	if d, err := rosterdata.EditDayOf(ctx, s, pc); err != nil || d.Day.String() != station {
		t.Errorf("after taking the station's date: edits from %+v (%v), want %s", d, err, station)
	}
	if log, err := s.AuditLog(ctx, "", 10); err != nil || len(log) != 1 || log[0].Action != store.AuditClock {
		t.Errorf("audit log %+v %v, want the date taken", log, err)
	}
}

// postOnAMovableClock is a post whose PC's clock the test moves (*wall)
// with 一队 saved then: the clock-confirming tests' set-up.
func postOnAMovableClock(t *testing.T, wall *time.Time) (*store.Store, *store.Team) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "post.db"), store.Identity{DeviceID: "POSTDEV-TEST", Role: store.RolePost, Name: "东河警务室"},
		store.Options{Now: func() time.Time { return *wall }, BackupWorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	team := &store.Team{Name: "一队"}
	if err := s.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	return s, team
}
