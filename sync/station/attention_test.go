package station

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/schedule/tally"
	cjsync "cunjing/sync"
	"cunjing/sync/synctest"
)

func planned(done, of int) PatrolPlan {
	rate := 1.0
	if of > 0 {
		rate = float64(done) / float64(of)
	}
	return PatrolPlan{Count: tally.Count{Done: done, Planned: of, Rate: rate}}
}

// What a post needs the station to look into, most urgent first.
func TestNeeds(t *testing.T) {
	for _, c := range []struct {
		name string
		p    PostView
		want []Need
	}{
		{"fine", PostView{Freshness: time.Hour, Plan: planned(9, 10)}, nil},
		{"six in ten done", PostView{Freshness: time.Hour, Plan: planned(6, 10)}, nil},
		{"five in ten done", PostView{Freshness: time.Hour, Plan: planned(5, 10)}, []Need{NeedPatrols}},
		{"nothing planned", PostView{Freshness: time.Hour, Plan: planned(0, 0)}, nil},
		// The first morning of a month: today's turn is not due yet.
		{"the month's first turn not done yet", PostView{Freshness: time.Hour, Plan: planned(0, 1)}, nil},
		{"four planned, one done", PostView{Freshness: time.Hour, Plan: planned(1, 4)}, nil},
		{"five planned, none done", PostView{Freshness: time.Hour, Plan: planned(0, 5)}, []Need{NeedPatrols}},
		{"never sent", PostView{Freshness: -1, Stale: true}, []Need{NeedNoData}},
		{"stale, patrols missed", PostView{Freshness: 100 * time.Hour, Stale: true, Plan: planned(3, 10)}, []Need{NeedStale, NeedPatrols}},
		{"paused and split", PostView{Paused: "暂停", Divergences: []string{"x"}, Freshness: time.Hour}, []Need{NeedPaused, NeedDiverged}},
		{"waiting, clock, roster", PostView{Freshness: time.Hour, Waiting: 2, WaitingLong: true, Clock: "快", Plan: PatrolPlan{Problems: []string{"p"}}}, []Need{NeedRoster, NeedWaiting, NeedClock}},
		{"just published to", PostView{Freshness: time.Hour, Waiting: 2}, nil},
		{"requests to unlock", PostView{Freshness: time.Hour, Requests: 3, Plan: planned(2, 10)}, []Need{NeedPatrols, NeedRequests}},
		{"unpaired", PostView{Unpaired: true, Freshness: -1, Waiting: 3}, nil},
	} {
		if got := c.p.Needs(); !slices.Equal(got, c.want) {
			t.Errorf("%s: needs %v, want %v", c.name, got, c.want)
		}
	}
}

