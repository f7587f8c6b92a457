package printlog

import (
	"context"
	"path/filepath"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

func device(t *testing.T, id, role, name string) *store.Store {
	t.Helper()
	st, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "db"),
		store.Identity{DeviceID: id, Role: role, Name: name}, store.Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// carry merges every change of from into to, as a sync would.
func carry(t *testing.T, from, to *store.Store) {
	t.Helper()
	ctx := context.Background()
	cs, _, err := from.ChangesSince(ctx, from.DeviceID(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := to.Apply(ctx, cs); err != nil {
		t.Fatal(err)
	}
}

// A print made at the station of one post's village (map sheet, door
// plates) or of a roster whose teams are all one post's is that post's
// record: it goes to that post alone and counts among its prints. A print
// of two posts' teams, of the station's own village, or made at a post is
// the device's own. Red before (the CLI and the window saved every print
// as the station's own: a print record names no village or post).
func TestStationPrintOfAPostsVillageIsThePosts(t *testing.T) {
	ctx := context.Background()
	stn := device(t, "STATION", store.RoleStation, "城关派出所")
	east := device(t, "EAST", store.RolePost, "东关村警务室")
	west := device(t, "WEST", store.RolePost, "西岭警务室")
	ev, wv := &store.Village{Name: "东关村"}, &store.Village{Name: "西岭村"}
	et, wt := &store.Team{Name: "东关巡逻队"}, &store.Team{Name: "西岭巡逻队"}
	if err := east.Save(ctx, ev, et); err != nil {
		t.Fatal(err)
	}
	if err := west.Save(ctx, wv, wt); err != nil {
		t.Fatal(err)
	}
	own := &store.Village{Name: "所内"}
	if err := stn.Save(ctx, own); err != nil {
		t.Fatal(err)
	}
	carry(t, east, stn)
	carry(t, west, stn)

	for _, c := range []struct {
		name  string
		st    *store.Store
		kind  string
		table string
		ids   []string
		want  string
	}{
		{"map of a post's village", stn, "map", "villages", []string{ev.ID}, "EAST"},
		{"door plates of a post's village", stn, "plates", "villages", []string{wv.ID}, "WEST"},
		{"roster of one post's team", stn, "roster", "teams", []string{et.ID}, "EAST"},
		{"roster of two posts' teams", stn, "roster", "teams", []string{et.ID, wt.ID}, "STATION"},
		{"map of the station's own village", stn, "map", "villages", []string{own.ID}, "STATION"},
		{"roster of no team", stn, "roster", "teams", nil, "STATION"},
		{"map of a village not here", stn, "map", "villages", []string{"nowhere"}, "STATION"},
		{"map printed at the post", east, "map", "villages", []string{ev.ID}, "EAST"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &store.PrintRecord{Kind: c.kind, Copies: 1, PrintedAt: "2026-12-06 10:00:00"}
			if err := Save(ctx, c.st, rec, c.table, c.ids...); err != nil {
				t.Fatal(err)
			}
			var got store.PrintRecord
			if err := c.st.Get(ctx, &got, rec.ID); err != nil {
				t.Fatal(err)
			}
			if got.Owner != c.want {
				t.Errorf("the print's owner is %s, want %s", got.Owner, c.want)
			}
		})
	}
}

// A station's duty table of one post (dutytable.BuildOf, owner named:
// `print roster --post`, 巡逻排班 showing that post) is that post's
// record although the station holds two posts' teams; the table of every
// team it holds (owner "") is the station's own. Red before: SaveRoster
// took every live team, so a station of two posts kept even one post's
// duty table as its own.
func TestSaveRosterOfOnePostAtAStationOfTwo(t *testing.T) {
	ctx := context.Background()
	stn := device(t, "STATION", store.RoleStation, "城关派出所")
	east := device(t, "EAST", store.RolePost, "东关村警务室")
	west := device(t, "WEST", store.RolePost, "西岭警务室")
	if err := east.Save(ctx, &store.Team{Name: "东关巡逻队"}); err != nil {
		t.Fatal(err)
	}
	if err := west.Save(ctx, &store.Team{Name: "西岭巡逻队"}); err != nil {
		t.Fatal(err)
	}
	carry(t, east, stn)
	carry(t, west, stn)
	for _, c := range []struct{ owner, want string }{{"EAST", "EAST"}, {"WEST", "WEST"}, {"", "STATION"}} {
		rec := &store.PrintRecord{Kind: "roster", Copies: 1, PrintedAt: "2026-12-06 10:00:00"}
		if err := SaveRoster(ctx, stn, rec, c.owner); err != nil {
			t.Fatal(err)
		}
		if rec.Owner != c.want {
			t.Errorf("the duty table of %q is %s's record, want %s's", c.owner, rec.Owner, c.want)
		}
	}
}
