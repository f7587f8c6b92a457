package mapdata

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/synth"
	"cunjing/store"
)

func TestMapRoundTripAndRetiredNumbers(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, store.RolePost, nil)
	vil := &store.Village{Name: "张庄村"}
	s.Save(ctx, vil)
	mv, err := synth.Village(7, 40)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, s, vil.ID, mv); err != nil {
		t.Fatal(err)
	}
	// A household in the first house gives the map its householder and colour.
	h0 := mv.Houses[0]
	s.Save(ctx, &store.Household{VillageID: vil.ID, HouseID: h0.ID, OwnerName: "张建国", OwnerPhone: "13912345678", Warning: store.WarnRed, Categories: []string{store.CatElderly, store.CatRental}})
	got, err := Load(ctx, s, vil.ID)
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
	if err := Save(ctx, s, vil.ID, got); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Counts(ctx, "")
	if after.Changes != before.Changes {
		t.Fatalf("unchanged map logged %d changes", after.Changes-before.Changes)
	}
	// Removing a house deletes it; its number is retired for good.
	gone := got.Houses[3]
	got.Houses = append(got.Houses[:3], got.Houses[4:]...)
	if err := Save(ctx, s, vil.ID, got); err != nil {
		t.Fatal(err)
	}
	again, _ := Load(ctx, s, vil.ID)
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
	s := newTestStore(t, store.RolePost, nil)
	a, b := &store.Village{Name: "甲村"}, &store.Village{Name: "乙村"}
	s.Save(ctx, a, b)
	mv, _ := synth.Village(3, 25)
	if err := Save(ctx, s, a.ID, mv); err != nil {
		t.Fatal(err)
	}
	again, _ := synth.Village(3, 25) // same IDs, as an exported file would carry
	if err := Save(ctx, s, b.ID, again); err != nil {
		t.Fatal(err)
	}
	ma, _ := Load(ctx, s, a.ID)
	mb, _ := Load(ctx, s, b.ID)
	if len(ma.Houses) != len(mv.Houses) || len(mb.Houses) != len(mv.Houses) || len(ma.Lanes) != len(mv.Lanes) || len(mb.Lanes) != len(mv.Lanes) {
		t.Fatalf("houses moved between villages: %d and %d houses, %d and %d lanes", len(ma.Houses), len(mb.Houses), len(ma.Lanes), len(mb.Lanes))
	}
	if ma.Houses[0].ID == mb.Houses[0].ID {
		t.Fatal("the copy shares record IDs with the original")
	}
}

// The import (Save) and the editor (SaveChanges) convert a map's
// houses into records the same way: a round trip through either keeps
// every field, kinds included — a plot stays a plot (the import used to
// make it a house), a courtyard stays a courtyard, and marking one a
// courtyard on the map makes it one.
func TestMapToRecordsKeepsKinds(t *testing.T) {
	ctx := context.Background()
	for _, path := range []struct {
		name string
		save func(s *store.Store, villageID string, v *maps.Village) error
	}{
		{"import", func(s *store.Store, id string, v *maps.Village) error { return Save(ctx, s, id, v) }},
		{"editor", func(s *store.Store, id string, v *maps.Village) error {
			d := edit.DirtySet{}
			for _, h := range v.Houses {
				d.Houses = append(d.Houses, h.ID)
			}
			return SaveChanges(ctx, s, id, v, d)
		}},
	} {
		t.Run(path.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost, nil)
			vil := &store.Village{Name: "东河村"}
			if err := s.Save(ctx, vil); err != nil {
				t.Fatal(err)
			}
			sq := func(x float64) string {
				g, err := geomJSON(maps.Polygon{{X: x, Y: 0}, {X: x + 10, Y: 0}, {X: x + 10, Y: 8}, {X: x, Y: 8}})
				if err != nil {
					t.Fatal(err)
				}
				return g
			}
			recs := map[string]*store.House{}
			for i, kind := range []string{"house", "plot", "courtyard", "plot"} {
				h := &store.House{VillageID: vil.ID, Number: fmt.Sprint(201 + i), History: []string{fmt.Sprint(101 + i)}, Kind: kind, Geometry: sq(float64(20 * i)), Floors: int64(i + 1), Notes: "备注" + fmt.Sprint(i)}
				if err := s.Save(ctx, h); err != nil {
					t.Fatal(err)
				}
				recs[h.ID] = h
			}
			mv, err := Load(ctx, s, vil.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for i := range mv.Houses {
				h := &mv.Houses[i]
				want[h.ID] = recs[h.ID].Kind
				if h.Number == "204" { // the second plot marked a courtyard on the map
					h.Courtyard = true
					want[h.ID] = "courtyard"
				}
			}
			if err := path.save(s, vil.ID, mv); err != nil {
				t.Fatal(err)
			}
			for id, kind := range want {
				var got store.House
				if err := s.Get(ctx, &got, id); err != nil {
					t.Fatal(err)
				}
				r := recs[id]
				if got.Kind != kind || got.Number != r.Number || !slices.Equal(got.History, r.History) || got.Floors != r.Floors || got.Notes != r.Notes || got.VillageID != vil.ID || got.Deleted {
					t.Errorf("house %s: %+v, want kind %s and the rest as %+v", r.Number, got, kind, r)
				}
			}
		})
	}
}
