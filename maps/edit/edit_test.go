package edit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/numbering"
)

func seqIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("new-%d", n) }
}

func TestEditorAddUndoRedo(t *testing.T) {
	v := maptest.FixtureVillage()
	orig := v.Clone()
	e := NewEditor(v, seqIDs())
	id, err := e.AddRectHouse(maps.Point{X: 150, Y: 20}, maps.Point{X: 162, Y: 30})
	if err != nil {
		t.Fatal(err)
	}
	if i := v.HouseByID(id); i < 0 || v.Houses[i].Polygon.Area() <= 0 {
		t.Fatalf("house not added CCW: %v", id)
	}
	lid, err := e.AddLane("新巷", 3, []maps.Point{{X: 150, Y: 0}, {X: 150, Y: 18}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddLandmark(maps.KindWell, "新井", maps.Point{X: 155, Y: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddLabel("麦场", maps.Point{X: 170, Y: 5}, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.Move(maps.Point{X: 1, Y: 2}, id, lid); err != nil {
		t.Fatal(err)
	}
	final := v.Clone()
	if e.UndoLabel() != "移动" {
		t.Errorf("undo label %q", e.UndoLabel())
	}
	steps := 0
	for e.Undo() {
		steps++
	}
	if steps != 5 || !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(orig)) {
		t.Fatalf("undo all (%d steps) did not restore the map", steps)
	}
	for e.Redo() {
	}
	if !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(final)) {
		t.Fatal("redo all did not give the final map")
	}
	// A new edit after undo drops the redo branch.
	e.Undo()
	if !e.CanRedo() {
		t.Fatal("nothing to redo")
	}
	if _, err := e.AddLabel("x", maps.Point{}, 0); err != nil {
		t.Fatal(err)
	}
	if e.CanRedo() {
		t.Error("redo kept after a new edit")
	}
}

func TestEditorRandomOpsUndoAll(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 30; iter++ {
		v := maptest.FixtureVillage()
		orig := v.Clone()
		e := NewEditor(v, seqIDs())
		var states []*maps.Village
		for step := 0; step < 25; step++ {
			ids := allIDs(v)
			pick := func() string {
				if len(ids) == 0 {
					return "none"
				}
				return ids[r.IntN(len(ids))]
			}
			before := len(e.undo)
			var err error
			switch r.IntN(9) {
			case 0:
				x, y := r.Float64()*200, r.Float64()*120
				_, err = e.AddRectHouse(maps.Point{X: x, Y: y}, maps.Point{X: x + 3 + r.Float64()*10, Y: y + 3 + r.Float64()*10})
			case 1:
				err = e.Delete(pick())
			case 2:
				err = e.Move(maps.Point{X: r.Float64()*4 - 2, Y: r.Float64()*4 - 2}, pick())
			case 3:
				err = e.MoveVertex(pick(), r.IntN(4), maps.Point{X: r.Float64() * 200, Y: r.Float64() * 120})
			case 4:
				err = e.InsertVertex(pick(), r.IntN(3), maps.Point{X: r.Float64() * 200, Y: r.Float64() * 120})
			case 5:
				err = e.DeleteVertex(pick(), r.IntN(4))
			case 6:
				err = e.SetNumber(pick(), fmt.Sprint(100+r.IntN(30)))
			case 7:
				_, err = e.Renumber(numbering.Options{})
			case 8:
				err = e.SetHouseInfo(pick(), HouseInfo{Name: "王五", Phone: "13900000000", Warning: maps.WarningRed})
			}
			if err != nil && len(e.undo) != before {
				t.Fatalf("iter %d step %d: failed edit %v left an undo step", iter, step, err)
			}
			if err == nil && len(e.undo) > before {
				states = append(states, v.Clone())
			}
			if err != nil && len(states) > 0 && !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(states[len(states)-1])) {
				t.Fatalf("iter %d step %d: failed edit %v changed the map", iter, step, err)
			}
		}
		for k := len(states) - 2; k >= -1; k-- {
			if !e.Undo() {
				t.Fatalf("iter %d: undo ran out early", iter)
			}
			want := orig
			if k >= 0 {
				want = states[k]
			}
			if !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(want)) {
				t.Fatalf("iter %d: undo to state %d differs", iter, k)
			}
		}
		if e.Undo() {
			t.Fatalf("iter %d: extra undo step", iter)
		}
		for k := range states {
			e.Redo()
			if !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(states[k])) {
				t.Fatalf("iter %d: redo to state %d differs", iter, k)
			}
		}
	}
}

