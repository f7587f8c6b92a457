package edit

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"cunjing/maps"
	"cunjing/maps/numbering"
)

// Editor is the editing model behind the map screen: every change is one
// undoable step, recorded as before/after images of only the features it
// touched (a 3000-house map does not get copied per click). It is not safe
// for concurrent use; the UI owns one per open map.
type Editor struct {
	v     *maps.Village
	ix    *maps.Index
	undo  []change
	redo  []change
	limit int
	newID func() string
	dirty DirtySet
}

// DirtySet lists what changed since the last TakeDirty, for saving: IDs
// of features written or deleted, and whether village-level fields (retired
// numbers, base layer) changed.
type DirtySet struct {
	Houses, Lanes, Landmarks, Labels []string
	Village                          bool
}

func (d DirtySet) clone() DirtySet {
	return DirtySet{slices.Clone(d.Houses), slices.Clone(d.Lanes), slices.Clone(d.Landmarks), slices.Clone(d.Labels), d.Village}
}

// Union is the features either set names (a save that failed, with the
// edits made since).
func (a DirtySet) Union(b DirtySet) DirtySet {
	add := func(dst, src []string) []string {
		for _, id := range src {
			if !slices.Contains(dst, id) {
				dst = append(dst, id)
			}
		}
		return dst
	}
	return DirtySet{
		Houses: add(a.Houses, b.Houses), Lanes: add(a.Lanes, b.Lanes),
		Landmarks: add(a.Landmarks, b.Landmarks), Labels: add(a.Labels, b.Labels),
		Village: a.Village || b.Village,
	}
}

// CopyOf copies the features d names that v still has (the others are
// deletions) and the base layer: what a save in the background writes
// while the editor goes on changing v.
func (d DirtySet) CopyOf(v *maps.Village) *maps.Village {
	out := &maps.Village{Name: v.Name}
	want := func(ids []string) map[string]bool {
		s := make(map[string]bool, len(ids))
		for _, id := range ids {
			s[id] = true
		}
		return s
	}
	hs, ls, ms, bs := want(d.Houses), want(d.Lanes), want(d.Landmarks), want(d.Labels)
	for _, h := range v.Houses {
		if hs[h.ID] {
			h.Polygon = slices.Clone(h.Polygon)
			h.History = slices.Clone(h.History)
			h.Categories = slices.Clone(h.Categories)
			out.Houses = append(out.Houses, h)
		}
	}
	for _, l := range v.Lanes {
		if ls[l.ID] {
			l.Points = slices.Clone(l.Points)
			out.Lanes = append(out.Lanes, l)
		}
	}
	for _, lm := range v.Landmarks {
		if ms[lm.ID] {
			out.Landmarks = append(out.Landmarks, lm)
		}
	}
	for _, lb := range v.Labels {
		if bs[lb.ID] {
			out.Labels = append(out.Labels, lb)
		}
	}
	if v.Base != nil {
		b := *v.Base
		out.Base = &b
	}
	return out
}

// Empty reports whether nothing changed.
func (d DirtySet) Empty() bool {
	return len(d.Houses)+len(d.Lanes)+len(d.Landmarks)+len(d.Labels) == 0 && !d.Village
}

type change struct {
	label string
	feats []featChange
	// village-level state before/after (nil when untouched)
	vBefore, vAfter *villageState
}

type villageState struct {
	name    string
	retired []string
	base    *maps.BaseLayer
}

type featChange struct {
	kind          maps.FeatureKind
	id            string
	index         int // slice position before the change (undo re-inserts here)
	afterIndex    int // slice position after it (redo re-inserts here)
	before, after any // *House, *Lane, *Landmark, *Label; nil = absent
}

// DefaultUndoLimit is how many steps the editor keeps.
const DefaultUndoLimit = 200

// ErrNotFound is returned for an ID the map does not have.
var ErrNotFound = errors.New("no such feature")

// NewEditor edits v in place. newID makes IDs for new features (the store
// passes a UUIDv7 generator); it must not return an ID already in use.
func NewEditor(v *maps.Village, newID func() string) *Editor {
	if v == nil {
		v = &maps.Village{}
	}
	return &Editor{v: v, limit: DefaultUndoLimit, newID: newID}
}

// Village is the map being edited. Treat it as read-only: change it
// through the editor so undo and saving see every change.
func (e *Editor) Village() *maps.Village { return e.v }

