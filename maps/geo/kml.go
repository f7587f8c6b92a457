package geo

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"cunjing/maps"
	"cunjing/maps/geojson"
	"cunjing/maps/numbering"
	"cunjing/maps/route"
)

// Limits on outside KML, KMZ and GPX files.
const (
	MaxKMLBytes      = 64 << 20 // a KML document, or what a KMZ unpacks to
	MaxKMZBytes      = 32 << 20 // the packed KMZ file
	MaxPlacemarks    = 200_000
	maxCoordsPerGeom = 10_000
	maxCoordsTotal   = 4_000_000
	maxKMZEntries    = 1000
)

// LonLat is a WGS 84 position.
type LonLat struct{ Lon, Lat float64 }

// Geometry is one KML geometry: a Point (one position), a LineString (a
// line; also a gx:Track) or a Polygon (outer ring first, then holes).
type Geometry struct {
	Type  string
	Rings [][]LonLat
}

// Placemark is a KML placemark with what cunjing reads of it.
type Placemark struct {
	ID, Name, Description string
	Data                  map[string]string // ExtendedData Data and SimpleData
	Geoms                 []Geometry
}

// ErrNoPlacemarks: the file holds nothing to import.
var ErrNoPlacemarks = errors.New("the KML file has no placemarks")

// KML is what cunjing reads of a KML document.
type KML struct {
	Name       string            // the document's name
	Data       map[string]string // ExtendedData outside placemarks (retired numbers)
	Placemarks []Placemark
}

