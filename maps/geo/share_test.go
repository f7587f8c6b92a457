package geo

import (
	"math"
	"testing"
)

func TestParseLocation(t *testing.T) {
	tests := []struct {
		in       string
		lon, lat float64
		datum    Datum
	}{
		{"116.3912,39.9075", 116.3912, 39.9075, ""},
		{" 116.3912 , 39.9075 ", 116.3912, 39.9075, ""},
		{"116.3912，39.9075", 116.3912, 39.9075, ""},
		{"116.3912 39.9075", 116.3912, 39.9075, ""},
		{"经度：116.3912 纬度：39.9075", 116.3912, 39.9075, ""},
		{"纬度 39.9075, 经度 116.3912", 116.3912, 39.9075, ""},
		{"lat=39.9075 lng=116.3912", 116.3912, 39.9075, ""},
		{"N39.9075 E116.3912", 116.3912, 39.9075, ""},
		{"39.9075N, 116.3912E", 116.3912, 39.9075, ""},
		{"北纬39°54′27″ 东经116°23′28″", 116 + 23.0/60 + 28.0/3600, 39 + 54.0/60 + 27.0/3600, ""},
		{`39°54'27"N 116°23'28"E`, 116 + 23.0/60 + 28.0/3600, 39 + 54.0/60 + 27.0/3600, ""},
		{"【高德地图】张庄村委会 https://uri.amap.com/marker?position=114.352100,34.812300&name=张庄村委会 ", 114.3521, 34.8123, GCJ02},
		{"https://ditu.amap.com/regeo?lng=114.3521&lat=34.8123&name=x", 114.3521, 34.8123, GCJ02},
		{"http://api.map.baidu.com/marker?location=34.8185,114.3586&title=村委会&output=html", 114.3586, 34.8185, BD09},
		{"http://api.map.baidu.com/marker?location=34.8123,114.3521&coord_type=gcj02", 114.3521, 34.8123, GCJ02},
		{"https://apis.map.qq.com/uri/v1/marker?marker=coord:34.8123,114.3521;title:村委会&referer=x", 114.3521, 34.8123, GCJ02},
		{"geo:34.8123,114.3521?z=17", 114.3521, 34.8123, WGS84},
		{"geo:34.8123,114.3521;u=5", 114.3521, 34.8123, WGS84},
		{"https://www.openstreetmap.org/?mlat=34.8123&mlon=114.3521#map=17/34.8123/114.3521", 114.3521, 34.8123, WGS84},
		{"https://www.google.com/maps/@34.8123,114.3521,17z", 114.3521, 34.8123, ""},
		{"https://maps.apple.com/?ll=34.8123,114.3521&q=x", 114.3521, 34.8123, ""},
	}
	for _, tt := range tests {
		got, err := ParseLocation(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if math.Abs(got.Lon-tt.lon) > 1e-9 || math.Abs(got.Lat-tt.lat) > 1e-9 || got.Datum != tt.datum {
			t.Errorf("%q: got %.7f,%.7f %q; want %.7f,%.7f %q", tt.in, got.Lon, got.Lat, got.Datum, tt.lon, tt.lat, tt.datum)
		}
	}
	for _, in := range []string{"", "张庄村", "116.39", "1,2,3", "https://surl.amap.com/4a5b6c7d", "https://j.map.baidu.com/ab/cd", "N39.9", "https://example.com/?x=1,2"} {
		if _, err := ParseLocation(in); err == nil {
			t.Errorf("%q: accepted", in)
		}
	}
	if _, err := ParseLocation("https://surl.amap.com/4a5b6c7d"); err == nil || !contains(err.Error(), "short link") {
		t.Errorf("short link: %v", err)
	}
}

// FuzzParseLocation: pasted text gives a position or an error, never a
// panic.
func FuzzParseLocation(f *testing.F) {
	for _, s := range []string{"116.39,39.9", "geo:1,2;crs=x", "https://uri.amap.com/marker?position=1,2", "北纬39°54′27″ 东经116°", "N E", "%zz", "http://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ParseLocation(s)
	})
}