// Index returns the spatial index of the current map, rebuilt on demand
// after changes.
func (e *Editor) Index() *maps.Index {
	if e.ix == nil {
		e.ix = maps.BuildIndex(e.v)
	}
	return e.ix
}

// CanUndo and CanRedo say whether the buttons are enabled; UndoLabel and
// RedoLabel name the step for a tooltip ("" when none).
func (e *Editor) CanUndo() bool { return len(e.undo) > 0 }

// CanRedo reports whether a step can be redone.
func (e *Editor) CanRedo() bool { return len(e.redo) > 0 }

// UndoLabel names the step Undo would revert.
func (e *Editor) UndoLabel() string {
	if len(e.undo) == 0 {
		return ""
	}
	return e.undo[len(e.undo)-1].label
}

// RedoLabel names the step Redo would repeat.
func (e *Editor) RedoLabel() string {
	if len(e.redo) == 0 {
		return ""
	}
	return e.redo[len(e.redo)-1].label
}

// Undo reverts the last step; false when there is none.
func (e *Editor) Undo() bool {
	if len(e.undo) == 0 {
		return false
	}
	c := e.undo[len(e.undo)-1]
	e.undo = e.undo[:len(e.undo)-1]
	e.apply(c, true)
	e.redo = append(e.redo, c)
	return true
}

// Redo repeats the last undone step; false when there is none.
func (e *Editor) Redo() bool {
	if len(e.redo) == 0 {
		return false
	}
	c := e.redo[len(e.redo)-1]
	e.redo = e.redo[:len(e.redo)-1]
	e.apply(c, false)
	e.undo = append(e.undo, c)
	return true
}

// TakeDirty returns what changed since the previous call and resets it.
func (e *Editor) TakeDirty() DirtySet {
	d := e.dirty
	e.dirty = DirtySet{}
	return d
}

func (e *Editor) markDirty(kind maps.FeatureKind, id string) {
	add := func(s *[]string) {
		if !slices.Contains(*s, id) {
			*s = append(*s, id)
		}
	}
	switch kind {
	case maps.FeatHouse:
		add(&e.dirty.Houses)
	case maps.FeatLane:
		add(&e.dirty.Lanes)
	case maps.FeatLandmark:
		add(&e.dirty.Landmarks)
	case maps.FeatLabel:
		add(&e.dirty.Labels)
	}
}

// tx records before-images as an operation touches features.
type tx struct {
	e       *Editor
	feats   []featChange
	seen    map[string]bool
	vBefore *villageState
}

func (e *Editor) snapshotVillage() *villageState {
	s := &villageState{name: e.v.Name, retired: slices.Clone(e.v.Retired)}
	if e.v.Base != nil {
		b := *e.v.Base
		s.base = &b
	}
	return s
}

// touch records the feature's current state before it is modified.
func (t *tx) touch(kind maps.FeatureKind, id string) {
	key := kind.String() + "\x00" + id
	if t.seen[key] {
		return
	}
	t.seen[key] = true
	idx, cur := t.e.get(kind, id)
	t.feats = append(t.feats, featChange{kind: kind, id: id, index: idx, before: cur})
}

func (t *tx) touchVillage() {
	if t.vBefore == nil {
		t.vBefore = t.e.snapshotVillage()
	}
}

// do runs op as one undoable step. If op fails, everything it touched is
// put back, so a failed edit leaves the map as it was.
func (e *Editor) do(label string, op func(t *tx) error) error {
	t := &tx{e: e, seen: map[string]bool{}}
	saved := e.dirty.clone()
	err := op(t)
	c := change{label: label, vBefore: t.vBefore}
	for _, f := range t.feats {
		f.afterIndex, f.after = e.get(f.kind, f.id)
		c.feats = append(c.feats, f)
	}
	if t.vBefore != nil {
		c.vAfter = e.snapshotVillage()
	}
	if err != nil {
		e.apply(c, true)
		e.dirty = saved
		return err
	}
	// Drop features whose state did not actually change (e.g. numbering
	// that kept every number), so undo steps and saves stay small.
	kept := c.feats[:0]
	for _, f := range c.feats {
		if !sameFeature(f.before, f.after) {
			kept = append(kept, f)
		}
	}
	c.feats = kept
	if c.vBefore != nil && sameVillageState(c.vBefore, c.vAfter) {
		c.vBefore, c.vAfter = nil, nil
	}
	if len(c.feats) == 0 && c.vBefore == nil {
		return nil
	}
	for _, f := range c.feats {
		e.markDirty(f.kind, f.id)
	}
	if c.vBefore != nil {
		e.dirty.Village = true
	}
	e.ix = nil
	e.undo = append(e.undo, c)
	if len(e.undo) > e.limit {
		e.undo = slices.Delete(e.undo, 0, len(e.undo)-e.limit)
	}
	e.redo = nil
	return nil
}

