package maps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// GeoJSON exchange: a FeatureCollection in local metres (not WGS84: these
// maps are surveyed on foot and have no geographic reference). Houses are
// Polygons with kind "house", lanes LineStrings with kind "lane" and
// width_m, landmarks Points with their kind, labels Points with kind
// "label". The collection's foreign members "name", "units" and "retired"
// carry the village name and its retired numbers.

// Limits on outside data, so a hostile file cannot exhaust memory.
const (
	MaxGeoJSONBytes    = 64 << 20
	MaxGeoJSONFeatures = 200_000
	maxRingPoints      = 10_000
)

type gjCollection struct {
	Type     string      `json:"type"`
	Name     string      `json:"name,omitempty"`
	Units    string      `json:"units,omitempty"`
	Retired  []string    `json:"retired,omitempty"`
	Features []gjFeature `json:"features"`
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

// ExportGeoJSON writes v as a GeoJSON FeatureCollection. Output order is
// the village's slice order, so exports of the same map are identical.
func ExportGeoJSON(v *Village) ([]byte, error) {
	c := gjCollection{Type: "FeatureCollection", Name: v.Name, Units: "m", Retired: v.Retired}
	c.Features = make([]gjFeature, 0, len(v.Houses)+len(v.Lanes)+len(v.Landmarks)+len(v.Labels))
	for _, h := range v.Houses {
		ring := make([][2]float64, 0, len(h.Polygon)+1)
		for _, p := range h.Polygon {
			ring = append(ring, [2]float64{p.X, p.Y})
		}
		if len(h.Polygon) > 0 {
			ring = append(ring, [2]float64{h.Polygon[0].X, h.Polygon[0].Y})
		}
		props := map[string]any{"kind": "house", "number": h.Number, "name": h.Name}
		if h.Phone != "" {
			props["phone"] = h.Phone
		}
		if len(h.History) > 0 {
			props["history"] = h.History
		}
		if h.Warning != WarningNone {
			props["warning"] = string(h.Warning)
		}
		if len(h.Categories) > 0 {
			props["categories"] = h.Categories
		}
		if h.Courtyard {
			props["courtyard"] = true
		}
		f, err := feature(h.ID, "Polygon", [][][2]float64{ring}, props)
		if err != nil {
			return nil, fmt.Errorf("house %s: %w", h.ID, err)
		}
		c.Features = append(c.Features, f)
	}
	for _, l := range v.Lanes {
		line := make([][2]float64, len(l.Points))
		for i, p := range l.Points {
			line[i] = [2]float64{p.X, p.Y}
		}
		props := map[string]any{"kind": "lane", "width_m": l.Width}
		if l.Name != "" {
			props["name"] = l.Name
		}
		f, err := feature(l.ID, "LineString", line, props)
		if err != nil {
			return nil, fmt.Errorf("lane %s: %w", l.ID, err)
		}
		c.Features = append(c.Features, f)
	}
	for _, m := range v.Landmarks {
		props := map[string]any{"kind": string(m.Kind)}
		if m.Name != "" {
			props["name"] = m.Name
		}
		f, err := feature(m.ID, "Point", [2]float64{m.Point.X, m.Point.Y}, props)
		if err != nil {
			return nil, fmt.Errorf("landmark %s: %w", m.ID, err)
		}
		c.Features = append(c.Features, f)
	}
	for _, l := range v.Labels {
		props := map[string]any{"kind": "label", "text": l.Text}
		if l.Size > 0 {
			props["size_m"] = l.Size
		}
		f, err := feature(l.ID, "Point", [2]float64{l.Point.X, l.Point.Y}, props)
		if err != nil {
			return nil, fmt.Errorf("label %s: %w", l.ID, err)
		}
		c.Features = append(c.Features, f)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode geojson: %w", err)
	}
	return buf.Bytes(), nil
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

// ImportReport says what an import took and what it left out, feature by
// feature, so the officer can fix the source file.
type ImportReport struct {
	Houses, Lanes, Landmarks, Labels int
	Skipped                          []ImportIssue // features not imported
	Warnings                         []ImportIssue // imported with a change
}

// ImportIssue names a feature by its position in the file and says why.
type ImportIssue struct {
	Feature int    `json:"feature"`
	ID      string `json:"id,omitempty"`
	Reason  string `json:"reason"`
}

// String summarises the report in one line per issue.
func (r *ImportReport) String() string {
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

// ImportGeoJSON reads a FeatureCollection into a new Village. Features it
// cannot use (unknown kinds, broken or degenerate geometry) are skipped
// and listed in the report; a house whose number another house already
// has keeps its shape but loses the number (listed as a warning). The
// error is for files that are not a FeatureCollection at all.
func ImportGeoJSON(data []byte) (*Village, *ImportReport, error) {
	if len(data) > MaxGeoJSONBytes {
		return nil, nil, fmt.Errorf("geojson: file of %d bytes is larger than %d", len(data), MaxGeoJSONBytes)
	}
	var c gjCollection
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, nil, fmt.Errorf("geojson: %w", err)
	}
	if c.Type != "FeatureCollection" {
		return nil, nil, fmt.Errorf("geojson: top-level type is %q, want FeatureCollection", c.Type)
	}
	if len(c.Features) > MaxGeoJSONFeatures {
		return nil, nil, fmt.Errorf("geojson: %d features, at most %d", len(c.Features), MaxGeoJSONFeatures)
	}
	if c.Units != "" && c.Units != "m" {
		return nil, nil, fmt.Errorf("geojson: units %q, only local metres (\"m\") are supported", c.Units)
	}
	v := &Village{Name: c.Name, Houses: []House{}, Lanes: []Lane{}, Landmarks: []Landmark{}}
	rep := &ImportReport{}
	im := importer{v: v, rep: rep, ids: map[string]bool{}, numbers: map[string]string{}}
	for _, n := range c.Retired {
		if n = NormalizeNumber(n); n != "" && ValidateNumber(n) == nil && !containsString(v.Retired, n) {
			v.Retired = append(v.Retired, n)
			im.numbers[n] = "(retired)"
		}
	}
	for i := range c.Features {
		if err := im.feature(i, &c.Features[i]); err != nil {
			rep.Skipped = append(rep.Skipped, ImportIssue{Feature: i, ID: im.lastID, Reason: err.Error()})
		}
	}
	rep.Houses, rep.Lanes, rep.Landmarks, rep.Labels = len(v.Houses), len(v.Lanes), len(v.Landmarks), len(v.Labels)
	return v, rep, nil
}

type importer struct {
	v       *Village
	rep     *ImportReport
	ids     map[string]bool
	numbers map[string]string // number → house ID holding it (current or old)
	lastID  string
}

func (im *importer) warn(i int, id, format string, args ...any) {
	im.rep.Warnings = append(im.rep.Warnings, ImportIssue{Feature: i, ID: id, Reason: fmt.Sprintf(format, args...)})
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
	switch kind {
	case "house":
		return im.house(i, id, f)
	case "lane":
		return im.lane(id, f)
	case "label":
		p, err := pointGeometry(f.Geometry)
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
		im.v.Labels = append(im.v.Labels, Label{ID: id, Text: text, Point: p, Size: size})
		return nil
	case "":
		return fmt.Errorf("no kind property")
	}
	k, err := ParseLandmarkKind(kind)
	if err != nil {
		return err
	}
	p, err := pointGeometry(f.Geometry)
	if err != nil {
		return err
	}
	name, _ := f.Properties["name"].(string)
	im.ids[id] = true
	im.v.Landmarks = append(im.v.Landmarks, Landmark{ID: id, Kind: k, Name: name, Point: p})
	return nil
}

func (im *importer) house(i int, id string, f *gjFeature) error {
	if f.Geometry.Type != "Polygon" {
		return fmt.Errorf("house geometry is %s, want Polygon", f.Geometry.Type)
	}
	var rings [][][]float64
	if err := json.Unmarshal(f.Geometry.Coordinates, &rings); err != nil {
		return fmt.Errorf("polygon coordinates: %w", err)
	}
	if len(rings) == 0 {
		return fmt.Errorf("polygon has no ring")
	}
	if len(rings) > 1 {
		im.warn(i, id, "%d inner rings (holes) ignored", len(rings)-1)
	}
	pts, err := positions(rings[0])
	if err != nil {
		return fmt.Errorf("outer ring: %w", err)
	}
	if len(pts) > 1 && pts[0] != pts[len(pts)-1] {
		return fmt.Errorf("outer ring is not closed (first and last positions differ)")
	}
	pg, err := Polygon(pts).Normalize()
	if err != nil {
		return fmt.Errorf("house outline: %w", err)
	}
	h := House{ID: id, Polygon: pg}
	h.Name, _ = f.Properties["name"].(string)
	h.Phone = propString(f.Properties["phone"])
	if w, _ := f.Properties["warning"].(string); w != "" {
		if h.Warning, err = ParseWarning(w); err != nil {
			im.warn(i, id, "%v; warning dropped", err)
		}
	}
	if cs, ok := f.Properties["categories"].([]any); ok {
		for _, c := range cs {
			if s, ok := c.(string); ok && s != "" {
				h.Categories = append(h.Categories, Category(s))
			}
		}
	}
	h.Courtyard, _ = f.Properties["courtyard"].(bool)
	if hs, ok := f.Properties["history"].([]any); ok {
		for _, x := range hs {
			n := NormalizeNumber(propString(x))
			if n == "" || ValidateNumber(n) != nil {
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
	if n := NormalizeNumber(propString(f.Properties["number"])); n != "" {
		switch o, taken := im.numbers[n]; {
		case ValidateNumber(n) != nil:
			im.warn(i, id, "number dropped: %v", ValidateNumber(n))
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

func (im *importer) lane(id string, f *gjFeature) error {
	if f.Geometry.Type != "LineString" {
		return fmt.Errorf("lane geometry is %s, want LineString", f.Geometry.Type)
	}
	var raw [][]float64
	if err := json.Unmarshal(f.Geometry.Coordinates, &raw); err != nil {
		return fmt.Errorf("linestring coordinates: %w", err)
	}
	pts, err := positions(raw)
	if err != nil {
		return err
	}
	w, ok := f.Properties["width_m"].(float64)
	if !ok {
		return fmt.Errorf("lane without a numeric width_m")
	}
	name, _ := f.Properties["name"].(string)
	l := Lane{ID: id, Name: name, Width: w, Points: dedupPoints(pts)}
	if err := ValidateLane(l); err != nil {
		return err
	}
	im.ids[id] = true
	im.v.Lanes = append(im.v.Lanes, l)
	return nil
}

func dedupPoints(pts []Point) []Point {
	var out []Point
	for _, p := range pts {
		if len(out) == 0 || Dist(out[len(out)-1], p) > 1e-9 {
			out = append(out, p)
		}
	}
	return out
}

func pointGeometry(g *gjGeometry) (Point, error) {
	if g.Type != "Point" {
		return Point{}, fmt.Errorf("geometry is %s, want Point", g.Type)
	}
	var c []float64
	if err := json.Unmarshal(g.Coordinates, &c); err != nil {
		return Point{}, fmt.Errorf("point coordinates: %w", err)
	}
	ps, err := positions([][]float64{c})
	if err != nil {
		return Point{}, err
	}
	return ps[0], nil
}

// positions converts GeoJSON positions, ignoring a third (height) value.
func positions(raw [][]float64) ([]Point, error) {
	if len(raw) > maxRingPoints {
		return nil, fmt.Errorf("%d positions, at most %d", len(raw), maxRingPoints)
	}
	pts := make([]Point, len(raw))
	for i, c := range raw {
		if len(c) < 2 {
			return nil, fmt.Errorf("position %d has %d numbers, want 2", i, len(c))
		}
		pts[i] = Point{c[0], c[1]}
		if !finite(pts[i]) || math.Abs(c[0]) > 1e7 || math.Abs(c[1]) > 1e7 {
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
