// Package plates is the door plates' use case (门牌, 一屋一址, issue #24),
// shared by `cunjing print plates` and the map editor's 门牌 button: pick
// the houses (a village, a lane, a --houses list such as 1..50,203,203-1,
// houses chosen on the map, those renumbered since a date), make each
// house's plate (village, the lane its gate opens onto by maps.HouseLanes,
// number, 原门牌 when the number changed, the post's phone in the QR code)
// and write the plates or the list of plates to replace (print.WritePlates,
// print.WriteReplaceList), recording the print.
//
// Which plates to replace after a renumbering: every selected house whose
// history is not empty (it had another number before), or with ChangedSince
// only those whose number changed on or after that day — by the change log
// (store.NumbersChangedAt), so a second renumbering months later lists
// only its own houses.
package plates

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"cunjing/maps"
	"cunjing/maps/lanenet"
	"cunjing/maps/numbering"
	"cunjing/print"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/printlog"
)

// ErrHouses is wrapped by every error about a --houses list: a number or
// range that does not read, or is not a house of the village.
var ErrHouses = errors.New("--houses")

// Term is one item of a --houses list: a house number, or a range of
// whole numbers Lo..Hi, which takes every house whose number starts with a
// whole number in it (1..50 takes 3-1 too).
type Term struct {
	Number string // a single number, normalised (numbering.Normalize)
	Lo, Hi int    // a range, when Number is ""
}

func (t Term) String() string {
	if t.Number != "" {
		return t.Number
	}
	return fmt.Sprintf("%d..%d", t.Lo, t.Hi)
}

// ParseHouses reads a --houses list: numbers and ranges split by commas
// (also ，、 and spaces), ranges written with .. because numbers contain
// "-": 1..50,203,203-1. A range runs upwards between whole numbers.
func ParseHouses(spec string) ([]Term, error) {
	fields := strings.FieldsFunc(spec, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\t' || r == '\n'
	})
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: no house numbers given (e.g. 1..50,203,203-1)", ErrHouses)
	}
	var out []Term
	for _, f := range fields {
		f = strings.ReplaceAll(f, "．", ".")
		if lo, hi, ok := strings.Cut(f, ".."); ok {
			a, errA := wholeNumber(lo)
			b, errB := wholeNumber(hi)
			if errA != nil || errB != nil {
				return nil, fmt.Errorf("%w: range %q: both ends must be whole house numbers (e.g. 1..50)", ErrHouses, f)
			}
			if a > b {
				return nil, fmt.Errorf("%w: range %q runs backwards (write %d..%d)", ErrHouses, f, b, a)
			}
			out = append(out, Term{Lo: a, Hi: b})
			continue
		}
		n := numbering.Normalize(f)
		if err := numbering.Validate(n); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrHouses, err)
		}
		out = append(out, Term{Number: n})
	}
	return out, nil
}