// DecodeKML reads the placemarks of a KML document, however its folders
// nest. Styles, overlays and network links are ignored (nothing is
// fetched).
func DecodeKML(data []byte) (*KML, error) {
	if len(data) > MaxKMLBytes {
		return nil, fmt.Errorf("kml: %d bytes, at most %d", len(data), MaxKMLBytes)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false // KML in the wild: stray entities, unclosed <br>
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "utf-8" || l == "utf8" || l == "us-ascii" {
			return in, nil
		}
		return nil, fmt.Errorf("kml: encoding %q (only UTF-8 is read)", label)
	}
	doc := &KML{Data: map[string]string{}}
	var (
		cur      *Placemark
		stack    []string // element names from the root
		pmDepth  int      // len(stack) just inside the current placemark
		text     strings.Builder
		dataName string
		geom     *Geometry
		ring     int  // which of geom's rings coordinates go to
		inner    bool // inside an innerBoundaryIs
		coords   int
		sawKML   bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("kml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			stack = append(stack, name)
			if len(stack) > 256 {
				return nil, errors.New("kml: elements nested too deep")
			}
			text.Reset()
			switch name {
			case "kml":
				sawKML = true
			case "Placemark":
				if cur != nil {
					return nil, errors.New("kml: a placemark inside a placemark")
				}
				if len(doc.Placemarks) >= MaxPlacemarks {
					return nil, fmt.Errorf("kml: more than %d placemarks", MaxPlacemarks)
				}
				cur, pmDepth = &Placemark{Data: map[string]string{}}, len(stack)
				for _, a := range t.Attr {
					if a.Name.Local == "id" {
						cur.ID = a.Value
					}
				}
			case "Data", "SimpleData":
				dataName = ""
				for _, a := range t.Attr {
					if a.Name.Local == "name" {
						dataName = a.Value
					}
				}
			}
			if cur == nil {
				continue
			}
			switch name {
			case "LinearRing":
				if geom == nil || geom.Type != "Polygon" { // a bare ring: an outline
					cur.Geoms = append(cur.Geoms, Geometry{Type: "Polygon"})
					geom = &cur.Geoms[len(cur.Geoms)-1]
				}
				if len(geom.Rings) == 0 {
					geom.Rings = [][]LonLat{nil} // the outer ring is always first
				}
				ring = 0
				if inner {
					geom.Rings = append(geom.Rings, nil)
					ring = len(geom.Rings) - 1
				}
			case "Point", "LineString", "Track":
				typ := name
				if name == "Track" {
					typ = "LineString"
				}
				cur.Geoms = append(cur.Geoms, Geometry{Type: typ, Rings: [][]LonLat{nil}})
				geom, ring = &cur.Geoms[len(cur.Geoms)-1], 0
			case "Polygon":
				cur.Geoms = append(cur.Geoms, Geometry{Type: "Polygon"})
				geom = &cur.Geoms[len(cur.Geoms)-1]
			case "innerBoundaryIs":
				inner = true
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			if text.Len()+len(t) > 1<<20 && stack[len(stack)-1] != "coordinates" {
				return nil, errors.New("kml: a text of more than 1 MB")
			}
			text.Write(t)
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			parent := ""
			if len(stack) >= 2 {
				parent = stack[len(stack)-2]
			}
			stack = stack[:len(stack)-1]
			s := strings.TrimSpace(text.String())
			text.Reset()
			if cur == nil {
				switch {
				case name == "name" && parent == "Document" && doc.Name == "":
					doc.Name = s
				case name == "value" && parent == "Data" && dataName != "":
					doc.Data[dataName] = s
				case name == "SimpleData" && dataName != "":
					doc.Data[dataName] = s
				}
				continue
			}
			if name == "Placemark" {
				doc.Placemarks = append(doc.Placemarks, *cur)
				cur, geom = nil, nil
				continue
			}
			direct := len(stack) == pmDepth // the element was a child of the placemark
			switch name {
			case "name":
				if direct {
					cur.Name = s
				}
			case "description":
				if direct {
					cur.Description = s
				}
			case "value":
				if parent == "Data" && dataName != "" {
					cur.Data[dataName] = s
				}
			case "SimpleData":
				if dataName != "" {
					cur.Data[dataName] = s
				}
			case "coordinates", "coord":
				if geom == nil {
					break
				}
				var pts []LonLat
				var err error
				if name == "coord" { // gx:coord "lon lat alt"
					pts, err = parseCoords(strings.Join(strings.Fields(s), ","))
				} else {
					pts, err = parseCoords(s)
				}
				if err != nil {
					return nil, fmt.Errorf("kml: placemark %d: %w", len(doc.Placemarks), err)
				}
				coords += len(pts)
				if coords > maxCoordsTotal {
					return nil, fmt.Errorf("kml: more than %d positions", maxCoordsTotal)
				}
				if ring >= len(geom.Rings) {
					break // coordinates of a polygon outside any ring
				}
				r := &geom.Rings[ring]
				*r = append(*r, pts...)
				if len(*r) > maxCoordsPerGeom {
					return nil, fmt.Errorf("kml: placemark %d: more than %d positions in one geometry", len(doc.Placemarks), maxCoordsPerGeom)
				}
			case "innerBoundaryIs":
				inner = false
			case "Point", "LineString", "Polygon", "Track":
				geom = nil
			}
		}
	}
	if !sawKML {
		return nil, errors.New("kml: not a KML document (no <kml> element)")
	}
	if len(doc.Placemarks) == 0 {
		return nil, ErrNoPlacemarks
	}
	// Drop geometries that never got a position.
	for i := range doc.Placemarks {
		pm := &doc.Placemarks[i]
		g := pm.Geoms[:0]
		for _, x := range pm.Geoms {
			if len(x.Rings) > 0 && len(x.Rings[0]) > 0 {
				g = append(g, x)
			}
		}
		pm.Geoms = g
	}
	return doc, nil
}

// parseCoords reads KML's "lon,lat[,alt] lon,lat[,alt] …", tolerating
// spaces after commas (which some writers put there).
func parseCoords(s string) ([]LonLat, error) {
	s = strings.NewReplacer(", ", ",", " ,", ",", ",\n", ",", ",\t", ",").Replace(s)
	var out []LonLat
	for _, tup := range strings.Fields(s) {
		parts := strings.Split(tup, ",")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, fmt.Errorf("coordinate %q: want lon,lat or lon,lat,alt", short(tup))
		}
		lon, err1 := strconv.ParseFloat(parts[0], 64)
		lat, err2 := strconv.ParseFloat(parts[1], 64)
		if err1 != nil || err2 != nil || math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
			return nil, fmt.Errorf("coordinate %q is not two numbers", short(tup))
		}
		out = append(out, LonLat{lon, lat})
		if len(out) > maxCoordsPerGeom {
			return nil, fmt.Errorf("more than %d positions in one geometry", maxCoordsPerGeom)
		}
	}
	return out, nil
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// DecodeKMZ unpacks a KMZ (a zip holding doc.kml, or else the first .kml
// at the top) and decodes it. Sizes are checked on what is actually read,
// so a zip that lies about its sizes unpacks no more than MaxKMLBytes.
func DecodeKMZ(data []byte) (*KML, error) {
	if len(data) > MaxKMZBytes {
		return nil, fmt.Errorf("kmz: %d bytes, at most %d", len(data), MaxKMZBytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("kmz: %w", err)
	}
	if len(zr.File) > maxKMZEntries {
		return nil, fmt.Errorf("kmz: %d files inside, at most %d", len(zr.File), maxKMZEntries)
	}
	var pick *zip.File
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "doc.kml") {
			pick = f
			break
		}
		if pick == nil && strings.EqualFold(path.Ext(f.Name), ".kml") && !strings.Contains(f.Name, "/") {
			pick = f
		}
	}
	if pick == nil {
		return nil, errors.New("kmz: no doc.kml inside")
	}
	rc, err := pick.Open()
	if err != nil {
		return nil, fmt.Errorf("kmz: %w", err)
	}
	defer rc.Close()
	doc, err := io.ReadAll(io.LimitReader(rc, MaxKMLBytes+1))
	if err != nil {
		return nil, fmt.Errorf("kmz: %s: %w", pick.Name, err)
	}
	if len(doc) > MaxKMLBytes {
		return nil, fmt.Errorf("kmz: %s unpacks to more than %d bytes", pick.Name, MaxKMLBytes)
	}
	return DecodeKML(doc)
}

