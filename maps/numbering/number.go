// Package numbering owns the numbers painted on a village's doors: their
// form (Normalize, Validate, Compare, Find), a number given by hand (Set),
// the numbers retired with a deleted house (RemoveHouse), and the
// numbering scheme that walks the lanes (WalkOrder, Plan, Apply, Auto),
// over the lane network of package lanenet.
//
// Scheme (what a villager walking with the officer would expect): start at
// the village entrance and walk the lanes in the order you reach them —
// the lane whose nearest junction is closest (along the lanes) to the
// entrance first. Walk each lane from its end nearer the entrance to the
// far end and give the houses consecutive numbers in the order you pass
// their gates, left and right alike (on a tie the left side first). The
// main road through the entrance is therefore numbered first, then the
// lanes one by one as they branch off it. A house's gate is on the lane
// whose edge is closest to the house outline.
//
// Numbers are addresses painted on doors, so they are stable:
//   - NumberNew (the default) keeps every existing number and gives each
//     unnumbered house a suffix of the numbered house before it in walking
//     order: a house inserted after 203 becomes 203-1 (then 203-2 …). An
//     unnumbered house with no numbered house before it gets the next whole
//     number above every number ever used.
//   - Renumber walks the village again and hands out 1, 2, 3 … in walking
//     order, but skips any number that another house has or had (current,
//     history, or retired with a deleted house). A house may get back a
//     number it held itself. The old number goes into the house's History
//     and still finds the house.
//
// A deleted house's numbers are retired (Village.Retired) and never reused.
package numbering

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cunjing/maps"
	"cunjing/maps/lanenet"
)

// Mode chooses how Auto treats houses that already have numbers.
type Mode int

const (
	// NumberNew keeps existing numbers and numbers only unnumbered houses.
	NumberNew Mode = iota
	// Renumber gives every house a fresh number in walking order, never
	// one another house has or had.
	Renumber
)

// Options tune Auto.
type Options struct {
	Mode Mode
	// Start is where the walk begins; nil means the first entrance
	// landmark (or, without one, the start of the first lane).
	Start *maps.Point
}

// Renumbering is one house's change of number.
type Renumbering struct {
	HouseID string `json:"house_id"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new"`
}

// WalkOrder returns the indices of v.Houses in numbering walk order (see
// the package scheme above).
func WalkOrder(v *maps.Village, start *maps.Point) ([]int, error) {
	return walkOrder(v, start, func(lanes []maps.Lane) func(maps.Rect) []int { return lanenet.NewGrid(lanes).Near })
}

// walkOrder takes how candidate lanes are found for a house, so that the
// benchmark can compare the lane grid with trying every lane.
func walkOrder(v *maps.Village, start *maps.Point, candidates func([]maps.Lane) func(maps.Rect) []int) ([]int, error) {
	order := make([]int, len(v.Houses))
	for i := range order {
		order[i] = i
	}
	if len(v.Lanes) == 0 {
		// No lanes: walk outward from the start by straight distance.
		sp := maps.Point{}
		if start != nil {
			sp = *start
		} else if e := v.Entrances(); len(e) > 0 {
			sp = e[0].Point
		}
		d := make([]float64, len(v.Houses))
		for i := range v.Houses {
			d[i] = maps.Dist(sp, v.Houses[i].Polygon.Centroid())
		}
		sort.SliceStable(order, func(a, b int) bool { return d[order[a]] < d[order[b]] })
		return order, nil
	}
	g, err := lanenet.BuildGraph(v.Lanes)
	if err != nil {
		return nil, fmt.Errorf("lane network: %w", err)
	}
	var sp maps.Point
	switch {
	case start != nil:
		sp = *start
	case len(v.Entrances()) > 0:
		sp = v.Entrances()[0].Point
	default:
		sp = g.Lanes[0].Points[0]
	}
	spot, ok := g.Nearest(sp, 0)
	if !ok {
		return nil, fmt.Errorf("lane network has no usable lane")
	}
	dist, _ := g.Distances(spot, 0)

	type laneWalk struct {
		entry    float64 // walking distance from the start to the lane
		fromHigh bool    // walk from the lane's end towards its start
	}
	walks := make([]laneWalk, len(g.Lanes))
	for li := range g.Lanes {
		w := laneWalk{entry: math.Inf(1)}
		es := g.LaneEdges[li]
		for _, e := range es {
			ed := g.Edges[e]
			w.entry = math.Min(w.entry, math.Min(dist[ed.A], dist[ed.B]))
		}
		if len(es) > 0 {
			first, last := g.Edges[es[0]].A, g.Edges[es[len(es)-1]].B
			w.fromHigh = dist[last] < dist[first]
		}
		if g.Edges[spot.Edge].Lane == li {
			w.entry = 0
		}
		walks[li] = w
	}
	near := candidates(g.Lanes)
	gates := make([]lanenet.Gate, len(v.Houses))
	for i := range v.Houses {
		gates[i] = lanenet.HouseGate(&v.Houses[i], g.Lanes, near(v.Houses[i].Polygon.Bounds()))
	}
	key := func(i int) (float64, int, float64, int) {
		gt := gates[i]
		if gt.Lane < 0 {
			return math.Inf(1), math.MaxInt, 0, 0
		}
		w := walks[gt.Lane]
		s := gt.S
		left := gt.Left
		if w.fromHigh {
			s = -s
			left = !left
		}
		side := 1
		if left {
			side = 0
		}
		return w.entry, gt.Lane, s, side
	}
	sort.SliceStable(order, func(a, b int) bool {
		e1, l1, s1, d1 := key(order[a])
		e2, l2, s2, d2 := key(order[b])
		if e1 != e2 {
			return e1 < e2
		}
		if l1 != l2 {
			return l1 < l2
		}
		if math.Abs(s1-s2) > 0.5 {
			return s1 < s2
		}
		return d1 < d2
	})
	return order, nil
}

