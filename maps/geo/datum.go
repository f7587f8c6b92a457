package geo

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Datum names the coordinate system a longitude/latitude pair is in.
// Stored and exported coordinates are always WGS 84; the others are what
// Chinese map apps show and share.
type Datum string

// Datums.
const (
	WGS84 Datum = "wgs84" // GPS, GPX files, KML, RFC 7946 GeoJSON, 奥维 (default)
	GCJ02 Datum = "gcj02" // 高德, 腾讯, 谷歌中国: "Mars coordinates" of the national surveying bureau
	BD09  Datum = "bd09"  // 百度: GCJ-02 with a further offset
)

// ParseDatum accepts the codes and the names officers know the apps by.
func ParseDatum(s string) (Datum, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "wgs84", "wgs-84", "wgs 84", "gps", "epsg:4326":
		return WGS84, nil
	case "gcj02", "gcj-02", "gcj", "高德", "腾讯", "amap", "gaode", "tencent", "qq":
		return GCJ02, nil
	case "bd09", "bd-09", "bd09ll", "百度", "baidu":
		return BD09, nil
	}
	return "", fmt.Errorf("unknown datum %q (want wgs84, gcj02 for 高德/腾讯, or bd09 for 百度)", s)
}

// Label is the datum's name with the apps that use it.
func (d Datum) Label() string {
	switch d {
	case GCJ02:
		return "GCJ-02（高德、腾讯）"
	case BD09:
		return "BD-09（百度）"
	}
	return "WGS 84（GPS）"
}

// InChina reports whether a longitude/latitude lies in the rectangle the
// published GCJ-02 transform applies to (the bounds used by eviltransform
// and most ports: 72.004–137.8347 E, 0.8293–55.8271 N). It is a coarse
// box: it also covers neighbouring countries, which is all the transform
// itself knows.
func InChina(lon, lat float64) bool {
	return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

// Kinds of bad coordinates (errors.Is), so a window can say them in its
// own language.
var (
	ErrNotLonLat    = errors.New("not a longitude/latitude")
	ErrSwapped      = errors.New("longitude and latitude look swapped")
	ErrOutsideChina = errors.New("outside China")
)

// coordError is a bad coordinate: a message naming the mistake, of a
// kind.
type coordError struct {
	msg  string
	kind error
}

func (e *coordError) Error() string { return e.msg }
func (e *coordError) Unwrap() error { return e.kind }

// CheckLonLat refuses a pair that is not a longitude/latitude, with a
// message that names the likely mistake.
func CheckLonLat(lon, lat float64) error {
	switch {
	case math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0):
		return &coordError{"coordinate is not a number", ErrNotLonLat}
	case math.Abs(lat) > 90 && math.Abs(lon) <= 90:
		return &coordError{fmt.Sprintf("latitude %g is beyond ±90: longitude and latitude look swapped (give LON,LAT, e.g. 116.39,39.91)", lat), ErrSwapped}
	case math.Abs(lon) > 180 || math.Abs(lat) > 90:
		return &coordError{fmt.Sprintf("(%g, %g) is not a longitude/latitude (longitude −180…180, latitude −90…90)", lon, lat), ErrNotLonLat}
	}
	return nil
}

// CheckInChina refuses a control point outside China's box: cunjing's
// villages are in China, and the GCJ-02/BD-09 transforms are only defined
// there. A pair that fits the box only when swapped says so.
func CheckInChina(lon, lat float64) error {
	if err := CheckLonLat(lon, lat); err != nil {
		return err
	}
	if InChina(lon, lat) {
		return nil
	}
	if InChina(lat, lon) {
		return &coordError{fmt.Sprintf("(%g, %g) is outside China, but swapped it is inside: longitude and latitude look swapped (give LON,LAT)", lon, lat), ErrSwapped}
	}
	return &coordError{fmt.Sprintf("(%g, %g) is outside China (longitude 72–138 E, latitude 1–56 N)", lon, lat), ErrOutsideChina}
}

// The published GCJ-02 obfuscation ("eviltransform"; leaked with the
// China Map SDKs around 2009 and used by every open implementation since):
// an offset computed on the Krasovsky 1940 ellipsoid.
const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
)

