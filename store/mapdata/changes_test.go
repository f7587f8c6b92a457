package mapdata

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/synth"
	"cunjing/store"
)

func editedVillage(t testing.TB, s *store.Store, houses int) (store.Village, *maps.Village) {
	t.Helper()
	ctx := context.Background()
	vil := &store.Village{Name: "张庄村"}
	if err := s.Save(ctx, vil); err != nil {
		t.Fatal(err)
	}
	mv, err := synth.Village(3, houses)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, s, vil.ID, mv); err != nil {
		t.Fatal(err)
	}
	got, err := Load(ctx, s, vil.ID)
	if err != nil {
		t.Fatal(err)
	}
	return *vil, got
}

// What the editor changed, and only that, reaches the store; Load
// then gives back the edited map.
func TestSaveMapChanges(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, store.RolePost, nil)
	vil, mv := editedVillage(t, s, 30)
	ed := edit.NewEditor(mv, store.NewID)

	houseID, err := ed.AddRectHouse(maps.Point{X: -200, Y: -200}, maps.Point{X: -190, Y: -192})
	if err != nil {
		t.Fatal(err)
	}
	if err := ed.SetNumber(houseID, "900"); err != nil {
		t.Fatal(err)
	}
	laneID, err := ed.AddLane("新巷", 3.5, []maps.Point{{X: -220, Y: -210}, {X: -180, Y: -210}})
	if err != nil {
		t.Fatal(err)
	}
	markID, err := ed.AddLandmark(maps.KindWell, "新井", maps.Point{X: -205, Y: -215})
	if err != nil {
		t.Fatal(err)
	}
	labelID, err := ed.AddLabel("麦场", maps.Point{X: -170, Y: -170}, 6)
	if err != nil {
		t.Fatal(err)
	}
	gone := mv.Houses[0]
	if err := ed.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	moved := mv.Houses[1].ID
	if err := ed.Move(maps.Point{X: 2, Y: 1}, moved); err != nil {
		t.Fatal(err)
	}
	// A house drawn and removed before any save leaves no trace.
	ghost, err := ed.AddRectHouse(maps.Point{X: 300, Y: 300}, maps.Point{X: 310, Y: 310})
	if err != nil {
		t.Fatal(err)
	}
	if err := ed.Delete(ghost); err != nil {
		t.Fatal(err)
	}
	base := &maps.BaseLayer{ImageHash: "abc", Width: 100, Height: 80, MetresPerPx: 0.5, Opacity: 0.6}
	if err := ed.SetBase(base); err != nil {
		t.Fatal(err)
	}

	before, err := s.Counts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	d := ed.TakeDirty()
	if err := SaveChanges(ctx, s, vil.ID, mv, d); err != nil {
		t.Fatal(err)
	}
	after, err := s.Counts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	// house: village, number, kind, geometry, owner; lane: 5; landmark: 4;
	// label: 5; tombstone: 1; moved geometry: 1; base: 7 or so. Never the
	// whole village again.
	if n := after.Changes - before.Changes; n == 0 || n > 40 {
		t.Errorf("saving %d edits logged %d changes", len(d.Houses)+len(d.Lanes)+len(d.Landmarks)+len(d.Labels), n)
	}

	got, err := Load(ctx, s, vil.ID)
	if err != nil {
		t.Fatal(err)
	}
	if i := got.HouseByID(houseID); i < 0 || got.Houses[i].Number != "900" {
		t.Errorf("new house not saved: %d", i)
	}
	if got.HouseByID(gone.ID) >= 0 || got.HouseByID(ghost) >= 0 {
		t.Error("deleted house still on the map")
	}
	if !slices.Contains(got.Retired, gone.Number) {
		t.Errorf("deleted house's number %s not retired: %v", gone.Number, got.Retired)
	}
	if i, j := got.HouseByID(moved), mv.HouseByID(moved); !reflect.DeepEqual(got.Houses[i].Polygon, mv.Houses[j].Polygon) {
		t.Errorf("move not saved: %v vs %v", got.Houses[i].Polygon, mv.Houses[j].Polygon)
	}
	find := func(kind string, id string) bool {
		switch kind {
		case "lane":
			return slices.ContainsFunc(got.Lanes, func(l maps.Lane) bool { return l.ID == id && l.Width == 3.5 && l.Name == "新巷" })
		case "landmark":
			return slices.ContainsFunc(got.Landmarks, func(l maps.Landmark) bool { return l.ID == id && l.Kind == maps.KindWell })
		}
		return slices.ContainsFunc(got.Labels, func(l maps.Label) bool { return l.ID == id && l.Size == 6 && l.Text == "麦场" })
	}
	for kind, id := range map[string]string{"lane": laneID, "landmark": markID, "label": labelID} {
		if !find(kind, id) {
			t.Errorf("%s %s not saved", kind, id)
		}
	}
	if got.Base == nil || got.Base.ImageHash != "abc" || got.Base.MetresPerPx != 0.5 {
		t.Errorf("base layer %+v", got.Base)
	}

	// Undoing the lane and removing the base are saved as deletions.
	for ed.CanUndo() {
		ed.Undo()
	}
	if err := SaveChanges(ctx, s, vil.ID, mv, ed.TakeDirty()); err != nil {
		t.Fatal(err)
	}
	got, err = Load(ctx, s, vil.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Base != nil || len(got.Lanes) != len(mv.Lanes) || got.HouseByID(gone.ID) < 0 || got.HouseByID(houseID) >= 0 {
		t.Errorf("undo all not saved: base %v, %d lanes, gone back %v", got.Base, len(got.Lanes), got.HouseByID(gone.ID) >= 0)
	}
	// The number the undone house held briefly is free again: it was
	// never painted on a door. The deleted-then-restored house is back
	// with its number.
	if i := got.HouseByID(gone.ID); got.Houses[i].Number != gone.Number {
		t.Errorf("restored house has number %q, want %q", got.Houses[i].Number, gone.Number)
	}
}

// The editor may not reach into another village's features.
func TestSaveMapChangesRefusesOtherVillage(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, store.RolePost, nil)
	_, mv := editedVillage(t, s, 10)
	other := &store.Village{Name: "李庄村"}
	if err := s.Save(ctx, other); err != nil {
		t.Fatal(err)
	}
	d := edit.DirtySet{Houses: []string{mv.Houses[0].ID}}
	if err := SaveChanges(ctx, s, other.ID, mv, d); err == nil {
		t.Fatal("saved a house into another village")
	}
	d = edit.DirtySet{Lanes: []string{mv.Lanes[0].ID}}
	if err := SaveChanges(ctx, s, other.ID, mv, d); err == nil {
		t.Fatal("saved a lane into another village")
	}
}

// One edit on a 3,000-house village: the dirty save against the whole-map
// save it replaces in the editor.
func BenchmarkSaveOneEdit(b *testing.B) {
	ctx := context.Background()
	s := newTestStore(b, store.RolePost, nil)
	vil, mv := editedVillage(b, s, 3000)
	ed := edit.NewEditor(mv, store.NewID)
	id := mv.Houses[len(mv.Houses)/2].ID
	step := func(i int) {
		d := 0.5
		if i%2 == 1 {
			d = -0.5
		}
		if err := ed.Move(maps.Point{X: d}, id); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("changes", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			step(i)
			if err := SaveChanges(ctx, s, vil.ID, mv, ed.TakeDirty()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole-map", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			step(i)
			ed.TakeDirty()
			if err := Save(ctx, s, vil.ID, mv); err != nil {
				b.Fatal(err)
			}
		}
	})
}
