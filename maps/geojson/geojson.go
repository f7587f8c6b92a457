// Package geojson is a village map as GeoJSON: local metres ("units": "m",
// for round trips and scripts) or RFC 7946 WGS 84 longitude/latitude (what
// GDAL, QGIS and phones read), export and a bounded import of outside files.
package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"cunjing/maps"
	"cunjing/maps/numbering"
)

// GeoJSON exchange. Houses are Polygons with kind "house", lanes
// LineStrings with kind "lane" and width_m, landmarks Points with their
// kind, labels Points with kind "label". The collection's foreign members
// "name" and "retired" carry the village name and its retired numbers.
//
// Two kinds of file, told apart by one rule (Detect):
//   - "units": "m" at the top: local metres, x east and y north, as the map
//     is drawn (Export; kept for round trips and scripts). No GIS
//     reads this as a place on Earth.
//   - anything else: RFC 7946 GeoJSON, WGS 84 longitude/latitude
//     (ExportWGS84, for a georeferenced village; what GDAL, QGIS and
//     phones read). A position outside −180…180 / −90…90 refuses the file.

// Limits on outside data, so a hostile file cannot exhaust memory.
const (
	MaxBytes      = 64 << 20
	MaxFeatures   = 200_000
	maxRingPoints = 10_000
)

type gjCollection struct {
	Type     string          `json:"type"`
	Name     string          `json:"name,omitempty"`
	Units    string          `json:"units,omitempty"`
	CRS      json.RawMessage `json:"crs,omitempty"` // GeoJSON 2008; read, never written
	Retired  []string        `json:"retired,omitempty"`
	Features []gjFeature     `json:"features"`
}

type gjFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id,omitempty"`
	Geometry   *gjGeometry     `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

type gjGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// Export writes v as a GeoJSON FeatureCollection in local metres
// ("units": "m"). Output order is the village's slice order, so exports of
// the same map are identical.
func Export(v *maps.Village) ([]byte, error) {
	c := gjCollection{Type: "FeatureCollection", Name: v.Name, Units: "m", Retired: v.Retired}
	feats, err := features(v, "", func(p maps.Point) [2]float64 { return [2]float64{p.X, p.Y} })
	if err != nil {
		return nil, err
	}
	c.Features = feats
	return encodeCollection(c)
}

// Layer is one village of a WGS 84 export and how to place it.
type Layer struct {
	Village *maps.Village
	// ToLonLat takes map metres to WGS 84 longitude and latitude.
	ToLonLat func(maps.Point) (lon, lat float64)
}

// lonLatDigits: 8 decimals of a degree are about a millimetre.
const lonLatDigits = 1e8

// ExportWGS84 writes villages as RFC 7946 GeoJSON: WGS 84
// longitude/latitude to 8 decimals, exterior rings anticlockwise, no
// "units" member. With one village the collection carries its name and
// retired numbers; with several (a township) every feature names its
// village in a "village" property.
func ExportWGS84(layers []Layer) ([]byte, error) {
	c := gjCollection{Type: "FeatureCollection", Features: []gjFeature{}}
	if len(layers) == 1 {
		c.Name, c.Retired = layers[0].Village.Name, layers[0].Village.Retired
	}
	for _, l := range layers {
		tag := ""
		if len(layers) > 1 {
			tag = l.Village.Name
		}
		to := l.ToLonLat
		feats, err := features(l.Village, tag, func(p maps.Point) [2]float64 {
			lon, lat := to(p)
			return [2]float64{math.Round(lon*lonLatDigits) / lonLatDigits, math.Round(lat*lonLatDigits) / lonLatDigits}
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.Village.Name, err)
		}
		for i := range feats {
			if feats[i].Geometry.Type == "Polygon" {
				if err := rightHand(&feats[i]); err != nil {
					return nil, err
				}
			}
		}
		c.Features = append(c.Features, feats...)
	}
	return encodeCollection(c)
}

// rightHand makes a polygon's exterior ring anticlockwise in longitude/
// latitude (RFC 7946 §3.1.6); a fit never mirrors, but rounding a tiny
// ring could.
func rightHand(f *gjFeature) error {
	var rings [][][2]float64
	if err := json.Unmarshal(f.Geometry.Coordinates, &rings); err != nil || len(rings) == 0 {
		return fmt.Errorf("polygon: %v", err)
	}
	r := rings[0]
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	if a >= 0 {
		return nil
	}
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	raw, err := json.Marshal(rings)
	if err != nil {
		return err
	}
	f.Geometry.Coordinates = raw
	return nil
}

func encodeCollection(c gjCollection) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode geojson: %w", err)
	}
	return buf.Bytes(), nil
}

// features turns the village into GeoJSON features, each position through
// xy; a non-empty village tag is written into every feature's properties.
func features(v *maps.Village, village string, xy func(maps.Point) [2]float64) ([]gjFeature, error) {
	out := make([]gjFeature, 0, len(v.Houses)+len(v.Lanes)+len(v.Landmarks)+len(v.Labels))
	mk := func(id, typ string, coords any, props map[string]any) (gjFeature, error) {
		if village != "" {
			props["village"] = village
		}
		return feature(id, typ, coords, props)
	}
	for _, h := range v.Houses {
		ring := make([][2]float64, 0, len(h.Polygon)+1)
		for _, p := range h.Polygon {
			ring = append(ring, xy(p))
		}
		if len(h.Polygon) > 0 {
			ring = append(ring, ring[0])
		}
		props := map[string]any{"kind": "house", "number": h.Number, "name": h.Name}
		if h.Phone != "" {
			props["phone"] = h.Phone
		}
		if len(h.History) > 0 {
			props["history"] = h.History
		}
		if h.Warning != maps.WarningNone {
			props["warning"] = string(h.Warning)
		}
		if len(h.Categories) > 0 {
			props["categories"] = h.Categories
		}
		if h.Courtyard {
			props["courtyard"] = true
		}
		f, err := mk(h.ID, "Polygon", [][][2]float64{ring}, props)
		if err != nil {
			return nil, fmt.Errorf("house %s: %w", h.ID, err)
		}
		out = append(out, f)
	}
	for _, l := range v.Lanes {
		line := make([][2]float64, len(l.Points))
		for i, p := range l.Points {
			line[i] = xy(p)
		}
		props := map[string]any{"kind": "lane", "width_m": l.Width}
		if l.Name != "" {
			props["name"] = l.Name
		}
		f, err := mk(l.ID, "LineString", line, props)
		if err != nil {
			return nil, fmt.Errorf("lane %s: %w", l.ID, err)
		}
		out = append(out, f)
	}
	for _, m := range v.Landmarks {
		props := map[string]any{"kind": string(m.Kind)}
		if m.Name != "" {
			props["name"] = m.Name
		}
		f, err := mk(m.ID, "Point", xy(m.Point), props)
		if err != nil {
			return nil, fmt.Errorf("landmark %s: %w", m.ID, err)
		}
		out = append(out, f)
	}
	for _, l := range v.Labels {
		props := map[string]any{"kind": "label", "text": l.Text}
		if l.Size > 0 {
			props["size_m"] = l.Size
		}
		f, err := mk(l.ID, "Point", xy(l.Point), props)
		if err != nil {
			return nil, fmt.Errorf("label %s: %w", l.ID, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func feature(id, typ string, coords any, props map[string]any) (gjFeature, error) {
	raw, err := json.Marshal(coords)
	if err != nil {
		// NaN or Inf coordinates cannot be written as JSON.
		return gjFeature{}, fmt.Errorf("coordinates: %w", err)
	}
	props["id"] = id
	rid, _ := json.Marshal(id) // a string always marshals
	return gjFeature{Type: "Feature", ID: rid, Geometry: &gjGeometry{Type: typ, Coordinates: raw}, Properties: props}, nil
}

// Report says what an import took and what it left out, feature by
// feature, so the officer can fix the source file.
type Report struct {
	Houses, Lanes, Landmarks, Labels int
	Skipped                          []Issue // features not imported
	Warnings                         []Issue // imported with a change
}

// Issue names a feature by its position in the file and says why.
type Issue struct {
	Feature int    `json:"feature"`
	ID      string `json:"id,omitempty"`
	Reason  string `json:"reason"`
}

// String summarises the report in one line per issue.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "imported %d houses, %d lanes, %d landmarks, %d labels; skipped %d", r.Houses, r.Lanes, r.Landmarks, r.Labels, len(r.Skipped))
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "\nskipped feature %d %s: %s", s.Feature, s.ID, s.Reason)
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(&b, "\nfeature %d %s: %s", s.Feature, s.ID, s.Reason)
	}
	return b.String()
}

// Import reads a FeatureCollection in local metres ("units": "m")
// into a new maps.Village; a file in degrees is refused (ImportWith
// places one). Features it cannot use (unknown kinds, broken or
// degenerate geometry) are skipped and listed in the report; a house whose
// number another house already has keeps its shape but loses the number
// (listed as a warning). The error is for files that are not a
// FeatureCollection at all.
func Import(data []byte) (*maps.Village, *Report, error) {
	return ImportWith(data, Options{})
}

// Options say how to place a file in degrees.
type Options struct {
	// Place is called once for an RFC 7946 file (WGS 84 degrees) with the
	// extent of its positions (X longitude, Y latitude) and returns the
	// function that takes WGS 84 to the village's map metres: the village's
	// georeference, or a new frame at the data's centre. Nil refuses files
	// in degrees.
	Place func(extent maps.Rect) (func(lon, lat float64) (maps.Point, error), error)
}

// Units of a GeoJSON file, by the documented rule.
const (
	UnitsLocal   = "m"     // "units": "m": local metres
	UnitsDegrees = "wgs84" // no units member: RFC 7946 longitude/latitude
)

// Detect applies the rule: a top-level "units": "m" means local
// metres; no "units" means RFC 7946 (WGS 84 longitude/latitude, and then
// a "crs" member, if any, must name WGS 84); any other units are refused.
func Detect(data []byte) (string, error) {
	var c struct {
		Units string          `json:"units"`
		CRS   json.RawMessage `json:"crs"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return "", fmt.Errorf("geojson: %w", err)
	}
	return detectUnits(c.Units, c.CRS)
}

