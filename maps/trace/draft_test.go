package trace

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"cunjing/maps"
)

// A fixture sheet's proposal survives the draft's round trip (JSON, the
// store's form), and its features land where the base layer puts them.
func TestDraftRoundTrip(t *testing.T) {
	img, tr := loadFixture(t, 1)
	p, err := Detect(img, Options{PxPerM: tr.PxPerM})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDraft(p)
	if len(d.Houses) != len(p.Houses) || d.Width != img.Rect.Dx() || math.Abs(d.PxPerM-tr.PxPerM) > 0.001 {
		t.Fatalf("draft of %d houses, %d×%d, for %d houses", len(d.Houses), d.Width, d.Height, len(p.Houses))
	}
	unread := 0
	for _, h := range p.Houses {
		if h.Number == "" {
			unread++
		}
	}
	if d.Unread != unread || d.Doubtful() < unread {
		t.Errorf("unread %d (want %d), doubtful %d", d.Unread, unread, d.Doubtful())
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseDraft(b)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(b) {
		t.Fatal("the draft changed through its JSON")
	}
	base := maps.BaseLayer{Width: d.Width, Height: d.Height, MetresPerPx: 1 / tr.PxPerM, Origin: maps.Point{X: 100, Y: 50}}
	hs, _, lms := back.Features(base.ImageToWorld, tr.PxPerM, 3)
	if len(hs) != len(d.Houses) || len(lms) != len(d.Landmarks) {
		t.Fatalf("%d houses, %d signs placed", len(hs), len(lms))
	}
	for i, h := range hs {
		want := base.ImageToWorld(maps.Point{X: d.Houses[i].OutlinePx[0][0], Y: d.Houses[i].OutlinePx[0][1]})
		if h.Number != d.Houses[i].Number || maps.Dist(h.Polygon[0], want) > 1e-9 {
			t.Fatalf("house %d placed at %v (want %v), number %q", i, h.Polygon[0], want, h.Number)
		}
	}
}

func TestParseDraftRefuses(t *testing.T) {
	house := `{"number":"1","px":[1,1],"outline_px":[[0,0],[2,0],[2,2]],"confidence":1}`
	for _, tc := range []struct{ name, json string }{
		{"not JSON", `{`},
		{"negative scale", `{"px_per_m":-1}`},
		{"huge scale", `{"px_per_m":1e9}`},
		{"outline of two", `{"houses":[{"px":[1,1],"outline_px":[[0,0],[1,1]]}]}`},
		{"far away", `{"houses":[{"px":[1e300,1],"outline_px":[[0,0],[2,0],[2,2]]}]}`},
		{"long number", `{"houses":[{"number":"` + strings.Repeat("9", 40) + `","px":[1,1],"outline_px":[[0,0],[2,0],[2,2]]}]}`},
		{"lane of one point", `{"lanes":[{"px":[[0,0]],"width_m":3}]}`},
		{"lane too wide", `{"lanes":[{"px":[[0,0],[5,5]],"width_m":500}]}`},
		{"unknown sign", `{"landmarks":[{"kind":"volcano","px":[1,1]}]}`},
		{"too many", `{"houses":[` + strings.Repeat(house+",", maxDraftFeatures) + house + `]}`},
	} {
		if _, err := ParseDraft([]byte(tc.json)); !errors.Is(err, ErrBadDraft) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	d, err := ParseDraft([]byte(`{"houses":[` + house + `]}`))
	if err != nil || len(d.Houses) != 1 || d.Lanes == nil || d.Landmarks == nil {
		t.Fatalf("%+v, %v", d, err)
	}
}

// FuzzParseDraft: whatever is stored, reading it back never panics, and
// what it accepts places only finite features.
func FuzzParseDraft(f *testing.F) {
	f.Add([]byte(`{"px_per_m":6,"houses":[{"number":"203","px":[5,5],"outline_px":[[0,0],[10,0],[10,10],[0,10]],"confidence":0.9}],"lanes":[{"px":[[0,20],[50,20]],"width_m":4.5}],"landmarks":[{"kind":"pond","px":[30,30]}],"unread":0}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDraft(b)
		if err != nil {
			return
		}
		hs, ls, lms := d.Features(func(p maps.Point) maps.Point { return p.Scale(0.2) }, 5, 3)
		for _, h := range hs {
			for _, p := range h.Polygon {
				if !maps.Finite(p) {
					t.Fatalf("house vertex %v", p)
				}
			}
		}
		for _, l := range ls {
			if math.IsNaN(l.Width) || l.Width <= 0 {
				t.Fatalf("lane width %v", l.Width)
			}
		}
		for _, l := range lms {
			if !maps.Finite(l.Point) {
				t.Fatalf("sign at %v", l.Point)
			}
		}
	})
}
