package store

import (
	"context"
	"cunjing/store/history"
	"errors"
	"testing"
	"time"
)

// TestHistory: a record's history lists its edits newest first, by whom;
// the station's correction of a post's record is marked as such at the
// station and at the post it syncs back to, the post's own edits are not;
// ID numbers are masked and health fields hidden for a role that may not
// see them; an unknown record or table is a clear error.
func TestHistory(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.Local)
	clock := func() time.Time { return at }
	post := newTestStore(t, RolePost, clock)
	station := newTestStore(t, RoleStation, clock)
	sync := func(from, to *Store) {
		t.Helper()
		changes, _, err := from.ChangesSince(ctx, from.DeviceID(), 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := to.Apply(ctx, changes); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := post.db.Exec(`INSERT INTO sync_peers (device_id, name, role, paired_at) VALUES (?, '城关派出所', 'station', '2026-12-01')`, station.DeviceID()); err != nil {
		t.Fatal(err)
	}
	v := &Village{Name: "东河村"}
	if err := post.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	h := &Household{VillageID: v.ID, OwnerName: "王建国", Status: StatusOwn}
	if err := post.Save(ctx, h); err != nil {
		t.Fatal(err)
	}
	r := &Resident{HouseholdID: h.ID, Name: "王建国", IDNumber: "11010519491231002X", Disabled: true}
	if err := post.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	sync(post, station)

	at = at.Add(time.Hour)
	var fix Household
	if err := station.Get(ctx, &fix, h.ID); err != nil {
		t.Fatal(err)
	}
	fix.OwnerPhone = "13812345678"
	if err := station.Save(ctx, &fix); err != nil {
		t.Fatal(err)
	}
	sync(station, post)

	for _, tc := range []struct {
		s   *Store
		own bool // the correction was made here
	}{{station, true}, {post, false}} {
		edits, err := tc.s.History(ctx, "households", h.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(edits) < 3 {
			t.Fatalf("%s: %d edits", tc.s.Role(), len(edits))
		}
		first := edits[0]
		if first.Field != "owner_phone" || first.Value != "13812345678" || !first.ByStation || first.Own != tc.own ||
			first.Device != station.DeviceID() || !first.At.Equal(at) {
			t.Errorf("%s: newest edit %+v", tc.s.Role(), first)
		}
		if !tc.own && first.Name != "城关派出所" {
			t.Errorf("post: the station is named %q", first.Name)
		}
		for _, e := range edits[1:] {
			if e.ByStation || e.Device != post.DeviceID() || e.Own == tc.own {
				t.Errorf("%s: the post's own edit %+v", tc.s.Role(), e)
			}
			if e.Field == "owner_name" && e.Value != "王建国" || e.Field == "village_id" && e.Value != "东河村" {
				t.Errorf("%s in words: %q", e.Field, e.Value)
			}
		}
	}

	for _, tc := range []struct {
		full           bool
		id, disability string
	}{{true, "11010519491231002X", "是"}, {false, "1101**********002X", history.Hidden}} {
		edits, err := post.History(ctx, "residents", r.ID, tc.full)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range edits {
			got[e.Field] = e.Value
		}
		if got["id_number"] != tc.id || got["disabled"] != tc.disability || got["name"] != "王建国" {
			t.Errorf("full=%v: %v", tc.full, got)
		}
	}

	if _, err := post.History(ctx, "households", "no-such-id", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown record: %v", err)
	}
	if _, err := post.History(ctx, "no_such_table", h.ID, true); err == nil {
		t.Error("unknown table: no error")
	}
}
