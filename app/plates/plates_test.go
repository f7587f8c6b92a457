package plates

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/maps"
	"cunjing/maps/numbering"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/mapdata"
)

func TestParseHouses(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // Term.String() of each
		err  string
	}{
		{in: "1..50,203,203-1", want: []string{"1..50", "203", "203-1"}},
		{in: " 7 ， 9、 10..10 ", want: []string{"7", "9", "10..10"}},
		{in: "２０３－１", want: []string{"203-1"}},
		{in: "附1", want: []string{"附1"}},
		{in: "", err: "no house numbers"},
		{in: " , ", err: "no house numbers"},
		{in: "50..1", err: "runs backwards"},
		{in: "1..x", err: "whole house numbers"},
		{in: "..5", err: "whole house numbers"},
		{in: "5..", err: "whole house numbers"},
		{in: "1..2..3", err: "whole house numbers"},
		{in: "203-1..205", err: "whole house numbers"},
		{in: "1..9999999999", err: "whole house numbers"},
		{in: "2/3", err: "not allowed"},
		{in: "12345678901234567", err: "longer than 16"},
	} {
		got, err := ParseHouses(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseHouses(%q) = %v, %v; want an error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseHouses(%q): %v", c.in, err)
			continue
		}
		var s []string
		for _, term := range got {
			s = append(s, term.String())
		}
		if !slices.Equal(s, c.want) {
			t.Errorf("ParseHouses(%q) = %v, want %v", c.in, s, c.want)
		}
	}
}

// The --houses list is typed by people: nothing panics, and what is
// accepted is a list of valid numbers and upward ranges.
func FuzzParseHouses(f *testing.F) {
	for _, s := range []string{"1..50,203,203-1", "50..1", "1..x", "２０３－１", "..", "1....2", "附1,,2", "0..0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms, err := ParseHouses(s)
		if err != nil {
			return
		}
		if len(terms) == 0 {
			t.Fatalf("%q: accepted with no terms", s)
		}
		for _, term := range terms {
			if term.Number != "" {
				if err := numbering.Validate(term.Number); err != nil {
					t.Fatalf("%q: accepted %q: %v", s, term.Number, err)
				}
			} else if term.Lo > term.Hi || term.Lo < 0 {
				t.Fatalf("%q: accepted range %v", s, term)
			}
		}
	})
}

func box(x, y float64) maps.Polygon {
	return maps.Polygon{{X: x, Y: y}, {X: x + 8, Y: y}, {X: x + 8, Y: y + 8}, {X: x, Y: y + 8}}
}

// fixture is a post with one village: 东西大街 with houses 1–5 and 3-1 on
// its north side, 南北巷 with 6 and 附1, one house without a number. At
// day 1 house 4 became 3-1; at day 5, 6-1 became 6.
func fixture(t *testing.T) (*store.Store, string, time.Time) {
	t.Helper()
	ctx := context.Background()
	day0 := clocktest.Today(t)
	now := day0
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "post.db"),
		store.Identity{DeviceID: "DEV0001-PLATES1", Role: store.RolePost, Name: "柳树村警务室", Phone: "0371-1234567"},
		store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	vil := &store.Village{Name: "张庄村"}
	if err := s.Save(ctx, vil); err != nil {
		t.Fatal(err)
	}
	v := &maps.Village{Name: "张庄村",
		Lanes: []maps.Lane{
			{ID: "L1", Name: "东西大街", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 200, Y: 0}}},
			{ID: "L2", Name: "南北巷", Width: 3, Points: []maps.Point{{X: 180, Y: 0}, {X: 180, Y: 200}}},
		},
		Houses: []maps.House{
			{ID: "h1", Number: "1", Name: "张一", Polygon: box(10, 5)},
			{ID: "h2", Number: "2", Name: "张二", Polygon: box(25, 5)},
			{ID: "h3", Number: "3", Name: "张三", Polygon: box(40, 5)},
			{ID: "h4", Number: "4", Name: "张四", Polygon: box(55, 5)},
			{ID: "h5", Number: "5", Name: "张五", Polygon: box(70, 5)},
			{ID: "h6", Number: "6-1", Name: "李六", Polygon: box(184, 100)},
			{ID: "h7", Number: "附1", Name: "李七", Polygon: box(184, 150)},
			{ID: "h8", Polygon: box(100, 5)},
		},
	}
	if err := mapdata.Save(ctx, s, vil.ID, v); err != nil {
		t.Fatal(err)
	}
	for _, h := range v.Houses { // the householder is the household's
		if h.Name != "" {
			if err := s.Save(ctx, &store.Household{VillageID: vil.ID, HouseID: h.ID, OwnerName: h.Name}); err != nil {
				t.Fatal(err)
			}
		}
	}
	renumber := func(day int, id, number string) {
		now = day0.AddDate(0, 0, day)
		mv, err := mapdata.Load(ctx, s, vil.ID)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(mv.Houses, func(h maps.House) bool { return h.ID == id })
		mv.Houses[i].History = append(mv.Houses[i].History, mv.Houses[i].Number)
		mv.Houses[i].Number = number
		if err := mapdata.Save(ctx, s, vil.ID, mv); err != nil {
			t.Fatal(err)
		}
	}
	renumber(1, "h4", "3-1")
	renumber(5, "h6", "6")
	return s, vil.ID, day0
}

