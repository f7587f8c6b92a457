package maps

import (
	"fmt"
	"image/color"
	"strings"
)

// Point is a position in local metres (x east, y north).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Add returns p+q.
func (p Point) Add(q Point) Point { return Point{p.X + q.X, p.Y + q.Y} }

// Sub returns p-q.
func (p Point) Sub(q Point) Point { return Point{p.X - q.X, p.Y - q.Y} }

// Scale returns p*k.
func (p Point) Scale(k float64) Point { return Point{p.X * k, p.Y * k} }

// Polygon is a simple ring of vertices in order; it is implicitly closed
// (the last vertex is not a repeat of the first).
type Polygon []Point

// Warning is the warning colour grade of a house (红/橙/绿).
type Warning string

// Warning grades. The empty value means "not graded".
const (
	WarningNone   Warning = ""
	WarningRed    Warning = "red"
	WarningOrange Warning = "orange"
	WarningGreen  Warning = "green"
)

// ParseWarning accepts the English codes and the Chinese colour names.
func ParseWarning(s string) (Warning, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "":
		return WarningNone, nil
	case "red", "红", "红色":
		return WarningRed, nil
	case "orange", "橙", "橙色":
		return WarningOrange, nil
	case "green", "绿", "绿色":
		return WarningGreen, nil
	}
	return WarningNone, fmt.Errorf("unknown warning colour %q (want red/orange/green or 红/橙/绿)", s)
}

// Label returns the Chinese name of the grade ("" when not graded).
func (w Warning) Label() string {
	switch w {
	case WarningRed:
		return "红"
	case WarningOrange:
		return "橙"
	case WarningGreen:
		return "绿"
	}
	return ""
}

// Category flags a house for the map's colour coding. The set follows what
// police village maps mark (domain-facts: party members, grid workers, 五保户,
// key households, left-behind elderly and children, rentals).
type Category string

// Known categories.
const (
	CatParty    Category = "party"    // 党员
	CatGrid     Category = "grid"     // 网格员
	CatWubao    Category = "wubao"    // 五保户
	CatKey      Category = "key"      // 重点户
	CatElderly  Category = "elderly"  // 留守老人
	CatChildren Category = "children" // 留守儿童
	CatRental   Category = "rental"   // 出租屋
	CatEmpty    Category = "empty"    // 空置
)

// Categories lists the known categories in legend order.
var Categories = []Category{CatParty, CatGrid, CatWubao, CatKey, CatElderly, CatChildren, CatRental, CatEmpty}

// Label is the Chinese legend text of a category: the word 住户 stores and
// the window shows (出租屋, the police registration's word for rental
// housing; 党员, as the ledgers and the resident sheet say it), one word
// per concept on paper and on screen.
func (c Category) Label() string {
	switch c {
	case CatParty:
		return "党员"
	case CatGrid:
		return "网格员"
	case CatWubao:
		return "五保户"
	case CatKey:
		return "重点户"
	case CatElderly:
		return "留守老人"
	case CatChildren:
		return "留守儿童"
	case CatRental:
		return "出租屋"
	case CatEmpty:
		return "空置"
	}
	return string(c)
}

// House is one numbered building or courtyard.
type House struct {
	ID      string   `json:"id"`
	Number  string   `json:"number"`
	History []string `json:"history,omitempty"` // numbers it held before, oldest first
	Name    string   `json:"name,omitempty"`    // householder
	Phone   string   `json:"phone,omitempty"`
	Polygon Polygon  `json:"polygon"`
	// Courtyard marks a walled yard (drawn lighter than a building).
	Courtyard  bool       `json:"courtyard,omitempty"`
	Warning    Warning    `json:"warning,omitempty"`
	Categories []Category `json:"categories,omitempty"`
}