func gcjOffset(lon, lat float64) (dLon, dLat float64) {
	x, y := lon-105, lat-35
	common := 20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)
	dLat = -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	dLat += (common + 20*math.Sin(y*math.Pi) + 40*math.Sin(y/3*math.Pi) + 160*math.Sin(y/12*math.Pi) + 320*math.Sin(y*math.Pi/30)) * 2 / 3
	dLon = 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	dLon += (common + 20*math.Sin(x*math.Pi) + 40*math.Sin(x/3*math.Pi) + 150*math.Sin(x/12*math.Pi) + 300*math.Sin(x/30*math.Pi)) * 2 / 3
	rad := lat / 180 * math.Pi
	magic := 1 - gcjEE*math.Sin(rad)*math.Sin(rad)
	sq := math.Sqrt(magic)
	dLat = dLat * 180 / ((gcjA * (1 - gcjEE)) / (magic * sq) * math.Pi)
	dLon = dLon * 180 / (gcjA / sq * math.Cos(rad) * math.Pi)
	return dLon, dLat
}

// WGS84ToGCJ02 is the forward obfuscation. Outside China it is the
// identity, as in every implementation.
func WGS84ToGCJ02(lon, lat float64) (float64, float64) {
	if !InChina(lon, lat) {
		return lon, lat
	}
	dLon, dLat := gcjOffset(lon, lat)
	return lon + dLon, lat + dLat
}

// GCJ02ToWGS84 inverts WGS84ToGCJ02 by fixed-point iteration: the offset
// changes by well under a millimetre per metre, so each step gains about
// three digits; the result reproduces the input to below 1e-9 degrees
// (0.1 mm) when converted forward again.
func GCJ02ToWGS84(lon, lat float64) (float64, float64) {
	if !InChina(lon, lat) {
		return lon, lat
	}
	return invert(WGS84ToGCJ02, lon, lat, lon, lat, 30)
}

// invert finds the pair that forward takes to (lon, lat) by fixed-point
// iteration from the guess (x, y): at most steps steps, until forward
// reproduces (lon, lat) to 1e-11 degrees.
func invert(forward func(lon, lat float64) (float64, float64), lon, lat, x, y float64, steps int) (float64, float64) {
	for i := 0; i < steps; i++ {
		fx, fy := forward(x, y)
		ex, ey := fx-lon, fy-lat
		x, y = x-ex, y-ey
		if math.Abs(ex) < 1e-11 && math.Abs(ey) < 1e-11 {
			break
		}
	}
	return x, y
}

const bdXPi = math.Pi * 3000 / 180

// GCJ02ToBD09 is Baidu's published further offset.
func GCJ02ToBD09(lon, lat float64) (float64, float64) {
	z := math.Hypot(lon, lat) + 0.00002*math.Sin(lat*bdXPi)
	th := math.Atan2(lat, lon) + 0.000003*math.Cos(lon*bdXPi)
	return z*math.Cos(th) + 0.0065, z*math.Sin(th) + 0.006
}

// BD09ToGCJ02 inverts GCJ02ToBD09: the published approximate inverse,
// then refined by iteration to below 1e-9 degrees.
func BD09ToGCJ02(lon, lat float64) (float64, float64) {
	x, y := lon-0.0065, lat-0.006
	z := math.Hypot(x, y) - 0.00002*math.Sin(y*bdXPi)
	th := math.Atan2(y, x) - 0.000003*math.Cos(x*bdXPi)
	return invert(GCJ02ToBD09, lon, lat, z*math.Cos(th), z*math.Sin(th), 20)
}

// ToWGS84 converts a pair given in datum d to WGS 84. GCJ-02 and BD-09
// exist only inside China: a pair outside is refused rather than passed
// through unchanged.
func ToWGS84(d Datum, lon, lat float64) (float64, float64, error) {
	if err := CheckLonLat(lon, lat); err != nil {
		return 0, 0, err
	}
	switch d {
	case WGS84, "":
		return lon, lat, nil
	case GCJ02:
		if !InChina(lon, lat) {
			return 0, 0, fmt.Errorf("(%g, %g) is outside China, where GCJ-02 is not defined", lon, lat)
		}
		lon, lat = GCJ02ToWGS84(lon, lat)
		return lon, lat, nil
	case BD09:
		if !InChina(lon, lat) {
			return 0, 0, fmt.Errorf("(%g, %g) is outside China, where BD-09 is not defined", lon, lat)
		}
		lon, lat = BD09ToGCJ02(lon, lat)
		lon, lat = GCJ02ToWGS84(lon, lat)
		return lon, lat, nil
	}
	return 0, 0, fmt.Errorf("unknown datum %q", d)
}

// FromWGS84 converts a WGS 84 pair to datum d.
func FromWGS84(d Datum, lon, lat float64) (float64, float64) {
	if !InChina(lon, lat) {
		return lon, lat
	}
	switch d {
	case GCJ02:
		return WGS84ToGCJ02(lon, lat)
	case BD09:
		return GCJ02ToBD09(WGS84ToGCJ02(lon, lat))
	}
	return lon, lat
}