func numbers(sel *Selection) []string {
	var out []string
	for _, p := range sel.Plates {
		out = append(out, p.Number)
	}
	return out
}

func TestSelect(t *testing.T) {
	ctx := context.Background()
	s, vid, day0 := fixture(t)
	mv, err := mapdata.Load(ctx, s, vid)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		req  Request
		want []string
		err  string
	}{
		{name: "village", req: Request{}, want: []string{"1", "2", "3", "3-1", "5", "6", "附1"}},
		{name: "lane", req: Request{Lane: "南北巷"}, want: []string{"6", "附1"}},
		{name: "range takes suffixes", req: Request{Houses: "2..3"}, want: []string{"2", "3", "3-1"}},
		{name: "list", req: Request{Houses: "1,3-1,附1"}, want: []string{"1", "3-1", "附1"}},
		{name: "lane and list", req: Request{Lane: "东西大街", Houses: "1..10"}, want: []string{"1", "2", "3", "3-1", "5"}},
		{name: "chosen on the map", req: Request{IDs: []string{"h5", "h2", "h8"}}, want: []string{"2", "5"}},
		{name: "renumbered", req: Request{Renumbered: true}, want: []string{"3-1", "6"}},
		{name: "changed since day 3", req: Request{ChangedSince: day0.AddDate(0, 0, 3)}, want: []string{"6"}},
		{name: "changed since day 0", req: Request{ChangedSince: day0}, want: []string{"3-1", "6"}},
		{name: "unknown house", req: Request{Houses: "1,99,4"}, err: "no house 99, 4 (now 3-1)"},
		{name: "range with no house", req: Request{Houses: "100..200"}, err: "no house 100..200"},
		{name: "bad range", req: Request{Houses: "50..1"}, err: "runs backwards"},
		{name: "unknown lane", req: Request{Lane: "西大街"}, err: `no lane named "西大街" (lanes: 东西大街, 南北巷)`},
		{name: "empty", req: Request{Lane: "南北巷", Houses: "1..5"}, err: "no house to print"},
		{name: "not on the map", req: Request{IDs: []string{"nope"}}, err: "not on the map"},
		{name: "nothing since", req: Request{ChangedSince: day0.AddDate(0, 0, 6)}, err: "numbers changed since"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sel, err := Select(ctx, s, vid, mv, c.req)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				if strings.Contains(c.err, "no house to print") && !errors.Is(err, ErrNothing) {
					t.Errorf("%v is not ErrNothing", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := numbers(sel); !slices.Equal(got, c.want) {
				t.Errorf("plates %v, want %v", got, c.want)
			}
		})
	}

	// What the plates say: lane, 原门牌, the post's phone.
	sel, err := Select(ctx, s, vid, mv, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if sel.Unnumbered != 1 {
		t.Errorf("unnumbered %d, want 1", sel.Unnumbered)
	}
	for _, p := range sel.Plates {
		wantLane, wantOld := "东西大街", ""
		switch p.Number {
		case "6", "附1":
			wantLane = "南北巷"
		}
		switch p.Number {
		case "3-1":
			wantOld = "4"
		case "6":
			wantOld = "6-1"
		}
		if p.Lane != wantLane || p.Old != wantOld || p.Village != "张庄村" || p.Phone != "03711234567" || p.Post != "柳树村警务室" {
			t.Errorf("plate %+v: want lane %s, old %q", p, wantLane, wantOld)
		}
	}
	want := "3-1 4 东西大街 张四|6 6-1 南北巷 李六"
	var got []string
	for _, r := range sel.Replace {
		got = append(got, strings.Join([]string{r.New, r.Old, r.Lane, r.Householder}, " "))
	}
	if strings.Join(got, "|") != want {
		t.Errorf("replacements %q, want %q", got, want)
	}
}