func detectUnits(units string, crs json.RawMessage) (string, error) {
	switch units {
	case UnitsLocal:
		return UnitsLocal, nil
	case "":
	default:
		return "", fmt.Errorf("geojson: units %q: only \"m\" (local metres) is known; a file without units is RFC 7946 longitude/latitude", units)
	}
	if len(crs) > 0 && string(crs) != "null" {
		var c struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		}
		json.Unmarshal(crs, &c) // an unreadable crs names nothing, refused below
		switch strings.ToUpper(c.Properties.Name) {
		case "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "URN:OGC:DEF:CRS:OGC::CRS84", "CRS84", "EPSG:4326", "URN:OGC:DEF:CRS:EPSG::4326":
		default:
			return "", fmt.Errorf("geojson: the file declares the coordinate system %q; cunjing reads WGS 84 longitude/latitude (RFC 7946) or its own local metres (\"units\": \"m\"): convert it first, e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson", c.Properties.Name)
		}
	}
	return UnitsDegrees, nil
}

// ImportWith reads a FeatureCollection in either kind of units,
// placing a file in degrees through opt.Place. A position outside
// −180…180 / −90…90 in a file in degrees refuses the whole file (it is
// almost always a local-metre file that lost its "units").
func ImportWith(data []byte, opt Options) (*maps.Village, *Report, error) {
	if len(data) > MaxBytes {
		return nil, nil, fmt.Errorf("geojson: file of %d bytes is larger than %d", len(data), MaxBytes)
	}
	var c gjCollection
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, nil, fmt.Errorf("geojson: %w", err)
	}
	if c.Type != "FeatureCollection" {
		return nil, nil, fmt.Errorf("geojson: top-level type is %q, want FeatureCollection", c.Type)
	}
	if len(c.Features) > MaxFeatures {
		return nil, nil, fmt.Errorf("geojson: %d features, at most %d", len(c.Features), MaxFeatures)
	}
	units, err := detectUnits(c.Units, c.CRS)
	if err != nil {
		return nil, nil, err
	}
	v := &maps.Village{Name: c.Name, Houses: []maps.House{}, Lanes: []maps.Lane{}, Landmarks: []maps.Landmark{}}
	rep := &Report{}
	im := importer{v: v, rep: rep, ids: map[string]bool{}, numbers: map[string]string{}}
	if units == UnitsDegrees {
		ext, err := degreesExtent(c.Features)
		if err != nil {
			return nil, nil, err
		}
		if opt.Place == nil {
			return nil, nil, errors.New("geojson: the file is in longitude/latitude (RFC 7946, no \"units\": \"m\") and nothing says where this map lies")
		}
		if ext.IsEmpty() {
			ext = maps.Rect{} // no positions at all: nothing will be placed
		}
		if im.place, err = opt.Place(ext); err != nil {
			return nil, nil, err
		}
	}
	for _, n := range c.Retired {
		if n = numbering.Normalize(n); n != "" && numbering.Validate(n) == nil && !slices.Contains(v.Retired, n) {
			v.Retired = append(v.Retired, n)
			im.numbers[n] = "(retired)"
		}
	}
	for i := range c.Features {
		if err := im.feature(i, &c.Features[i]); err != nil {
			rep.Skipped = append(rep.Skipped, Issue{Feature: i, ID: im.lastID, Reason: err.Error()})
		}
	}
	rep.Houses, rep.Lanes, rep.Landmarks, rep.Labels = len(v.Houses), len(v.Lanes), len(v.Landmarks), len(v.Labels)
	return v, rep, nil
}

