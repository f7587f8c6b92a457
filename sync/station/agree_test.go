package station

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
	cjsync "cunjing/sync"
)

// agreePost is a post with one team of three and a week's roster of every
// kind: the daily patrol, a night patrol that runs past midnight, market
// days, the school gate and 24-hour duty; a swap, a cancelled evening and
// a member on leave.
type agreePost struct {
	e      *cjsync.Engine
	team   string
	rules  map[string]*store.ShiftRule
	people []string
}

func newAgreePost(t *testing.T, name string) *agreePost {
	t.Helper()
	ctx := context.Background()
	p := &agreePost{e: device(t, store.RolePost, name), rules: map[string]*store.ShiftRule{}}
	team := &store.Team{Name: "巡逻一队"}
	if err := p.e.Store().Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	p.team = team.ID
	for _, n := range []string{"张三", "李四", "王五"} {
		m := &store.Member{TeamID: team.ID, Name: n, Role: "村警"}
		if n == "李四" {
			m.Leave = []string{"2026-11-03..2026-11-04"}
		}
		if err := p.e.Store().Save(ctx, m); err != nil {
			t.Fatal(err)
		}
		p.people = append(p.people, m.ID)
	}
	for _, r := range []struct{ key, name, kind, spec, win string }{
		{"daily", "每日巡逻", schedule.KindPatrol, "每天", "19:00-21:00"},
		{"night", "夜巡", schedule.KindPatrol, "每周六", "22:00-02:00"},
		{"market", "逢集必巡", schedule.KindMarket, "公历逢2、5", "08:00-11:00"},
		{"gate", "护学岗", schedule.KindSchoolGate, "每周一、五", "07:00-08:00"},
		{"duty", "24小时值班", schedule.KindDuty, "每天", "08:00-08:00"},
	} {
		sr := &store.ShiftRule{Name: r.name, TeamID: team.ID, Kind: r.kind, Spec: specJSON(t, r.spec), Windows: r.win,
			People: p.people[:2], ValidFrom: "2026-10-01"}
		if r.kind == schedule.KindDuty {
			sr.People, sr.Rotate = p.people, 1
		}
		if err := p.e.Store().Save(ctx, sr); err != nil {
			t.Fatal(err)
		}
		p.rules[r.key] = sr
	}
	daily := p.rules["daily"].ID
	excs := schedule.Swap("swap", daily, p.people[0], schedule.DateOf(2026, 11, 3), p.people[2], schedule.DateOf(2026, 11, 4))
	excs = append(excs, schedule.Exception{ID: "cancel", Name: "村里放电影", Action: schedule.Cancel,
		Dates: &schedule.DateRange{From: schedule.DateOf(2026, 11, 5), To: schedule.DateOf(2026, 11, 5)}, Rules: []string{daily}})
	for _, x := range excs {
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.e.Store().Save(ctx, &store.ShiftException{Name: x.Name, Spec: string(b)}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// log saves a patrol; rule is a key of p.rules or "" for ad hoc.
func (p *agreePost) log(t *testing.T, rule, date, start, end string) {
	t.Helper()
	pt := &store.Patrol{TeamID: p.team, Date: date, Start: start, End: end, People: p.people[:2]}
	if rule != "" {
		pt.RuleID = p.rules[rule].ID
	}
	if err := p.e.Store().Save(context.Background(), pt); err != nil {
		t.Fatal(err)
	}
}

// syncTo carries the post's changes to the station.
func (p *agreePost) syncTo(t *testing.T, st *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := p.e.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportDir(ctx, "test", p.e.FolderDir(cjsync.PostFolder(p.e.Self())), true); err != nil {
		t.Fatal(err)
	}
}

// same reports where the post's own figures and the station's for it
// differ ("" when they agree).
func same(post, station tally.Figures) string {
	type pick struct {
		Planned, Done, Missed, AdHoc int
		Rate                         float64
		ByKind                       map[string]tally.KindFigures
		Rows                         []tally.ComplianceRow
	}
	a := pick{post.Planned, post.Done, post.Missed, post.AdHoc, post.Rate, post.ByKind, post.Rows}
	b := pick{station.Planned, station.Done, station.Missed, station.AdHoc, station.Rate, station.ByKind, station.Rows}
	if reflect.DeepEqual(a, b) {
		return ""
	}
	return fmt.Sprintf("post    %+v\nstation %+v", a, b)
}

// TestPostAndStationAgree: the post's 巡逻排班 and the station's screens and
// `cunjing station` count a post's patrols with one function, so after a
// sync they report the same figures for the same days — patrols logged
// against a planned slot (the 07:00 护学岗 the station used to call ad hoc),
// ad hoc patrols inside and outside planned hours, a night patrol logged
// after midnight, swaps, leave, a cancelled evening and 24-hour duty that
// crosses midnight — and the figures are the ones a person counts by hand.
func TestPostAndStationAgree(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	p := newAgreePost(t, "东关")
	pairBoth(t, p.e, st, "东关")
	// Monday 2 … Sunday 8 November 2026.
	p.log(t, "gate", "2026-11-02", "07:00", "08:00") // the 07:00 school gate, logged against its slot
	for _, d := range []string{"02", "03", "04"} {
		p.log(t, "daily", "2026-11-"+d, "19:05", "20:55")
	}
	p.log(t, "daily", "2026-11-05", "19:00", "21:00") // against the evening cancelled that day: ad hoc
	p.log(t, "", "2026-11-06", "20:00", "20:30")      // ad hoc inside the planned hours: answers the 6th
	p.log(t, "", "2026-11-08", "01:00", "01:30")      // after midnight: answers Saturday's night patrol
	p.log(t, "", "2026-11-05", "03:00", "04:00")      // during the duty that began on the 4th: ad hoc
	p.log(t, "", "2026-11-04", "12:00", "13:00")      // at noon: ad hoc
	p.log(t, "market", "2026-11-05", "08:30", "10:00")
	p.log(t, "daily", "2026-11-09", "19:00", "21:00") // after the period
	p.syncTo(t, st)

	from, to := schedule.DateOf(2026, 11, 2), schedule.DateOf(2026, 11, 8)
	// Sunday noon in Beijing: the evening's patrol is still to come.
	now := time.Date(2026, 11, 8, 12, 0, 0, 0, schedule.Zone)
	postFig, err := rosterdata.PatrolFigures(ctx, p.e.Store(), p.e.Self(), from, to, tally.DueAt(now), tally.ByMonth)
	if err != nil {
		t.Fatal(err)
	}
	v, err := View(ctx, st, from.String(), to.String(), time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Posts) != 1 {
		t.Fatalf("%d posts", len(v.Posts))
	}
	stnFig := v.Posts[0].Plan.Figures()
	if d := same(postFig, stnFig); d != "" {
		t.Errorf("post and station disagree:\n%s", d)
	}
	// By hand: daily 7 evenings less the cancelled 5th and the 8th's, still
	// to come at noon = 5, done 2nd–4th and 6th; the night patrol of the
	// 7th, done; markets on the 2nd and
	// 5th, done the 5th; the school gate on the 2nd and 6th, done the 2nd.
	// Ad hoc: the cancelled evening's entry, 03:00 and noon.
	want := map[string]tally.KindFigures{
		schedule.KindPatrol:     {Planned: 6, Done: 5, Missed: 1, Rate: 5.0 / 6},
		schedule.KindMarket:     {Planned: 2, Done: 1, Missed: 1, Rate: 0.5},
		schedule.KindSchoolGate: {Planned: 2, Done: 1, Missed: 1, Rate: 0.5},
	}
	if !reflect.DeepEqual(stnFig.ByKind, want) || stnFig.Planned != 10 || stnFig.Done != 7 || stnFig.Missed != 3 || stnFig.AdHoc != 3 {
		t.Errorf("station figures %+v, want planned 10, done 7, missed 3, ad hoc 3, by kind %+v", stnFig, want)
	}
	if tp := v.TotalPlan; tp.Planned != 10 || tp.Done != 7 || tp.AdHoc != 3 || !reflect.DeepEqual(tp.ByKind, want) {
		t.Errorf("township %+v", tp)
	}
	// The record counts agree too.
	if err := p.e.Store().Save(ctx, &store.Village{Name: "东关村"}); err != nil {
		t.Fatal(err)
	}
	p.syncTo(t, st)
	c, err := p.e.Store().Counts(ctx, p.e.Self())
	if err != nil {
		t.Fatal(err)
	}
	stats, err := st.Store().PostCounts().StatsByOwner(ctx, from.String(), to.String())
	if err != nil {
		t.Fatal(err)
	}
	if ps := stats[p.e.Self()]; ps == nil || ps.ShiftRules != c.ShiftRules || ps.Houses != c.Houses || ps.Households != c.Households || ps.Residents != c.Residents {
		t.Errorf("station stats %+v, post counts %+v", ps, c)
	}
}

// TestPostAndStationAgreeRandom: random patrol logs over a random stretch
// of the same roster give the same figures at the post and the station.
func TestPostAndStationAgreeRandom(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	p := newAgreePost(t, "东关")
	pairBoth(t, p.e, st, "东关")
	rng := rand.New(rand.NewPCG(20, 26))
	keys := []string{"", "daily", "night", "market", "gate", "duty"}
	for range 60 {
		d := schedule.DateOf(2026, 10, 25) + schedule.Date(rng.IntN(30))
		h := rng.IntN(24)
		p.log(t, keys[rng.IntN(len(keys))], d.String(), fmt.Sprintf("%02d:%02d", h, rng.IntN(60)), fmt.Sprintf("%02d:%02d", (h+1+rng.IntN(3))%24, rng.IntN(60)))
	}
	p.syncTo(t, st)
	for i := range 40 {
		from := schedule.DateOf(2026, 10, 20) + schedule.Date(rng.IntN(30))
		to := from + schedule.Date(rng.IntN(20))
		today := from + schedule.Date(rng.IntN(25))
		now := today.Time(time.Local).Add(12 * time.Hour)
		postFig, err := rosterdata.PatrolFigures(ctx, p.e.Store(), p.e.Self(), from, to, tally.DueAt(now), tally.ByMonth)
		if err != nil {
			t.Fatal(err)
		}
		v, err := View(ctx, st, from.String(), to.String(), time.Hour, now)
		if err != nil {
			t.Fatal(err)
		}
		if d := same(postFig, v.Posts[0].Plan.Figures()); d != "" {
			t.Fatalf("case %d (%s..%s, today %s): post and station disagree:\n%s", i, from, to, today, d)
		}
		if postFig.Planned != postFig.Done+postFig.Missed || postFig.Planned < 0 {
			t.Fatalf("case %d: %+v", i, postFig)
		}
	}
}

// TestStationCountsEveryPostInOnePass: the station counts all its posts'
// figures in one pass (store.PatrolFiguresOf: each table read once, one
// lunar table shared); each post's figures there are its own, for posts
// with different logs — one with a school holiday of its own — and a
// post with no roster at all.
func TestStationCountsEveryPostInOnePass(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	rng := rand.New(rand.NewPCG(20, 27))
	var posts []*agreePost
	for i, name := range []string{"东关", "西关", "南关"} {
		p := newAgreePost(t, name)
		pairBoth(t, p.e, st, name)
		if i == 1 {
			// 西关's own holiday: its 护学岗 skips 11-02..11-06, the others' do not.
			h := &store.Holiday{Name: "秋假", Kind: schedule.HolidaySchool, DateFrom: "2026-11-02", DateTo: "2026-11-06"}
			if err := p.e.Store().Save(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		keys := []string{"", "daily", "night", "market", "gate"}
		for range 20 + 10*i {
			d := schedule.DateOf(2026, 10, 28) + schedule.Date(rng.IntN(14))
			h := rng.IntN(24)
			p.log(t, keys[rng.IntN(len(keys))], d.String(), fmt.Sprintf("%02d:%02d", h, rng.IntN(60)), fmt.Sprintf("%02d:%02d", (h+1)%24, rng.IntN(60)))
		}
		p.syncTo(t, st)
		posts = append(posts, p)
	}
	bare := device(t, store.RolePost, "北关")
	pairBoth(t, bare, st, "北关")
	from, to := schedule.DateOf(2026, 10, 28), schedule.DateOf(2026, 11, 10)
	now := to.Time(time.Local).Add(12 * time.Hour)
	v, err := View(ctx, st, from.String(), to.String(), time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if !v.PlansReady || len(v.Posts) != 4 {
		t.Fatalf("ready %v, %d posts", v.PlansReady, len(v.Posts))
	}
	byID := map[string]PostView{}
	for _, pv := range v.Posts {
		byID[pv.DeviceID] = pv
	}
	var sum tally.Figures
	gates := map[int]bool{}
	for _, p := range posts {
		own, err := rosterdata.PatrolFigures(ctx, p.e.Store(), p.e.Self(), from, to, tally.DueAt(now), tally.ByMonth)
		if err != nil {
			t.Fatal(err)
		}
		if d := same(own, byID[p.e.Self()].Plan.Figures()); d != "" {
			t.Fatalf("post %s: post and station disagree:\n%s", p.e.Self(), d)
		}
		gates[own.ByKind[schedule.KindSchoolGate].Planned] = true
		sum.Add(own)
	}
	if len(gates) != 2 {
		t.Fatalf("西关's own school holiday should change only its 护学岗 slots: %v", gates)
	}
	if b := byID[bare.Self()].Plan; b.Planned != 0 || b.AdHoc != 0 || b.Rate != 1 {
		t.Fatalf("a post with no roster: %+v", b)
	}
	if v.TotalPlan.Planned != sum.Planned || v.TotalPlan.Done != sum.Done || v.TotalPlan.AdHoc != sum.AdHoc {
		t.Fatalf("township %+v, sum of posts %+v", v.TotalPlan, sum)
	}
	// The overview alone leaves the figures to FillPlans.
	o, err := Overview(ctx, st, from.String(), to.String(), time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if o.PlansReady || o.TotalPlan.Planned != 0 || len(o.Posts) != 4 {
		t.Fatalf("overview: ready %v, %+v", o.PlansReady, o.TotalPlan)
	}
}
