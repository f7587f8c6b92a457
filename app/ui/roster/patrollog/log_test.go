package patrollog

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/tab"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/schedule"
)

func TestPatrolLogFromPlannedSlot(t *testing.T) {
	// The window is open on the day the fixture was made (a week ago); the
	// patrol logged is the nightly one two days before, when 钱村警 was
	// not yet on leave, so both walked it. Patrols are logged once done.
	made := clocktest.Today(t).AddDate(0, 0, -7)
	walked := made.AddDate(0, 0, -2)
	s := uitest.FixtureAt(t, made, 0)
	u, p := openLog(t, s, made.Format("2006-01-02"))
	p.edit(store.Patrol{Date: walked.Format("2006-01-02")})
	e := p.ed
	if len(e.slot.Options) != 2 || !strings.Contains(e.slot.Options[1], "19:00–21:00 夜间巡逻") {
		t.Fatalf("slot options %q", e.slot.Options)
	}
	e.slot.SetSelectedIndex(1)
	if e.start.Text != "19:00" || e.end.Text != "21:00" || len(e.people.Selected) == 0 {
		t.Fatalf("slot did not fill the form: %q %q %v", e.start.Text, e.end.Text, e.people.Selected)
	}
	e.route.SetText("东三巷—北街")
	e.addFinding(Finding{})
	e.finds[0].cat.SetSelectedIndex(1)
	e.finds[0].text.SetText("电动车在楼道充电，已劝离")
	e.village.SetSelected("东河村")
	e.houses.SetText("203、999")
	e.save()
	u.Wait()
	if !strings.Contains(e.form.Err("houses").Text, "999") {
		t.Fatalf("unknown house number not named: %q", e.form.Err("houses").Text)
	}
	e.houses.SetText("203")
	e.venues.SetSelected([]string{"东河超市"})
	e.posted.SetSelected([]string{"东河超市"})
	e.save()
	u.Wait()
	ps, err := s.Patrols(context.Background(), walked.Format("2006-01-02"), "")
	if err != nil {
		t.Fatal(err)
	}
	var got *store.Patrol
	for i := range ps {
		if ps[i].Route == "东三巷—北街" {
			got = &ps[i]
		}
	}
	if got == nil {
		t.Fatalf("patrol not saved: %+v", ps)
	}
	var finds []Finding
	if err := json.Unmarshal([]byte(got.Findings), &finds); err != nil || len(finds) != 1 || finds[0].Category != "消防隐患" {
		t.Errorf("findings %q (%v)", got.Findings, err)
	}
	if got.RuleID == "" || got.Start != "19:00" || len(got.Houses) != 1 || len(got.Venues) != 1 || len(got.People) != 2 ||
		len(got.BoardsPosted) != 1 || got.BoardsPosted[0] != got.Venues[0] || len(got.BoardsChecked) != 0 {
		t.Errorf("saved %+v", *got)
	}
	if txt := uitest.Joined(p.List); !strings.Contains(txt, "消防隐患：电动车在楼道充电，已劝离") || !strings.Contains(txt, "走到的住户：203号") ||
		!strings.Contains(txt, "警示牌：张贴 东河超市") {
		t.Errorf("log list:\n%s", txt)
	}

	// Tonight's slot, at 10:00 in the morning, is not done yet.
	p.edit(store.Patrol{Date: made.Format("2006-01-02")})
	e = p.ed
	e.slot.SetSelectedIndex(1)
	e.save()
	u.Wait()
	if msg := e.form.Err("start"); !msg.Visible() || !strings.Contains(msg.Text, "晚于现在") {
		t.Errorf("logging tonight's patrol in the morning says %q", msg.Text)
	}
	if ps, _ := s.Patrols(context.Background(), made.Format("2006-01-02"), ""); len(ps) != 0 {
		t.Errorf("a patrol not yet done was logged: %+v", ps)
	}
}

// The mouse wheel over the patrol form's fields scrolls the form at
// 1366×768 (issue #19: it stopped while the pointer was over a field).
func TestWheelOverPatrolFormScrolls(t *testing.T) {
	made := clocktest.Today(t).AddDate(0, 0, -7)
	s := uitest.FixtureAt(t, made, 0)
	u, p := openLog(t, s, made.Format("2006-01-02"))
	p.edit(store.Patrol{Date: made.AddDate(0, 0, -2).Format("2006-01-02")})
	e := p.ed
	for range 10 { // a patrol with many findings: the form is taller than the window
		e.addFinding(Finding{})
	}
	u.Wait()
	if !uitest.WheelScrollsForm(t, u.Window().Canvas(), p.Object(), e.route) {
		t.Error("the wheel over the route field does not scroll the patrol form")
	}
	if !uitest.WheelScrollsForm(t, u.Window().Canvas(), p.Object(), e.start) {
		t.Error("the wheel over the start field does not scroll the patrol form")
	}
}