// HasCategory reports whether c is among the house's categories.
func (h *House) HasCategory(c Category) bool {
	for _, x := range h.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// Lane is a lane, alley (胡同) or road: a polyline with a usable width.
type Lane struct {
	ID     string  `json:"id"`
	Name   string  `json:"name,omitempty"`
	Width  float64 `json:"width_m"` // metres, the narrowest usable width
	Points []Point `json:"points"`
}

// LandmarkKind names what a landmark is.
type LandmarkKind string

// Known landmark kinds.
const (
	KindEntrance  LandmarkKind = "entrance"
	KindPond      LandmarkKind = "pond"
	KindWell      LandmarkKind = "well"
	KindHydrant   LandmarkKind = "hydrant"
	KindCommittee LandmarkKind = "committee"
	KindSchool    LandmarkKind = "school"
	KindShop      LandmarkKind = "shop"
	KindClinic    LandmarkKind = "clinic"
	KindTemple    LandmarkKind = "temple"
	KindSquare    LandmarkKind = "square"
	KindParcel    LandmarkKind = "parcel" // 快递点
	KindOther     LandmarkKind = "other"
)

// LandmarkKinds lists the known kinds in legend order.
var LandmarkKinds = []LandmarkKind{KindEntrance, KindPond, KindWell, KindHydrant, KindCommittee, KindSchool, KindShop, KindClinic, KindTemple, KindSquare, KindParcel, KindOther}

// ParseLandmarkKind returns the kind for s or an error naming the known kinds.
func ParseLandmarkKind(s string) (LandmarkKind, error) {
	for _, k := range LandmarkKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown landmark kind %q", s)
}

// IsWater reports whether a fire engine can take water there.
func (k LandmarkKind) IsWater() bool {
	return k == KindPond || k == KindWell || k == KindHydrant
}

// Label is the Chinese legend text of a kind.
func (k LandmarkKind) Label() string {
	switch k {
	case KindEntrance:
		return "村口"
	case KindPond:
		return "坑塘"
	case KindWell:
		return "水井"
	case KindHydrant:
		return "消火栓"
	case KindCommittee:
		return "村委会"
	case KindSchool:
		return "学校"
	case KindShop:
		return "商店"
	case KindClinic:
		return "卫生室"
	case KindTemple:
		return "庙"
	case KindSquare:
		return "广场"
	case KindParcel:
		return "快递点"
	}
	return "其他"
}

// Landmark is a point of interest.
type Landmark struct {
	ID    string       `json:"id"`
	Kind  LandmarkKind `json:"kind"`
	Name  string       `json:"name,omitempty"`
	Point Point        `json:"point"`
}

// Label is free text placed on the map (a field name, a direction).
type Label struct {
	ID    string  `json:"id"`
	Text  string  `json:"text"`
	Point Point   `json:"point"`
	Size  float64 `json:"size_m,omitempty"` // text height in metres; 0 = default
}

// BaseLayer places a scanned hand-drawn map under the features. The image
// itself is a blob the caller keeps (see DecodeBaseImage); the layer holds
// how its pixels map to metres.
type BaseLayer struct {
	ImageHash   string  `json:"image_hash,omitempty"`
	Width       int     `json:"width"` // original pixel size, after EXIF rotation
	Height      int     `json:"height"`
	MetresPerPx float64 `json:"metres_per_px"` // 0 = scale not set yet (1 is used)
	// Origin is where the image's top-left pixel lies in metres.
	Origin  Point   `json:"origin"`
	Opacity float64 `json:"opacity"`
}

// Village is a whole map: every feature plus the numbers it has retired.
type Village struct {
	Name      string     `json:"name,omitempty"`
	Houses    []House    `json:"houses"`
	Lanes     []Lane     `json:"lanes"`
	Landmarks []Landmark `json:"landmarks"`
	Labels    []Label    `json:"labels,omitempty"`
	Base      *BaseLayer `json:"base,omitempty"`
	// Retired holds numbers of deleted houses: no other house may take them.
	Retired []string `json:"retired,omitempty"`
}

// Clone returns a deep copy.
func (v *Village) Clone() *Village {
	c := *v
	c.Houses = make([]House, len(v.Houses))
	for i, h := range v.Houses {
		c.Houses[i] = h.Clone()
	}
	c.Lanes = make([]Lane, len(v.Lanes))
	for i, l := range v.Lanes {
		c.Lanes[i] = l.Clone()
	}
	c.Landmarks = append([]Landmark(nil), v.Landmarks...)
	c.Labels = append([]Label(nil), v.Labels...)
	c.Retired = append([]string(nil), v.Retired...)
	if v.Base != nil {
		b := *v.Base
		c.Base = &b
	}
	return &c
}

// Clone is a deep copy of h (outline, history and categories too).
func (h House) Clone() House {
	h.History = append([]string(nil), h.History...)
	h.Polygon = append(Polygon(nil), h.Polygon...)
	h.Categories = append([]Category(nil), h.Categories...)
	return h
}

// Clone is a deep copy of l.
func (l Lane) Clone() Lane {
	l.Points = append([]Point(nil), l.Points...)
	return l
}

// HouseByID returns the index of the house with id, or -1.
func (v *Village) HouseByID(id string) int {
	for i := range v.Houses {
		if v.Houses[i].ID == id {
			return i
		}
	}
	return -1
}

// Entrances returns the entrance landmarks in map order.
func (v *Village) Entrances() []Landmark {
	var out []Landmark
	for _, l := range v.Landmarks {
		if l.Kind == KindEntrance {
			out = append(out, l)
		}
	}
	return out
}

// Colours for warnings and categories, shared by raster and PDF output so
// the screen and the paper agree.
var (
	ColourWarnRed    = color.RGBA{0xd7, 0x30, 0x27, 0xff}
	ColourWarnOrange = color.RGBA{0xf4, 0x8c, 0x1e, 0xff}
	ColourWarnGreen  = color.RGBA{0x3a, 0x9d, 0x48, 0xff}
)