// The station's lists put the post needing the most urgent look first.
func TestWorstFirst(t *testing.T) {
	for _, c := range []struct {
		name  string
		posts []PostView
		want  []string
	}{
		{"sync trouble before patrols before fine", []PostView{
			{Name: "甲", Freshness: time.Hour, Plan: planned(9, 10)},
			{Name: "乙", Freshness: time.Hour, Plan: planned(2, 10)},
			{Name: "丙", Freshness: 100 * time.Hour, Stale: true, Plan: planned(9, 10)},
			{Name: "丁", Freshness: time.Hour, Paused: "暂停"},
			{Name: "戊", Freshness: -1, Stale: true},
		}, []string{"丁", "戊", "丙", "乙", "甲"}},
		{"more needs, then lower rate, then older data", []PostView{
			{Name: "甲", Freshness: time.Hour, Plan: planned(5, 10)},
			{Name: "乙", Freshness: time.Hour, Plan: planned(1, 10)},
			{Name: "丙", Freshness: time.Hour, Plan: planned(5, 10), Waiting: 1, WaitingLong: true},
			{Name: "丁", Freshness: 2 * time.Hour, Plan: planned(5, 10)},
		}, []string{"丙", "乙", "丁", "甲"}},
		{"unpaired last", []PostView{
			{Name: "甲", Unpaired: true, Freshness: -1},
			{Name: "乙", Freshness: time.Hour, Plan: planned(10, 10)},
		}, []string{"乙", "甲"}},
	} {
		WorstFirst(c.posts)
		var got []string
		for _, p := range c.posts {
			got = append(got, p.Name)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDefaultRange(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if from, to := DefaultRange(now); from != "2026-12-01" || to != "2026-12-07" {
		t.Errorf("range %s..%s", from, to)
	}
}

// The view says whom to call about a post (its profile's phone) and how
// many changesets of the station wait for the post's receipt.
func TestViewSaysPhoneAndWaiting(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	post := device(t, store.RolePost, "东关")
	pairBoth(t, post, st, "东关警务室")
	var self store.Post
	if err := post.Store().Get(ctx, &self, post.Self()); err != nil {
		t.Fatal(err)
	}
	self.Officer, self.Phone = "赵警官", "13900001111"
	if err := post.Store().Save(ctx, &self); err != nil {
		t.Fatal(err)
	}
	synctest.Up(t, post, st)
	if _, err := Publish(ctx, st, &store.Notice{Title: "冬季防火"}); err != nil {
		t.Fatal(err)
	}
	// Just published: it waits for the post's next sync, nobody's concern
	// yet; four days on, it is.
	for _, c := range []struct {
		days int
		need bool
	}{{0, false}, {4, true}} {
		v, err := Overview(ctx, st, "", "", StaleAfter, clocktest.Today(t).AddDate(0, 0, c.days))
		if err != nil || len(v.Posts) != 1 {
			t.Fatalf("view %+v %v", v, err)
		}
		p := v.Posts[0]
		if p.Phone != "13900001111" || p.Officer != "赵警官" || p.Waiting == 0 || slices.Contains(p.Needs(), NeedWaiting) != c.need {
			t.Errorf("day %d: post %q officer %q phone %q waiting %d needs %v", c.days, p.Name, p.Officer, p.Phone, p.Waiting, p.Needs())
		}
	}
}

// A post's changeset that came before the one it follows waits: the view
// says so (Divergences, in sync's words) and the post needs a look.
func TestViewSaysASplit(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	post := device(t, store.RolePost, "东关")
	pairBoth(t, post, st, "东关警务室")
	for range 2 {
		if err := post.Store().Save(ctx, &store.Village{Name: "村"}); err != nil {
			t.Fatal(err)
		}
		if _, err := post.Cut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	dir := post.FolderDir(cjsync.PostFolder(post.Self()))
	files, err := filepath.Glob(filepath.Join(dir, "cs-*-000000000002-*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("the second changeset: %v %v", files, err)
	}
	second := t.TempDir()
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(second, filepath.Base(files[0])), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportDir(ctx, "stick", second, true); err != nil {
		t.Fatal(err)
	}
	v, err := Overview(ctx, st, "", "", StaleAfter, clocktest.Today(t))
	if err != nil || len(v.Posts) != 1 {
		t.Fatalf("view %+v %v", v, err)
	}
	if p := v.Posts[0]; len(p.Divergences) == 0 || !slices.Contains(p.Needs(), NeedDiverged) {
		t.Errorf("a changeset waiting for the one before it: divergences %q, needs %v", p.Divergences, p.Needs())
	}
}

// What waits for a post is late only after the stale limit: just
// published and the post not heard from since is normal, heard from since
// but not confirmed is not yet a worry (its news may have come on a stick
// that left before), and nothing waiting is nothing.
func TestWaitState(t *testing.T) {
	for _, c := range []struct {
		name string
		p    PostView
		want WaitState
	}{
		{"nothing waits", PostView{LastContact: "2026-12-06T08:00:00Z"}, WaitNone},
		{"just published", PostView{Waiting: 12, WaitingSince: "2026-12-06T09:00:00Z", LastContact: "2026-12-06T08:00:00Z"}, WaitNormal},
		{"never in contact", PostView{Waiting: 3, WaitingSince: "2026-12-06T09:00:00Z"}, WaitNormal},
		{"heard from since", PostView{Waiting: 12, WaitingSince: "2026-12-06T09:00:00Z", LastContact: "2026-12-06T10:00:00Z"}, WaitUnconfirmed},
		{"days passed", PostView{Waiting: 12, WaitingLong: true, WaitingSince: "2026-12-01T09:00:00Z", LastContact: "2026-12-01T08:00:00Z"}, WaitLate},
		{"days passed, heard from since", PostView{Waiting: 1, WaitingLong: true, WaitingSince: "2026-12-01T09:00:00Z", LastContact: "2026-12-06T10:00:00Z"}, WaitLate},
	} {
		if got := c.p.Wait(); got != c.want {
			t.Errorf("%s: Wait() = %d, want %d", c.name, got, c.want)
		}
	}
}