// GeoJSON turns decoded placemarks into an RFC 7946 feature
// collection for geojson.ImportWith, so KML goes through the same
// checks (numbers, outlines, widths) as GeoJSON. What cunjing wrote comes
// back as it was (ExtendedData kind, number, id, width_m …); a polygon
// from elsewhere becomes a house, named by its number when its name is one.
// Placemarks that only carry a house's number label (kind house_number)
// are left out: the outline placemark carries the house.
func (k *KML) GeoJSON() ([]byte, error) {
	type feat struct {
		Type       string         `json:"type"`
		Geometry   any            `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	fc := struct {
		Type     string   `json:"type"`
		Name     string   `json:"name,omitempty"`
		Retired  []string `json:"retired,omitempty"`
		Features []feat   `json:"features"`
	}{Type: "FeatureCollection", Name: k.Name, Features: []feat{}}
	if r, ok := k.Data["retired"]; ok {
		for _, x := range strings.Split(r, ",") {
			if x = strings.TrimSpace(x); x != "" {
				fc.Retired = append(fc.Retired, x)
			}
		}
	}
	for _, pm := range k.Placemarks {
		if pm.Data["kind"] == kindHouseNumber {
			continue
		}
		props := map[string]any{}
		for k, v := range pm.Data {
			switch k {
			case "width_m", "size_m":
				if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
					props[k] = f
				} else {
					props[k] = v
				}
			case "courtyard":
				props[k] = v == "true" || v == "1"
			case "history", "categories":
				var list []any
				for _, x := range strings.Split(v, ",") {
					if x = strings.TrimSpace(x); x != "" {
						list = append(list, x)
					}
				}
				props[k] = list
			case "retired", "village":
			default:
				props[k] = v
			}
		}
		if pm.ID != "" && props["id"] == nil {
			props["id"] = pm.ID
		}
		var g any
		switch {
		case len(pm.Geoms) == 0:
			g = nil
		case len(pm.Geoms) > 1 && pm.Geoms[0].Type == "Point" && pm.Geoms[1].Type == "Polygon":
			g = jsonGeom(pm.Geoms[1]) // a labelled outline
		default:
			g = jsonGeom(pm.Geoms[0])
		}
		if pm.Name != "" {
			switch {
			case props["kind"] == "label" && props["text"] == nil:
				props["text"] = pm.Name
			case props["name"] == nil && props["kind"] != "house" && props["kind"] != nil:
				props["name"] = pm.Name
			case props["number"] == nil && (props["kind"] == "house" || props["kind"] == nil && len(pm.Geoms) > 0 && pm.Geoms[len(pm.Geoms)-1].Type == "Polygon"):
				if n := numbering.Normalize(pm.Name); numbering.Validate(n) == nil {
					props["number"] = n
				}
			}
		}
		fc.Features = append(fc.Features, feat{Type: "Feature", Geometry: g, Properties: props})
	}
	return json.Marshal(fc)
}

func jsonGeom(g Geometry) map[string]any {
	ring := func(r []LonLat) [][2]float64 {
		out := make([][2]float64, len(r))
		for i, p := range r {
			out[i] = [2]float64{p.Lon, p.Lat}
		}
		return out
	}
	switch g.Type {
	case "Point":
		return map[string]any{"type": "Point", "coordinates": [2]float64{g.Rings[0][0].Lon, g.Rings[0][0].Lat}}
	case "LineString":
		return map[string]any{"type": "LineString", "coordinates": ring(g.Rings[0])}
	}
	var rings [][][2]float64
	for _, r := range g.Rings {
		if len(r) > 0 {
			rings = append(rings, ring(r))
		}
	}
	return map[string]any{"type": "Polygon", "coordinates": rings}
}

// Named points of a KML (or GPX) file, for control points.
func (pm Placemark) point() (LonLat, bool) {
	for _, g := range pm.Geoms {
		if g.Type == "Point" && len(g.Rings) > 0 && len(g.Rings[0]) > 0 {
			return g.Rings[0][0], true
		}
	}
	return LonLat{}, false
}

// Waypoints lists the named points of a KML file.
func (k *KML) Waypoints() []Waypoint {
	var out []Waypoint
	for _, pm := range k.Placemarks {
		if p, ok := pm.point(); ok && pm.Name != "" {
			out = append(out, Waypoint{Name: pm.Name, Lon: p.Lon, Lat: p.Lat})
		}
	}
	return out
}

// Placed is a village and its fit, ready to be written in degrees.
type Placed struct {
	Village   *maps.Village
	Transform *Transform
}

// GeoJSONLayers adapts placed villages to geojson.ExportWGS84.
func GeoJSONLayers(ps []Placed) []geojson.Layer {
	out := make([]geojson.Layer, len(ps))
	for i, p := range ps {
		out[i] = geojson.Layer{Village: p.Village, ToLonLat: p.Transform.ToLonLat}
	}
	return out
}

const kindHouseNumber = "house_number"

// EncodeKML writes placed villages as KML 2.2 for phone map apps (奥维互动地图,
// Google Earth, OsmAnd and others): per village a folder of house numbers
// (points labelled with the number), house outlines, lanes (with their
// width), water sources, entrances, other landmarks and labels. Householder
// names and phones are left out: this file is for finding doors, and it is
// passed around phones. Every placemark carries cunjing's properties in
// ExtendedData, so the file imports back.
func EncodeKML(ps []Placed, title string) ([]byte, error) {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	coord := func(t *Transform, p maps.Point) (string, error) {
		lon, lat := t.ToLonLat(p)
		if math.IsNaN(lon) || math.IsNaN(lat) {
			return "", errors.New("a position is not a number")
		}
		return strconv.FormatFloat(math.Round(lon*1e8)/1e8, 'f', -1, 64) + "," + strconv.FormatFloat(math.Round(lat*1e8)/1e8, 'f', -1, 64), nil
	}
	data := func(kv ...string) string {
		var s strings.Builder
		s.WriteString("<ExtendedData>")
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				continue
			}
			fmt.Fprintf(&s, `<Data name="%s"><value>%s</value></Data>`, kv[i], esc(kv[i+1]))
		}
		s.WriteString("</ExtendedData>")
		return s.String()
	}
	w("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>%s</name>\n", esc(title))
	w(`<Style id="number"><IconStyle><scale>0</scale></IconStyle><LabelStyle><scale>0.9</scale></LabelStyle></Style>` + "\n")
	w(`<Style id="house"><LineStyle><color>ff3c3c3c</color><width>1</width></LineStyle><PolyStyle><color>66d8e6f0</color></PolyStyle></Style>` + "\n")
	w(`<Style id="lane"><LineStyle><color>ff7f7f7f</color><width>3</width></LineStyle></Style>` + "\n")
	w(`<Style id="narrow"><LineStyle><color>ff5a8cd2</color><width>2</width></LineStyle></Style>` + "\n")
	w(`<Style id="water"><IconStyle><color>ffd28c1e</color></IconStyle></Style>` + "\n")
	w(`<Style id="entrance"><IconStyle><color>ff2f2fd7</color></IconStyle></Style>` + "\n")
	w(`<Style id="landmark"><IconStyle><color>ff4b8c3a</color></IconStyle></Style>` + "\n")
	for _, p := range ps {
		v, t := p.Village, p.Transform
		w("<Folder><name>%s</name>\n", esc(v.Name))
		if len(v.Retired) > 0 {
			w("%s\n", data("retired", strings.Join(v.Retired, ",")))
		}
		w("<Folder><name>门牌号</name>\n")
		for _, h := range v.Houses {
			if h.Number == "" {
				continue
			}
			c, err := coord(t, h.Polygon.Centroid())
			if err != nil {
				return nil, fmt.Errorf("house %s: %w", h.Number, err)
			}
			w("<Placemark><name>%s</name><styleUrl>#number</styleUrl>%s<Point><coordinates>%s</coordinates></Point></Placemark>\n",
				esc(h.Number), data("kind", kindHouseNumber, "house", h.ID), c)
		}
		w("</Folder>\n<Folder><name>房屋</name>\n")
		for _, h := range v.Houses {
			if len(h.Polygon) == 0 {
				continue
			}
			var ring []string
			for _, q := range h.Polygon {
				c, err := coord(t, q)
				if err != nil {
					return nil, fmt.Errorf("house %s: %w", h.Number, err)
				}
				ring = append(ring, c)
			}
			ring = append(ring, ring[0])
			courtyard := ""
			if h.Courtyard {
				courtyard = "true"
			}
			w("<Placemark id=\"%s\"><name>%s</name><styleUrl>#house</styleUrl>%s<Polygon><outerBoundaryIs><LinearRing><coordinates>%s</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n",
				esc(h.ID), esc(h.Number), data("kind", "house", "id", h.ID, "number", h.Number, "history", strings.Join(h.History, ","), "courtyard", courtyard), strings.Join(ring, " "))
		}
		w("</Folder>\n<Folder><name>巷道</name>\n")
		for _, l := range v.Lanes {
			var line []string
			for _, q := range l.Points {
				c, err := coord(t, q)
				if err != nil {
					return nil, fmt.Errorf("lane %s: %w", l.Name, err)
				}
				line = append(line, c)
			}
			width := strconv.FormatFloat(l.Width, 'f', -1, 64)
			style := "lane"
			if l.Width < route.DefaultVehicleWidth {
				style = "narrow"
			}
			name := l.Name
			if name == "" {
				name = "巷道"
			}
			w("<Placemark id=\"%s\"><name>%s</name><description>宽 %s 米</description><styleUrl>#%s</styleUrl>%s<LineString><coordinates>%s</coordinates></LineString></Placemark>\n",
				esc(l.ID), esc(name), width, style, data("kind", "lane", "id", l.ID, "name", l.Name, "width_m", width), strings.Join(line, " "))
		}
		w("</Folder>\n")
		groups := []struct {
			folder, style string
			match         func(maps.LandmarkKind) bool
		}{
			{"水源", "water", maps.LandmarkKind.IsWater},
			{"村口", "entrance", func(k maps.LandmarkKind) bool { return k == maps.KindEntrance }},
			{"地标", "landmark", func(k maps.LandmarkKind) bool { return !k.IsWater() && k != maps.KindEntrance }},
		}
		for _, g := range groups {
			w("<Folder><name>%s</name>\n", g.folder)
			for _, m := range v.Landmarks {
				if !g.match(m.Kind) {
					continue
				}
				c, err := coord(t, m.Point)
				if err != nil {
					return nil, fmt.Errorf("landmark %s: %w", m.Name, err)
				}
				name := m.Name
				if name == "" {
					name = m.Kind.Label()
				}
				w("<Placemark id=\"%s\"><name>%s</name><description>%s</description><styleUrl>#%s</styleUrl>%s<Point><coordinates>%s</coordinates></Point></Placemark>\n",
					esc(m.ID), esc(name), esc(m.Kind.Label()), g.style, data("kind", string(m.Kind), "id", m.ID, "name", m.Name), c)
			}
			w("</Folder>\n")
		}
		if len(v.Labels) > 0 {
			w("<Folder><name>文字</name>\n")
			for _, l := range v.Labels {
				c, err := coord(t, l.Point)
				if err != nil {
					return nil, fmt.Errorf("label %s: %w", l.Text, err)
				}
				size := ""
				if l.Size > 0 {
					size = strconv.FormatFloat(l.Size, 'f', -1, 64)
				}
				w("<Placemark id=\"%s\"><name>%s</name><styleUrl>#number</styleUrl>%s<Point><coordinates>%s</coordinates></Point></Placemark>\n",
					esc(l.ID), esc(l.Text), data("kind", "label", "id", l.ID, "text", l.Text, "size_m", size), c)
			}
			w("</Folder>\n")
		}
		w("</Folder>\n")
	}
	w("</Document>\n</kml>\n")
	return b.Bytes(), nil
}

// EncodeKMZ is EncodeKML zipped as doc.kml (what 奥维 and Google Earth
// share). The zip's times are fixed so the same map gives the same bytes.
func EncodeKMZ(ps []Placed, title string) ([]byte, error) {
	doc, err := EncodeKML(ps, title)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "doc.kml", Method: zip.Deflate})
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(doc); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Waypoint is a named position from a GPX or KML file.
type Waypoint struct {
	Name     string
	Lon, Lat float64
}

// FindWaypoint returns the waypoint called name (exact, then ignoring case
// and surrounding space); several with that name are an error.
func FindWaypoint(ws []Waypoint, name string) (Waypoint, error) {
	var hits []Waypoint
	for _, w := range ws {
		if w.Name == name {
			hits = append(hits, w)
		}
	}
	if len(hits) == 0 {
		for _, w := range ws {
			if strings.EqualFold(strings.TrimSpace(w.Name), strings.TrimSpace(name)) {
				hits = append(hits, w)
			}
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		var names []string
		for _, w := range ws {
			names = append(names, w.Name)
		}
		sort.Strings(names)
		if len(names) > 20 {
			names = append(names[:20], "…")
		}
		return Waypoint{}, fmt.Errorf("%w %q (the file has: %s)", ErrNoWaypoint, name, strings.Join(names, ", "))
	}
	return Waypoint{}, fmt.Errorf("%d waypoints are named %q", len(hits), name)
}

// ErrNoWaypoint: no waypoint of the file has the name asked for.
var ErrNoWaypoint = errors.New("no waypoint named")
