package sync

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/record"
	"cunjing/sync/admit"
)

// cutAsOldStation cuts as a station of a version before the broadcast
// carried only published tables: every record the station owns goes to
// every post (and to a joining post's catch-up).
func cutAsOldStation(t *testing.T, station *Engine) CutResult {
	t.Helper()
	was := published
	published = nil
	defer func() { published = was }()
	return mustCut(t, station)
}

// leakAtStation writes, at the station, records of its own that name
// people and places (a household of 东关村 and its resident, a visit, an
// audit entry) and a notice (published).
func leakAtStation(t *testing.T, station *Engine, v *store.Village) (notice *store.Notice, private []store.Record) {
	t.Helper()
	ctx := context.Background()
	notice = &store.Notice{Title: "防汛通知"}
	hh := &store.Household{VillageID: v.ID, OwnerName: "王建国", OwnerPhone: "13800001111", Warning: store.WarnGreen}
	if err := station.Store().Save(ctx, notice, hh); err != nil {
		t.Fatal(err)
	}
	private = []store.Record{hh,
		&store.Resident{HouseholdID: hh.ID, Name: "王建国"},
		&store.AuditEntry{At: "2026-12-06 10:00:00", User: "所长", Action: store.AuditPrint, Subject: "联系卡 王建国"},
	}
	if err := station.Store().Save(ctx, private[1:]...); err != nil {
		t.Fatal(err)
	}
	return notice, private
}

// postOwnRecords writes a household and resident of the post's own.
func postOwnRecords(t *testing.T, post *Engine, v *store.Village) {
	t.Helper()
	own := &store.Household{VillageID: v.ID, OwnerName: "李秀兰", Warning: store.WarnGreen}
	if err := post.Store().Save(context.Background(), own); err != nil {
		t.Fatal(err)
	}
	if err := post.Store().Save(context.Background(), &store.Resident{HouseholdID: own.ID, Name: "李秀兰"}); err != nil {
		t.Fatal(err)
	}
}

func assertNone(t *testing.T, who string, e *Engine, recs []store.Record) {
	t.Helper()
	for _, r := range recs {
		got := record.New(r.Table())
		if err := e.Store().Get(context.Background(), got, r.RecordMeta().ID); err == nil {
			t.Errorf("%s holds the station's own %s: %+v", who, r.Table(), got)
		}
	}
}

func assertAll(t *testing.T, who string, e *Engine, recs []store.Record) {
	t.Helper()
	for _, r := range recs {
		got := record.New(r.Table())
		if err := e.Store().Get(context.Background(), got, r.RecordMeta().ID); err != nil {
			t.Errorf("%s lost its %s: %v", who, r.Table(), err)
		}
	}
}