func (e *Editor) apply(c change, backwards bool) {
	e.ix = nil
	if backwards {
		for i := len(c.feats) - 1; i >= 0; i-- {
			f := c.feats[i]
			e.set(f.kind, f.id, f.index, f.before)
			e.markDirty(f.kind, f.id)
		}
		if c.vBefore != nil {
			e.setVillage(c.vBefore)
		}
		return
	}
	for _, f := range c.feats {
		e.set(f.kind, f.id, f.afterIndex, f.after)
		e.markDirty(f.kind, f.id)
	}
	if c.vAfter != nil {
		e.setVillage(c.vAfter)
	}
}

func (e *Editor) setVillage(s *villageState) {
	e.v.Name = s.name
	e.v.Retired = slices.Clone(s.retired)
	e.v.Base = nil
	if s.base != nil {
		b := *s.base
		e.v.Base = &b
	}
	e.dirty.Village = true
}

func sameVillageState(a, b *villageState) bool {
	if a.name != b.name || !slices.Equal(a.retired, b.retired) || (a.base == nil) != (b.base == nil) {
		return false
	}
	return a.base == nil || *a.base == *b.base
}

func sameFeature(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case *maps.House:
		y, ok := b.(*maps.House)
		return ok && x.ID == y.ID && x.Number == y.Number && x.Name == y.Name && x.Phone == y.Phone &&
			x.Courtyard == y.Courtyard && x.Warning == y.Warning && slices.Equal(x.History, y.History) &&
			slices.Equal(x.Polygon, y.Polygon) && slices.Equal(x.Categories, y.Categories)
	case *maps.Lane:
		y, ok := b.(*maps.Lane)
		return ok && x.ID == y.ID && x.Name == y.Name && x.Width == y.Width && slices.Equal(x.Points, y.Points)
	case *maps.Landmark:
		y, ok := b.(*maps.Landmark)
		return ok && *x == *y
	case *maps.Label:
		y, ok := b.(*maps.Label)
		return ok && *x == *y
	}
	return false
}

// get returns the slice index and a deep copy of a feature (nil if absent).
func (e *Editor) get(kind maps.FeatureKind, id string) (int, any) {
	switch kind {
	case maps.FeatHouse:
		for i := range e.v.Houses {
			if e.v.Houses[i].ID == id {
				h := e.v.Houses[i].Clone()
				return i, &h
			}
		}
	case maps.FeatLane:
		for i := range e.v.Lanes {
			if e.v.Lanes[i].ID == id {
				l := e.v.Lanes[i].Clone()
				return i, &l
			}
		}
	case maps.FeatLandmark:
		for i := range e.v.Landmarks {
			if e.v.Landmarks[i].ID == id {
				m := e.v.Landmarks[i]
				return i, &m
			}
		}
	case maps.FeatLabel:
		for i := range e.v.Labels {
			if e.v.Labels[i].ID == id {
				l := e.v.Labels[i]
				return i, &l
			}
		}
	}
	return -1, nil
}

// set puts a feature into the state st (nil deletes it), re-inserting at
// index when it is absent so undo restores the original order.
func (e *Editor) set(kind maps.FeatureKind, id string, index int, st any) {
	switch kind {
	case maps.FeatHouse:
		var val *maps.House
		if st != nil {
			h := st.(*maps.House).Clone()
			val = &h
		}
		e.v.Houses = setIn(e.v.Houses, func(h *maps.House) bool { return h.ID == id }, index, val)
	case maps.FeatLane:
		var val *maps.Lane
		if st != nil {
			l := st.(*maps.Lane).Clone()
			val = &l
		}
		e.v.Lanes = setIn(e.v.Lanes, func(l *maps.Lane) bool { return l.ID == id }, index, val)
	case maps.FeatLandmark:
		var val *maps.Landmark
		if st != nil {
			m := *st.(*maps.Landmark)
			val = &m
		}
		e.v.Landmarks = setIn(e.v.Landmarks, func(m *maps.Landmark) bool { return m.ID == id }, index, val)
	case maps.FeatLabel:
		var val *maps.Label
		if st != nil {
			l := *st.(*maps.Label)
			val = &l
		}
		e.v.Labels = setIn(e.v.Labels, func(l *maps.Label) bool { return l.ID == id }, index, val)
	}
}

