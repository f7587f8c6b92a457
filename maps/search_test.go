package maps

import (
	"encoding/json"
	"errors"
	"testing"
)

func searchVillage() *Village {
	return &Village{
		Houses: []House{
			{ID: "a", Number: "203", History: []string{"17"}, Name: "王建国", Phone: "13812345678", Polygon: rect(0, 0, 10, 10)},
			{ID: "b", Number: "204", Name: "王秀兰", Phone: "+86 139 0000 5678", Polygon: rect(20, 0, 10, 10)},
			{ID: "c", Number: "17-1", Name: "单雄", Polygon: rect(40, 0, 10, 10)}, // 单 reads shan as a surname
			{ID: "d", Number: "10", Name: "李国强", Phone: "15900001111", Polygon: rect(60, 0, 10, 10)},
			{ID: "e", Number: "2", Name: "张平", Polygon: rect(80, 0, 10, 10)},
		},
		Landmarks: []Landmark{{ID: "p", Kind: KindPond, Name: "东坑塘", Point: Point{5, 50}}},
	}
}

func TestLocate(t *testing.T) {
	ix := NewSearchIndex(searchVillage())
	for _, tc := range []struct {
		q     string
		first string // ID of the best hit (house or landmark)
		n     int    // number of hits
	}{
		{"203", "a", 1},
		{"２０３", "a", 1},  // full-width digits
		{"17", "a", 1},   // old number finds the house
		{"17-1", "c", 1}, // a suffixed number
		{"17－1", "c", 1}, // full-width dash
		{"王建国", "a", 1},  // whole name
		{"王", "a", 2},    // surname: both Wangs, in number order
		{"国", "d", 2},    // part of a name
		{"wjg", "a", 1},  // pinyin initials
		{"WJG", "a", 1},  // any case
		{"wangjianguo", "a", 1},
		{"wang", "a", 2}, // full-pinyin prefix
		{"sx", "c", 1},   // surname reading of 单
		{"dx", "c", 1},   // and its everyday reading
		{"13812345678", "a", 1},
		{"138 1234 5678", "a", 1},
		{"5678", "a", 2}, // phone tail
		{"坑塘", "p", 1},   // landmark
		{"nobody", "", 0},
		{"999", "", 0},
	} {
		hits, err := ix.Locate(tc.q, 0)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		if len(hits) != tc.n {
			t.Errorf("%q: %d hits %+v, want %d", tc.q, len(hits), hits, tc.n)
			continue
		}
		if tc.n > 0 && hits[0].HouseID+hits[0].LandmarkID != tc.first {
			t.Errorf("%q: first hit %+v, want %s", tc.q, hits[0], tc.first)
		}
	}
	if _, err := ix.Locate("  ", 0); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("blank query: %v", err)
	}
	if hits, _ := ix.Locate("王", 1); len(hits) != 1 {
		t.Errorf("limit 1 gave %d", len(hits))
	}
}

func TestLocateJSONKeys(t *testing.T) {
	hits, err := Locate(searchVillage(), "203", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(hits)
	want := `[{"number":"203","name":"王建国","x":5,"y":5}]`
	if string(b) != want {
		t.Fatalf("JSON %s, want %s", b, want)
	}
}

func TestLocateAfterRenumber(t *testing.T) {
	v, err := Synthesize(3, 200)
	if err != nil {
		t.Fatal(err)
	}
	// Renumbering from the other entrance turns the walk round, so most
	// doors get new numbers (none that another house ever had).
	ents := v.Entrances()
	if len(ents) < 2 {
		t.Fatal("synthetic village of 200 houses has one entrance")
	}
	if _, err := AutoNumber(v, NumberOptions{Mode: Renumber, Start: &ents[1].Point}); err != nil {
		t.Fatal(err)
	}
	ix := NewSearchIndex(v)
	checked := 0
	for _, h := range v.Houses {
		for _, old := range h.History {
			hits, err := ix.Locate(old, 0)
			if err != nil || len(hits) == 0 || hits[0].HouseID != h.ID || hits[0].Match != "old-number" {
				t.Fatalf("old number %s of house %s (now %s): %+v %v", old, h.ID, h.Number, hits, err)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("renumbering changed no number")
	}
}

func TestCompareNumbers(t *testing.T) {
	order := []string{"2", "10", "10-1", "10-2", "11", "203", "附1"}
	for i := range order {
		for j := range order {
			got := CompareNumbers(order[i], order[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("CompareNumbers(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
}