// An older station, not yet upgraded, still sends every post its own
// records of every table (households, residents, audit …). A post takes
// the published ones (the notice) and withholds the rest, without
// refusing the changeset (no rejection: no one here is at fault), and a
// later edit of a withheld record (which names no owner) is withheld too.
// The station keeps its copies. Red before: the post kept the station's
// household of 王建国 and its resident and audit entry.
func TestOldStationBroadcastWithheldAtPost(t *testing.T) {
	ctx := context.Background()
	station, postA, _, v, _ := townshipWithAHouse(t)
	notice, private := leakAtStation(t, station, v)
	postOwnRecords(t, postA, v)
	mine := dump(t, postA, postA.Self())

	cutAsOldStation(t, station)
	r := move(t, station, postA, StationFolder(station.Self()))
	move(t, station, postA, PostFolder(postA.Self()))
	if r.Withheld == 0 || r.Refused != 0 {
		t.Errorf("import withheld %d, refused %d changes; want some withheld, none refused", r.Withheld, r.Refused)
	}
	var n store.Notice
	if err := postA.Store().Get(ctx, &n, notice.ID); err != nil {
		t.Errorf("the post lacks the station's notice: %v", err)
	}
	assertNone(t, "the post", postA, private)

	// The old station edits its household and sends it again.
	hh := private[0].(*store.Household)
	hh.OwnerPhone = "13900002222"
	if err := station.Store().Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	cutAsOldStation(t, station)
	move(t, station, postA, StationFolder(station.Self()))
	assertNone(t, "the post, after the station's edit,", postA, private)
	if got := dump(t, postA, postA.Self()); got != mine {
		t.Errorf("the post's own records changed:\n%s\n---\n%s", mine, got)
	}
	if d := dump(t, postA, ""); strings.Contains(d, "王建国") || strings.Contains(d, "1390000") {
		t.Errorf("the post's dump names the station's household:\n%s", d)
	}
	st, err := postA.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The status counts them; the app says them (syncwords, in the
	// window's translations: the CLI and 同步 alike).
	if st.Withheld.Refused != len(private) || st.Rejected != 0 {
		t.Errorf("status: withheld %+v, rejected %d; want %d records not kept, nothing rejected", st.Withheld, st.Rejected, len(private))
	}
	assertAll(t, "the station", station, private)
}

// A post that synced with an older station holds that station's own
// records of every table; opening it with this version removes them
// (migration 0025) on the post alone — no change logged, so nothing goes
// back — and keeps every record of its own; the engine says so once in
// its log and the status counts it. A resync from the old station (its
// edit, and a catch-up of everything) does not bring them back, and the
// station keeps its copies. The leaked rows are made as the older post
// made them: the old station's changes of them merged into the post's
// database. Red before: the post still held them after the upgrade.
func TestLeakedStationRecordsRemovedAtUpgrade(t *testing.T) {
	ctx := context.Background()
	station, postA, postB, v, _ := townshipWithAHouse(t)
	notice, private := leakAtStation(t, station, v)
	postOwnRecords(t, postA, v)
	cutAsOldStation(t, station)
	move(t, station, postA, StationFolder(station.Self()))
	move(t, station, postA, PostFolder(postA.Self()))
	// What the older post's receive path kept of it: every change of the
	// station's own records.
	all, _, err := station.Store().ChangesSince(ctx, station.Self(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	// And one record of each synced table the station owns, and one of
	// the post's own, so that every table is looked at.
	var stationRows, postRows []rowKey
	for _, tbl := range record.SyncedTables {
		if tbl == "posts" {
			continue
		}
		for _, owner := range []string{station.Self(), postA.Self()} {
			id := store.NewID()
			all = append(all, store.Change{Table: tbl, Record: id, Field: "owner", Value: `"` + owner + `"`, HLC: station.Store().Clock().Now().String()})
			if owner == postA.Self() {
				postRows = append(postRows, rowKey{tbl, id})
			} else {
				stationRows = append(stationRows, rowKey{tbl, id})
			}
		}
	}
	if _, err := postA.Store().Apply(ctx, all); err != nil {
		t.Fatal(err)
	}
	mine := dump(t, postA, postA.Self())
	mustCut(t, postA) // the post's own work is on its way

	// The post is upgraded: its file is of the version before 0025.
	path := postA.Store().Path()
	postA.Store().Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE IF EXISTS sync_withheld", "PRAGMA user_version = 24"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var logged bytes.Buffer
	up, err := New(ctx, st, Options{Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	assertNone(t, "the upgraded post", up, private)
	var n store.Notice
	if err := st.Get(ctx, &n, notice.ID); err != nil {
		t.Errorf("the upgraded post lost the station's notice: %v", err)
	}
	for _, k := range stationRows {
		_, held, err := st.RecordOwner(ctx, k.table, k.id)
		if err != nil {
			t.Fatal(err)
		}
		if held == admit.Published[k.table] {
			continue
		}
		if held {
			t.Errorf("the station's own %s is still at the post", k.table)
		} else {
			t.Errorf("the station's published %s was removed", k.table)
		}
	}
	for _, k := range postRows {
		if _, held, err := st.RecordOwner(ctx, k.table, k.id); err != nil || !held {
			t.Errorf("the post lost its own %s (%v)", k.table, err)
		}
	}
	if got := dump(t, up, postA.Self()); got != mine {
		t.Errorf("the post's own records changed:\n%s\n---\n%s", mine, got)
	}
	left, _, err := st.ChangesAfter(ctx, 0, 1000000)
	if err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{}
	for _, r := range private {
		gone[r.RecordMeta().ID] = true
	}
	for _, c := range left {
		if gone[c.Record] {
			t.Errorf("the change log still holds %s.%s of the station's %s", c.Table, c.Field, c.Record)
		}
	}
	if !strings.Contains(logged.String(), "removed on this post alone") {
		t.Errorf("the engine did not log the removal:\n%s", logged.String())
	}
	sum, err := up.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := len(private) + len(stationRows) - countPublished(stationRows)
	if sum.Withheld.Removed != want {
		t.Errorf("status: %+v; want %d removed", sum.Withheld, want)
	}
	// Nothing of it goes anywhere: the post's cut carries no change.
	if res := mustCut(t, up); res.Changes != 0 {
		t.Errorf("the upgraded post cut %d changes, want none (no tombstone travels)", res.Changes)
	}

	// The old station edits its household and sends everything again.
	hh := private[0].(*store.Household)
	hh.OwnerPhone = "13900002222"
	if err := station.Store().Save(ctx, hh); err != nil {
		t.Fatal(err)
	}
	if err := station.Book().SetPeerCatchup(ctx, postA.Self(), true); err != nil {
		t.Fatal(err)
	}
	cutAsOldStation(t, station)
	move(t, station, up, StationFolder(station.Self()))
	move(t, station, up, PostFolder(postA.Self()))
	assertNone(t, "the upgraded post, after a resync,", up, private)
	if got := dump(t, up, postA.Self()); got != mine {
		t.Errorf("the resync changed the post's own records:\n%s\n---\n%s", mine, got)
	}
	// The station and the other post keep theirs.
	assertAll(t, "the station", station, private)
	move(t, station, postB, StationFolder(station.Self()))
	if err := postB.Store().Get(ctx, &store.Notice{}, notice.ID); err != nil {
		t.Errorf("the other post lacks the notice: %v", err)
	}
}

type rowKey struct{ table, id string }

func countPublished(ks []rowKey) int {
	n := 0
	for _, k := range ks {
		if admit.Published[k.table] {
			n++
		}
	}
	return n
}
