package geo

import (
	"math"
	"testing"
)

// Published test points, each with its source.
//
// eviltransform (github.com/googollee/eviltransform, go/transform_test.go,
// the vectors the ports of the GCJ-02 algorithm are checked against): WGS
// 84 inputs and their GCJ-02 in Shanghai, Shenzhen and Beijing. The WGS 84
// side is the input there, so it checks both directions.
//
// coordtransform (github.com/wandergis/coordtransform, README "result"
// block, the most used JavaScript port): 116.404,39.915 converted each way.
// Its WGS→GCJ and GCJ→BD are the forward formulas; its BD→GCJ is the
// one-step inverse (good to millimetres, BD-09's offset is small).
//
// Alibaba Cloud's address service documents one point in every datum
// (help.aliyun.com, 地址标准化 › 坐标系转换, TransferCoord example):
// GCJ-02 120.026268,30.279164 = BD-09 120.032768,30.285238.
//
// Two published WGS 84 values come from the one-step GCJ-02 inverse
// (wgs ≈ gcj − offset(gcj), known to be 1–2 m off): coordtransform's
// gcj02towgs84 and Alibaba's WGS84 for the point above. They are checked
// against our exact inverse to 2.5 m only (approxTests), not counted as
// 1 m references. eviltransform's python BD-09 vectors (29.199786,
// 120.019809 …) are not used: they disagree with the published BD-09
// formula, eviltransform's own code included, by 10–41 m.
var gcjTests = []struct {
	name                           string
	wgsLon, wgsLat, gcjLon, gcjLat float64
}{
	{"eviltransform shanghai", 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597},
	{"eviltransform shenzhen", 113.912316, 22.543847, 113.9171764808363, 22.540796131694766},
	{"eviltransform beijing", 116.377817, 39.911954, 116.38404722455657, 39.91334545536069},
	{"coordtransform wgs84togcj02", 116.404, 39.915, 116.41024449916938, 39.91640428150164},
}

var bdTests = []struct {
	name                         string
	gcjLon, gcjLat, bdLon, bdLat float64
}{
	{"coordtransform gcj02tobd09", 116.404, 39.915, 116.41036949371029, 39.92133699351021},
	{"coordtransform bd09togcj02", 116.39762729119315, 39.90865673957631, 116.404, 39.915},
	{"aliyun hangzhou", 120.026268, 30.279164, 120.032768, 30.285238},
}

var approxTests = []struct {
	name                           string
	wgsLon, wgsLat, gcjLon, gcjLat float64
}{
	{"coordtransform gcj02towgs84", 116.39775550083061, 39.91359571849836, 116.404, 39.915},
	{"aliyun hangzhou", 120.021519, 30.281543, 120.026268, 30.279164},
}

func TestGCJ02PublishedPoints(t *testing.T) {
	var worst float64
	defer func() { t.Logf("worst distance from a published WGS 84/GCJ-02 point: %.4f m", worst) }()
	for _, tt := range gcjTests {
		lon, lat := WGS84ToGCJ02(tt.wgsLon, tt.wgsLat)
		if d := Distance(lon, lat, tt.gcjLon, tt.gcjLat); d > 1 {
			t.Errorf("%s: WGS→GCJ off by %.3f m", tt.name, d)
		} else {
			worst = max(worst, d)
		}
		lon, lat, err := ToWGS84(GCJ02, tt.gcjLon, tt.gcjLat)
		if err != nil {
			t.Fatal(err)
		}
		if d := Distance(lon, lat, tt.wgsLon, tt.wgsLat); d > 1 {
			t.Errorf("%s: GCJ→WGS off by %.3f m", tt.name, d)
		} else {
			worst = max(worst, d)
		}
		// The offset is the hundreds of metres the issue is about.
		if d := Distance(tt.wgsLon, tt.wgsLat, tt.gcjLon, tt.gcjLat); d < 100 || d > 1000 {
			t.Errorf("%s: GCJ-02 offset %.0f m", tt.name, d)
		}
	}
	for _, tt := range approxTests {
		lon, lat, err := ToWGS84(GCJ02, tt.gcjLon, tt.gcjLat)
		if err != nil {
			t.Fatal(err)
		}
		if d := Distance(lon, lat, tt.wgsLon, tt.wgsLat); d > 2.5 {
			t.Errorf("%s (one-step inverse): %.3f m from ours", tt.name, d)
		}
	}
}

func TestBD09PublishedPoints(t *testing.T) {
	var worst float64
	defer func() { t.Logf("worst distance from a published GCJ-02/BD-09 point: %.4f m", worst) }()
	for _, tt := range bdTests {
		lon, lat := GCJ02ToBD09(tt.gcjLon, tt.gcjLat)
		if d := Distance(lon, lat, tt.bdLon, tt.bdLat); d > 1 {
			t.Errorf("%s: GCJ→BD off by %.3f m", tt.name, d)
		} else {
			worst = max(worst, d)
		}
		lon, lat = BD09ToGCJ02(tt.bdLon, tt.bdLat)
		if d := Distance(lon, lat, tt.gcjLon, tt.gcjLat); d > 1 {
			t.Errorf("%s: BD→GCJ off by %.3f m", tt.name, d)
		} else {
			worst = max(worst, d)
		}
		// BD-09 through to WGS 84 and back.
		wl, wa, err := ToWGS84(BD09, tt.bdLon, tt.bdLat)
		if err != nil {
			t.Fatal(err)
		}
		bl, ba := FromWGS84(BD09, wl, wa)
		if d := Distance(bl, ba, tt.bdLon, tt.bdLat); d > 0.001 {
			t.Errorf("%s: BD→WGS→BD moves %.4f m", tt.name, d)
		}
	}
}

func TestDatumInversesAreExact(t *testing.T) {
	for lon := 74.0; lon < 135; lon += 3.7 {
		for lat := 19.0; lat < 53; lat += 2.9 {
			for _, d := range []Datum{GCJ02, BD09} {
				gl, ga := FromWGS84(d, lon, lat)
				wl, wa, err := ToWGS84(d, gl, ga)
				if err != nil {
					t.Fatal(err)
				}
				if dd := Distance(wl, wa, lon, lat); dd > 0.001 {
					t.Fatalf("%s round trip at %.1f,%.1f: %.4f m", d, lon, lat, dd)
				}
			}
		}
	}
}

func TestDatumRefusals(t *testing.T) {
	tests := []struct {
		d        Datum
		lon, lat float64
		msg      string
	}{
		{GCJ02, 2.35, 48.85, "outside China"},
		{BD09, -74, 40.7, "outside China"},
		{WGS84, 39.9, 116.4, "swapped"},
		{WGS84, 200, 10, "not a longitude/latitude"},
		{GCJ02, math.NaN(), 30, "not a number"},
	}
	for _, tt := range tests {
		_, _, err := ToWGS84(tt.d, tt.lon, tt.lat)
		if err == nil || !contains(err.Error(), tt.msg) {
			t.Errorf("ToWGS84(%s, %g, %g): %v, want %q", tt.d, tt.lon, tt.lat, err, tt.msg)
		}
	}
	if err := CheckInChina(39.9, 116.4); err == nil || !contains(err.Error(), "swapped") {
		t.Errorf("swapped pair: %v", err)
	}
	for _, s := range []string{"wgs84", "GCJ-02", "高德", "百度", "bd09"} {
		if _, err := ParseDatum(s); err != nil {
			t.Errorf("ParseDatum(%q): %v", s, err)
		}
	}
	if _, err := ParseDatum("cgcs2000"); err == nil {
		t.Error("unknown datum accepted")
	}
}