func allIDs(v *maps.Village) []string {
	var ids []string
	for _, h := range v.Houses {
		ids = append(ids, h.ID)
	}
	for _, l := range v.Lanes {
		ids = append(ids, l.ID)
	}
	for _, m := range v.Landmarks {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestEditorRejectsDegenerate(t *testing.T) {
	v := maptest.FixtureVillage()
	v.Houses = append(v.Houses, maps.House{ID: "tri", Polygon: maps.Polygon{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 0, Y: 10}}})
	e := NewEditor(v, seqIDs())
	before := v.Clone()
	if _, err := e.AddHouse(maps.Polygon{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 2, Y: 0}}); !errors.Is(err, maps.ErrZeroArea) {
		t.Errorf("flat house: %v", err)
	}
	if _, err := e.AddLane("x", 3, []maps.Point{{X: 1, Y: 1}, {X: 1, Y: 1}}); !errors.Is(err, maps.ErrShortLane) {
		t.Errorf("zero-length lane: %v", err)
	}
	// Dragging a corner across the opposite edge makes a bow tie.
	if err := e.MoveVertex("H1", 1, maps.Point{X: 40, Y: 75}); !errors.Is(err, maps.ErrSelfIntersect) {
		t.Errorf("bow tie: %v", err)
	}
	if err := e.DeleteVertex("tri", 0); !errors.Is(err, maps.ErrTooFewVertices) {
		t.Errorf("two-vertex house: %v", err)
	}
	if err := e.DeleteVertex("L-main", 0); !errors.Is(err, maps.ErrShortLane) {
		t.Errorf("one-point lane: %v", err)
	}
	if err := e.SetLane("L-main", "主街", 0); err == nil {
		t.Error("zero width accepted")
	}
	if err := e.Move(maps.Point{X: 1, Y: 1}, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if err := e.SetHouseInfo("H1", HouseInfo{Phone: "138abc"}); err == nil {
		t.Error("bad phone accepted")
	}
	if e.CanUndo() {
		t.Error("failed edits left undo steps")
	}
	if !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(before)) {
		t.Error("failed edits changed the map")
	}
	if d := e.TakeDirty(); !d.Empty() {
		t.Errorf("failed edits marked dirty: %+v", d)
	}
	dup := NewEditor(v, func() string { return "H1" })
	if _, err := dup.AddLabel("x", maps.Point{}, 0); err == nil {
		t.Error("ID generator collision accepted")
	}
}

