package station

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/sync/synctest"
)

// A post whose PC clock ran three years ahead for a while (its changes of
// then are stamped there) and was set right before the station approved
// a month. The approval's `seen` is the post's newest stamp the station
// holds: three years ahead. An edit the post then makes offline, before
// it hears of the approval, is stamped by the right clock, below `seen`:
// it was taken for one the station had seen when it approved, and merged,
// so the approved month changed at the station in silence. It must be
// held back as a request to unlock, as with a right clock all along.
func TestLateEditAfterClockSetRight(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	var skew atomic.Int64
	base := clocktest.Clock(t)
	post := synctest.Device(t, store.RolePost, "东关", store.Options{Now: func() time.Time {
		return base().Add(time.Duration(skew.Load()))
	}})
	pairBoth(t, post, st, "东关")
	ps, ss := post.Store(), st.Store()
	today := clocktest.Today(t)
	first := today.AddDate(0, 0, -today.Day()+1).AddDate(0, -1, 0) // the first of last month
	month := first.Format("2006-01")

	// Three years ahead: the post sets up its team.
	skew.Store(int64(3 * 365 * 24 * time.Hour))
	team := &store.Team{Name: "巡逻队"}
	if err := ps.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	m := &store.Member{TeamID: team.ID, Name: "张三", Role: "村警"}
	if err := ps.Save(ctx, m); err != nil {
		t.Fatal(err)
	}
	postTo(t, post, st)
	// Set right: last month's patrol is logged and reaches the station,
	// which approves the month.
	skew.Store(0)
	pt := &store.Patrol{TeamID: team.ID, Date: first.AddDate(0, 0, 9).Format("2006-01-02"), Start: "19:00", End: "21:00", Route: "主街", People: []string{m.ID}}
	if err := ps.Save(ctx, pt); err != nil {
		t.Fatal(err)
	}
	postTo(t, post, st)
	if err := ss.ApproveMonth(ctx, post.Self(), month, "刘所长"); err != nil {
		t.Fatal(err)
	}
	// Offline, before the approval reaches it, the post edits the patrol.
	offline := patrolOf(t, ps, pt.ID)
	offline.Route = "主街—村东口（离线补记）"
	if err := ps.Save(ctx, &offline); err != nil {
		t.Fatal(err)
	}
	postTo(t, post, st)
	if got := patrolOf(t, ss, pt.ID).Route; got != "主街" {
		t.Errorf("the approved route became %q at the station", got)
	}
	reqs, err := ss.MonthRequests(ctx, post.Self(), month)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Source != store.RequestLate {
		t.Errorf("requests at the station: %+v", reqs)
	}
	// Both sides end with the same records.
	stationTo(t, st, post)
	if got := patrolOf(t, ps, pt.ID).Route; got != "主街" {
		t.Errorf("the post shows %q, not the approved route", got)
	}
}