func setIn[T any](s []T, match func(*T) bool, index int, val *T) []T {
	for i := range s {
		if match(&s[i]) {
			if val == nil {
				return slices.Delete(s, i, i+1)
			}
			s[i] = *val
			return s
		}
	}
	if val == nil {
		return s
	}
	index = max(0, min(index, len(s)))
	return slices.Insert(s, index, *val)
}

// kindOf finds which kind of feature has id.
func (e *Editor) kindOf(id string) maps.FeatureKind {
	for _, k := range []maps.FeatureKind{maps.FeatHouse, maps.FeatLane, maps.FeatLandmark, maps.FeatLabel} {
		if i, _ := e.get(k, id); i >= 0 {
			return k
		}
	}
	return maps.FeatNone
}

func (e *Editor) id() (string, error) {
	if e.newID == nil {
		return "", errors.New("editor has no ID generator")
	}
	id := e.newID()
	if id == "" || e.kindOf(id) != maps.FeatNone {
		return "", fmt.Errorf("ID generator returned %q, which is empty or in use", id)
	}
	return id, nil
}

// AddHouse adds a house outline (validated, wound counter-clockwise) with
// no number yet; Renumber or SetNumber gives it one.
func (e *Editor) AddHouse(pg maps.Polygon) (string, error) {
	n, err := pg.Normalize()
	if err != nil {
		return "", fmt.Errorf("add house: %w", err)
	}
	id, err := e.id()
	if err != nil {
		return "", fmt.Errorf("add house: %w", err)
	}
	return id, e.do("添加房屋", func(t *tx) error {
		t.touch(maps.FeatHouse, id)
		e.v.Houses = append(e.v.Houses, maps.House{ID: id, Polygon: n})
		return nil
	})
}