func TestEditorDeleteRetiresNumber(t *testing.T) {
	v := maptest.FixtureVillage()
	e := NewEditor(v, seqIDs())
	if err := e.Delete("H3"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(v.Retired, "3") {
		t.Fatalf("number 3 not retired: %v", v.Retired)
	}
	if err := e.SetNumber("H4", "3"); err == nil {
		t.Error("retired number reused")
	}
	e.Undo() // the failed SetNumber added no step: this undoes the delete
	if v.HouseByID("H3") != 2 || slices.Contains(v.Retired, "3") {
		t.Errorf("undo delete: house at %d, retired %v", v.HouseByID("H3"), v.Retired)
	}
	d := e.TakeDirty()
	if !slices.Contains(d.Houses, "H3") || !d.Village {
		t.Errorf("dirty: %+v", d)
	}
	if d := e.TakeDirty(); !d.Empty() {
		t.Errorf("dirty not reset: %+v", d)
	}
}

func TestEditorSetScale(t *testing.T) {
	v := maptest.FixtureVillage()
	v.Base = &maps.BaseLayer{Width: 400, Height: 200, MetresPerPx: 1, Origin: maps.Point{X: 0, Y: 120}, Opacity: 0.5}
	e := NewEditor(v, seqIDs())
	h0 := v.Houses[0].Polygon[0]
	// The officer clicks both ends of 主街 (200 m on the map) and types 100 m.
	if err := e.SetScale(maps.Point{X: 0, Y: 50}, maps.Point{X: 200, Y: 50}, 100); err != nil {
		t.Fatal(err)
	}
	if v.Base.MetresPerPx != 0.5 {
		t.Errorf("m/px %v", v.Base.MetresPerPx)
	}
	want := maps.Point{X: h0.X * 0.5, Y: 120 + (h0.Y-120)*0.5}
	if maps.Dist(v.Houses[0].Polygon[0], want) > 1e-9 {
		t.Errorf("house corner %v, want %v", v.Houses[0].Polygon[0], want)
	}
	if maps.PolylineLength(v.Lanes[0].Points) != 100 || v.Lanes[0].Width != 6 {
		t.Errorf("main street now %v m long, %v m wide", maps.PolylineLength(v.Lanes[0].Points), v.Lanes[0].Width)
	}
	// The base image pixel under the house corner is the same as before.
	if maps.Dist(v.Base.WorldToImage(v.Houses[0].Polygon[0]), maps.Point{X: h0.X, Y: 120 - h0.Y}) > 1e-9 {
		t.Error("house moved off the base image")
	}
	e.Undo()
	if v.Base.MetresPerPx != 1 || v.Houses[0].Polygon[0] != h0 {
		t.Error("undo scale")
	}
	if err := e.SetScale(maps.Point{X: 1, Y: 1}, maps.Point{X: 1, Y: 1}, 10); err == nil {
		t.Error("same point accepted")
	}
	if err := e.SetBaseOpacity(1.5); err == nil {
		t.Error("opacity 1.5 accepted")
	}
	if err := e.SetBaseOpacity(0.8); err != nil || v.Base.Opacity != 0.8 {
		t.Errorf("opacity: %v", err)
	}
}

func TestEditorPick(t *testing.T) {
	e := NewEditor(maptest.FixtureVillage(), seqIDs())
	h, ok := e.Pick(maps.Point{X: 55.2, Y: 58.1}, 0.5, "H1")
	if !ok || h.ID != "H1" || h.Vertex != 1 {
		t.Errorf("vertex pick: %+v %v", h, ok)
	}
	h, ok = e.Pick(maps.Point{X: 50, Y: 63}, 0.5, "H1")
	if !ok || h.ID != "H1" || h.Vertex != -1 {
		t.Errorf("body pick: %+v %v", h, ok)
	}
	// The index follows edits.
	if err := e.Move(maps.Point{X: 0, Y: 100}, "H1"); err != nil {
		t.Fatal(err)
	}
	if h, ok := e.Pick(maps.Point{X: 50, Y: 163}, 0.5, ""); !ok || h.ID != "H1" {
		t.Errorf("after move: %+v %v", h, ok)
	}
}

func TestEditorRenumberIsOneStep(t *testing.T) {
	v := maptest.FixtureVillage()
	for i := range v.Houses {
		v.Houses[i].Number = ""
	}
	e := NewEditor(v, seqIDs())
	plan, err := e.Renumber(numbering.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != len(v.Houses) {
		t.Fatalf("numbered %d of %d", len(plan), len(v.Houses))
	}
	for _, h := range v.Houses {
		if h.Number == "" {
			t.Fatalf("house %s not numbered", h.ID)
		}
	}
	e.Undo()
	for _, h := range v.Houses {
		if h.Number != "" {
			t.Fatalf("undo left number %s on %s", h.Number, h.ID)
		}
	}
}

// Union names every feature of both sets once; CopyOf holds the named
// features that still exist, deep enough that editing the village after
// it changes nothing in the copy (a save runs in the background while
// the officer goes on drawing).
func TestDirtyUnionAndCopyOf(t *testing.T) {
	a := DirtySet{Houses: []string{"h1", "h2"}, Lanes: []string{"l1"}}
	b := DirtySet{Houses: []string{"h2", "h3"}, Labels: []string{"b1"}, Village: true}
	u := a.Union(b)
	if !slices.Equal(u.Houses, []string{"h1", "h2", "h3"}) || !slices.Equal(u.Lanes, []string{"l1"}) ||
		!slices.Equal(u.Labels, []string{"b1"}) || !u.Village {
		t.Errorf("union %+v", u)
	}
	v := &maps.Village{Name: "东河村", Houses: []maps.House{
		{ID: "h1", Number: "1", Polygon: maps.Polygon{{X: 0, Y: 0}, {X: 5, Y: 0}, {X: 5, Y: 5}}, History: []string{"01"}},
		{ID: "h4", Number: "4"},
	}, Lanes: []maps.Lane{{ID: "l1", Points: []maps.Point{{X: 0, Y: 0}, {X: 9, Y: 0}}}}}
	c := u.CopyOf(v) // h2 and h3 are gone (deletions): not in the copy
	if len(c.Houses) != 1 || c.Houses[0].ID != "h1" || len(c.Lanes) != 1 || c.Name != v.Name {
		t.Fatalf("copy %+v", c)
	}
	v.Houses[0].Polygon[0].X = 99
	v.Houses[0].History[0] = "改"
	v.Lanes[0].Points[1].Y = 7
	if c.Houses[0].Polygon[0].X != 0 || c.Houses[0].History[0] != "01" || c.Lanes[0].Points[1].Y != 0 {
		t.Errorf("the copy changed with the village: %+v", c)
	}
}

// What a trace proposed goes in as one step: undo takes all of it (the
// base layer too), redo brings it back; a read number another house has,
// had, or that is read twice leaves its house unnumbered, never taking a
// number from an existing house; shapes the map refuses are skipped.
func TestAddTraced(t *testing.T) {
	v := maptest.FixtureVillage()
	v.Retired = append(v.Retired, "950")
	orig := v.Clone()
	taken := v.Houses[0].Number
	e := NewEditor(v, seqIDs())
	sq := func(x float64) maps.Polygon {
		return maps.Polygon{{X: x, Y: 300}, {X: x + 8, Y: 300}, {X: x + 8, Y: 310}, {X: x, Y: 310}}
	}
	hs := []maps.House{
		{Number: "901", Polygon: sq(0)},
		{Number: taken, Polygon: sq(20)},
		{Number: "950", Polygon: sq(40)},
		{Number: "902", Polygon: sq(60)},
		{Number: "902", Polygon: sq(80)},
		{Number: "", Polygon: sq(100)},
		{Number: "903", Polygon: maps.Polygon{{X: 0, Y: 0}, {X: 1, Y: 1}}},
	}
	ls := []maps.Lane{{Width: 4, Points: []maps.Point{{X: 0, Y: 320}, {X: 120, Y: 320}}}, {Width: 4, Points: []maps.Point{{X: 5, Y: 5}}}}
	lms := []maps.Landmark{{Kind: maps.KindWell, Point: maps.Point{X: 130, Y: 305}}, {Kind: "volcano", Point: maps.Point{X: 1, Y: 1}}}
	base := &maps.BaseLayer{ImageHash: "scan", Width: 1000, Height: 800, MetresPerPx: 0.2, Opacity: 0.6}
	got, err := e.AddTraced(hs, ls, lms, base)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got.Unnumbered)
	want := Traced{Houses: 6, Lanes: 1, Landmarks: 1, Skipped: 3, Unnumbered: []string{"902", "950", taken}}
	slices.Sort(want.Unnumbered)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("accepted %+v, want %+v", got, want)
	}
	numbers := map[string]int{}
	for _, h := range v.Houses {
		numbers[h.Number]++
	}
	if numbers["901"] != 1 || numbers["902"] != 1 || numbers[taken] != 1 || numbers["950"] != 0 {
		t.Errorf("numbers after accepting: %v", numbers)
	}
	if v.Base == nil || v.Base.ImageHash != "scan" {
		t.Errorf("base layer %+v", v.Base)
	}
	if e.UndoLabel() != "接受识别结果" {
		t.Errorf("undo label %q", e.UndoLabel())
	}
	d := e.TakeDirty()
	if len(d.Houses) != 6 || len(d.Lanes) != 1 || len(d.Landmarks) != 1 || !d.Village {
		t.Errorf("dirty %+v", d)
	}
	if !e.Undo() || !reflect.DeepEqual(v, orig) {
		t.Fatal("one undo did not take the whole trace back")
	}
	if !e.Redo() || len(v.Houses) != len(orig.Houses)+6 || v.Base == nil {
		t.Fatal("redo did not bring the trace back")
	}
	if _, err := e.AddTraced(nil, nil, nil, &maps.BaseLayer{Width: 0, Height: 10}); err == nil {
		t.Error("a base layer of no size was accepted")
	}
}

// BenchmarkAddTraced accepts a 3,000-house trace as one step; the
// baseline adds the same houses one step each and numbers each by hand
// (SetNumber), as an officer tracing over the scan would.
func BenchmarkAddTraced(b *testing.B) {
	const n = 3000
	hs := make([]maps.House, n)
	for i := range hs {
		x, y := float64(i%60)*12, float64(i/60)*12
		hs[i] = maps.House{Number: fmt.Sprint(1000 + i), Polygon: maps.Polygon{{X: x, Y: y}, {X: x + 8, Y: y}, {X: x + 8, Y: y + 8}, {X: x, Y: y + 8}}}
	}
	b.Run("traced", func(b *testing.B) {
		for b.Loop() {
			e := NewEditor(&maps.Village{}, seqIDs())
			if got, err := e.AddTraced(hs, nil, nil, nil); err != nil || got.Houses != n || len(got.Unnumbered) != 0 {
				b.Fatal(got, err)
			}
		}
	})
	b.Run("baseline-by-hand", func(b *testing.B) {
		for b.Loop() {
			e := NewEditor(&maps.Village{}, seqIDs())
			for _, h := range hs {
				id, err := e.AddHouse(h.Polygon)
				if err == nil {
					err = e.SetNumber(id, h.Number)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
