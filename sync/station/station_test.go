package station

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
	cjsync "cunjing/sync"
	"cunjing/sync/synctest"
)

func device(t *testing.T, role, name string) *cjsync.Engine {
	t.Helper()
	return synctest.Device(t, role, name, store.Options{Now: clocktest.Clock(t)})
}

func TestViewAndPublish(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	posts := []*cjsync.Engine{device(t, store.RolePost, "东关"), device(t, store.RolePost, "西关")}
	for i, p := range posts {
		for _, x := range [][2]*cjsync.Engine{{p, st}, {st, p}} {
			c, _ := x[1].Identity().Code("n", x[1].Store().Role(), nil)
			if _, err := x[0].Pair(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		v := &store.Village{Name: "村"}
		if err := p.Store().Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		for j := 0; j <= i; j++ {
			h := &store.Household{VillageID: v.ID, OwnerName: "户", Warning: store.WarnRed, Categories: []string{store.CatElderly}}
			if err := p.Store().Save(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		ven := &store.Venue{Name: "小卖部"}
		if err := p.Store().Save(ctx, ven); err != nil {
			t.Fatal(err)
		}
		if err := p.Store().Save(ctx, &store.PrintRecord{Kind: "board", VenueID: ven.ID, Copies: 2},
			&store.Patrol{Date: "2026-11-20", People: []string{"x"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Cut(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportDir(ctx, "test", p.FolderDir(cjsync.PostFolder(p.Self())), true); err != nil {
			t.Fatal(err)
		}
	}
	v, err := View(ctx, st, "2026-11-01", "2026-11-30", 24*time.Hour, clocktest.Today(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Posts) != 2 || v.Total.Households != 3 || v.Total.ByWarning[store.WarnRed] != 3 ||
		v.Total.ByCategory[store.CatElderly] != 3 || v.Total.Patrols != 2 || v.Total.BoardsVenues["小卖部"] != 4 || len(v.StalePosts) != 0 {
		t.Fatalf("view %+v", v)
	}
	res, err := Publish(ctx, st, &store.Notice{Title: "冬季防火"})
	if err != nil || len(res.Changesets) == 0 {
		t.Fatalf("publish %+v %v", res, err)
	}
	if _, err := Publish(ctx, st, &store.Village{Name: "x"}); err == nil {
		t.Fatal("published a village")
	}
	if _, err := View(ctx, posts[0], "", "", time.Hour, clocktest.Today(t)); err == nil {
		t.Fatal("a post has no station view")
	}
}

// pairBoth pairs a post and its station both ways; the station knows the
// post by name.
func pairBoth(t *testing.T, post, st *cjsync.Engine, name string) {
	t.Helper()
	for _, x := range [][2]*cjsync.Engine{{post, st}, {st, post}} {
		c, err := x[1].Identity().Code(name, x[1].Store().Role(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x[0].Pair(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func specJSON(t *testing.T, text string) string {
	t.Helper()
	sp, err := schedule.ParseSpec(text)
	if err != nil {
		t.Fatal(err)
	}
	s, err := schedule.EncodeSpec(sp)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// roster gives a post one team of three with its shift rules, and logs the
// patrols ("rule0" as a patrol's RuleID stands for the first rule).
func roster(t *testing.T, post *cjsync.Engine, rules []*store.ShiftRule, patrols []*store.Patrol) {
	t.Helper()
	ctx := context.Background()
	team := &store.Team{Name: "巡逻一队"}
	if err := post.Store().Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range []string{"张三", "李四", "王五"} {
		m := &store.Member{TeamID: team.ID, Name: n, Role: "村警"}
		if err := post.Store().Save(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	for _, r := range rules {
		r.TeamID, r.People = team.ID, ids
		if err := post.Store().Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range patrols {
		p.TeamID, p.People = team.ID, ids[:2]
		if p.RuleID == "rule0" {
			p.RuleID = rules[0].ID
		}
		if err := post.Store().Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPatrolPlan: planned patrols (from each post's own roster: patrols,
// market days and school-gate posts; duty left out) against its patrol log, per post and for the township, never past
// today; a broken roster is reported, not fatal.
func TestPatrolPlan(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	a, b, c := device(t, store.RolePost, "东关"), device(t, store.RolePost, "西关"), device(t, store.RolePost, "北关")
	daily := func() *store.ShiftRule {
		return &store.ShiftRule{Name: "每日巡逻", Kind: schedule.KindPatrol, Spec: specJSON(t, "每天"), Windows: "19:00-21:00", ValidFrom: "2026-10-01"}
	}
	duty := &store.ShiftRule{Name: "值班", Kind: schedule.KindDuty, Spec: specJSON(t, "每天"), Windows: "08:00-08:00", Rotate: 1, ValidFrom: "2026-10-01"}
	var aPatrols []*store.Patrol
	for d := 1; d <= 7; d++ { // the planned patrol, logged against its rule
		aPatrols = append(aPatrols, &store.Patrol{RuleID: "rule0", Date: fmt.Sprintf("2026-11-%02d", d), Start: "19:05", End: "20:50"})
	}
	aPatrols = append(aPatrols,
		&store.Patrol{Date: "2026-11-09", Start: "20:00", End: "20:30"},    // ad hoc entry inside the planned hours: answers day 9
		&store.Patrol{Date: "2026-11-10", Start: "10:00", End: "11:00"},    // ad hoc, answers nothing
		&store.Patrol{Date: "2026-11-03", Start: "7点", End: "8点"},          // times unreadable: a whole-day ad hoc patrol, day 3 already done
		&store.Patrol{RuleID: "rule0", Date: "2026-11-12", Start: "19:00"}, // outside the range
	)
	gate := &store.ShiftRule{Name: "护学岗", Kind: schedule.KindSchoolGate, Spec: specJSON(t, "每周一、五"), Windows: "07:00-08:00", ValidFrom: "2026-10-01"}
	roster(t, a, []*store.ShiftRule{daily(), duty, gate}, aPatrols)
	// The same team and rule names at another post must not mix in.
	roster(t, b, []*store.ShiftRule{{Name: "每日巡逻", Kind: schedule.KindPatrol, Spec: specJSON(t, "每周一"), Windows: "19:00-21:00"}}, nil)
	roster(t, c, []*store.ShiftRule{{Name: "坏规则", Kind: schedule.KindPatrol, Spec: `{"kind":`, Windows: "19:00-21:00"}},
		[]*store.Patrol{{Date: "2026-11-02"}})
	for i, p := range []*cjsync.Engine{a, b, c} {
		pairBoth(t, p, st, []string{"东关", "西关", "北关"}[i])
		if _, err := p.Cut(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportDir(ctx, "test", p.FolderDir(cjsync.PostFolder(p.Self())), true); err != nil {
			t.Fatal(err)
		}
	}
	late := time.Date(2026, 11, 20, 12, 0, 0, 0, time.Local)
	early := time.Date(2026, 11, 5, 12, 0, 0, 0, time.Local)
	type want struct{ planned, done, adhoc, problems int }
	cases := []struct {
		name     string
		from, to string
		now      time.Time
		posts    map[string]want
		total    want
		planTo   string
	}{
		{"ten days", "2026-11-01", "2026-11-10", late,
			map[string]want{"东关": {13, 8, 2, 1}, "西关": {2, 0, 0, 0}, "北关": {0, 0, 1, 1}}, want{15, 8, 3, 2}, "2026-11-10"},
		{"not past today", "2026-11-01", "2026-11-30", early,
			map[string]want{"东关": {6, 5, 1, 1}, "西关": {1, 0, 0, 0}, "北关": {0, 0, 1, 1}}, want{7, 5, 2, 2}, "2026-11-05"},
		{"this month by default", "", "", early,
			map[string]want{"东关": {6, 5, 1, 1}, "西关": {1, 0, 0, 0}, "北关": {0, 0, 1, 1}}, want{7, 5, 2, 2}, "2026-11-05"},
		{"future range", "2026-12-01", "2026-12-31", early,
			map[string]want{"东关": {}, "西关": {}, "北关": {0, 0, 0, 1}}, want{}, "2026-11-05"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := View(ctx, st, tc.from, tc.to, time.Hour, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Posts) != 3 {
				t.Fatalf("%d posts", len(v.Posts))
			}
			for _, p := range v.Posts {
				w, pl := tc.posts[p.Name], p.Plan
				got := want{pl.Planned, pl.Done, pl.AdHoc, len(pl.Problems)}
				if got != w || pl.Missed != w.planned-w.done || pl.To != tc.planTo {
					t.Errorf("%s: got %+v (missed %d, to %s), want %+v; problems %q", p.Name, got, pl.Missed, pl.To, w, pl.Problems)
				}
				if wr := tally.Rate(w.done, w.planned); pl.Rate != wr {
					t.Errorf("%s: rate %v, want %v", p.Name, pl.Rate, wr)
				}
			}
			tp := v.TotalPlan
			if got := (want{tp.Planned, tp.Done, tp.AdHoc, 0}); got != (want{tc.total.planned, tc.total.done, tc.total.adhoc, 0}) {
				t.Errorf("township %+v, want %+v", tp, tc.total)
			}
		})
	}
	if _, err := View(ctx, st, "2026-13-01", "", time.Hour, late); err == nil {
		t.Error("a bad from date was accepted")
	}
}

// Data freshness (how long ago a post's newest change arrived) is read by
// this PC's clock, which may have been years off when the change arrived,
// or be now, and the posts' clocks may be off too. A post whose change
// arrived while the station's clock ran five years ahead showed as fresh
// ("0 minutes") for five years after the clock was set right, however
// long it then sent nothing: an arrival noted in this PC's future is not
// believed (no news, for a person to look into). One whose change arrived
// while the clock was back in 2009 showed 17 years stale: an arrival is
// noted no earlier than what the database had seen (store.HighWater). A
// post whose clock runs a week fast and then falls silent must not look
// fresh: its own stamps are not taken for when its change arrived (they
// were, for a morning: from six days on it showed 0 minutes, for good a
// week too young).
func TestFreshnessWithAClockThatWasOff(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	stationNow := today
	st := synctest.Device(t, store.RoleStation, "城关派出所", store.Options{Now: func() time.Time { return stationNow }})
	behind := device(t, store.RolePost, "西关") // arrives while the station's clock is back in 2009
	ahead := device(t, store.RolePost, "东关")  // arrives while it runs 5 years ahead
	fast := synctest.Device(t, store.RolePost, "南关", store.Options{Now: clock.Fixed(today.AddDate(0, 0, 7))})
	for _, x := range []struct {
		post *cjsync.Engine
		now  time.Time
	}{{behind, today.AddDate(-17, 0, 0)}, {ahead, today.AddDate(5, 0, 0)}, {fast, today}} {
		stationNow = today
		pairBoth(t, x.post, st, x.post.Self()[:7])
		if err := x.post.Store().Save(ctx, &store.Village{Name: "村"}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.post.Cut(ctx); err != nil {
			t.Fatal(err)
		}
		stationNow = x.now
		if _, err := st.ImportDir(ctx, "test", x.post.FolderDir(cjsync.PostFolder(x.post.Self())), true); err != nil {
			t.Fatal(err)
		}
	}
	view := func(now time.Time) map[string]PostView {
		t.Helper()
		v, err := View(ctx, st, "", "", 24*time.Hour, now)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]PostView{}
		for _, p := range v.Posts {
			out[p.DeviceID] = p
		}
		if len(out) != 3 {
			t.Fatalf("posts %+v", v.Posts)
		}
		return out
	}
	// Set right; six days without news from any.
	later := today.Add(6 * 24 * time.Hour)
	for id, want := range map[string]time.Duration{behind.Self(): 6 * 24 * time.Hour, fast.Self(): 6 * 24 * time.Hour, ahead.Self(): -1} {
		p := view(later)[id]
		if d := p.Freshness - want; d < -time.Hour || d > time.Hour || !p.Stale {
			t.Errorf("%s six days after its change arrived: freshness %v, stale %v; want %v and stale", p.Name, p.Freshness, p.Stale, want)
		}
	}
	// This PC's clock fell back to 2009, below every arrival noted: not
	// known, shown as no news.
	for _, p := range view(today.AddDate(-17, 0, 0).Add(time.Hour)) {
		if p.Freshness != -1 || !p.Stale {
			t.Errorf("%s with this clock back in 2009: freshness %v, stale %v; want no news", p.Name, p.Freshness, p.Stale)
		}
	}
	// An arrival noted right is read as before.
	if got := Freshness(today.Add(-2*time.Hour).UnixMilli(), today); got != 2*time.Hour {
		t.Errorf("arrived two hours ago: %v", got)
	}
	if got := Freshness(0, today); got != -1 {
		t.Errorf("never arrived: %v", got)
	}
}

// A post whose clock differs from the station's by years is named on the
// station's overview, and the words do not take the station as right (a
// station three years fast told every post, whose clocks were right, that
// theirs were wrong): they say the date this PC reads and what to do
// either way (status.ClockWordsAt, as a post's 同步 says it).
func TestOverviewClockWordsSayThisPCsDate(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	post := device(t, store.RolePost, "东关村警务室")
	c, err := post.Identity().Code("东关村警务室", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pair(ctx, c); err != nil {
		t.Fatal(err)
	}
	const threeYears = 3 * 365 * 24 * time.Hour
	if err := st.Store().SyncBook().SetPeerClock(ctx, post.Self(), (-threeYears).Milliseconds(), "hello"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	tw, err := Overview(ctx, st, "", "", StaleAfter, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(tw.Posts) != 1 {
		t.Fatalf("posts %+v", tw.Posts)
	}
	want := "「东关村警务室」的电脑时钟比派出所慢 3 年（本机的日期是 2026年12月6日）。请对照手机上的日期"
	if got := tw.Posts[0].Clock; !strings.HasPrefix(got, want) {
		t.Errorf("clock words %q, want them to begin %q", got, want)
	}
}
