package gpkg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// GeoPackage geometry blobs: a "GP" header (version, flags, srs_id, an
// optional envelope) followed by ISO WKB (GeoPackage 1.3, §2.1.3).

// Limits on a blob from an outside file.
const (
	maxBlobBytes   = 16 << 20
	maxBlobParts   = 10_000
	maxBlobPoints  = 100_000
	maxPointsTotal = 4_000_000
)

// Geometry is a decoded geometry as GeoJSON would have it: Type is Point,
// LineString, Polygon, MultiPoint, MultiLineString or MultiPolygon and
// Coords the matching nesting of [x, y] pairs (heights and measures are
// dropped).
type Geometry struct {
	Type   string
	Coords any
}

// encodeGeometry writes a GeoPackage blob (little-endian, with an xy
// envelope except for points).
func encodeGeometry(srsID int32, typ uint32, rings [][][2]float64) []byte {
	var b bytes.Buffer
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, r := range rings {
		for _, p := range r {
			minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
			minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
		}
	}
	flags := byte(0x01) // little-endian, no envelope
	if typ != wkbPoint {
		flags |= 1 << 1 // envelope [minx, maxx, miny, maxy]
	}
	b.Write([]byte{'G', 'P', 0, flags})
	binary.Write(&b, binary.LittleEndian, srsID)
	if typ != wkbPoint {
		binary.Write(&b, binary.LittleEndian, [4]float64{minX, maxX, minY, maxY})
	}
	b.WriteByte(1) // WKB little-endian
	binary.Write(&b, binary.LittleEndian, typ)
	pt := func(p [2]float64) { binary.Write(&b, binary.LittleEndian, p) }
	switch typ {
	case wkbPoint:
		pt(rings[0][0])
	case wkbLineString:
		binary.Write(&b, binary.LittleEndian, uint32(len(rings[0])))
		for _, p := range rings[0] {
			pt(p)
		}
	case wkbPolygon:
		binary.Write(&b, binary.LittleEndian, uint32(len(rings)))
		for _, r := range rings {
			binary.Write(&b, binary.LittleEndian, uint32(len(r)))
			for _, p := range r {
				pt(p)
			}
		}
	}
	return b.Bytes()
}

const (
	wkbPoint           = 1
	wkbLineString      = 2
	wkbPolygon         = 3
	wkbMultiPoint      = 4
	wkbMultiLineString = 5
	wkbMultiPolygon    = 6
)

var errShort = errors.New("geometry blob ends early")

type wkbReader struct {
	b      []byte
	off    int
	order  binary.ByteOrder
	points int
}

func (r *wkbReader) u32() (uint32, error) {
	if r.off+4 > len(r.b) {
		return 0, errShort
	}
	v := r.order.Uint32(r.b[r.off:])
	r.off += 4
	return v, nil
}

func (r *wkbReader) f64() (float64, error) {
	if r.off+8 > len(r.b) {
		return 0, errShort
	}
	v := math.Float64frombits(r.order.Uint64(r.b[r.off:]))
	r.off += 8
	return v, nil
}

// DecodeGeometry reads a GeoPackage geometry blob from an outside file.
// Every count is checked against the bytes left before anything is
// allocated, so a lying count cannot make it allocate more than the blob.
func DecodeGeometry(blob []byte) (Geometry, error) {
	if len(blob) > maxBlobBytes {
		return Geometry{}, fmt.Errorf("geometry blob of %d bytes", len(blob))
	}
	if len(blob) < 8 || blob[0] != 'G' || blob[1] != 'P' {
		return Geometry{}, errors.New("not a GeoPackage geometry (no GP header)")
	}
	flags := blob[3]
	if flags&(1<<5) != 0 {
		return Geometry{}, errors.New("extended GeoPackage geometry is not read")
	}
	if flags&(1<<4) != 0 {
		return Geometry{}, errors.New("empty geometry")
	}
	env := map[byte]int{0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags>>1)&7]
	if (flags>>1)&7 > 4 {
		return Geometry{}, errors.New("bad envelope code in the geometry header")
	}
	off := 8 + env
	if off >= len(blob) {
		return Geometry{}, errShort
	}
	r := &wkbReader{b: blob, off: off}
	return r.geometry(0)
}

