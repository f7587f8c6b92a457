package store

import (
	"context"
	"reflect"
	"testing"

	"cunjing/maps"
)

func TestMapRoundTripAndRetiredNumbers(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	vil := &Village{Name: "张庄村"}
	s.Save(ctx, vil)
	mv, err := maps.Synthesize(7, 40)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMap(ctx, vil.ID, mv); err != nil {
		t.Fatal(err)
	}
	// A household in the first house gives the map its householder and colour.
	h0 := mv.Houses[0]
	s.Save(ctx, &Household{VillageID: vil.ID, HouseID: h0.ID, OwnerName: "张建国", OwnerPhone: "13912345678", Warning: WarnRed, Categories: []string{CatElderly, CatRental}})
	got, err := s.LoadMap(ctx, vil.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Houses) != len(mv.Houses) || len(got.Lanes) != len(mv.Lanes) || len(got.Landmarks) != len(mv.Landmarks) {
		t.Fatalf("counts differ: %d/%d houses, %d/%d lanes, %d/%d landmarks", len(got.Houses), len(mv.Houses), len(got.Lanes), len(mv.Lanes), len(got.Landmarks), len(mv.Landmarks))
	}
	byID := map[string]maps.House{}
	for _, h := range got.Houses {
		byID[h.ID] = h
	}
	for _, h := range mv.Houses {
		g := byID[h.ID]
		if g.Number != h.Number || !reflect.DeepEqual(g.Polygon, h.Polygon) {
			t.Fatalf("house %s changed in the round trip: %+v", h.Number, g)
		}
	}
	if g := byID[h0.ID]; g.Name != "张建国" || g.Warning != maps.WarningRed || !g.HasCategory(maps.CatElderly) || !g.HasCategory(maps.CatRental) {
		t.Fatalf("household data not on the map: %+v", g)
	}
	// Saving the same map again logs nothing.
	before, _ := s.Counts(ctx, "")
	if err := s.SaveMap(ctx, vil.ID, got); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Counts(ctx, "")
	if after.Changes != before.Changes {
		t.Fatalf("unchanged map logged %d changes", after.Changes-before.Changes)
	}
	// Removing a house deletes it; its number is retired for good.
	gone := got.Houses[3]
	got.Houses = append(got.Houses[:3], got.Houses[4:]...)
	if err := s.SaveMap(ctx, vil.ID, got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.LoadMap(ctx, vil.ID)
	if len(again.Houses) != len(mv.Houses)-1 {
		t.Fatalf("house not deleted")
	}
	found := false
	for _, n := range again.Retired {
		found = found || n == gone.Number
	}
	if !found {
		t.Fatalf("number %s of the deleted house is not retired: %v", gone.Number, again.Retired)
	}
}

func TestSaveMapCopiesIntoAnotherVillage(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	a, b := &Village{Name: "甲村"}, &Village{Name: "乙村"}
	s.Save(ctx, a, b)
	mv, _ := maps.Synthesize(3, 25)
	if err := s.SaveMap(ctx, a.ID, mv); err != nil {
		t.Fatal(err)
	}
	again, _ := maps.Synthesize(3, 25) // same IDs, as an exported file would carry
	if err := s.SaveMap(ctx, b.ID, again); err != nil {
		t.Fatal(err)
	}
	ma, _ := s.LoadMap(ctx, a.ID)
	mb, _ := s.LoadMap(ctx, b.ID)
	if len(ma.Houses) != len(mv.Houses) || len(mb.Houses) != len(mv.Houses) || len(ma.Lanes) != len(mv.Lanes) || len(mb.Lanes) != len(mv.Lanes) {
		t.Fatalf("houses moved between villages: %d and %d houses, %d and %d lanes", len(ma.Houses), len(mb.Houses), len(ma.Lanes), len(mb.Lanes))
	}
	if ma.Houses[0].ID == mb.Houses[0].ID {
		t.Fatal("the copy shares record IDs with the original")
	}
}