// degreesExtent is the box of every position of a file in degrees; the
// first position that is not a longitude/latitude refuses the file.
func degreesExtent(fs []gjFeature) (maps.Rect, error) {
	ext := maps.EmptyRect()
	for i := range fs {
		g := fs[i].Geometry
		if g == nil {
			continue
		}
		var bad []float64
		walkPositions(g, func(c []float64) bool {
			if len(c) < 2 {
				return true // reported with the feature
			}
			if math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.Abs(c[0]) > 180 || math.Abs(c[1]) > 90 {
				bad = c
				return false
			}
			ext = ext.Extend(maps.Point{X: c[0], Y: c[1]})
			return true
		})
		if bad != nil {
			return maps.Rect{}, fmt.Errorf("geojson: feature %d: position (%g, %g) is not a longitude/latitude: "+
				"a file without \"units\": \"m\" is RFC 7946 GeoJSON, WGS 84 degrees (longitude −180…180, latitude −90…90); "+
				"a cunjing local-metre file carries \"units\": \"m\" at the top", i, bad[0], bad[1])
		}
	}
	return ext, nil
}

// walkPositions calls fn with every position of a geometry it can decode
// (broken geometries are reported when their feature is imported) until
// fn returns false.
func walkPositions(g *gjGeometry, fn func([]float64) bool) {
	switch g.Type {
	case "Point":
		var c []float64
		if json.Unmarshal(g.Coordinates, &c) == nil {
			fn(c)
		}
	case "LineString", "MultiPoint":
		var cs [][]float64
		if json.Unmarshal(g.Coordinates, &cs) == nil {
			for _, c := range cs {
				if !fn(c) {
					return
				}
			}
		}
	case "Polygon", "MultiLineString":
		var rs [][][]float64
		if json.Unmarshal(g.Coordinates, &rs) == nil {
			for _, r := range rs {
				for _, c := range r {
					if !fn(c) {
						return
					}
				}
			}
		}
	case "MultiPolygon":
		var ps [][][][]float64
		if json.Unmarshal(g.Coordinates, &ps) == nil {
			for _, p := range ps {
				for _, r := range p {
					for _, c := range r {
						if !fn(c) {
							return
						}
					}
				}
			}
		}
	}
}

type importer struct {
	place   func(lon, lat float64) (maps.Point, error) // nil: local metres
	v       *maps.Village
	rep     *Report
	ids     map[string]bool
	numbers map[string]string // number → house ID holding it (current or old)
	lastID  string
}

func (im *importer) warn(i int, id, format string, args ...any) {
	im.rep.Warnings = append(im.rep.Warnings, Issue{Feature: i, ID: id, Reason: fmt.Sprintf(format, args...)})
}