func wholeNumber(s string) (int, error) {
	s = numbering.Normalize(s)
	if s == "" || len(s) > 9 {
		return 0, errors.New("not a whole number")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strings.HasPrefix(s, "+") {
		return 0, errors.New("not a whole number")
	}
	return n, nil
}

// leading is the whole number a house number starts with (203 of 203-1);
// ok is false for numbers that do not start with a digit.
func leading(n string) (int, bool) {
	n = numbering.Normalize(n)
	end := 0
	for end < len(n) && end < 9 && n[end] >= '0' && n[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	v, err := strconv.Atoi(n[:end])
	return v, err == nil
}

// Request says which houses get plates.
type Request struct {
	// Lane keeps the houses whose gate opens onto the lane of this name.
	Lane string
	// Houses is a --houses list (ParseHouses); "" takes every house.
	Houses string
	// IDs are houses chosen on the map (the window); nil takes every house.
	IDs []string
	// Renumbered keeps the houses whose number changed: their history is
	// not empty (the list of plates to replace).
	Renumbered bool
	// ChangedSince keeps the houses whose number changed on or after it
	// (store.NumbersChangedAt); zero keeps any.
	ChangedSince time.Time
}

// Selection is the houses chosen, as plates and as replacements.
type Selection struct {
	// VillageID is the village's record: at a station, the print of a
	// post's village is that post's (printlog.Save).
	VillageID string
	Village   string
	Post      string
	Phone     string
	Plates    []print.Plate
	// Replace has, for each selected house whose number changed, its old
	// and new number, lane and householder (the list of plates to replace).
	Replace []print.Replacement
	// Unnumbered counts houses the request took that have no number yet:
	// they get no plate.
	Unnumbered int
}

// ErrNothing is wrapped by Select when the request takes no house.
var ErrNothing = errors.New("no house to print a door plate for")

// Select picks the houses of the village map mv (village villageID, the
// map as stored, or as the window holds it) that the request takes. Every
// number of a --houses list must be a house of the village, every range
// must take one, the lane must exist; otherwise it says which did not.
func Select(ctx context.Context, s *store.Store, villageID string, mv *maps.Village, req Request) (*Selection, error) {
	if mv == nil {
		return nil, errors.New("door plates: no village map")
	}
	sel := &Selection{VillageID: villageID, Village: mv.Name}
	var post store.Post
	if err := s.Get(ctx, &post, s.DeviceID()); err == nil {
		sel.Post, sel.Phone = post.Name, post.Phone
	}
	laneOf := lanenet.HouseLanes(mv)
	laneName := func(i int) string {
		if li := laneOf[i]; li >= 0 {
			return strings.TrimSpace(mv.Lanes[li].Name)
		}
		return ""
	}
	take := make([]bool, len(mv.Houses))
	for i := range take {
		take[i] = true
	}
	if lane := strings.TrimSpace(req.Lane); lane != "" {
		var names []string
		known := false
		for _, l := range mv.Lanes {
			n := strings.TrimSpace(l.Name)
			known = known || n == lane
			if n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if !known {
			slices.SortFunc(names, naturally)
			return nil, fmt.Errorf("village %s has no lane named %q (lanes: %s)", mv.Name, lane, strings.Join(names, ", "))
		}
		for i := range take {
			take[i] = take[i] && laneName(i) == lane
		}
	}
	if strings.TrimSpace(req.Houses) != "" {
		terms, err := ParseHouses(req.Houses)
		if err != nil {
			return nil, err
		}
		hit, err := matchTerms(mv, terms)
		if err != nil {
			return nil, err
		}
		for i := range take {
			take[i] = take[i] && hit[i]
		}
	}
	if req.IDs != nil {
		want := map[string]bool{}
		for _, id := range req.IDs {
			want[id] = true
		}
		for i := range take {
			take[i] = take[i] && want[mv.Houses[i].ID]
			delete(want, mv.Houses[i].ID)
		}
		if len(want) > 0 {
			return nil, fmt.Errorf("door plates: %d chosen houses are not on the map of %s", len(want), mv.Name)
		}
	}
	if req.Renumbered || !req.ChangedSince.IsZero() {
		for i := range take {
			take[i] = take[i] && len(mv.Houses[i].History) > 0
		}
	}
	if !req.ChangedSince.IsZero() {
		at, err := s.NumbersChangedAt(ctx, villageID)
		if err != nil {
			return nil, err
		}
		for i := range take {
			t, ok := at[mv.Houses[i].ID]
			take[i] = take[i] && ok && !t.Before(req.ChangedSince)
		}
	}
	var idx []int
	for i, ok := range take {
		switch {
		case !ok:
		case strings.TrimSpace(mv.Houses[i].Number) == "":
			sel.Unnumbered++
		default:
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return numbering.Compare(mv.Houses[a].Number, mv.Houses[b].Number) })
	for _, i := range idx {
		h := &mv.Houses[i]
		p := print.Plate{Village: mv.Name, Lane: laneName(i), Number: numbering.Normalize(h.Number), Post: sel.Post, Phone: sel.Phone}
		if n := len(h.History); n > 0 {
			p.Old = h.History[n-1]
			sel.Replace = append(sel.Replace, print.Replacement{Old: p.Old, New: p.Number, Lane: p.Lane, Householder: h.Name})
		}
		sel.Plates = append(sel.Plates, p)
	}
	if len(sel.Plates) == 0 {
		why := describe(req)
		if sel.Unnumbered > 0 {
			why += fmt.Sprintf("; %d houses without a number", sel.Unnumbered)
		}
		return nil, fmt.Errorf("%w in %s (%s)", ErrNothing, mv.Name, why)
	}
	return sel, nil
}

// naturally orders names with their leading numbers as numbers (2号巷
// before 10号巷).
func naturally(a, b string) int {
	na, oka := leading(a)
	nb, okb := leading(b)
	if oka && okb && na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

// describe says what a request asked for, for the empty-selection error.
func describe(req Request) string {
	var parts []string
	if req.Lane != "" {
		parts = append(parts, "lane "+req.Lane)
	}
	if req.Houses != "" {
		parts = append(parts, "houses "+req.Houses)
	}
	if req.IDs != nil {
		parts = append(parts, fmt.Sprintf("%d chosen on the map", len(req.IDs)))
	}
	switch {
	case !req.ChangedSince.IsZero():
		parts = append(parts, "numbers changed since "+req.ChangedSince.Format("2006-01-02"))
	case req.Renumbered:
		parts = append(parts, "numbers that changed")
	}
	if len(parts) == 0 {
		return "the map has no houses"
	}
	return strings.Join(parts, ", ")
}

// matchTerms marks the houses a --houses list takes, or says which numbers
// are not houses of the village (and, for an old number, what it is now).
func matchTerms(mv *maps.Village, terms []Term) ([]bool, error) {
	hit := make([]bool, len(mv.Houses))
	var unknown []string
	for _, t := range terms {
		found := false
		for i := range mv.Houses {
			n := numbering.Normalize(mv.Houses[i].Number)
			if n == "" {
				continue
			}
			ok := n == t.Number
			if t.Number == "" {
				v, num := leading(n)
				ok = num && v >= t.Lo && v <= t.Hi
			}
			if ok {
				hit[i], found = true, true
			}
		}
		if found {
			continue
		}
		miss := t.String()
		if t.Number != "" {
			for i := range mv.Houses {
				for _, old := range mv.Houses[i].History {
					if numbering.Normalize(old) == t.Number && mv.Houses[i].Number != "" {
						miss = fmt.Sprintf("%s (now %s)", t.Number, mv.Houses[i].Number)
					}
				}
			}
		}
		unknown = append(unknown, miss)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%w: village %s has no house %s", ErrHouses, mv.Name, strings.Join(unknown, ", "))
	}
	return hit, nil
}

// WritePlates writes the selection's plates at size.
func (sel *Selection) WritePlates(ctx context.Context, w io.Writer, font *fonts.Font, size print.PlateSize, now time.Time) error {
	return print.WritePlates(ctx, w, font, sel.Plates, size, print.DocInfo{Title: "门牌 · " + sel.Village, Created: now})
}

// WriteReplaceList writes the list of plates to replace; since is the
// request's ChangedSince (zero: every renumbered house).
func (sel *Selection) WriteReplaceList(ctx context.Context, w io.Writer, font *fonts.Font, since, now time.Time) error {
	if len(sel.Replace) == 0 {
		return fmt.Errorf("door plates of %s: none of the houses chosen has had another number: no plate to replace", sel.Village)
	}
	l := print.ReplaceList{Village: sel.Village, Post: sel.Post, Since: since, Printed: now, Rows: sel.Replace}
	return print.WriteReplaceList(ctx, w, font, l, print.DocInfo{Created: now})
}

// Record notes the print for the station's counts: kind "plates" with the
// size, or "plates-replace" for the list.
func (sel *Selection) Record(ctx context.Context, s *store.Store, size string, list bool, by string, now time.Time) error {
	rec := &store.PrintRecord{Kind: "plates", Template: sel.Village, Size: size, Copies: int64(len(sel.Plates)),
		PrintedAt: now.Format("2006-01-02 15:04:05"), By: by}
	if list {
		rec.Kind, rec.Size, rec.Copies = "plates-replace", "A4", int64(len(sel.Replace))
	}
	if err := printlog.Save(ctx, s, rec, "villages", sel.VillageID); err != nil {
		return fmt.Errorf("record the print of door plates: %w", err)
	}
	return nil
}
