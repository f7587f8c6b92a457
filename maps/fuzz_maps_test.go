package maps

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzSetNumber: hand-typed numbers are accepted only when valid and free.
func FuzzSetNumber(f *testing.F) {
	for _, s := range []string{"5", "203-1", "", "２", "a b", "-", "9999999999999999999", "附1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n string) {
		v := streetVillage()
		if _, err := AutoNumber(v, NumberOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := SetNumber(v, "n-w-1", n); err != nil {
			return
		}
		seen := map[string]bool{}
		for _, h := range v.Houses {
			if seen[h.Number] {
				t.Fatalf("%q: duplicate number %s", n, h.Number)
			}
			seen[h.Number] = true
		}
	})
}

// lanesFromBytes decodes fuzz bytes as lanes: per lane a width byte, a
// point count and that many (int16, int16) points in decimetres.
func lanesFromBytes(b []byte) []Lane {
	var lanes []Lane
	for len(b) >= 2 && len(lanes) < 12 {
		w := float64(b[0]) / 10
		n := int(b[1]%6) + 1
		b = b[2:]
		l := Lane{ID: "f", Width: w}
		for k := 0; k < n && len(b) >= 4; k++ {
			x := float64(int16(binary.LittleEndian.Uint16(b))) / 10
			y := float64(int16(binary.LittleEndian.Uint16(b[2:]))) / 10
			l.Points = append(l.Points, Point{x, y})
			b = b[4:]
		}
		lanes = append(lanes, l)
	}
	return lanes
}

// FuzzRoute: arbitrary lane networks (crossing, overlapping, degenerate)
// give an error or a consistent route, never a panic.
func FuzzRoute(f *testing.F) {
	f.Add([]byte{40, 2, 0, 0, 0, 0, 0xe8, 3, 0, 0, 30, 2, 0xf4, 1, 0, 0, 0xf4, 1, 0xe8, 3})
	f.Add([]byte{60, 3, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 10, 0})
	f.Add([]byte{0, 1, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		lanes := lanesFromBytes(b)
		v := &Village{
			Lanes:     lanes,
			Houses:    []House{{ID: "h", Number: "1", Polygon: rect(5, 5, 8, 8)}},
			Landmarks: []Landmark{{ID: "e", Kind: KindEntrance, Name: "口", Point: Point{0, 0}}, {ID: "w", Kind: KindWell, Name: "井", Point: Point{20, 20}}},
		}
		res, err := Route(v, RouteOptions{To: "1"})
		if err != nil {
			return
		}
		if res.Reachable {
			if res.Stop == nil || math.IsNaN(res.LengthM) || res.LengthM < 0 || math.IsInf(res.HoseM, 0) || res.HoseM < 0 {
				t.Fatalf("inconsistent route %+v", res)
			}
		} else if res.Problem == "" {
			t.Fatal("unreachable without a reason")
		}
		_ = res.PhoneText()
		if _, err := AutoNumber(v, NumberOptions{Mode: Renumber}); err != nil {
			t.Fatalf("numbering a valid network: %v", err)
		}
	})
}
