package station

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
)

// stationTo carries the station's changes (its broadcast and what it
// wrote into the post's records) to the post.
func stationTo(t *testing.T, st, post *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{cjsync.StationFolder(st.Self()), cjsync.PostFolder(post.Self())} {
		r, err := post.ImportDir(ctx, "test", st.FolderDir(f), true)
		if err != nil {
			t.Fatal(err)
		}
		if r.Refused != 0 {
			t.Fatalf("the post refused %d of the station's changes: %+v", r.Refused, r)
		}
	}
}

// postTo carries the post's changes to the station; nothing is refused.
func postTo(t *testing.T, post, st *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := st.ImportDir(ctx, "test", post.FolderDir(cjsync.PostFolder(post.Self())), true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Refused != 0 || r.Outcomes[cjsync.Rejected] != 0 {
		t.Fatalf("the station refused the post's changes: %+v", r)
	}
}

func patrolOf(t *testing.T, s *store.Store, id string) store.Patrol {
	t.Helper()
	var p store.Patrol
	if err := s.Get(context.Background(), &p, id); err != nil {
		t.Fatalf("patrol %s: %v", id, err)
	}
	return p
}

// TestMonthApprovalAndTheOfflineEdit: the station approves a post's month
// and the approval travels through the normal sync; from then on the
// month's patrols are locked on both sides (a clear error; the edit can be
// kept as a request to unlock). An edit the post made offline, before it
// heard of the approval, is never refused when it arrives: the station
// keeps the approved values and shows the edit as a request to unlock;
// unlocking (a reason, audited) applies every pending request, and post
// and station end with the same records.
func TestMonthApprovalAndTheOfflineEdit(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	post := device(t, store.RolePost, "东关")
	pairBoth(t, post, st, "东关")
	ps, ss := post.Store(), st.Store()
	today := clocktest.Today(t)
	first := today.AddDate(0, 0, -today.Day()+1).AddDate(0, -1, 0) // the first of last month
	month := first.Format("2006-01")
	team := &store.Team{Name: "巡逻队"}
	if err := ps.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	m := &store.Member{TeamID: team.ID, Name: "张三", Role: "村警"}
	if err := ps.Save(ctx, m); err != nil {
		t.Fatal(err)
	}
	who := []string{m.ID}
	pt := &store.Patrol{TeamID: team.ID, Date: first.AddDate(0, 0, 9).Format("2006-01-02"), Start: "19:00", End: "21:00", Route: "主街", People: who}
	other := &store.Patrol{TeamID: team.ID, Date: first.AddDate(0, 0, 12).Format("2006-01-02"), Start: "19:00", End: "21:00", Route: "东街", People: who}
	if err := ps.Save(ctx, pt, other); err != nil {
		t.Fatal(err)
	}
	postTo(t, post, st)

	// The station approves; an edit of the month at the station is
	// refused now, the approval audited.
	if err := ss.ApproveMonth(ctx, post.Self(), month, "刘所长"); err != nil {
		t.Fatal(err)
	}
	atStation := patrolOf(t, ss, pt.ID)
	atStation.Route = "站里改的"
	var locked *store.MonthLockedError
	if err := ss.Save(ctx, &atStation); !errors.As(err, &locked) || locked.Month != month || !errors.Is(err, store.ErrMonthApproved) {
		t.Fatalf("a station edit of an approved month: %v", err)
	}

	// Meanwhile, offline, the post edits the patrol and logs one more in
	// the month: it has not heard of the approval, so both are saved.
	offline := patrolOf(t, ps, pt.ID)
	offline.Route = "主街—村东口（离线补记）"
	late := &store.Patrol{TeamID: team.ID, Date: first.AddDate(0, 0, 20).Format("2006-01-02"), Start: "08:00", End: "09:00", Route: "补记的一次", People: who}
	if err := ps.Save(ctx, &offline, late); err != nil {
		t.Fatalf("an offline edit before the approval arrived: %v", err)
	}

	// The approval arrives at the post: the month is locked there too;
	// the edit is kept as a request to unlock instead.
	stationTo(t, st, post)
	as, err := ps.MonthApprovals(ctx, post.Self())
	if err != nil || len(as) != 1 || as[0].Month != month || as[0].State != store.ApprovalApproved || as[0].By != "刘所长" {
		t.Fatalf("the post sees approvals %+v %v", as, err)
	}
	again := patrolOf(t, ps, other.ID)
	again.Route = "东街—学校"
	if err := ps.Save(ctx, &again); !errors.Is(err, store.ErrMonthApproved) {
		t.Fatalf("a post edit of an approved month: %v", err)
	}
	if err := ps.Update(ctx, func(tx *store.Tx) error { return tx.Delete(&store.Patrol{}, other.ID) }); !errors.Is(err, store.ErrMonthApproved) {
		t.Fatalf("a post deleting in an approved month: %v", err)
	}
	asked, err := ps.RequestUnlock(ctx, &again, "路线记错了", "王建军")
	if err != nil || asked.Source != store.RequestAsked || asked.Month != month || !strings.Contains(asked.Fields, "东街—学校") {
		t.Fatalf("request %+v %v", asked, err)
	}
	// A month not approved is edited as always.
	free := &store.Patrol{TeamID: team.ID, Date: today.AddDate(0, 0, -1).Format("2006-01-02"), Start: "06:00", End: "07:00", People: who}
	if today.Day() > 1 {
		if err := ps.Save(ctx, free); err != nil {
			t.Fatalf("a month not approved: %v", err)
		}
	}

	// The offline edit arrives after the approval: never refused (postTo
	// checks), held back as a request to unlock.
	postTo(t, post, st)
	if got := patrolOf(t, ss, pt.ID).Route; got != "主街" {
		t.Errorf("the approved route became %q at the station", got)
	}
	if got := patrolOf(t, ss, late.ID); !got.Deleted {
		t.Errorf("a patrol logged after the approval counts in the approved month: %+v", got)
	}
	reqs, err := ss.MonthRequests(ctx, post.Self(), month)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]int{}
	for _, r := range reqs {
		if r.State != store.RequestPending {
			t.Errorf("request %+v not pending", r)
		}
		sources[r.Source]++
	}
	if len(reqs) != 3 || sources[store.RequestLate] != 2 || sources[store.RequestAsked] != 1 {
		t.Fatalf("requests at the station: %+v", reqs)
	}
	// The station's lists mark the post: three requests wait for it.
	requests := func() (int, bool) {
		t.Helper()
		v, err := Overview(ctx, st, "", "", StaleAfter, today)
		if err != nil || len(v.Posts) != 1 {
			t.Fatalf("view %+v %v", v, err)
		}
		return v.Posts[0].Requests, slices.Contains(v.Posts[0].Needs(), NeedRequests)
	}
	if n, need := requests(); n != 3 || !need {
		t.Errorf("the view says %d requests (a need: %v), want 3", n, need)
	}
	// Importing the same changesets again holds nothing twice.
	if _, err := st.ImportDir(ctx, "test", post.FolderDir(cjsync.PostFolder(post.Self())), true); err != nil {
		t.Fatal(err)
	}
	if again, _ := ss.MonthRequests(ctx, post.Self(), month); len(again) != 3 {
		t.Fatalf("%d requests after a second import", len(again))
	}
	// The post hears back: the approved values, and its edits pending.
	stationTo(t, st, post)
	if got := patrolOf(t, ps, pt.ID).Route; got != "主街" {
		t.Errorf("the post shows %q, not the approved route", got)
	}
	if r, _ := ps.MonthRequests(ctx, post.Self(), month); len(r) != 3 {
		t.Errorf("the post sees %d requests, want 3", len(r))
	}

	// Unlocking needs a reason; with one it applies every request.
	if _, err := ss.UnlockMonth(ctx, post.Self(), month, "刘所长", "  "); !errors.Is(err, store.ErrUnlockReason) {
		t.Fatalf("unlock without a reason: %v", err)
	}
	n, err := ss.UnlockMonth(ctx, post.Self(), month, "刘所长", "东关补记离线巡逻")
	if err != nil || n != 3 {
		t.Fatalf("unlock applied %d: %v", n, err)
	}
	if n, need := requests(); n != 0 || need {
		t.Errorf("after unlocking the view says %d requests (a need: %v)", n, need)
	}
	if got := patrolOf(t, ss, pt.ID).Route; got != "主街—村东口（离线补记）" {
		t.Errorf("after unlocking: %q", got)
	}
	if got := patrolOf(t, ss, late.ID); got.Deleted || got.Route != "补记的一次" {
		t.Errorf("the late patrol after unlocking: %+v", got)
	}
	if got := patrolOf(t, ss, other.ID).Route; got != "东街—学校" {
		t.Errorf("the asked edit after unlocking: %q", got)
	}
	audit, err := ss.AuditLog(ctx, ss.DeviceID(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action+" "+a.Detail)
	}
	if j := strings.Join(actions, "|"); !strings.Contains(j, "unlock "+month+" 东关补记离线巡逻") || !strings.Contains(j, "approve "+month) {
		t.Errorf("audit: %q", actions)
	}
	// Both sides end with the same records.
	stationTo(t, st, post)
	postTo(t, post, st)
	var a, b bytes.Buffer
	if err := ps.Dump(ctx, &a, post.Self()); err != nil {
		t.Fatal(err)
	}
	if err := ss.Dump(ctx, &b, post.Self()); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("post and station differ on the post's records:\n%s\n---\n%s", a.String(), b.String())
	}
	// The month can be approved again, and locks again.
	if err := ss.ApproveMonth(ctx, post.Self(), month, "刘所长"); err != nil {
		t.Fatal(err)
	}
	x := patrolOf(t, ss, pt.ID)
	x.Notes = "再改"
	if err := ss.Save(ctx, &x); !errors.Is(err, store.ErrMonthApproved) {
		t.Errorf("approved again, still editable: %v", err)
	}
}