// numberOwners maps every number ever used to the house that held it
// ("" for numbers retired with a deleted house).
// Owners maps each number a house of v has or had, and each retired one,
// to the house's ID ("" for retired): the numbers no other house may take.
func Owners(v *maps.Village) (map[string]string, error) { return numberOwners(v) }

func numberOwners(v *maps.Village) (map[string]string, error) {
	own := map[string]string{}
	for _, n := range v.Retired {
		own[Normalize(n)] = ""
	}
	for i := range v.Houses {
		h := &v.Houses[i]
		for _, n := range append(append([]string(nil), h.History...), h.Number) {
			n = Normalize(n)
			if n == "" {
				continue
			}
			if o, ok := own[n]; ok && o != h.ID {
				if o == "" {
					return nil, fmt.Errorf("house %s uses number %s of a deleted house", h.ID, n)
				}
				return nil, fmt.Errorf("number %s is used by houses %s and %s", n, o, h.ID)
			}
			own[n] = h.ID
		}
	}
	return own, nil
}

// Plain is a house or door number as every screen, map and plate shows it
// before its 号: Normalize's form, and a trailing 号 after a digit
// dropped, so a number stored with it by an older version ('205号',
// '９９８号') does not read 205号号 and is found by 205. Plain ASCII
// numbers, nearly all, are returned as they are, without an allocation
// (the map draws every house's number through it).
func Plain(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == ' ' || c == '\t' || c == '_' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	n := Normalize(s)
	if rest, ok := strings.CutSuffix(n, "号"); ok && strings.ContainsAny(rest, "0123456789") {
		return rest
	}
	return n
}

// Normalize folds full-width digits and dashes and trims spaces so
// that "２０３－１" and "203-1" are the same number.
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '－' || r == '—' || r == '–' || r == '_':
			r = '-'
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Validate checks a number typed by hand.
func Validate(n string) error {
	n = Normalize(n)
	if n == "" {
		return fmt.Errorf("%w: house number is empty", ErrBadNumber)
	}
	if len([]rune(n)) > 16 {
		return fmt.Errorf("%w: house number %q is longer than 16 characters", ErrBadNumber, n)
	}
	for _, r := range n {
		if !(unicode.IsDigit(r) || unicode.IsLetter(r) || r == '-') {
			return fmt.Errorf("%w: house number %q: character %q is not allowed", ErrBadNumber, n, r)
		}
	}
	return nil
}

// Why Set refuses a number (errors.Is / errors.As).
var (
	// ErrBadNumber: empty, too long, or a character a door number has not.
	ErrBadNumber = errors.New("not a house number")
	// ErrNumberRetired: the number of a deleted house; it stays painted
	// on a door somewhere, so no other house may take it.
	ErrNumberRetired = errors.New("house number is retired")
)

// TakenError: another house has (or had) the number, or (no
// HouseID) a deleted house had it: then it is ErrNumberRetired.
type TakenError struct {
	Number string
	// HouseID and Current name the house that has or had it, and its
	// number now; both empty for a retired number.
	HouseID, Current string
}

func (e *TakenError) Error() string {
	if e.HouseID == "" {
		return fmt.Sprintf("number %s belonged to a deleted house: %v", e.Number, ErrNumberRetired)
	}
	return fmt.Sprintf("number %s is (or was) the number of house %s (now %s)", e.Number, e.HouseID, e.Current)
}

// Unwrap makes a retired number errors.Is ErrNumberRetired.
func (e *TakenError) Unwrap() error {
	if e.HouseID == "" {
		return ErrNumberRetired
	}
	return nil
}

