package roster

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/app/ui/roster/tab"
	"cunjing/app/ui/uitest"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// pinnedDay is the fixed "today" of the roster tests whose expectations are
// the lunar calendar of one week (农历十月廿四 is 2026-12-02). Their
// fixture is made on that day too, so 钱村警's leave is 2026-12-01..05.
const pinnedDay = "2026-12-02"

// newPinnedFixture is the fixture made on pinnedDay.
func newPinnedFixture(t *testing.T) *store.Store {
	t.Helper()
	day, err := clock.Day(pinnedDay, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	return uitest.FixtureAt(t, day, 0)
}

// openPatrol shows 巡逻排班 with "today" fixed at day (YYYY-MM-DD), so the
// fixture's leave and the calendar are deterministic.
func openPatrol(t *testing.T, s *store.Store, day string) (*kit.Env, *Screen) {
	t.Helper()
	now, err := clock.Day(day, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	u, w := uitest.NewEnvAt(t, s, clock.Fixed(now))
	uitest.NoCutText(t, w)
	p := New(u)
	w.SetContent(p.Object())
	u.Wait()
	return u, p
}

func TestRuleEditorPreviewsAsTypedAndSavesOnlyWhenValid(t *testing.T) {
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	p.rules.edit(store.ShiftRule{})
	e := p.rules.ed
	test.Type(e.name, "逢集巡逻")
	if e.ready() {
		t.Fatal("save enabled with no days and no times")
	}

	cases := []struct {
		typed   string
		ok      bool
		dates   int
		message string
	}{
		{"农历逢二、五、十", true, previewDates, "理解为：农历逢二、五、十"},
		{"胡说八道", false, 0, "看不懂这个写法"},
		{"五天一集", false, 0, "要写上一个已知的集日"},
		{"五天一集（自2026-12-03起）", true, previewDates, "理解为："},
		{"每周一、五", true, previewDates, "理解为：每周一、五"},
		{"", false, 0, "用平常的话写"},
	}
	for _, c := range cases {
		e.spec.SetText(c.typed)
		got := uitest.Joined(e.preview)
		if e.specErr == c.ok || e.previewN != c.dates || !strings.Contains(got, c.message) {
			t.Errorf("typed %q: ok=%v dates=%d preview:\n%s", c.typed, !e.specErr, e.previewN, got)
		}
	}
	// 农历逢二、五、十 from 2026-12-02 (农历十月廿四): the first market is
	// 十月廿五 = 2026-12-03, then 十月三十 (a 30-day month).
	e.spec.SetText("农历逢二、五、十")
	if got := uitest.Joined(e.preview); !strings.Contains(got, "12月3日 星期四  十月廿五\n12月8日 星期二  十月三十") {
		t.Errorf("preview lacks the first market day:\n%s", got)
	}
	if e.ready() {
		t.Fatal("save enabled with no times")
	}
	e.windows.SetText("7点到8点")
	if e.ready() || !e.form.Err("windows").Visible() {
		t.Fatal("unreadable times accepted")
	}
	e.windows.SetText("07:00-08:00、16:30-17:30")
	if !e.ready() {
		t.Fatalf("save disabled for a valid rule: %v", uitest.Texts(e.form.Object()))
	}
	// A rotation needs a start date; the message sits under the date.
	e.rotate.SetText("1")
	if e.ready() || !strings.Contains(e.form.Err("valid_from").Text, "开始日期") {
		t.Fatalf("rotation without a start: save %v, %q", e.ready(), e.form.Err("valid_from").Text)
	}
	e.from.SetText("2026-12-01")
	e.people.SetSelected([]string{e.people.Options[1], e.people.Options[0]})
	if !e.ready() {
		t.Fatalf("save disabled: %v", uitest.Texts(e.form.Object()))
	}
	test.Tap(e.saveBtn)
	u.Wait()
	if p.rules.ed != nil {
		t.Error("editor still open after saving")
	}
	rules, err := s.ShiftRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got *store.ShiftRule
	for i := range rules {
		if rules[i].Name == "逢集巡逻" {
			got = &rules[i]
		}
	}
	if got == nil {
		t.Fatalf("rule not saved: %+v", rules)
	}
	want, _ := schedule.ParseSpec("农历逢二、五、十")
	want.Text = "农历逢二、五、十" // the words, kept with their reading
	wantJSON, _ := schedule.EncodeSpec(want)
	if got.Spec != wantJSON || got.Windows != "07:00-08:00、16:30-17:30" || got.Rotate != 1 || got.ValidFrom != "2026-12-01" || len(got.People) != 2 {
		t.Errorf("saved %+v", *got)
	}
	// The rule list shows it in words.
	if txt := uitest.Joined(p.rules.List); !strings.Contains(txt, "逢集巡逻  ·  日常巡逻  ·  农历逢二、五、十  ·  07:00-08:00、16:30-17:30  ·  2026-12-01起  ·  每次轮到 1 人") {
		t.Errorf("rule list:\n%s", txt)
	}
}

func TestCalendarShowsConflictsInWords(t *testing.T) {
	s := newPinnedFixture(t)
	_, p := openPatrol(t, s, pinnedDay)
	c := p.cal
	if c.period.Text != "2026年11月30日–12月6日" || len(c.cells) != 7 {
		t.Fatalf("week view: %q, %d cells", c.period.Text, len(c.cells))
	}
	// 钱村警 is on leave 12-01..05: the nightly patrol needing two is
	// short those days and fine on the 6th.
	for _, cell := range c.cells {
		_, _, d := cell.date.YMD()
		wantConflict := d >= 1 && d <= 5
		if cell.slots != 1 || (cell.conflicts > 0) != wantConflict {
			t.Errorf("%s: %d slots, %d with conflicts", cell.date, cell.slots, cell.conflicts)
		}
	}
	c.showDay(schedule.DateOf(2026, 12, 2))
	got := uitest.Joined(c.detail)
	for _, w := range []string{"2026年12月2日  星期三", "农历十月廿四", "19:00–21:00  夜间巡逻", "第一巡逻队  ·  赵警官",
		"请假：钱村警 这天请假", "人数不足：需要 2 人，只排了 1 人"} {
		if !strings.Contains(got, w) {
			t.Errorf("day detail lacks %q:\n%s", w, got)
		}
	}
	c.mode.SetSelected("按月")
	if c.period.Text != "2026年12月" || len(c.cells) != 35 {
		t.Errorf("month view: %q, %d cells", c.period.Text, len(c.cells))
	}
	c.step(1)
	if c.period.Text != "2027年1月" {
		t.Errorf("next month: %q", c.period.Text)
	}
}

func TestMembersAndLeave(t *testing.T) {
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	teams := p.data.Teams
	p.teams.editMember(store.Member{TeamID: teams[0].ID, Role: "辅警"})
	e := p.teams.member
	e.name.SetText("孙辅警")
	e.role.SetSelected("网格员")
	e.phone.SetText("1380000")
	if !e.form.Err("phone").Visible() {
		t.Error("a short phone number is not flagged as typed")
	}
	e.leave.SetText("2026-12-10 到 2026-12-12\n下周")
	e.save()
	u.Wait()
	if !e.form.Err("leave").Visible() || !e.form.Err("phone").Visible() {
		t.Fatal("bad leave and phone not shown next to their fields")
	}
	e.phone.SetText("138 0000 1234")
	e.leave.SetText("2026-12-10 到 2026-12-12\n2026-12-20")
	e.save()
	u.Wait()
	ms, err := s.Members(context.Background(), teams[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var got *store.Member
	for i := range ms {
		if ms[i].Name == "孙辅警" {
			got = &ms[i]
		}
	}
	if got == nil || got.Role != "网格员" || got.Phone != "13800001234" || strings.Join(got.Leave, ",") != "2026-12-10..2026-12-12,2026-12-20" {
		t.Fatalf("saved %+v", got)
	}
	if txt := uitest.Joined(p.teams.List); !strings.Contains(txt, "孙辅警，网格员，13800001234  请假：2026-12-10 至 2026-12-12, 2026-12-20") {
		t.Errorf("team list:\n%s", txt)
	}
	// Opened again, the leave reads as typed (至), not as stored (..).
	p.teams.editMember(*got)
	if txt := p.teams.member.leave.Text; txt != "2026-12-10 至 2026-12-12\n2026-12-20" {
		t.Errorf("leave in the member's form: %q", txt)
	}
	if top := u.Window().Canvas().Overlays().Top(); top != nil {
		t.Errorf("leave from today on only: a notice shows:\n%s", uitest.Shown(top))
	}

	// Leave typed for days already past is not saved (the past roster
	// stays as it was): the officer is told, not left to find it gone.
	p.teams.editMember(*got)
	e = p.teams.member
	e.leave.SetText("2026-11-25 到 2026-11-27\n2026-12-10 到 2026-12-12")
	e.save()
	u.Wait()
	top := u.Window().Canvas().Overlays().Top()
	if top == nil || !strings.Contains(uitest.Shown(top), "孙辅警今天以前的请假没有改") || !strings.Contains(uitest.Shown(top), "现在记着的请假：2026-12-10 至 2026-12-12") {
		t.Errorf("past leave dropped without a word (notice: %v)", top != nil)
	}
}

func TestExceptionsSpringFestivalAndSwap(t *testing.T) {
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	p.excs.edit(store.ShiftException{})
	e := p.excs.ed
	e.name.SetText("春节休集")
	e.yearly.SetChecked(true)
	if e.form.Row(e.lunar).Visible() == false || e.form.Row(e.from).Visible() {
		t.Fatal("a yearly break shows the solar dates instead of the lunar ones")
	}
	e.save()
	u.Wait()
	in, err := rosterdata.ScheduleInput(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	// 腊月廿三..正月初五 of the 2027 Spring Festival (正月初一 is 02-06,
	// 腊月 has 29 days): 2027-01-30..2027-02-10.
	sch, err := schedule.Expand(in, schedule.DateOf(2027, 1, 28), schedule.DateOf(2027, 2, 13))
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]bool{}
	for _, sl := range sch.Slots {
		days[sl.Date.String()] = true
	}
	for d, want := range map[string]bool{"2027-01-29": true, "2027-01-30": false, "2027-02-06": false, "2027-02-10": false, "2027-02-11": true} {
		if days[d] != want {
			t.Errorf("%s: patrol %v, want %v", d, days[d], want)
		}
	}
	if txt := uitest.Joined(p.excs.List); !strings.Contains(txt, "停排  ·  每年农历腊月廿三至正月初五  ·  所有规则") {
		t.Errorf("exception list:\n%s", txt)
	}

	// A swap is two records: each stands the other's turn.
	p.excs.edit(store.ShiftException{})
	e = p.excs.ed
	e.name.SetText("赵钱换班")
	e.action.SetSelected("换班")
	e.rule.SetSelectedIndex(0)
	e.person.SetSelectedIndex(0)
	e.sub.SetSelectedIndex(0) // nobody: a swap needs a partner
	e.from.SetText("2026-12-08")
	e.dateB.SetText("2026-12-09")
	e.save()
	if !e.form.Err("substitute").Visible() {
		t.Fatal("a swap without a partner is not refused")
	}
	e.sub.SetSelectedIndex(2)
	e.save()
	u.Wait()
	xs, err := s.ShiftExceptions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range xs {
		if x.Name == "赵钱换班" {
			n++
			if strings.Contains(x.Spec, `"id"`) {
				t.Errorf("exception spec keeps an id: %s", x.Spec)
			}
		}
	}
	if n != 2 {
		t.Errorf("swap saved as %d records", n)
	}
}

func TestComplianceCountsLoggedPatrolsUpToToday(t *testing.T) {
	// "Today" is 2030-03-13 (a Wednesday), 10:00: the month has 12 nights
	// planned so far and the week (from Monday the 11th) two — tonight's
	// turn is still to come, not missed. The fixture, made today, logged
	// last night's patrol (the 12th) against the nightly rule, and only
	// that one in March.
	day, err := clock.Day("2030-03-13", 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	s := uitest.FixtureAt(t, day, 0)
	u, p := openPatrol(t, s, "2030-03-13")
	rows := p.comp.rows
	if len(rows) != 1 || rows[0].Team != "第一巡逻队" || rows[0].Planned != 12 || rows[0].Done != 1 || rows[0].Missed != 11 {
		t.Fatalf("month rows %+v", rows)
	}
	p.comp.mode.SetSelected("按周")
	u.Wait()
	if len(p.comp.rows) != 1 || p.comp.rows[0].Planned != 2 || p.comp.rows[0].Done != 1 || p.comp.rows[0].Missed != 1 {
		t.Fatalf("week rows %+v", p.comp.rows)
	}
	if txt := uitest.Joined(p.comp.body); !strings.Contains(txt, "今天还没到时间的班次不算漏巡") || !strings.Contains(txt, "第一巡逻队") {
		t.Errorf("compliance view:\n%s", txt)
	}
	// A week wholly in the future has nothing to count yet.
	p.comp.step(1)
	u.Wait()
	if len(p.comp.rows) != 0 {
		t.Errorf("next week counted: %+v", p.comp.rows)
	}
}

func TestDutyTableExportRecordsThePrint(t *testing.T) {
	s := uitest.Fixture(t, 0)
	ctx := context.Background()
	from, to := schedule.DateOf(2026, 12, 1), schedule.DateOf(2026, 12, 31)
	var x bytes.Buffer
	if err := writeDutyTable(ctx, s, uitest.NopCloser(&x), "", "", from, to, "2026年12月", "2026-12-01..2026-12-31", nil, kit.RoleOfficer, clocktest.Today(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(x.Bytes(), []byte("PK")) {
		t.Errorf("xlsx export is not a workbook: %q", x.Bytes()[:min(8, x.Len())])
	}
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	var pdf bytes.Buffer
	if err := writeDutyTable(ctx, s, uitest.NopCloser(&pdf), "", "", from, to, "2026年12月", "2026-12-01..2026-12-31", f, kit.RoleOfficer, clocktest.Today(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Error("pdf export is not a PDF")
	}
	recs, err := s.PrintRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.Kind == "roster" && r.Template == "2026-12-01..2026-12-31" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d roster print records, want 2: %+v", n, recs)
	}
}

// The print button asks where to save (Fyne's save dialog) and nothing is
// written until a place is chosen.
func TestPrintButtonAsksWhereToSave(t *testing.T) {
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	uitest.UseFont(t, u)
	p.cal.export(true)
	if top := u.Window().Canvas().Overlays().Top(); top == nil {
		t.Fatal("no save dialog")
	}
	recs, err := s.PrintRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Kind == "roster" {
			t.Fatal("a print was recorded before anything was saved")
		}
	}
}

func TestRuleNamedAsItsKindSaysItOnce(t *testing.T) {
	uitest.Headless(t)
	got := ruleText(store.ShiftRule{Name: "日常巡逻", Kind: "patrol", Spec: "daily"}, tab.Data{})
	if strings.Count(got, "日常巡逻") != 1 {
		t.Errorf("rule reads %q", got)
	}
}

// stationHolding is a station (城关派出所) that took in every change of
// posts, as their syncs would bring them.
func stationHolding(t *testing.T, posts ...*store.Store) *store.Store {
	t.Helper()
	ctx := context.Background()
	stn, err := store.Create(ctx, t.TempDir()+"/station.db", store.Identity{DeviceID: "STATION-AAAAAAA", Role: store.RoleStation, Name: "城关派出所"}, store.Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stn.Close() })
	for _, post := range posts {
		changes, _, err := post.ChangesSince(ctx, post.DeviceID(), 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stn.Apply(ctx, changes); err != nil {
			t.Fatal(err)
		}
	}
	return stn
}

// stationShowing is 巡逻排班 in the window of station stn, showing the
// post owner (named name), as 各警务室 opens it.
func stationShowing(t *testing.T, stn *store.Store, owner, name string) (*kit.Env, fyne.Window, *Screen) {
	t.Helper()
	u, w := uitest.NewEnv(t, stn)
	uitest.NoCutText(t, w)
	p := New(u)
	w.SetContent(p.Object())
	p.ShowOwner(owner, name)
	u.Wait()
	return u, w, p
}

// At a station, 巡逻排班's duty table is the post on display's: its
// teams alone, titled with its name, and its print record that post's
// (so it goes to the post, not into the station's broadcast). Showing
// 全部警务室, there is no one post's table to print: it says to pick one.
// Before, the window built the station's table of every post's teams
// mixed, and the print record stayed the station's.
func TestStationDutyTableIsThePosts(t *testing.T) {
	ctx := context.Background()
	east := uitest.Fixture(t, 0)
	west, err := store.Create(ctx, t.TempDir()+"/west.db", store.Identity{DeviceID: "POSTDEV-WEST", Role: store.RolePost, Name: "西岭警务室", Township: "城关镇"}, store.Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { west.Close() })
	if err := west.Save(ctx, &store.Team{Name: "西岭巡逻队"}); err != nil {
		t.Fatal(err)
	}
	stn := stationHolding(t, east, west)
	u, w, p := stationShowing(t, stn, east.DeviceID(), "东河警务室")
	from, to := schedule.DateOf(2026, 12, 1), schedule.DateOf(2026, 12, 31)
	var x bytes.Buffer
	p.cal.writeTable(uitest.NopCloser(&x), "duty.xlsx", from, to, "2026年12月", "2026-12-01..2026-12-31", nil)
	u.Wait()
	shared := xlsxStrings(t, x.Bytes())
	if !strings.Contains(shared, "东河警务室") || strings.Contains(shared, "西岭巡逻队") || strings.Contains(shared, "城关派出所") {
		t.Errorf("the station's duty table of 东河警务室 is not that post's alone:\n%s", shared)
	}
	recs, err := stn.PrintRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Kind != "roster" || recs[0].Owner != east.DeviceID() {
		t.Errorf("print records %+v, want one roster print of %s", recs, east.DeviceID())
	}
	p.ShowOwner("", "")
	u.Wait()
	p.cal.export(true)
	if shown := uitest.Shown(w.Canvas().Overlays().Top()); !strings.Contains(shown, "请先在右边选一个警务室") {
		t.Errorf("exporting 全部警务室's duty table says %q", shown)
	}
}

// xlsxStrings is the shared strings of an .xlsx workbook: its texts.
func xlsxStrings(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	f, err := z.Open("xl/sharedStrings.xml")
	if err != nil {
		t.Fatalf("workbook without texts: %v", err)
	}
	defer f.Close()
	all, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(all)
}

// At a station 巡逻排班 only shows a post's roster and log: no button to
// add, change or delete anything (rather than buttons that refuse when
// pressed), while the records themselves are all there. The same
// records at the post have every button.
func TestStationRosterHasNoEditButtons(t *testing.T) {
	post := uitest.Fixture(t, 0)
	stn := stationHolding(t, post)
	edits := []string{"修改", "删除", "新建", "新建规则", "记录一次巡逻", "添加队员", "改队名", "删除这个队", "新建巡逻队"}
	tabs := func(p *Screen) []string {
		var texts []string
		for _, le := range []*tab.ListEditor{p.rules.ListEditor, p.teams.ListEditor, p.excs.ListEditor, p.log.ListEditor} {
			for _, b := range uitest.Buttons(le.Object()) {
				if b.Visible() {
					texts = append(texts, b.Text)
				}
			}
		}
		return texts
	}
	_, atPost := openPatrol(t, post, clocktest.Today(t).Format("2006-01-02"))
	shown := strings.Join(tabs(atPost), "|")
	for _, e := range edits {
		if !strings.Contains(shown, e) {
			t.Errorf("the post's own roster lacks %q: %s", e, shown)
		}
	}
	u, _, p := stationShowing(t, stn, post.DeviceID(), "东河警务室")
	for _, b := range tabs(p) {
		for _, e := range edits {
			if b == e {
				t.Errorf("a station's read-only roster shows %q", b)
			}
		}
	}
	rules := uitest.Joined(p.rules.Object())
	if len(p.data.Rules) == 0 || !strings.Contains(rules, p.data.Rules[0].Name) {
		t.Errorf("the post's rules are not shown at the station:\n%s", rules)
	}
	if !strings.Contains(uitest.Joined(p.Object()), "东河警务室") {
		t.Errorf("scope line lacks the post")
	}
	// The post pick follows the drill-down, and picking 全部警务室 and
	// the post again is the same as opening it from 各警务室.
	if p.postPick == nil || p.postPick.SelectedIndex() != 1 || len(p.postPick.Options) != 2 {
		t.Fatalf("post pick %v at %d", p.postPick.Options, p.postPick.SelectedIndex())
	}
	p.postPick.SetSelectedIndex(0)
	u.Wait()
	if p.owner != "" || !strings.Contains(p.scope.Text, "全镇各警务室") {
		t.Errorf("全部警务室 shows owner %q: %s", p.owner, p.scope.Text)
	}
	p.postPick.SetSelectedIndex(1)
	u.Wait()
	if p.owner != post.DeviceID() || !strings.Contains(p.scope.Text, "东河警务室") {
		t.Errorf("picking the post shows owner %q: %s", p.owner, p.scope.Text)
	}
	if _, atPost := openPatrol(t, post, clocktest.Today(t).Format("2006-01-02")); atPost.postPick != nil {
		t.Error("a post's own roster has a post pick")
	}
}

// A month the station approved: the post's 巡逻记录 says so, and an edit
// of a patrol in it is not saved but not lost either: the officer is told
// in plain words and keeps it as a request to unlock.
func TestApprovedMonthEditBecomesARequest(t *testing.T) {
	ctx := context.Background()
	post := uitest.Fixture(t, 0)
	ps, err := post.Patrols(ctx, "", "")
	if err != nil || len(ps) == 0 {
		t.Fatalf("fixture patrols %d %v", len(ps), err)
	}
	pt := ps[len(ps)-1]
	month := pt.Date[:7]
	stn := stationHolding(t)
	if err := stn.ApproveMonth(ctx, post.DeviceID(), month, "刘所长"); err != nil {
		t.Fatal(err)
	}
	changes, _, err := stn.ChangesSince(ctx, stn.DeviceID(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.Apply(ctx, changes); err != nil {
		t.Fatal(err)
	}
	u, w := uitest.NewEnv(t, post)
	uitest.NoCutText(t, w)
	p := New(u)
	w.SetContent(p.Object())
	u.Wait()
	if got := uitest.Joined(p.log.Object()); !strings.Contains(got, "派出所已审核") || !strings.Contains(got, month+"（刘所长") {
		t.Errorf("the post's log does not say what is approved:\n%s", got)
	}
	edited := pt
	edited.Route = "改过的路线"
	p.Save(nil, nil, &edited)
	u.Wait()
	if p.locked == nil {
		t.Fatal("no message about the approved month")
	}
	overlay := w.Canvas().Overlays().Top()
	if shown := uitest.Shown(overlay); !strings.Contains(shown, "派出所已审核通过 "+month) || !strings.Contains(shown, "不会丢") {
		t.Errorf("the message says:\n%s", shown)
	}
	test.Tap(uitest.DialogButton(t, overlay, "保存为解锁申请"))
	u.Wait()
	var got store.Patrol
	if err := post.Get(ctx, &got, pt.ID); err != nil || got.Route == "改过的路线" {
		t.Errorf("the locked patrol changed: %q %v", got.Route, err)
	}
	reqs, err := post.MonthRequests(ctx, post.DeviceID(), month)
	if err != nil || len(reqs) != 1 || !strings.Contains(reqs[0].Fields, "改过的路线") || reqs[0].State != store.RequestPending {
		t.Fatalf("requests %+v %v", reqs, err)
	}
	if shown := uitest.Shown(w.Canvas().Overlays().Top()); !strings.Contains(shown, "已保存为解锁申请") {
		t.Errorf("no word that the request was saved:\n%s", shown)
	}
}

// The rule form says what a rule does on holidays: a new 护学岗 ticks
// 学校放假不排 (its kind's default, saved as the default); untick it and
// the rule keeps holidays. The expanded roster follows: 2027-01-01 (元旦,
// a Friday) has the school gate only when the rule keeps holidays.
func TestRuleHolidayPolicyInTheForm(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	p.rules.edit(store.ShiftRule{})
	e := p.rules.ed
	gate := slices.Index(schedule.Kinds, schedule.KindSchoolGate)
	e.kind.SetSelectedIndex(gate)
	if got := e.holidays.Selected; len(got) != 1 || got[0] != "学校放假不排（寒暑假、法定节假日）" || !strings.Contains(e.holNote.Text, "默认") {
		t.Fatalf("a new 护学岗 ticks %q (%s)", got, e.holNote.Text)
	}
	test.Type(e.name, "村小护学岗")
	e.spec.SetText("每周一、五")
	e.windows.SetText("07:00-08:00")
	e.people.SetSelected([]string{e.people.Options[0]})
	test.Tap(e.saveBtn)
	u.Wait()
	rule := func() store.ShiftRule {
		t.Helper()
		rs, err := s.ShiftRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Name == "村小护学岗" {
				return r
			}
		}
		t.Fatal("rule not saved")
		return store.ShiftRule{}
	}
	slotsOn := func(id string, day schedule.Date) int {
		t.Helper()
		in, err := rosterdata.ScheduleInput(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		sch, err := schedule.Expand(in, day, day)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, sl := range sch.Slots {
			if sl.RuleID == id {
				n++
			}
		}
		return n
	}
	newYear, err := schedule.ParseDate("2027-01-01")
	if err != nil {
		t.Fatal(err)
	}
	r := rule()
	if r.Holidays != "" || slotsOn(r.ID, newYear) != 0 {
		t.Errorf("default policy saved as %q, %d slots on 元旦", r.Holidays, slotsOn(r.ID, newYear))
	}
	p.rules.edit(r)
	e = p.rules.ed
	e.holidays.SetSelected(nil)
	if !strings.Contains(e.holNote.Text, "不一样") {
		t.Errorf("note after unticking: %q", e.holNote.Text)
	}
	test.Tap(e.saveBtn)
	u.Wait()
	r = rule()
	if r.Holidays != schedule.HolidaysKeep || slotsOn(r.ID, newYear) == 0 {
		t.Errorf("keep policy saved as %q, %d slots on 元旦", r.Holidays, slotsOn(r.ID, newYear))
	}
	// Opened again, the form shows what was saved.
	p.rules.edit(r)
	if got := p.rules.ed.holidays.Selected; len(got) != 0 {
		t.Errorf("reopened: %q", got)
	}
}

// A year the holiday calendar does not hold (the app ships 2026 and 2027)
// plans the 护学岗 on its holidays as on ordinary days: the calendar and
// 完成情况 say so.
func TestCalendarSaysWhenAYearHasNoHolidays(t *testing.T) {
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
	_, p := openPatrol(t, s, "2028-03-06")
	if got := p.cal.status.Text(); !p.cal.status.Visible() || !strings.Contains(got, "2028年") || !strings.Contains(got, "村小护学岗") {
		t.Errorf("2028 calendar status (shown %v): %q", p.cal.status.Visible(), got)
	}
	_, p = openPatrol(t, s, "2027-03-01")
	if p.cal.status.Visible() {
		t.Errorf("2027 calendar status: %q", p.cal.status.Text())
	}
	f, err := rosterdata.PatrolFigures(ctx, s, s.DeviceID(), schedule.DateOf(2028, 3, 1), schedule.DateOf(2028, 3, 31), tally.EndOf(schedule.DateOf(2028, 3, 6)), tally.ByMonth)
	if err != nil || len(f.HolidayGaps) == 0 {
		t.Fatalf("figures: gaps %+v (%v)", f.HolidayGaps, err)
	}
	p.comp.draw(f)
	if got := uitest.Joined(p.comp.body); !strings.Contains(got, "2028年") {
		t.Errorf("完成情况 does not say 2028 has no holidays:\n%s", got)
	}
}

// The week calendar's people are lists that wrap between names: a cell
// read 李国强、胡宇 / 航、周宇航 (and, before, 李国强、胡宇航 / 、周宇航,
// a line starting with 、). Every text of the week's cells listing people
// is a wrap.Label breaking after 、.
func TestWeekCalendarWrapsPeopleBetweenNames(t *testing.T) {
	s := newPinnedFixture(t)
	_, p := openPatrol(t, s, pinnedDay)
	lists := 0
	for _, cell := range p.cal.cells {
		uitest.WalkRendered(cell.box, func(o fyne.CanvasObject) bool {
			switch v := o.(type) {
			case *widget.Label:
				if strings.Contains(v.Text, "、") {
					t.Errorf("%s: %q wraps inside a name", cell.date, v.Text)
				}
				return false
			case *wrap.Label:
				if strings.Contains(v.Raw(), "、") {
					lists++
					if v.Items != '、' {
						t.Errorf("%s: %q wraps inside a name", cell.date, v.Raw())
					}
				}
				return false
			}
			return true
		})
	}
	if lists == 0 {
		t.Fatal("no list of people in the week")
	}
}

// 停排和换班 says itself as its tab does, and sends holidays to 节假日:
// its hint, its empty list and its form's title said 节假日 (新建节假日或换班,
// 没有节假日、休集或换班) beside a tab named 节假日, and an officer did not
// know which of the two a 国庆节 goes in.
func TestExceptionsTabNamedAsItsTab(t *testing.T) {
	s := newPinnedFixture(t)
	_, p := openPatrol(t, s, pinnedDay)
	p.excs.ShowHint()
	hint := uitest.Joined(p.excs.Editor)
	if !strings.Contains(hint, "“节假日”") {
		t.Errorf("停排和换班's hint does not send holidays to the 节假日 tab: %q", hint)
	}
	p.excs.edit(store.ShiftException{})
	e := p.excs.ed
	cases := []struct{ where, text string }{
		{"the form's title", uitest.Joined(p.excs.Editor)},
		{"the name's example", e.name.PlaceHolder},
		{"the empty list", lang.L("roster.exc.none")},
	}
	for _, c := range cases {
		if strings.Contains(c.text, "节假日") || strings.Contains(c.text, "国庆节") {
			t.Errorf("%s speaks of holidays, which 节假日 keeps: %q", c.where, c.text)
		}
	}
	if title := uitest.Joined(p.excs.Editor); !strings.Contains(title, "新建停排或换班") {
		t.Errorf("the form's title: %q", title)
	}
}

// 新建规则 opens blank, not in red: the form said 这一项必须填写 and
// 请写上几点到几点 before the officer had typed a thing. Once typing
// starts, what is missing is said; 保存 waits for it throughout.
func TestNewRuleOpensWithoutErrors(t *testing.T) {
	s := newPinnedFixture(t)
	_, p := openPatrol(t, s, pinnedDay)
	p.rules.edit(store.ShiftRule{})
	e := p.rules.ed
	if e.form.HasErrors() {
		for _, f := range []string{"name", "windows", "team_id"} {
			if l := e.form.Err(f); l != nil && l.Visible() {
				t.Errorf("a new rule opens with %s in red: %q", f, l.Text)
			}
		}
	}
	if e.ready() || e.missing.Visible() {
		t.Errorf("a blank rule: ready %v, the line under 保存 shown %v", e.ready(), e.missing.Visible())
	}
	e.name.SetText("夜间巡逻")
	if l := e.form.Err("windows"); l == nil || !l.Visible() || l.Text == "" {
		t.Error("typing a name does not say the times are missing")
	}
	// An existing rule opened shows what is wrong with it at once.
	bad := store.ShiftRule{Name: ""}
	bad.ID = "r-test"
	p.rules.edit(bad)
	if l := p.rules.ed.form.Err("name"); l == nil || !l.Visible() {
		t.Error("a stored rule without a name opens without saying so")
	}
}

// TestRuleSaveSaysWhatIsMissing: 保存 of a rule was grey while anything
// was missing, the reason only a red line somewhere above it, and a
// newcomer tapping the grey button got nothing. 保存 stays enabled, as in
// every other form; tapped, it saves nothing and says under itself which
// fields to fill in or correct, a line that follows the typing and goes
// once the rule can be saved, which the next tap then does.
func TestRuleSaveSaysWhatIsMissing(t *testing.T) {
	s := newPinnedFixture(t)
	u, p := openPatrol(t, s, pinnedDay)
	rules := len(p.data.Rules)
	p.rules.edit(store.ShiftRule{})
	e := p.rules.ed
	steps := []struct {
		what    string
		do      func()
		tap     bool
		says    []string // the line under 保存 ("" none: hidden)
		notSays []string
	}{
		{"blank, tapped", func() {
			if e.form.Err("spec").Visible() {
				t.Error("哪几天 in red before 保存 was tapped")
			}
		}, true, []string{"还不能保存", "名称", "哪几天", "时间"}, nil},
		{"a name typed", func() { e.name.SetText("夜间巡逻") }, false, []string{"哪几天", "时间"}, []string{"名称"}},
		{"days typed", func() { e.spec.SetText("每天") }, false, []string{"时间"}, []string{"名称", "哪几天"}},
		{"unreadable times", func() { e.windows.SetText("晚上") }, true, []string{"时间"}, nil},
		{"a rotation without a start", func() { e.windows.SetText("20:00-22:00"); e.rotate.SetText("1") }, true, []string{"从哪天开始"}, []string{"时间"}},
		{"a start typed", func() { e.from.SetText("2026-12-01") }, false, nil, nil},
	}
	for _, st := range steps {
		st.do()
		if st.tap {
			if e.saveBtn.Disabled() {
				t.Fatalf("%s: 保存 is grey", st.what)
			}
			test.Tap(e.saveBtn)
			u.Wait()
			if p.rules.ed != e {
				t.Fatalf("%s: the form closed", st.what)
			}
		}
		if st.tap && slices.Contains(st.says, "哪几天") && !e.form.Err("spec").Visible() {
			t.Errorf("%s: 哪几天, missing, not in red", st.what)
		}
		line := e.missing.Text
		if len(st.says) == 0 {
			if e.missing.Visible() {
				t.Errorf("%s: the line under 保存 still says %q", st.what, line)
			}
			continue
		}
		if !e.missing.Visible() {
			t.Errorf("%s: nothing said under 保存", st.what)
		}
		for _, w := range st.says {
			if !strings.Contains(line, w) {
				t.Errorf("%s: the line under 保存 lacks %q: %q", st.what, w, line)
			}
		}
		for _, w := range st.notSays {
			if strings.Contains(line, w+"、") || strings.HasSuffix(strings.Split(line, "（")[0], w) {
				t.Errorf("%s: the line under 保存 still names %q: %q", st.what, w, line)
			}
		}
	}
	if n := len(p.data.Rules); n != rules {
		t.Fatalf("a rule with something missing was saved: %d rules, were %d", n, rules)
	}
	test.Tap(e.saveBtn)
	u.Wait()
	if p.rules.ed != nil || len(p.data.Rules) != rules+1 {
		t.Errorf("the rule, complete, not saved: editor open %v, %d rules", p.rules.ed != nil, len(p.data.Rules))
	}
}

// TestMemberDaysOff: 固定休息 ticked in a member's form keeps them off
// the roster on that weekday from today on (the Wednesday before stays as
// it was), is said in the team list, and reads back in the form.
func TestMemberDaysOff(t *testing.T) {
	ctx := context.Background()
	s := newPinnedFixture(t) // 2026-12-02 is a Wednesday
	u, p := openPatrol(t, s, pinnedDay)
	stands := func(id string, day schedule.Date) bool {
		in, err := rosterdata.ScheduleInput(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		sch, err := schedule.Expand(in, day, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range sch.Slots {
			if slices.Contains(x.PersonIDs, id) {
				return true
			}
		}
		return false
	}
	lastWed, nextWed := schedule.DateOf(2026, 11, 25), schedule.DateOf(2026, 12, 9)
	var m store.Member
	for _, x := range p.data.Members {
		if stands(x.ID, nextWed) && stands(x.ID, lastWed) {
			m = x
			break
		}
	}
	if m.ID == "" {
		t.Fatal("no member of the fixture stands on both Wednesdays")
	}
	p.teams.editMember(m)
	e := p.teams.member
	e.off.Selected = []string{"周三"}
	e.off.Refresh()
	e.save()
	u.Wait()
	var got store.Member
	if err := s.Get(ctx, &got, m.ID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Off, []string{pinnedDay + ":3"}) {
		t.Errorf("days off stored %q, want from today on Wednesdays", got.Off)
	}
	if stands(m.ID, nextWed) || !stands(m.ID, lastWed) {
		t.Errorf("%s stands on %s: %v (want not), on %s: %v (want as before)", m.Name, nextWed, stands(m.ID, nextWed), lastWed, stands(m.ID, lastWed))
	}
	if txt := uitest.Joined(p.teams.List); !strings.Contains(txt, "每周周三休息") {
		t.Errorf("team list does not say the day off:\n%s", txt)
	}
	p.teams.editMember(got)
	if sel := p.teams.member.off.Selected; !slices.Equal(sel, []string{"周三"}) {
		t.Errorf("form reopened with %q ticked", sel)
	}
}
