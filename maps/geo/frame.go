package geo

import (
	"fmt"
	"math"

	"cunjing/maps"
)

// WGS 84 ellipsoid.
const (
	wgsA  = 6378137.0
	wgsF  = 1 / 298.257223563
	wgsE2 = wgsF * (2 - wgsF)
)

// Frame is a local tangent plane (east, north in metres) touching the
// WGS 84 ellipsoid at Lon, Lat. Over a village — a few kilometres — the
// plane differs from distances on the ground by well under a millimetre
// per kilometre, so metres on the plane are metres on the ground.
//
// Forward takes a point on the ellipsoid (height 0) to the plane; Inverse
// takes a plane point back to the ellipsoid point whose Forward it is, so
// the two round-trip exactly (to ~1e-9 m), not merely approximately.
type Frame struct {
	Lon, Lat float64 // WGS 84 degrees

	ox, oy, oz                     float64 // origin in ECEF
	sinLat, cosLat, sinLon, cosLon float64
	ready                          bool
}

// NewFrame returns the tangent plane at lon, lat.
func NewFrame(lon, lat float64) (*Frame, error) {
	if err := CheckLonLat(lon, lat); err != nil {
		return nil, fmt.Errorf("frame origin: %w", err)
	}
	if math.Abs(lat) > 89 {
		return nil, fmt.Errorf("frame origin: latitude %g is too near a pole", lat)
	}
	f := &Frame{Lon: lon, Lat: lat}
	f.init()
	return f, nil
}

func (f *Frame) init() {
	if f.ready {
		return
	}
	φ, λ := f.Lat*math.Pi/180, f.Lon*math.Pi/180
	f.sinLat, f.cosLat = math.Sincos(φ)
	f.sinLon, f.cosLon = math.Sincos(λ)
	f.ox, f.oy, f.oz = ecef(f.Lat, f.Lon, 0)
	f.ready = true
}

func ecef(lat, lon, h float64) (x, y, z float64) {
	φ, λ := lat*math.Pi/180, lon*math.Pi/180
	sφ, cφ := math.Sincos(φ)
	sλ, cλ := math.Sincos(λ)
	n := wgsA / math.Sqrt(1-wgsE2*sφ*sφ)
	return (n + h) * cφ * cλ, (n + h) * cφ * sλ, (n*(1-wgsE2) + h) * sφ
}

// geodetic converts ECEF to latitude, longitude (degrees) and height by
// Bowring's iteration, exact to well below a millimetre near the surface.
func geodetic(x, y, z float64) (lat, lon, h float64) {
	lon = math.Atan2(y, x)
	p := math.Hypot(x, y)
	φ := math.Atan2(z, p*(1-wgsE2))
	for i := 0; i < 8; i++ {
		sφ := math.Sin(φ)
		n := wgsA / math.Sqrt(1-wgsE2*sφ*sφ)
		h = p/math.Cos(φ) - n
		next := math.Atan2(z, p*(1-wgsE2*n/(n+h)))
		if math.Abs(next-φ) < 1e-15 {
			φ = next
			break
		}
		φ = next
	}
	sφ := math.Sin(φ)
	n := wgsA / math.Sqrt(1-wgsE2*sφ*sφ)
	h = p/math.Cos(φ) - n
	return φ * 180 / math.Pi, lon * 180 / math.Pi, h
}

// enu rotates an ECEF offset from the origin into east, north, up.
func (f *Frame) enu(dx, dy, dz float64) (e, n, u float64) {
	e = -f.sinLon*dx + f.cosLon*dy
	n = -f.sinLat*f.cosLon*dx - f.sinLat*f.sinLon*dy + f.cosLat*dz
	u = f.cosLat*f.cosLon*dx + f.cosLat*f.sinLon*dy + f.sinLat*dz
	return
}

// fromENU rotates east, north, up back to an ECEF offset.
func (f *Frame) fromENU(e, n, u float64) (dx, dy, dz float64) {
	dx = -f.sinLon*e - f.sinLat*f.cosLon*n + f.cosLat*f.cosLon*u
	dy = f.cosLon*e - f.sinLat*f.sinLon*n + f.cosLat*f.sinLon*u
	dz = f.cosLat*n + f.sinLat*u
	return
}

// Forward projects a WGS 84 longitude/latitude onto the plane.
func (f *Frame) Forward(lon, lat float64) maps.Point {
	f.init()
	x, y, z := ecef(lat, lon, 0)
	e, n, _ := f.enu(x-f.ox, y-f.oy, z-f.oz)
	return maps.Point{X: e, Y: n}
}

// Inverse finds the ellipsoid point whose projection is p: start where
// the plane point drops onto the ellipsoid, then move by what Forward
// still misses (the ellipsoid's east and north differ from the plane's by
// the angle from the origin, < 0.1° over 10 km, so each step gains about
// six digits).
func (f *Frame) Inverse(p maps.Point) (lon, lat float64) {
	f.init()
	dx, dy, dz := f.fromENU(p.X, p.Y, 0)
	lat, lon, _ = geodetic(f.ox+dx, f.oy+dy, f.oz+dz)
	for i := 0; i < 10; i++ {
		q := f.Forward(lon, lat)
		de, dn := p.X-q.X, p.Y-q.Y
		if math.Abs(de) < 1e-10 && math.Abs(dn) < 1e-10 {
			break
		}
		x, y, z := ecef(lat, lon, 0)
		ex, ey, ez := f.fromENU(de, dn, 0)
		lat, lon, _ = geodetic(x+ex, y+ey, z+ez)
	}
	return lon, lat
}

// Distance is the ground distance in metres between two WGS 84 points:
// through the tangent plane at the first (exact to millimetres within tens
// of kilometres), and on a sphere beyond 50 km.
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	f := Frame{Lon: lon1, Lat: lat1}
	p := f.Forward(lon2, lat2)
	if math.Hypot(p.X, p.Y) > 50_000 {
		return haversine(lon1, lat1, lon2, lat2)
	}
	return math.Hypot(p.X, p.Y)
}

func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371008.8
	φ1, φ2 := lat1*math.Pi/180, lat2*math.Pi/180
	dφ, dλ := φ2-φ1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