// baseNumber splits "203-2" into 203 and 2; ok is false for numbers that
// do not start with digits.
func baseNumber(n string) (base, suffix int, ok bool) {
	head, tail, has := strings.Cut(n, "-")
	b, err := strconv.Atoi(head)
	if err != nil {
		return 0, 0, false
	}
	if !has {
		return b, 0, true
	}
	s, err := strconv.Atoi(tail)
	if err != nil {
		return b, 0, true
	}
	return b, s, true
}

// numKey orders numbers: 203 < 203-1 < 203-2 < 204. ok is false for
// numbers that do not start with digits (e.g. "附1"), which keep their
// place but take no part in ordering.
type numKey struct{ base, suffix int }

func keyOf(n string) (numKey, bool) {
	b, s, ok := baseNumber(Normalize(n))
	return numKey{b, s}, ok && b > 0
}

func (a numKey) less(b numKey) bool {
	return a.base < b.base || (a.base == b.base && a.suffix < b.suffix)
}

// increasingKeep marks the longest run of houses (in walking order) whose
// numbers already increase: a renumbering keeps those and fits the rest
// in between, changing as few doors as possible.
func increasingKeep(keys []numKey, ok []bool) []bool {
	// Patience sorting on the orderable numbers.
	var tails []int // index into keys of the smallest tail of each length
	prev := make([]int, len(keys))
	for i := range keys {
		prev[i] = -1
		if !ok[i] {
			continue
		}
		k := sort.Search(len(tails), func(t int) bool { return !keys[tails[t]].less(keys[i]) })
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	keep := make([]bool, len(keys))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			keep[i] = true
		}
	}
	return keep
}

// Plan works out new numbers without changing v. Houses keep their
// numbers (NumberNew: all numbered houses; Renumber: the longest run that
// already increases along the walk, plus numbers like "附1" that have no
// order). Every other house, in walking order, takes the smallest whole
// number that lies between its kept neighbours and that no other house has
// or had; if there is none, the next free suffix of the number before it
// (203-1, 203-2 …, even when that cannot keep the suffixes in order); if it
// has no numbered house before it, the next whole number above all numbers
// ever used.
func Plan(v *maps.Village, opt Options) ([]Renumbering, error) {
	return planNumbers(v, opt, func(lanes []maps.Lane) func(maps.Rect) []int { return lanenet.NewGrid(lanes).Near })
}

func planNumbers(v *maps.Village, opt Options, candidates func([]maps.Lane) func(maps.Rect) []int) ([]Renumbering, error) {
	if opt.Mode != NumberNew && opt.Mode != Renumber {
		return nil, fmt.Errorf("unknown numbering mode %d", opt.Mode)
	}
	own, err := numberOwners(v)
	if err != nil {
		return nil, fmt.Errorf("existing numbers: %w", err)
	}
	order, err := walkOrder(v, opt.Start, candidates)
	if err != nil {
		return nil, err
	}
	maxBase := 0
	for n := range own {
		if b, _, ok := baseNumber(n); ok && b > maxBase {
			maxBase = b
		}
	}
	free := func(n, id string) bool {
		o, used := own[n]
		return !used || o == id
	}
	cur := make([]string, len(order))
	keys := make([]numKey, len(order))
	orderable := make([]bool, len(order))
	for k, i := range order {
		cur[k] = Normalize(v.Houses[i].Number)
		if cur[k] != "" {
			keys[k], orderable[k] = keyOf(cur[k])
		}
	}
	keep := make([]bool, len(order))
	if opt.Mode == Renumber {
		keep = increasingKeep(keys, orderable)
		for k := range order {
			if cur[k] != "" && !orderable[k] {
				keep[k] = true
			}
		}
	} else {
		for k := range order {
			keep[k] = cur[k] != ""
		}
	}
	// next[k] is the key of the next kept orderable house after k.
	next := make([]*numKey, len(order)+1)
	for k := len(order) - 1; k >= 0; k-- {
		next[k] = next[k+1]
		if keep[k] && orderable[k] {
			kk := keys[k]
			next[k] = &kk
		}
	}
	var plan []Renumbering
	var last *numKey // the number of the last house passed (kept or new)
	for k, i := range order {
		h := &v.Houses[i]
		if keep[k] {
			if orderable[k] {
				kk := keys[k]
				last = &kk
			}
			continue
		}
		var n string
		// A whole number strictly between the neighbours.
		lo := 0
		if last != nil {
			lo = last.base
		}
		hi := math.MaxInt
		if next[k+1] != nil {
			hi = next[k+1].base
			if next[k+1].suffix > 0 {
				hi++ // 205-1 comes after 205, so 205 itself fits below it
			}
		}
		for c := lo + 1; c < hi && c <= maxBase+1; c++ {
			if cs := strconv.Itoa(c); free(cs, h.ID) {
				n = cs
				break
			}
		}
		if n == "" && last != nil {
			// A suffix of the number before, in order if there is room,
			// else the next free one: a door near 5 reads 5-2 even if the
			// order of suffixes cannot be kept.
			for sfx := last.suffix + 1; ; sfx++ {
				if cs := fmt.Sprintf("%d-%d", last.base, sfx); free(cs, h.ID) {
					n = cs
					break
				}
			}
		}
		if n == "" {
			for maxBase++; !free(strconv.Itoa(maxBase), h.ID); maxBase++ {
			}
			n = strconv.Itoa(maxBase)
		}
		if kk, ok := keyOf(n); ok {
			last = &kk
			if kk.base > maxBase {
				maxBase = kk.base
			}
		}
		own[n] = h.ID
		if n != cur[k] {
			plan = append(plan, Renumbering{HouseID: h.ID, Old: h.Number, New: n})
		}
	}
	return plan, nil
}

