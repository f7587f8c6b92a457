package geo

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Location is a position read from text an officer pasted.
type Location struct {
	Lon, Lat float64
	// Datum is the datum the source implies (a 高德 link is GCJ-02, a geo:
	// URI WGS 84); "" when the text does not say.
	Datum  Datum
	Source string // what it was read from, for messages
}

var (
	urlRE    = regexp.MustCompile(`(?i)(https?://[^\s"'<>，。；]+|geo:[-0-9.,;=a-z]+)`)
	numRE    = regexp.MustCompile(`-?\d+(?:\.\d+)?`)
	lonLabel = regexp.MustCompile(`(?i)(经度|longitude|lng|lon)\s*[:=：]?\s*(-?\d+(?:\.\d+)?)`)
	latLabel = regexp.MustCompile(`(?i)(纬度|latitude|lat)\s*[:=：]?\s*(-?\d+(?:\.\d+)?)`)
	// a coordinate with a hemisphere: N39.91, 39.91N, 北纬39°54′36″, E116°23'
	hemiRE = regexp.MustCompile(`(?i)(北纬|南纬|东经|西经|\b[NSEW])?\s*(\d+(?:\.\d+)?)(?:\s*°\s*(?:(\d+(?:\.\d+)?)\s*['′’]\s*)?(?:(\d+(?:\.\d+)?)\s*(?:"|″|”|''|′′))?)?(?:\s*([NSEW])\b)?`)
)

// ParseLocation reads a position from what a phone's "share location" or
// a map app gives: a 高德 (uri.amap.com … position=LON,LAT), 百度
// (api.map.baidu.com … location=LAT,LON, with its coord_type), 腾讯
// (… marker=coord:LAT,LON) or OpenStreetMap link, a geo: URI
// (geo:LAT,LON, RFC 5870), a Google or Apple Maps link (@LAT,LON, q= or
// ll=), labelled text (经度 116.39 纬度 39.91), hemisphere text (N39.91
// E116.39, 北纬39°54′36″ 东经116°23′), or two bare numbers, which are read
// as LON,LAT (cunjing's order everywhere). A short link (surl.amap.com,
// j.map.baidu.com …) holds no coordinates without the internet and is
// refused with what to copy instead.
func ParseLocation(s string) (Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Location{}, errors.New("no position given")
	}
	if m := urlRE.FindString(s); m != "" {
		return parseLink(m)
	}
	norm := strings.NewReplacer("，", ",", "：", ":", "；", ";", "　", " ").Replace(s)
	lo, la := lonLabel.FindStringSubmatch(norm), latLabel.FindStringSubmatch(norm)
	if lo != nil && la != nil {
		lon, _ := strconv.ParseFloat(lo[2], 64)
		lat, _ := strconv.ParseFloat(la[2], 64)
		return Location{Lon: lon, Lat: lat, Source: "labelled text"}, nil
	}
	if loc, ok, err := parseHemispheres(norm); ok || err != nil {
		return loc, err
	}
	nums := numRE.FindAllString(norm, -1)
	if len(nums) == 2 {
		lon, _ := strconv.ParseFloat(nums[0], 64)
		lat, _ := strconv.ParseFloat(nums[1], 64)
		return Location{Lon: lon, Lat: lat, Source: "LON,LAT"}, nil
	}
	return Location{}, fmt.Errorf("no position in %q: give LON,LAT (e.g. 116.3912,39.9075), or paste a 高德/百度/腾讯 map link", short(s))
}

func parseHemispheres(s string) (Location, bool, error) {
	var lon, lat float64
	var haveLon, haveLat bool
	for _, m := range hemiRE.FindAllStringSubmatch(s, -1) {
		hemi := strings.ToUpper(strings.TrimSpace(m[1]))
		if hemi == "" {
			hemi = strings.ToUpper(m[5])
		}
		if hemi == "" {
			continue
		}
		v, _ := strconv.ParseFloat(m[2], 64)
		if m[3] != "" {
			mi, _ := strconv.ParseFloat(m[3], 64)
			v += mi / 60
		}
		if m[4] != "" {
			se, _ := strconv.ParseFloat(m[4], 64)
			v += se / 3600
		}
		switch hemi {
		case "N", "北纬":
			lat, haveLat = v, true
		case "S", "南纬":
			lat, haveLat = -v, true
		case "E", "东经":
			lon, haveLon = v, true
		case "W", "西经":
			lon, haveLon = -v, true
		}
	}
	if !haveLon && !haveLat {
		return Location{}, false, nil
	}
	if !haveLon || !haveLat {
		return Location{}, true, fmt.Errorf("%q names only one of longitude and latitude", short(s))
	}
	return Location{Lon: lon, Lat: lat, Source: "text with N/E"}, true, nil
}

// pair reads "A,B" (optionally with more after a further comma).
func pair(s string) (a, b float64, ok bool) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 {
		return 0, 0, false
	}
	a, e1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	b, e2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	return a, b, e1 == nil && e2 == nil
}

