package sync

import (
	"context"
	"testing"

	"cunjing/store"
	"cunjing/store/emergencylog"
	"cunjing/store/record"
)

// The station's broadcast reaches every post of the township, so it
// carries only what a station publishes for all (cost items, templates,
// notices, holidays, servers, releases, month approvals, its profile). A
// station-owned record of any other table — a household and resident
// entered at the station, an emergency card, a print record, an audit
// entry naming a person — stays at the station even when written
// directly, and the cut counts it; it reached every post before. A post
// paired later (the catch-up of everything the station published) gets
// none of it either.
func TestStationBroadcastCarriesOnlyPublished(t *testing.T) {
	ctx := context.Background()
	station, postA, postB, v, house := townshipWithAHouse(t)

	notice := &store.Notice{Title: "防汛通知"}
	hh := &store.Household{VillageID: v.ID, OwnerName: "王建国", Warning: store.WarnGreen}
	if err := station.Store().Save(ctx, notice, hh); err != nil {
		t.Fatal(err)
	}
	private := []store.Record{
		&store.Resident{HouseholdID: hh.ID, Name: "王建国"},
		&store.Emergency{Meta: store.Meta{Owner: station.Self()}, At: "2026-12-06 10:00:00", VillageID: v.ID, HouseID: house.ID, Number: "203", Query: "203 王建国"},
		&store.PrintRecord{Kind: "cards", PrintedAt: "2026-12-06 10:00:00"},
		&store.AuditEntry{At: "2026-12-06 10:00:00", User: "所长", Action: store.AuditPrint, Subject: "联系卡 王建国"},
	}
	if err := station.Store().Save(ctx, private...); err != nil {
		t.Fatal(err)
	}
	res := mustCut(t, station)
	// The household, resident, emergency, print record and audit entry:
	// one change a field, at least one a record.
	if res.Local < 5 {
		t.Errorf("the cut kept %d changes at the station, want those of the 5 unpublished records", res.Local)
	}
	for _, p := range []*Engine{postA, postB} {
		move(t, station, p, StationFolder(station.Self()))
		move(t, station, p, PostFolder(p.Self()))
	}
	// A post paired later gets everything published again (catch-up).
	postC := newDevice(t, store.RolePost, "南河警务室")
	pair(t, postC, station)
	mustCut(t, station)
	move(t, station, postC, StationFolder(station.Self()))
	move(t, station, postC, PostFolder(postC.Self()))

	for _, p := range []*Engine{postA, postB, postC} {
		var n store.Notice
		if err := p.Store().Get(ctx, &n, notice.ID); err != nil {
			t.Errorf("%s lacks the station's notice: %v", p.Store().DeviceID(), err)
		}
		var h store.Household
		if err := p.Store().Get(ctx, &h, hh.ID); err == nil {
			t.Errorf("a post received the station's own household of 王建国: %+v", h)
		}
		for _, r := range private {
			got := record.New(r.Table())
			if err := p.Store().Get(ctx, got, r.RecordMeta().ID); err == nil {
				t.Errorf("a post received the station's own %s: %+v", r.Table(), got)
			}
		}
	}
	// The station still has them all.
	for _, r := range private {
		got := record.New(r.Table())
		if err := station.Store().Get(ctx, got, r.RecordMeta().ID); err != nil {
			t.Errorf("the station lost its %s: %v", r.Table(), err)
		}
	}
}

// An emergency card opened at the station for a house of one post, and a
// board printed there for one post's venue, are that post's records (as
// the station's corrections of its households are): they go to that
// post alone, the board counts as the post's, and the patrol record the
// card becomes is the post's too. A card for a house no post owns stays
// the station's own, and so at the station. Before, each was the
// station's own and went in its broadcast to every post.
func TestStationRecordsAboutOnePostAreThePosts(t *testing.T) {
	ctx := context.Background()
	station, postA, postB, v, house := townshipWithAHouse(t)
	venue := &store.Venue{Name: "东关小学", VillageID: v.ID}
	if err := postA.Store().Save(ctx, venue); err != nil {
		t.Fatal(err)
	}
	mustCut(t, postA)
	move(t, postA, station, PostFolder(postA.Self()))
	own := &store.Village{Name: "所属村"}
	if err := station.Store().Save(ctx, own); err != nil {
		t.Fatal(err)
	}
	ownHouse := &store.House{VillageID: own.ID, Number: "1"}
	if err := station.Store().Save(ctx, ownHouse); err != nil {
		t.Fatal(err)
	}

	card := &store.Emergency{User: "所长", VillageID: v.ID, HouseID: house.ID, Number: "203", Query: "203 王建国"}
	if err := emergencylog.Log(ctx, station.Store(), card); err != nil {
		t.Fatal(err)
	}
	patrol, err := emergencylog.ToPatrol(ctx, station.Store(), card.ID, []string{"王建军"}, "火已扑灭")
	if err != nil {
		t.Fatal(err)
	}
	board := &store.PrintRecord{Kind: "board", VenueID: venue.ID, Size: "A4", Copies: 2}
	if err := station.Store().Save(ctx, board); err != nil {
		t.Fatal(err)
	}
	lone := &store.Emergency{User: "所长", VillageID: own.ID, HouseID: ownHouse.ID, Number: "1", Query: "1号"}
	if err := emergencylog.Log(ctx, station.Store(), lone); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what  string
		owner string
		want  string
	}{
		{"the card", card.Owner, postA.Self()},
		{"its patrol record", patrol.Owner, postA.Self()},
		{"the board's print record", board.Owner, postA.Self()},
		{"the card of the station's own house", lone.Owner, station.Self()},
	} {
		if c.owner != c.want {
			t.Errorf("%s is %q's, want %q", c.what, c.owner, c.want)
		}
	}
	mustCut(t, station)
	for _, p := range []*Engine{postA, postB} {
		move(t, station, p, StationFolder(station.Self()))
		move(t, station, p, PostFolder(p.Self()))
	}
	for _, r := range []store.Record{card, &patrol, board} {
		if err := postA.Store().Get(ctx, record.New(r.Table()), r.RecordMeta().ID); err != nil {
			t.Errorf("the post lacks the station's %s about its house: %v", r.Table(), err)
		}
	}
	for _, r := range []store.Record{card, &patrol, board, lone} {
		if err := postB.Store().Get(ctx, record.New(r.Table()), r.RecordMeta().ID); err == nil {
			t.Errorf("another post received the station's %s about 东关村", r.Table())
		}
	}
	if err := postA.Store().Get(ctx, record.New("emergencies"), lone.ID); err == nil {
		t.Errorf("a post received the card of a house no post owns")
	}
}

// townshipWithAHouse is a station paired with two posts, the first of
// which has a village with house 203 that the station has received.
func townshipWithAHouse(t *testing.T) (station, postA, postB *Engine, v *store.Village, house *store.House) {
	t.Helper()
	ctx := context.Background()
	station = newDevice(t, store.RoleStation, "城关派出所")
	postA = newDevice(t, store.RolePost, "东关村警务室")
	postB = newDevice(t, store.RolePost, "西岭警务室")
	pair(t, postA, station)
	pair(t, postB, station)
	v = &store.Village{Name: "东关村"}
	if err := postA.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	house = &store.House{VillageID: v.ID, Number: "203"}
	if err := postA.Store().Save(ctx, house); err != nil {
		t.Fatal(err)
	}
	mustCut(t, postA)
	move(t, postA, station, PostFolder(postA.Self()))
	return station, postA, postB, v, house
}