func (im *importer) feature(i int, f *gjFeature) error {
	im.lastID = ""
	if f.Type != "Feature" {
		return fmt.Errorf("type %q, want Feature", f.Type)
	}
	id := featureID(f)
	im.lastID = id
	if f.Geometry == nil {
		return fmt.Errorf("no geometry")
	}
	kind, _ := f.Properties["kind"].(string)
	if id == "" || im.ids[id] {
		if id != "" {
			im.warn(i, id, "duplicate id, given a new one")
		}
		id = fmt.Sprintf("import-%d", i)
		for k := 2; im.ids[id]; k++ {
			id = fmt.Sprintf("import-%d-%d", i, k)
		}
	}
	if kind == "" {
		// Outlines traced in a GIS carry no kind: a polygon is a house, a
		// line with a width a lane.
		switch f.Geometry.Type {
		case "Polygon", "MultiPolygon":
			kind = "house"
			im.warn(i, id, "no kind property: taken as a house")
		case "LineString", "MultiLineString":
			if _, ok := f.Properties["width_m"].(float64); ok {
				kind = "lane"
				im.warn(i, id, "no kind property: a line with width_m, taken as a lane")
			}
		}
	}
	switch kind {
	case "house":
		return im.house(i, id, f)
	case "lane":
		return im.lane(i, id, f)
	case "label":
		p, err := im.pointGeometry(f.Geometry)
		if err != nil {
			return err
		}
		text, _ := f.Properties["text"].(string)
		if strings.TrimSpace(text) == "" {
			return fmt.Errorf("label without text")
		}
		size, _ := f.Properties["size_m"].(float64)
		if size < 0 || size > 1000 || math.IsNaN(size) {
			return fmt.Errorf("label size %g m out of range", size)
		}
		im.ids[id] = true
		im.v.Labels = append(im.v.Labels, maps.Label{ID: id, Text: text, Point: p, Size: size})
		return nil
	case "":
		return fmt.Errorf("no kind property")
	}
	k, err := maps.ParseLandmarkKind(kind)
	if err != nil {
		return err
	}
	p, err := im.pointGeometry(f.Geometry)
	if err != nil {
		return err
	}
	name, _ := f.Properties["name"].(string)
	im.ids[id] = true
	im.v.Landmarks = append(im.v.Landmarks, maps.Landmark{ID: id, Kind: k, Name: name, Point: p})
	return nil
}

// firstPart reads a geometry of type single (a house's Polygon, a lane's
// LineString) as its coordinates, or one of the Multi type — what GIS
// layers often hold, one part each — as its first part (part names one in
// the messages), with a warning when there are more; role is what the
// feature is on the map.
func firstPart[T any](im *importer, i int, id string, g *gjGeometry, single, part, role string) (T, error) {
	var one T
	lower := strings.ToLower(single)
	switch g.Type {
	case single:
		if err := json.Unmarshal(g.Coordinates, &one); err != nil {
			return one, fmt.Errorf("%s coordinates: %w", lower, err)
		}
		return one, nil
	case "Multi" + single:
		var parts []T
		if err := json.Unmarshal(g.Coordinates, &parts); err != nil {
			return one, fmt.Errorf("multi%s coordinates: %w", lower, err)
		}
		if len(parts) == 0 {
			return one, fmt.Errorf("multi%s has no %s", lower, part)
		}
		if len(parts) > 1 {
			im.warn(i, id, "multi%s of %d parts: only the first is the %s", lower, len(parts), role)
		}
		return parts[0], nil
	}
	return one, fmt.Errorf("%s geometry is %s, want %s", role, g.Type, single)
}