func parseLink(raw string) (Location, error) {
	if strings.HasPrefix(strings.ToLower(raw), "geo:") {
		body := raw[4:]
		params := ""
		if i := strings.IndexByte(body, ';'); i >= 0 {
			body, params = body[:i], strings.ToLower(body[i+1:])
		}
		if strings.Contains(params, "crs=") && !strings.Contains(params, "crs=wgs84") {
			return Location{}, fmt.Errorf("geo: URI in another coordinate system (%s)", params)
		}
		lat, lon, ok := pair(body)
		if !ok {
			return Location{}, fmt.Errorf("geo: URI %q has no latitude,longitude", short(raw))
		}
		return Location{Lon: lon, Lat: lat, Datum: WGS84, Source: "geo: URI"}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, fmt.Errorf("link %q: %v", short(raw), err)
	}
	host := strings.ToLower(u.Hostname())
	q := query(u.RawQuery)
	shortLink := func(app, how string) error {
		return fmt.Errorf("%s short link %q: it holds no coordinates until it is opened on the internet; %s", app, short(raw), how)
	}
	switch {
	case strings.HasSuffix(host, "amap.com") || strings.HasSuffix(host, "gaode.com"):
		for _, k := range []string{"position", "lnglat", "q"} {
			if lon, lat, ok := pair(q.Get(k)); ok {
				return Location{Lon: lon, Lat: lat, Datum: GCJ02, Source: "高德 link"}, nil
			}
		}
		if lon, e1 := strconv.ParseFloat(q.Get("lng"), 64); e1 == nil {
			if lat, e2 := strconv.ParseFloat(q.Get("lat"), 64); e2 == nil {
				return Location{Lon: lon, Lat: lat, Datum: GCJ02, Source: "高德 link"}, nil
			}
		}
		return Location{}, shortLink("高德", "in 高德, long-press the place and copy its coordinates (they are GCJ-02)")
	case strings.HasSuffix(host, "baidu.com"):
		d := BD09
		switch strings.ToLower(q.Get("coord_type")) {
		case "gcj02":
			d = GCJ02
		case "wgs84":
			d = WGS84
		}
		for _, k := range []string{"location", "latlng"} {
			if lat, lon, ok := pair(q.Get(k)); ok {
				return Location{Lon: lon, Lat: lat, Datum: d, Source: "百度 link"}, nil
			}
		}
		return Location{}, shortLink("百度", "in 百度地图, open the place and copy its coordinates (they are BD-09)")
	case strings.HasSuffix(host, "qq.com"):
		for _, k := range []string{"marker", "coord", "pointx"} {
			v := q.Get(k)
			if k == "marker" {
				for _, part := range strings.Split(v, ";") {
					if c, ok := strings.CutPrefix(part, "coord:"); ok {
						v = c
					}
				}
			}
			if lat, lon, ok := pair(v); ok {
				return Location{Lon: lon, Lat: lat, Datum: GCJ02, Source: "腾讯 link"}, nil
			}
		}
		return Location{}, shortLink("腾讯", "in 腾讯地图, open the place and copy its coordinates (they are GCJ-02)")
	case strings.HasSuffix(host, "openstreetmap.org"):
		if lat, e1 := strconv.ParseFloat(q.Get("mlat"), 64); e1 == nil {
			if lon, e2 := strconv.ParseFloat(q.Get("mlon"), 64); e2 == nil {
				return Location{Lon: lon, Lat: lat, Datum: WGS84, Source: "OpenStreetMap link"}, nil
			}
		}
		if parts := strings.Split(u.Fragment, "/"); len(parts) == 3 && strings.HasPrefix(parts[0], "map=") {
			lat, e1 := strconv.ParseFloat(parts[1], 64)
			lon, e2 := strconv.ParseFloat(parts[2], 64)
			if e1 == nil && e2 == nil {
				return Location{Lon: lon, Lat: lat, Datum: WGS84, Source: "OpenStreetMap link"}, nil
			}
		}
	case strings.Contains(host, "google.") || host == "maps.apple.com" || host == "goo.gl" || host == "maps.app.goo.gl":
		// Google and Apple show GCJ-02 inside China and WGS 84 elsewhere:
		// the link does not say which.
		for _, k := range []string{"ll", "q", "query", "daddr", "sll"} {
			if lat, lon, ok := pair(q.Get(k)); ok {
				return Location{Lon: lon, Lat: lat, Source: "map link"}, nil
			}
		}
		if i := strings.Index(u.Path, "@"); i >= 0 {
			if lat, lon, ok := pair(u.Path[i+1:]); ok {
				return Location{Lon: lon, Lat: lat, Source: "map link"}, nil
			}
		}
		if host == "goo.gl" || host == "maps.app.goo.gl" {
			return Location{}, shortLink("Google", "open it and copy the coordinates")
		}
	}
	return Location{}, fmt.Errorf("link %q: no coordinates cunjing can read in it; copy the place's coordinates instead", short(raw))
}

// query splits a query on "&" only: map links put ";" inside values
// (腾讯's marker=coord:…;title:…), which url.ParseQuery refuses.
func query(raw string) url.Values {
	out := url.Values{}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		if k != "" && out.Get(k) == "" {
			out.Set(k, v)
		}
	}
	return out
}