// Apply applies a plan, keeping each replaced number in History.
func Apply(v *maps.Village, plan []Renumbering) error {
	idx := map[string]int{}
	for i := range v.Houses {
		idx[v.Houses[i].ID] = i
	}
	for _, r := range plan {
		i, ok := idx[r.HouseID]
		if !ok {
			return fmt.Errorf("renumber: no house %s", r.HouseID)
		}
		if v.Houses[i].Number != r.Old {
			return fmt.Errorf("renumber house %s: number is %q, plan expected %q", r.HouseID, v.Houses[i].Number, r.Old)
		}
	}
	for _, r := range plan {
		h := &v.Houses[idx[r.HouseID]]
		if h.Number != "" && !containsString(h.History, h.Number) {
			h.History = append(h.History, h.Number)
		}
		h.Number = r.New
	}
	return nil
}

// Auto plans and applies numbering; it returns what changed.
func Auto(v *maps.Village, opt Options) ([]Renumbering, error) {
	plan, err := Plan(v, opt)
	if err != nil {
		return nil, err
	}
	return plan, Apply(v, plan)
}

// Set gives a house a number by hand. It refuses a number another
// house has or had, or one retired with a deleted house.
func Set(v *maps.Village, houseID, number string) error {
	if err := Validate(number); err != nil {
		return err
	}
	n := Normalize(number)
	own, err := numberOwners(v)
	if err != nil {
		return fmt.Errorf("existing numbers: %w", err)
	}
	i := v.HouseByID(houseID)
	if i < 0 {
		return fmt.Errorf("set number: no house %s", houseID)
	}
	if o, used := own[n]; used && o != houseID {
		if o == "" {
			return &TakenError{Number: n}
		}
		cur := ""
		if j := v.HouseByID(o); j >= 0 {
			cur = v.Houses[j].Number
		}
		return &TakenError{Number: n, HouseID: o, Current: cur}
	}
	return Apply(v, []Renumbering{{HouseID: houseID, Old: v.Houses[i].Number, New: n}})
}

// RemoveHouse deletes a house and retires its numbers so that no other
// house can take them.
func RemoveHouse(v *maps.Village, houseID string) error {
	i := v.HouseByID(houseID)
	if i < 0 {
		return fmt.Errorf("remove: no house %s", houseID)
	}
	h := v.Houses[i]
	for _, n := range append(append([]string(nil), h.History...), h.Number) {
		if n = Normalize(n); n != "" && !containsString(v.Retired, n) {
			v.Retired = append(v.Retired, n)
		}
	}
	v.Houses = append(v.Houses[:i], v.Houses[i+1:]...)
	return nil
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Find returns the index of the house whose current number is n,
// or else the house that had n before; ok is false when none did.
func Find(v *maps.Village, n string) (int, bool) {
	n = Normalize(n)
	if n == "" {
		return -1, false
	}
	for i := range v.Houses {
		if Normalize(v.Houses[i].Number) == n {
			return i, true
		}
	}
	for i := range v.Houses {
		for _, old := range v.Houses[i].History {
			if Normalize(old) == n {
				return i, true
			}
		}
	}
	return -1, false
}

// Compare orders house numbers naturally: 2 < 10 < 10-1 < 10-2 < 11,
// numbers before other text; it returns -1, 0 or 1.
func Compare(a, b string) int {
	ba, sa, oka := baseNumber(Normalize(a))
	bb, sb, okb := baseNumber(Normalize(b))
	switch {
	case oka && okb:
		if ba != bb {
			return cmp.Compare(ba, bb)
		}
		if sa != sb {
			return cmp.Compare(sa, sb)
		}
	case oka:
		return -1
	case okb:
		return 1
	}
	return strings.Compare(a, b)
}
