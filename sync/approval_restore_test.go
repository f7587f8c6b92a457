package sync

import (
	"context"
	"testing"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
)

// A station restored from a backup older than its approval of a post's
// month takes its approval back from the stick first (its own changesets
// before others'), then stores again the post's edit that came before
// the approval. That edit was seen by the approval: it must not be held
// back as a late edit (its stamps say so; the clocks are right).
func TestRestoredStationKeepsWhatItApproved(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	today := clocktest.Today(t)
	first := today.AddDate(0, 0, -today.Day()+1).AddDate(0, -1, 0)
	month := first.Format("2006-01")
	team := &store.Team{Name: "巡逻队"}
	if err := post.Store().Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	m := &store.Member{TeamID: team.ID, Name: "张三", Role: "村警"}
	if err := post.Store().Save(ctx, m); err != nil {
		t.Fatal(err)
	}
	pt := &store.Patrol{TeamID: team.ID, Date: first.AddDate(0, 0, 9).Format("2006-01-02"), Start: "19:00", End: "21:00", Route: "主街", People: []string{m.ID}}
	if err := post.Store().Save(ctx, pt); err != nil {
		t.Fatal(err)
	}
	x := testDir(t)
	swap(t, post, x)
	swap(t, station, x)
	saved, err := backup.Write(ctx, station.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	var p store.Patrol
	if err := post.Store().Get(ctx, &p, pt.ID); err != nil {
		t.Fatal(err)
	}
	p.Route = "主街—村东口"
	if err := post.Store().Save(ctx, &p); err != nil {
		t.Fatal(err)
	}
	swap(t, post, x)
	swap(t, station, x)
	if err := station.Store().ApproveMonth(ctx, post.Self(), month, "刘所长"); err != nil {
		t.Fatal(err)
	}
	swap(t, station, x)

	station = restoreFrom(t, station, saved, false)
	swap(t, station, x)
	var got store.Patrol
	if err := station.Store().Get(ctx, &got, pt.ID); err != nil {
		t.Fatal(err)
	}
	if got.Route != "主街—村东口" {
		t.Errorf("the route the station approved became %q", got.Route)
	}
	if as, _ := station.Store().MonthApprovals(ctx, post.Self()); len(as) != 1 || as[0].State != store.ApprovalApproved {
		t.Fatalf("approvals after the restore: %+v", as)
	}
	reqs, err := station.Store().MonthRequests(ctx, post.Self(), month)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 0 {
		t.Errorf("an edit the approval saw held back as late: %+v", reqs)
	}
}
