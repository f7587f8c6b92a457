package geo

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MaxGPXBytes bounds a GPX file (a day's walking is well under 10 MB).
const MaxGPXBytes = 64 << 20

// DecodeGPX reads the named points of a GPX file (GPX 1.0 and 1.1): its
// waypoints, and route and track points that have a name (a phone app
// names a point the walker marked). GPX is WGS 84 by definition.
func DecodeGPX(data []byte) ([]Waypoint, error) {
	if len(data) > MaxGPXBytes {
		return nil, fmt.Errorf("gpx: %d bytes, at most %d", len(data), MaxGPXBytes)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "utf-8" || l == "utf8" || l == "us-ascii" {
			return in, nil
		}
		return nil, fmt.Errorf("gpx: encoding %q (only UTF-8 is read)", label)
	}
	var (
		out    []Waypoint
		cur    *Waypoint
		depth  int // depth inside the current point
		text   strings.Builder
		sawGPX bool
		points int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("gpx: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch name := t.Name.Local; {
			case name == "gpx":
				sawGPX = true
			case cur == nil && (name == "wpt" || name == "rtept" || name == "trkpt"):
				points++
				if points > maxCoordsTotal {
					return nil, fmt.Errorf("gpx: more than %d points", maxCoordsTotal)
				}
				var lon, lat float64
				var okLon, okLat bool
				for _, a := range t.Attr {
					v, err := strconv.ParseFloat(strings.TrimSpace(a.Value), 64)
					switch a.Name.Local {
					case "lon":
						lon, okLon = v, err == nil
					case "lat":
						lat, okLat = v, err == nil
					}
				}
				if !okLon || !okLat || math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
					return nil, fmt.Errorf("gpx: point %d has no numeric lat and lon", points)
				}
				if err := CheckLonLat(lon, lat); err != nil {
					return nil, fmt.Errorf("gpx: point %d: %w", points, err)
				}
				cur, depth = &Waypoint{Lon: lon, Lat: lat}, 0
			case cur != nil:
				depth++
				text.Reset()
			}
		case xml.CharData:
			if cur != nil && depth == 1 && text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			if cur == nil {
				continue
			}
			name := t.Name.Local
			if depth == 0 && (name == "wpt" || name == "rtept" || name == "trkpt") {
				if cur.Name != "" {
					out = append(out, *cur)
				}
				cur = nil
				continue
			}
			if depth == 1 && name == "name" {
				cur.Name = strings.TrimSpace(text.String())
			}
			depth--
		}
	}
	if !sawGPX {
		return nil, errors.New("gpx: not a GPX file (no <gpx> element)")
	}
	if len(out) == 0 {
		return nil, errors.New("gpx: the file has no named waypoints (mark the points while walking, or type their coordinates)")
	}
	return out, nil
}