// testHost is the screen around the patrol log in its tests: the window,
// the day, and the roster's records reloaded after every save.
type testHost struct {
	u    *kit.Env
	data tab.Data
	tab  *Tab
}

func (h *testHost) Env() kit.Base        { return h.u }
func (h *testHost) Today() schedule.Date { return schedule.FromTime(h.u.Now()) }
func (h *testHost) Owner() string        { return "" }
func (h *testHost) Data() *tab.Data      { return &h.data }
func (h *testHost) RecordCard(title, subtitle, text string, _ func(), _ string, _ func()) fyne.CanvasObject {
	return widget.NewCard(title, subtitle, widget.NewLabel(text))
}

func (h *testHost) Refresh() {
	var d tab.Data
	kit.Load(h.u, func(ctx context.Context) (err error) {
		d, err = tab.Load(ctx, h.u.Store(), "")
		return err
	}, func() {
		h.data = d
		h.tab.Show()
	})
}

func (h *testHost) Save(f *kit.EditForm, onSaved func(), recs ...store.Record) {
	kit.Run(h.u, func(ctx context.Context) error { return h.u.Store().Save(ctx, recs...) },
		func(err error) { h.u.SaveFailed(f, err) },
		func() {
			if onSaved != nil {
				onSaved()
			}
			h.Refresh()
		})
}

func (h *testHost) Remove(rec store.Record, id string) {
	kit.Save(h.u, nil, func(ctx context.Context) error {
		return h.u.Store().Update(ctx, func(tx *store.Tx) error { return tx.Delete(rec, id) })
	}, h.Refresh)
}

// openLog shows the patrol log alone, with "today" fixed at day
// (YYYY-MM-DD) so the fixture's leave and slots are deterministic.
func openLog(t *testing.T, s *store.Store, day string) (*kit.Env, *Tab) {
	t.Helper()
	now, err := clock.Day(day, 10, 0, clock.Zone)
	if err != nil {
		t.Fatal(err)
	}
	u, w := uitest.NewEnvAt(t, s, clock.Fixed(now))
	uitest.NoCutText(t, w)
	h := &testHost{u: u}
	h.tab = New(h)
	w.SetContent(h.tab.Object())
	h.Refresh()
	u.Wait()
	return u, h.tab
}

// The houses a patrol visited are typed as the screens and the plates
// write them (203号, full-width ２０３) and found as the number stored; a
// number an older version stored with its 号 ('205号') is found by 205,
// and shown back without it when the patrol is opened again.
func TestPatrolHousesTypedAsWritten(t *testing.T) {
	made := clocktest.Today(t).AddDate(0, 0, -7)
	s := uitest.FixtureAt(t, made, 0)
	ctx := context.Background()
	vs, err := s.Villages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var east store.Village
	for _, v := range vs {
		if v.Name == "东河村" {
			east = v
		}
	}
	old := &store.House{VillageID: east.ID, Number: "205号", Kind: "house"}
	if err := s.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	u, p := openLog(t, s, made.Format("2006-01-02"))
	walked := made.AddDate(0, 0, -2).Format("2006-01-02")
	p.edit(store.Patrol{Date: walked})
	e := p.ed
	e.start.SetText("09:00")
	e.end.SetText("10:00")
	e.people.SetSelected(e.people.Options[:1])
	e.route.SetText("东三巷")
	e.village.SetSelected("东河村")
	e.houses.SetText("203号、２０５")
	e.save()
	u.Wait()
	if msg := e.form.Err("houses").Text; msg != "" {
		t.Fatalf("houses typed as written: %q", msg)
	}
	ps, err := s.Patrols(ctx, walked, "")
	if err != nil {
		t.Fatal(err)
	}
	var got *store.Patrol
	for i := range ps {
		if ps[i].Route == "东三巷" {
			got = &ps[i]
		}
	}
	if got == nil || len(got.Houses) != 2 || !slices.Contains(got.Houses, old.ID) {
		t.Fatalf("saved %+v", got)
	}
	p.edit(*got)
	if txt := p.ed.houses.Text; txt != "203、205" && txt != "205、203" {
		t.Errorf("the patrol opened again shows houses %q", txt)
	}
}