func (r *wkbReader) geometry(depth int) (Geometry, error) {
	if depth > 1 {
		return Geometry{}, errors.New("nested collections are not read")
	}
	if r.off >= len(r.b) {
		return Geometry{}, errShort
	}
	switch r.b[r.off] {
	case 0:
		r.order = binary.BigEndian
	case 1:
		r.order = binary.LittleEndian
	default:
		return Geometry{}, fmt.Errorf("bad WKB byte order %d", r.b[r.off])
	}
	r.off++
	t, err := r.u32()
	if err != nil {
		return Geometry{}, err
	}
	// ISO WKB: +1000 Z, +2000 M, +3000 ZM; EWKB flags in the high bits.
	dims := 2
	if t&0x80000000 != 0 {
		dims++
	}
	if t&0x40000000 != 0 {
		dims++
	}
	if t&0x20000000 != 0 {
		if _, err := r.u32(); err != nil { // EWKB SRID
			return Geometry{}, err
		}
	}
	t &= 0x0fffffff
	switch t / 1000 {
	case 1, 2:
		dims++
	case 3:
		dims += 2
	case 0:
	default:
		return Geometry{}, fmt.Errorf("unknown WKB type %d", t)
	}
	base := t % 1000
	point := func() ([2]float64, error) {
		if r.off+8*dims > len(r.b) {
			return [2]float64{}, errShort
		}
		r.points++
		if r.points > maxBlobPoints {
			return [2]float64{}, fmt.Errorf("more than %d points in one geometry", maxBlobPoints)
		}
		x, _ := r.f64()
		y, _ := r.f64()
		r.off += 8 * (dims - 2)
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			return [2]float64{}, errors.New("a coordinate is not a finite number")
		}
		return [2]float64{x, y}, nil
	}
	count := func(each int) (int, error) {
		n, err := r.u32()
		if err != nil {
			return 0, err
		}
		if int64(n)*int64(each) > int64(len(r.b)-r.off) || n > maxBlobParts*10 {
			return 0, fmt.Errorf("count %d is more than the blob holds", n)
		}
		return int(n), nil
	}
	line := func() ([][2]float64, error) {
		n, err := count(8 * dims)
		if err != nil {
			return nil, err
		}
		out := make([][2]float64, 0, n)
		for i := 0; i < n; i++ {
			p, err := point()
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, nil
	}
	poly := func() ([][][2]float64, error) {
		n, err := count(4)
		if err != nil {
			return nil, err
		}
		if n > maxBlobParts {
			return nil, fmt.Errorf("%d rings", n)
		}
		out := make([][][2]float64, 0, n)
		for i := 0; i < n; i++ {
			l, err := line()
			if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
		return out, nil
	}
	multi := func(want uint32) ([]Geometry, error) {
		n, err := count(5)
		if err != nil {
			return nil, err
		}
		if n > maxBlobParts {
			return nil, fmt.Errorf("%d parts", n)
		}
		out := make([]Geometry, 0, n)
		for i := 0; i < n; i++ {
			g, err := r.geometry(depth + 1)
			if err != nil {
				return nil, err
			}
			if g.Type != map[uint32]string{wkbPoint: "Point", wkbLineString: "LineString", wkbPolygon: "Polygon"}[want] {
				return nil, fmt.Errorf("a %s inside a multi-geometry of another kind", g.Type)
			}
			out = append(out, g)
		}
		return out, nil
	}
	switch base {
	case wkbPoint:
		p, err := point()
		return Geometry{Type: "Point", Coords: p}, err
	case wkbLineString:
		l, err := line()
		return Geometry{Type: "LineString", Coords: l}, err
	case wkbPolygon:
		p, err := poly()
		return Geometry{Type: "Polygon", Coords: p}, err
	case wkbMultiPoint, wkbMultiLineString, wkbMultiPolygon:
		parts, err := multi(base - 3)
		if err != nil {
			return Geometry{}, err
		}
		switch base {
		case wkbMultiPoint:
			cs := make([][2]float64, len(parts))
			for i, g := range parts {
				cs[i] = g.Coords.([2]float64)
			}
			return Geometry{Type: "MultiPoint", Coords: cs}, nil
		case wkbMultiLineString:
			cs := make([][][2]float64, len(parts))
			for i, g := range parts {
				cs[i] = g.Coords.([][2]float64)
			}
			return Geometry{Type: "MultiLineString", Coords: cs}, nil
		}
		cs := make([][][][2]float64, len(parts))
		for i, g := range parts {
			cs[i] = g.Coords.([][][2]float64)
		}
		return Geometry{Type: "MultiPolygon", Coords: cs}, nil
	}
	return Geometry{}, fmt.Errorf("geometry type %d is not read (points, lines and polygons are)", base)
}
