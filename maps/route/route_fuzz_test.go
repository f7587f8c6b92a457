package route

import (
	"encoding/binary"
	"math"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/numbering"
)

// lanesFromBytes decodes fuzz bytes as lanes: per lane a width byte, a
// point count and that many (int16, int16) points in decimetres.
func lanesFromBytes(b []byte) []maps.Lane {
	var lanes []maps.Lane
	for len(b) >= 2 && len(lanes) < 12 {
		w := float64(b[0]) / 10
		n := int(b[1]%6) + 1
		b = b[2:]
		l := maps.Lane{ID: "f", Width: w}
		for k := 0; k < n && len(b) >= 4; k++ {
			x := float64(int16(binary.LittleEndian.Uint16(b))) / 10
			y := float64(int16(binary.LittleEndian.Uint16(b[2:]))) / 10
			l.Points = append(l.Points, maps.Point{X: x, Y: y})
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
		v := &maps.Village{
			Lanes:     lanes,
			Houses:    []maps.House{{ID: "h", Number: "1", Polygon: maptest.Box(5, 5, 8, 8)}},
			Landmarks: []maps.Landmark{{ID: "e", Kind: maps.KindEntrance, Name: "口", Point: maps.Point{X: 0, Y: 0}}, {ID: "w", Kind: maps.KindWell, Name: "井", Point: maps.Point{X: 20, Y: 20}}},
		}
		res, err := Find(v, Options{To: "1"})
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
		if _, err := numbering.Auto(v, numbering.Options{Mode: numbering.Renumber}); err != nil {
			t.Fatalf("numbering a valid network: %v", err)
		}
	})
}