// AddRectHouse adds a house from two opposite corners (a drag).
func (e *Editor) AddRectHouse(a, b maps.Point) (string, error) {
	r := maps.BoundsOf([]maps.Point{a, b})
	return e.AddHouse(maps.Polygon{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// AddLane adds a lane or road.
func (e *Editor) AddLane(name string, width float64, pts []maps.Point) (string, error) {
	l := maps.Lane{Name: strings.TrimSpace(name), Width: width, Points: maps.DedupPoints(pts)}
	if err := maps.ValidateLane(l); err != nil {
		return "", fmt.Errorf("add lane: %w", err)
	}
	id, err := e.id()
	if err != nil {
		return "", fmt.Errorf("add lane: %w", err)
	}
	l.ID = id
	return id, e.do("添加道路", func(t *tx) error {
		t.touch(maps.FeatLane, id)
		e.v.Lanes = append(e.v.Lanes, l)
		return nil
	})
}

// AddLandmark adds a landmark.
func (e *Editor) AddLandmark(kind maps.LandmarkKind, name string, p maps.Point) (string, error) {
	if _, err := maps.ParseLandmarkKind(string(kind)); err != nil {
		return "", fmt.Errorf("add landmark: %w", err)
	}
	if !maps.Finite(p) {
		return "", fmt.Errorf("add landmark: %w", maps.ErrNotFinite)
	}
	id, err := e.id()
	if err != nil {
		return "", fmt.Errorf("add landmark: %w", err)
	}
	return id, e.do("添加地标", func(t *tx) error {
		t.touch(maps.FeatLandmark, id)
		e.v.Landmarks = append(e.v.Landmarks, maps.Landmark{ID: id, Kind: kind, Name: strings.TrimSpace(name), Point: p})
		return nil
	})
}

// AddLabel adds free text; size is its height in metres (0 = default).
func (e *Editor) AddLabel(text string, p maps.Point, size float64) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", errors.New("add label: empty text")
	}
	if !maps.Finite(p) || size < 0 || size > 1000 {
		return "", fmt.Errorf("add label: bad position or size %g", size)
	}
	id, err := e.id()
	if err != nil {
		return "", fmt.Errorf("add label: %w", err)
	}
	return id, e.do("添加标注", func(t *tx) error {
		t.touch(maps.FeatLabel, id)
		e.v.Labels = append(e.v.Labels, maps.Label{ID: id, Text: text, Point: p, Size: size})
		return nil
	})
}

// Delete removes features. A deleted house's numbers are retired so no
// other house is ever given them.
func (e *Editor) Delete(ids ...string) error {
	return e.do("删除", func(t *tx) error {
		for _, id := range ids {
			k := e.kindOf(id)
			if k == maps.FeatNone {
				return fmt.Errorf("delete %s: %w", id, ErrNotFound)
			}
			t.touch(k, id)
			switch k {
			case maps.FeatHouse:
				t.touchVillage()
				if err := numbering.RemoveHouse(e.v, id); err != nil {
					return fmt.Errorf("delete: %w", err)
				}
			default:
				e.set(k, id, 0, nil)
			}
		}
		return nil
	})
}

// Move shifts features by d metres.
func (e *Editor) Move(d maps.Point, ids ...string) error {
	if !maps.Finite(d) {
		return fmt.Errorf("move: %w", maps.ErrNotFinite)
	}
	return e.do("移动", func(t *tx) error {
		for _, id := range ids {
			k := e.kindOf(id)
			if k == maps.FeatNone {
				return fmt.Errorf("move %s: %w", id, ErrNotFound)
			}
			t.touch(k, id)
			e.mutate(k, id, func(pts []maps.Point) []maps.Point {
				for i := range pts {
					pts[i] = pts[i].Add(d)
				}
				return pts
			})
		}
		return nil
	})
}

// mutate edits the points of a feature in place (houses and lanes: their
// vertices; landmarks and labels: their single point).
func (e *Editor) mutate(k maps.FeatureKind, id string, f func([]maps.Point) []maps.Point) {
	switch k {
	case maps.FeatHouse:
		i := e.v.HouseByID(id)
		e.v.Houses[i].Polygon = f(e.v.Houses[i].Polygon)
	case maps.FeatLane:
		for i := range e.v.Lanes {
			if e.v.Lanes[i].ID == id {
				e.v.Lanes[i].Points = f(e.v.Lanes[i].Points)
			}
		}
	case maps.FeatLandmark:
		for i := range e.v.Landmarks {
			if e.v.Landmarks[i].ID == id {
				e.v.Landmarks[i].Point = f([]maps.Point{e.v.Landmarks[i].Point})[0]
			}
		}
	case maps.FeatLabel:
		for i := range e.v.Labels {
			if e.v.Labels[i].ID == id {
				e.v.Labels[i].Point = f([]maps.Point{e.v.Labels[i].Point})[0]
			}
		}
	}
}

// reshape applies f to a house's or lane's vertices and validates the
// result, so the map never holds a degenerate outline or lane.
func (e *Editor) reshape(label, id string, f func([]maps.Point) ([]maps.Point, error)) error {
	return e.do(label, func(t *tx) error {
		k := e.kindOf(id)
		if k != maps.FeatHouse && k != maps.FeatLane {
			return fmt.Errorf("%s %s: %w (houses and lanes only)", label, id, ErrNotFound)
		}
		t.touch(k, id)
		var ferr error
		e.mutate(k, id, func(pts []maps.Point) []maps.Point {
			out, err := f(slices.Clone(pts))
			if err != nil {
				ferr = err
				return pts
			}
			return out
		})
		if ferr != nil {
			return ferr
		}
		if k == maps.FeatHouse {
			i := e.v.HouseByID(id)
			n, err := e.v.Houses[i].Polygon.Normalize()
			if err != nil {
				return fmt.Errorf("house %s: %w", id, err)
			}
			e.v.Houses[i].Polygon = n
			return nil
		}
		_, l := e.get(maps.FeatLane, id)
		if err := maps.ValidateLane(*l.(*maps.Lane)); err != nil {
			return fmt.Errorf("lane %s: %w", id, err)
		}
		return nil
	})
}

// MoveVertex moves vertex i of a house or lane to p.
func (e *Editor) MoveVertex(id string, i int, p maps.Point) error {
	return e.reshape("移动顶点", id, func(pts []maps.Point) ([]maps.Point, error) {
		if i < 0 || i >= len(pts) {
			return nil, fmt.Errorf("vertex %d of %d", i, len(pts))
		}
		if !maps.Finite(p) {
			return nil, maps.ErrNotFinite
		}
		pts[i] = p
		return pts, nil
	})
}

// InsertVertex puts a new vertex p after vertex i (on edge i, as HitEdge
// returns it).
func (e *Editor) InsertVertex(id string, i int, p maps.Point) error {
	return e.reshape("插入顶点", id, func(pts []maps.Point) ([]maps.Point, error) {
		if i < 0 || i >= len(pts) || !maps.Finite(p) {
			return nil, fmt.Errorf("insert after vertex %d of %d", i, len(pts))
		}
		return slices.Insert(pts, i+1, p), nil
	})
}

// DeleteVertex removes vertex i; a house keeps at least 3, a lane 2.
func (e *Editor) DeleteVertex(id string, i int) error {
	return e.reshape("删除顶点", id, func(pts []maps.Point) ([]maps.Point, error) {
		if i < 0 || i >= len(pts) {
			return nil, fmt.Errorf("vertex %d of %d", i, len(pts))
		}
		return slices.Delete(pts, i, i+1), nil
	})
}

// HouseInfo is what the house form edits besides number and shape.
type HouseInfo struct {
	Name       string
	Phone      string
	Warning    maps.Warning
	Categories []maps.Category
	Courtyard  bool
}

// SetHouseInfo updates the householder, phone, grading and categories.
func (e *Editor) SetHouseInfo(id string, in HouseInfo) error {
	if _, err := maps.ParseWarning(string(in.Warning)); err != nil {
		return fmt.Errorf("house %s: %w", id, err)
	}
	phone := strings.TrimSpace(in.Phone)
	for _, r := range phone {
		if !(r >= '0' && r <= '9') && r != '-' && r != '+' && r != ' ' {
			return fmt.Errorf("house %s: phone %q has %q", id, phone, r)
		}
	}
	return e.do("修改房屋信息", func(t *tx) error {
		i := e.v.HouseByID(id)
		if i < 0 {
			return fmt.Errorf("house %s: %w", id, ErrNotFound)
		}
		t.touch(maps.FeatHouse, id)
		h := &e.v.Houses[i]
		h.Name, h.Phone, h.Warning, h.Courtyard = strings.TrimSpace(in.Name), phone, in.Warning, in.Courtyard
		h.Categories = slices.Clone(in.Categories)
		return nil
	})
}

// SetNumber gives a house a number by hand (refused if another house has
// or had it); its previous number goes into its history.
func (e *Editor) SetNumber(id, number string) error {
	return e.do("修改门牌号", func(t *tx) error {
		t.touch(maps.FeatHouse, id)
		return numbering.Set(e.v, id, number)
	})
}

// Renumber runs the numbering scheme (see numbering.Options) as one step and
// returns what changed.
func (e *Editor) Renumber(opt numbering.Options) ([]numbering.Renumbering, error) {
	var plan []numbering.Renumbering
	err := e.do("编号", func(t *tx) error {
		for i := range e.v.Houses {
			t.touch(maps.FeatHouse, e.v.Houses[i].ID)
		}
		var err error
		plan, err = numbering.Auto(e.v, opt)
		return err
	})
	return plan, err
}

// SetLane changes a lane's name and width.
func (e *Editor) SetLane(id, name string, width float64) error {
	return e.do("修改道路", func(t *tx) error {
		t.touch(maps.FeatLane, id)
		_, cur := e.get(maps.FeatLane, id)
		if cur == nil {
			return fmt.Errorf("lane %s: %w", id, ErrNotFound)
		}
		l := cur.(*maps.Lane)
		l.Name, l.Width = strings.TrimSpace(name), width
		if err := maps.ValidateLane(*l); err != nil {
			return fmt.Errorf("lane %s: %w", id, err)
		}
		e.set(maps.FeatLane, id, 0, l)
		return nil
	})
}

// SetLandmark changes a landmark's kind and name.
func (e *Editor) SetLandmark(id string, kind maps.LandmarkKind, name string) error {
	if _, err := maps.ParseLandmarkKind(string(kind)); err != nil {
		return err
	}
	return e.do("修改地标", func(t *tx) error {
		t.touch(maps.FeatLandmark, id)
		_, cur := e.get(maps.FeatLandmark, id)
		if cur == nil {
			return fmt.Errorf("landmark %s: %w", id, ErrNotFound)
		}
		m := cur.(*maps.Landmark)
		m.Kind, m.Name = kind, strings.TrimSpace(name)
		e.set(maps.FeatLandmark, id, 0, m)
		return nil
	})
}

// SetLabel changes a label's text and size.
func (e *Editor) SetLabel(id, text string, size float64) error {
	text = strings.TrimSpace(text)
	if text == "" || size < 0 || size > 1000 {
		return fmt.Errorf("label %s: empty text or size %g out of range", id, size)
	}
	return e.do("修改标注", func(t *tx) error {
		t.touch(maps.FeatLabel, id)
		_, cur := e.get(maps.FeatLabel, id)
		if cur == nil {
			return fmt.Errorf("label %s: %w", id, ErrNotFound)
		}
		l := cur.(*maps.Label)
		l.Text, l.Size = text, size
		e.set(maps.FeatLabel, id, 0, l)
		return nil
	})
}

// SetBase places (or with nil removes) the base map layer.
func (e *Editor) SetBase(b *maps.BaseLayer) error {
	if b != nil && (b.Width <= 0 || b.Height <= 0 || b.Opacity < 0 || b.Opacity > 1 || b.MetresPerPx < 0 || !maps.Finite(b.Origin)) {
		return fmt.Errorf("base layer: bad size %dx%d, opacity %g or scale %g", b.Width, b.Height, b.Opacity, b.MetresPerPx)
	}
	return e.do("底图", func(t *tx) error {
		t.touchVillage()
		e.v.Base = nil
		if b != nil {
			c := *b
			e.v.Base = &c
		}
		return nil
	})
}

// SetBaseOpacity changes how strongly the base map shows (0–1).
func (e *Editor) SetBaseOpacity(o float64) error {
	if e.v.Base == nil {
		return errors.New("base opacity: no base map")
	}
	if !(o >= 0 && o <= 1) {
		return fmt.Errorf("base opacity %g: must be between 0 and 1", o)
	}
	b := *e.v.Base
	b.Opacity = o
	return e.SetBase(&b)
}

// SetScale sets the map's scale from two points the officer clicked (in
// current world coordinates) and the real distance between them. Features
// already traced over the base map are scaled with it about the image's
// top-left corner, so they stay on top of what they trace; lane widths are
// typed in metres and stay as they are.
func (e *Editor) SetScale(p1, p2 maps.Point, metres float64) error {
	d := maps.Dist(p1, p2)
	if !maps.Finite(p1) || !maps.Finite(p2) || d < 1e-6 {
		return errors.New("scale: pick two different points")
	}
	if !(metres > 0) || metres > 100_000 {
		return fmt.Errorf("scale: distance %g m must be above 0 and at most 100 km", metres)
	}
	k := metres / d
	var o maps.Point
	if e.v.Base != nil {
		o = e.v.Base.Origin
	}
	sc := func(pts []maps.Point) []maps.Point {
		for i := range pts {
			pts[i] = o.Add(pts[i].Sub(o).Scale(k))
		}
		return pts
	}
	return e.do("设置比例尺", func(t *tx) error {
		t.touchVillage()
		if e.v.Base != nil {
			m := e.v.Base.MetresPerPx
			if m <= 0 {
				m = 1
			}
			e.v.Base.MetresPerPx = m * k
		}
		for i := range e.v.Houses {
			t.touch(maps.FeatHouse, e.v.Houses[i].ID)
			e.v.Houses[i].Polygon = sc(e.v.Houses[i].Polygon)
		}
		for i := range e.v.Lanes {
			t.touch(maps.FeatLane, e.v.Lanes[i].ID)
			e.v.Lanes[i].Points = sc(e.v.Lanes[i].Points)
		}
		for i := range e.v.Landmarks {
			t.touch(maps.FeatLandmark, e.v.Landmarks[i].ID)
			e.v.Landmarks[i].Point = sc([]maps.Point{e.v.Landmarks[i].Point})[0]
		}
		for i := range e.v.Labels {
			t.touch(maps.FeatLabel, e.v.Labels[i].ID)
			e.v.Labels[i].Point = sc([]maps.Point{e.v.Labels[i].Point})[0]
		}
		return nil
	})
}

// Pick is the editor's click: a vertex of the selected feature first (to
// drag it), then whatever HitTest finds.
func (e *Editor) Pick(p maps.Point, tol float64, selected string) (maps.Hit, bool) {
	ix := e.Index()
	if selected != "" {
		k := e.kindOf(selected)
		i, _ := e.get(k, selected)
		if i >= 0 {
			if vi := maps.HitVertex(e.v, maps.Ref{Kind: k, Index: i}, p, tol); vi >= 0 {
				return maps.Hit{Ref: maps.Ref{Kind: k, Index: i}, ID: selected, Vertex: vi}, true
			}
		}
	}
	return ix.HitTest(p, tol)
}

// Traced is what AddTraced added, and the numbers it could not keep.
type Traced struct {
	Houses, Lanes, Landmarks int
	// Unnumbered lists read numbers the houses could not take (held or
	// retired by another house, or read twice); those houses are added
	// without a number, for the officer to give one.
	Unnumbered []string
	// Skipped counts features whose shape the map refuses (a degenerate
	// outline or lane).
	Skipped int
}

// AddTraced adds what a trace of a scan proposed (maps/trace.Draft's
// Features) as one step: "接受识别结果" undoes it whole. base, when not
// nil, becomes the map's base layer in the same step (the scan the
// features were traced from). A house keeps the number read for it
// unless another house has or had that number; no number is ever taken
// from an existing house.
func (e *Editor) AddTraced(hs []maps.House, ls []maps.Lane, lms []maps.Landmark, base *maps.BaseLayer) (Traced, error) {
	if base != nil && (base.Width <= 0 || base.Height <= 0 || base.Opacity < 0 || base.Opacity > 1 || base.MetresPerPx < 0 || !maps.Finite(base.Origin)) {
		return Traced{}, fmt.Errorf("base layer: bad size %dx%d, opacity %g or scale %g", base.Width, base.Height, base.Opacity, base.MetresPerPx)
	}
	var res Traced
	err := e.do("接受识别结果", func(t *tx) error {
		if base != nil {
			t.touchVillage()
			c := *base
			e.v.Base = &c
		}
		// The numbers taken are worked out once (not per house: a sheet
		// has thousands).
		own, ownErr := numbering.Owners(e.v)
		add := func(kind maps.FeatureKind) (string, error) {
			id, err := e.id()
			if err != nil {
				return "", fmt.Errorf("accept trace: %w", err)
			}
			t.touch(kind, id)
			return id, nil
		}
		for _, h := range hs {
			pg, err := h.Polygon.Normalize()
			if err != nil {
				res.Skipped++
				continue
			}
			id, err := add(maps.FeatHouse)
			if err != nil {
				return err
			}
			house := maps.House{ID: id, Polygon: pg}
			res.Houses++
			if h.Number != "" {
				n := numbering.Normalize(h.Number)
				if _, taken := own[n]; taken || ownErr != nil || numbering.Validate(n) != nil {
					res.Unnumbered = append(res.Unnumbered, h.Number)
				} else {
					own[n], house.Number = id, n
				}
			}
			e.v.Houses = append(e.v.Houses, house)
		}
		for _, l := range ls {
			l.Points = maps.DedupPoints(l.Points)
			l.Name = strings.TrimSpace(l.Name)
			if maps.ValidateLane(l) != nil {
				res.Skipped++
				continue
			}
			var err error
			if l.ID, err = add(maps.FeatLane); err != nil {
				return err
			}
			e.v.Lanes = append(e.v.Lanes, l)
			res.Lanes++
		}
		for _, l := range lms {
			if _, err := maps.ParseLandmarkKind(string(l.Kind)); err != nil || !maps.Finite(l.Point) {
				res.Skipped++
				continue
			}
			var err error
			if l.ID, err = add(maps.FeatLandmark); err != nil {
				return err
			}
			e.v.Landmarks = append(e.v.Landmarks, l)
			res.Landmarks++
		}
		return nil
	})
	if err != nil {
		return Traced{}, err
	}
	return res, nil
}