func (im *importer) house(i int, id string, f *gjFeature) error {
	rings, err := firstPart[[][][]float64](im, i, id, f.Geometry, "Polygon", "polygon", "house")
	if err != nil {
		return err
	}
	if len(rings) == 0 {
		return fmt.Errorf("polygon has no ring")
	}
	if len(rings) > 1 {
		im.warn(i, id, "%d inner rings (holes) ignored", len(rings)-1)
	}
	pts, err := im.positions(rings[0])
	if err != nil {
		return fmt.Errorf("outer ring: %w", err)
	}
	if len(pts) > 1 && pts[0] != pts[len(pts)-1] {
		return fmt.Errorf("outer ring is not closed (first and last positions differ)")
	}
	pg, err := maps.Polygon(pts).Normalize()
	if err != nil {
		return fmt.Errorf("house outline: %w", err)
	}
	h := maps.House{ID: id, Polygon: pg}
	h.Name, _ = f.Properties["name"].(string)
	h.Phone = propString(f.Properties["phone"])
	if w, _ := f.Properties["warning"].(string); w != "" {
		if h.Warning, err = maps.ParseWarning(w); err != nil {
			im.warn(i, id, "%v; warning dropped", err)
		}
	}
	if cs, ok := f.Properties["categories"].([]any); ok {
		for _, c := range cs {
			if s, ok := c.(string); ok && s != "" {
				h.Categories = append(h.Categories, maps.Category(s))
			}
		}
	}
	h.Courtyard, _ = f.Properties["courtyard"].(bool)
	if hs, ok := f.Properties["history"].([]any); ok {
		for _, x := range hs {
			n := numbering.Normalize(propString(x))
			if n == "" || numbering.Validate(n) != nil {
				im.warn(i, id, "old number %v dropped: not a house number", x)
				continue
			}
			if o, taken := im.numbers[n]; taken {
				im.warn(i, id, "old number %s dropped: also held by %s", n, o)
				continue
			}
			im.numbers[n] = id
			h.History = append(h.History, n)
		}
	}
	if n := numbering.Normalize(propString(f.Properties["number"])); n != "" {
		switch o, taken := im.numbers[n]; {
		case numbering.Validate(n) != nil:
			im.warn(i, id, "number dropped: %v", numbering.Validate(n))
		case taken:
			im.warn(i, id, "number %s dropped: already held by %s", n, o)
		default:
			im.numbers[n] = id
			h.Number = n
		}
	}
	im.ids[id] = true
	im.v.Houses = append(im.v.Houses, h)
	return nil
}

func (im *importer) lane(i int, id string, f *gjFeature) error {
	raw, err := firstPart[[][]float64](im, i, id, f.Geometry, "LineString", "line", "lane")
	if err != nil {
		return err
	}
	pts, err := im.positions(raw)
	if err != nil {
		return err
	}
	w, ok := f.Properties["width_m"].(float64)
	if !ok {
		return fmt.Errorf("lane without a numeric width_m")
	}
	name, _ := f.Properties["name"].(string)
	l := maps.Lane{ID: id, Name: name, Width: w, Points: maps.DedupPoints(pts)}
	if err := maps.ValidateLane(l); err != nil {
		return err
	}
	im.ids[id] = true
	im.v.Lanes = append(im.v.Lanes, l)
	return nil
}

func (im *importer) pointGeometry(g *gjGeometry) (maps.Point, error) {
	if g.Type != "Point" {
		return maps.Point{}, fmt.Errorf("geometry is %s, want Point", g.Type)
	}
	var c []float64
	if err := json.Unmarshal(g.Coordinates, &c); err != nil {
		return maps.Point{}, fmt.Errorf("point coordinates: %w", err)
	}
	ps, err := im.positions([][]float64{c})
	if err != nil {
		return maps.Point{}, err
	}
	return ps[0], nil
}

// positions converts GeoJSON positions, ignoring a third (height) value:
// local metres as they are, degrees through the village's placement.
func (im *importer) positions(raw [][]float64) ([]maps.Point, error) {
	if len(raw) > maxRingPoints {
		return nil, fmt.Errorf("%d positions, at most %d", len(raw), maxRingPoints)
	}
	pts := make([]maps.Point, len(raw))
	for i, c := range raw {
		if len(c) < 2 {
			return nil, fmt.Errorf("position %d has %d numbers, want 2", i, len(c))
		}
		pts[i] = maps.Point{X: c[0], Y: c[1]}
		if im.place != nil {
			p, err := im.place(c[0], c[1])
			if err != nil {
				return nil, fmt.Errorf("position %d: %w", i, err)
			}
			pts[i] = p
		}
		if !maps.Finite(pts[i]) || math.Abs(pts[i].X) > 1e7 || math.Abs(pts[i].Y) > 1e7 {
			return nil, fmt.Errorf("position %d: out of range for local metres", i)
		}
	}
	return pts, nil
}

func featureID(f *gjFeature) string {
	if s := propString(f.Properties["id"]); s != "" {
		return s
	}
	if len(f.ID) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(f.ID, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(f.ID, &n) == nil {
		return n.String()
	}
	return ""
}

// propString reads a property that may be a string or a number (numbers
// typed into a spreadsheet often arrive as 203 rather than "203").
func propString(x any) string {
	switch t := x.(type) {
	case string:
		return t
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return strconv.FormatInt(int64(t), 10)
		}
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return ""
}
