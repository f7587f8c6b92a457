package roster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/syncbook"
)

// holidayCard is the text of the 节假日 card titled name whose dates
// start on from, and whether it offers 修改.
func holidayCard(t *testing.T, p *Screen, name, from string) (string, bool) {
	t.Helper()
	o, ok := holidayCardOf(p, name, from)
	if !ok {
		t.Fatalf("no card %s %s in 节假日:\n%s", name, from, uitest.Joined(p.hols.List))
	}
	return uitest.Joined(o), uitest.ButtonIn(o, "修改") != nil
}

// holidayCardOf is the 节假日 card titled name whose dates start on from.
func holidayCardOf(p *Screen, name, from string) (fyne.CanvasObject, bool) {
	for _, o := range p.hols.List.Objects {
		if strings.HasPrefix(uitest.Joined(o), name+"  "+from) {
			return o, true
		}
	}
	return nil, false
}

// The 节假日 tab at a post: the station's entries show as 来自派出所 and
// cannot be changed there, the post adds its own through the form (the
// same store.SaveHoliday as `cunjing holidays add`), an own entry of the
// station's year, kind and name shows that the station's applies, and
// 核实全年 confirms what is left 待核实. At the station the tab edits the
// calendar it publishes although its roster only shows.
func TestHolidaysTab(t *testing.T) {
	ctx := context.Background()
	post, stn, _ := uitest.SyncPair(t)
	winter := &store.Holiday{Name: "寒假", Kind: schedule.HolidaySchool, DateFrom: "2027-01-16", DateTo: "2027-02-21", Confirmed: true, Source: "县教育局校历"}
	if err := rosterdata.SaveHoliday(ctx, stn, winter, "2026-11-24"); err != nil {
		t.Fatal(err)
	}
	changes, _, err := stn.ChangesSince(ctx, stn.DeviceID(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.Apply(ctx, changes); err != nil {
		t.Fatal(err)
	}
	now, err := clock.Day("2026-12-02", 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	u, w := uitest.NewEnvAt(t, post, clock.Fixed(now))
	uitest.NoCutText(t, w)
	p := New(u)
	w.SetContent(p.Object())
	u.Wait()
	// In December next year's list is one tap away
	// (TestHolidaysTabOpensOnThisYear).
	test.Tap(uitest.FindButton(t, p.hols.Root, "看2027年（明年）"))
	for _, tc := range []struct {
		name, from string
		has        []string
		editable   bool
	}{
		{"寒假", "2027-01-16", []string{"学校放假", "已核实", "来自派出所", "县教育局校历"}, false},
		{"元旦", "2027-01-01", []string{"放假", "待核实", "软件默认"}, false},
	} {
		txt, ed := holidayCard(t, p, tc.name, tc.from)
		for _, want := range tc.has {
			if !strings.Contains(txt, want) {
				t.Errorf("%s %s card lacks %q:\n%s", tc.name, tc.from, want, txt)
			}
		}
		if ed != tc.editable {
			t.Errorf("%s %s: 修改 offered %v, want %v", tc.name, tc.from, ed, tc.editable)
		}
	}

	// The post adds the village school's harvest break, and its own 寒假.
	for _, add := range []struct{ name, from, to string }{{"农忙假", "2027-06-01", "2027-06-07"}, {"寒假", "2027-01-20", "2027-02-25"}} {
		test.Tap(uitest.FindButton(t, p.hols.Root, "新增"))
		e := p.hols.ed
		test.Type(e.name, add.name)
		test.Type(e.from, add.from)
		test.Type(e.to, add.to)
		test.Type(e.source, "北庄小学校历")
		test.Tap(uitest.FindButton(t, e.form.Object(), "保存"))
		u.Wait()
	}
	if txt, ed := holidayCard(t, p, "农忙假", "2027-06-01"); !ed || !strings.Contains(txt, "本警务室") || !strings.Contains(txt, "待核实") {
		t.Errorf("the post's own 农忙假 (修改 %v):\n%s", ed, txt)
	}
	if txt, _ := holidayCard(t, p, "寒假", "2027-01-20"); !strings.Contains(txt, "以派出所的为准") {
		t.Errorf("the post's 寒假 beside the station's does not say the station's applies:\n%s", txt)
	}
	// A bad date is said next to the field, nothing saved.
	test.Tap(uitest.FindButton(t, p.hols.Root, "新增"))
	test.Type(p.hols.ed.name, "庙会")
	test.Type(p.hols.ed.from, "2027-13-01")
	test.Tap(uitest.FindButton(t, p.hols.ed.form.Object(), "保存"))
	u.Wait()
	if p.hols.ed == nil {
		t.Fatal("a bad date was saved")
	}

	// Checked as of the fixture's day, which its files have seen (the
	// window's pinned December day may be before it: then which day is
	// today is not certain, TestHolidaysCheckedOnTheDayTheRosterKnows).
	p.now = func() time.Time { return clocktest.Today(t) }
	p.hols.confirmYear(2027)
	u.Wait()
	if !strings.Contains(p.hols.status.Text, "已核实") {
		t.Errorf("status after 核实全年: %q", p.hols.status.Text)
	}
	for _, o := range p.hols.List.Objects[2:] {
		if txt := uitest.Joined(o); strings.Contains(txt, "待核实") && !strings.Contains(txt, "以派出所的为准") {
			t.Errorf("still 待核实 after 核实全年:\n%s", txt)
		}
	}
	es, err := rosterdata.HolidayEntries(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if y, _, _ := e.Dates.From.YMD(); y == 2027 && e.Record != nil && e.Record.ID == winter.ID && e.Record.Owner != stn.DeviceID() {
			t.Errorf("confirming took over the station's 寒假: %+v", e.Record)
		}
	}

	// At the station: the roster only shows, the holidays are its to edit.
	su, sw := uitest.NewEnvAt(t, stn, clock.Fixed(now))
	uitest.NoCutText(t, sw)
	sp := New(su)
	sw.SetContent(sp.Object())
	su.Wait()
	test.Tap(uitest.FindButton(t, sp.hols.Root, "看2027年（明年）"))
	if txt, ed := holidayCard(t, sp, "寒假", "2027-01-16"); !ed || !strings.Contains(txt, "派出所发布") {
		t.Errorf("the station's own 寒假 at the station (修改 %v):\n%s", ed, txt)
	}
	if txt := uitest.Joined(sp.hols.List); strings.Contains(txt, "农忙假") {
		t.Errorf("the station's calendar lists a post's addition:\n%s", txt)
	}
	sp.hols.edit(*winter)
	sp.hols.ed.to.SetText("2027-02-20")
	test.Tap(uitest.FindButton(t, sp.hols.ed.form.Object(), "保存"))
	su.Wait()
	var back store.Holiday
	if err := stn.Get(ctx, &back, winter.ID); err != nil || back.DateTo != "2027-02-20" {
		t.Errorf("station's edit: %+v %v", back, err)
	}
}

// 节假日 opens on the year of today, as every other tab of 巡逻排班 does:
// in December it opened on next year, and an officer checking this
// year's remaining days (元旦's 调休, the last school days) found another
// year's list without seeing why. In December next year's list is what
// the station checks (the State Council publishes it in November), so it
// is one tap away beside the year, and from there one tap back. This
// year's days still to come are listed first, those over after them under
// 今年已经过去的: in December what is left of the year is usually nothing,
// which the list says first.
func TestHolidaysTabOpensOnThisYear(t *testing.T) {
	s := newPinnedFixture(t)
	for _, tc := range []struct {
		today      string
		open       int
		other      string // the button beside the year ("" none)
		otherYear  int
		backButton string
		noneLeft   bool // nothing left of this year
	}{
		{"2026-12-04", 2026, "看2027年（明年）", 2027, "回到今年（2026年）", true},
		{"2027-01-02", 2027, "", 0, "", false},
		{"2026-06-15", 2026, "", 0, "", false},
	} {
		t.Run(tc.today, func(t *testing.T) {
			_, p := openPatrol(t, s, tc.today)
			p.ShowHolidays()
			if p.hols.shown != tc.open {
				t.Fatalf("on %s 节假日 opens on %d, want %d", tc.today, p.hols.shown, tc.open)
			}
			if got := p.hols.year.Selected; got != fmt.Sprintf("%d年", tc.open) {
				t.Errorf("the year shown reads %q", got)
			}
			// This year's days to come first, those over after them (元旦
			// is over on each of these days).
			objs := p.hols.List.Objects
			h := slices.IndexFunc(objs, func(o fyne.CanvasObject) bool { return strings.HasPrefix(uitest.Joined(o), "今年已经过去的（") })
			nyd := slices.IndexFunc(objs, func(o fyne.CanvasObject) bool {
				return strings.HasPrefix(uitest.Joined(o), fmt.Sprintf("元旦  %d-01-01", tc.open))
			})
			if h < 0 || nyd < h {
				t.Errorf("on %s 元旦 %d is not listed under 今年已经过去的 (at %d, the heading at %d)", tc.today, tc.open, nyd, h)
			}
			if none := uitest.Joined(objs[2]) == fmt.Sprintf("%d年剩下的日子里没有节假日。", tc.open); none != tc.noneLeft {
				t.Errorf("on %s the list opens with %q", tc.today, uitest.Joined(objs[2]))
			}
			head := p.hols.List.Objects[0]
			if txt := uitest.Joined(head); tc.other == "" && (strings.Contains(txt, "明年") || strings.Contains(txt, "回到今年")) {
				t.Errorf("on %s the year's row offers another year:\n%s", tc.today, txt)
			}
			if tc.other == "" {
				return
			}
			test.Tap(uitest.FindButton(t, head, tc.other))
			if p.hols.shown != tc.otherYear {
				t.Fatalf("%s shows %d", tc.other, p.hols.shown)
			}
			if _, ok := holidayCardOf(p, "元旦", fmt.Sprintf("%d-01-01", tc.otherYear)); !ok {
				t.Errorf("%s: no 元旦 of %d listed:\n%s", tc.other, tc.otherYear, uitest.Joined(p.hols.List))
			}
			test.Tap(uitest.FindButton(t, p.hols.List.Objects[0], tc.backButton))
			if p.hols.shown != tc.open {
				t.Errorf("%s shows %d", tc.backButton, p.hols.shown)
			}
		})
	}
}

// TestHolidaysCheckedOnTheDayTheRosterKnows: 核实全年 dates the check as
// the roster knows today (rosterclock.CheckDay, as `cunjing holidays`):
// while the station's measurement says the PC's clock is a month slow, it
// confirms nothing and says why and how on
// (the clock line shows nothing while the PC's date is not before what
// the file has seen: set the computer's date); once the station's date is
// taken, the entries are checked on it and the status says so. Red
// before: checked on the PC's date, without a word.
func TestHolidaysCheckedOnTheDayTheRosterKnows(t *testing.T) {
	ctx := context.Background()
	pc, err := clock.Day(pinnedDay, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	real := pc.AddDate(0, 0, 30)
	wall := pc.Add(-time.Hour)
	s, _ := postOnAMovableClock(t, &wall)
	if err := s.SyncBook().PutPeer(ctx, syncbook.Peer{DeviceID: "STATION-AAAAAAA", Name: "城关派出所", Role: store.RoleStation}); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncBook().SetPeerClock(ctx, "STATION-AAAAAAA", real.Sub(pc).Milliseconds(), syncbook.ClockByHello); err != nil {
		t.Fatal(err)
	}
	wall = pc
	u, p := openPatrol(t, s, pinnedDay)
	year, _, _ := schedule.FromTime(pc).YMD()
	year++
	checkedOn := func() (out []string) {
		es, err := rosterdata.HolidayEntries(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if y, _, _ := e.Dates.From.YMD(); y == year && e.Record != nil {
				out = append(out, e.Record.CheckedOn)
			}
		}
		return slices.Compact(out)
	}
	p.hols.confirmYear(year)
	u.Wait()
	if p.clock.Dlg == nil {
		t.Fatalf("核实全年 with the clock measured a month slow: no word; checked on %q", checkedOn())
	}
	station := schedule.FromTime(real).String()
	if shown := uitest.Shown(u.Window().Canvas().Overlays().Top()); !strings.Contains(shown, "慢了30天") || !strings.Contains(shown, "今天应是 "+station) || !strings.Contains(shown, "请先把电脑的日期和时间改对") {
		t.Errorf("the refusal says:\n%s", shown)
	}
	if got := checkedOn(); len(got) != 0 {
		t.Errorf("refused, yet %d %s checked on %q", len(got), fmt.Sprint(year), got)
	}
	peers, err := rosterdata.PeerClocks(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rosterdata.ConfirmStationDate(ctx, s, pc, "zhang", store.UserOfficer, peers); err != nil {
		t.Fatal(err)
	}
	p.Refresh()
	u.Wait()
	p.hols.confirmYear(year)
	u.Wait()
	if got := checkedOn(); len(got) != 1 || got[0] != station {
		t.Errorf("after taking the station's date: checked on %q, want %s", got, station)
	}
	if !strings.Contains(p.hols.status.Text, "核实日期："+station+"（派出所的日期") {
		t.Errorf("status %q does not say the day checked is the station's", p.hols.status.Text)
	}
}
