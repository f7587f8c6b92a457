package maps

import (
	"fmt"
	"strconv"
)

// fixtureVillage is a small hand-built map used by the rendering, index and
// edit tests. It does not depend on Synthesize, so changes to the
// generator never move these tests' goldens.
func fixtureVillage() *Village {
	rect := func(x, y, w, h float64) Polygon {
		return Polygon{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
	}
	v := &Village{Name: "测试村"}
	v.Lanes = []Lane{
		{ID: "L-main", Name: "主街", Width: 6, Points: []Point{{0, 50}, {200, 50}}},
		{ID: "L-1", Name: "1号巷", Width: 4.5, Points: []Point{{60, 50}, {60, 110}}},
		{ID: "L-2", Name: "2号巷", Width: 2.5, Points: []Point{{140, 50}, {140, 80}, {170, 110}}},
		{ID: "L-3", Name: "南巷", Width: 3, Points: []Point{{100, 50}, {100, 0}}},
	}
	n := 0
	add := func(p Polygon, w Warning, cats ...Category) {
		n++
		v.Houses = append(v.Houses, House{
			ID: "H" + strconv.Itoa(n), Number: strconv.Itoa(n), Polygon: p, Warning: w, Categories: cats,
			Name: "户主" + strconv.Itoa(n), Phone: "1380000" + pad4(n),
		})
	}
	for i := 0; i < 4; i++ {
		add(rect(40, 58+float64(i)*13, 15, 11), []Warning{"", WarningGreen, WarningOrange, WarningRed}[i])
		add(rect(65, 58+float64(i)*13, 14, 11), "", []Category{CatParty, CatKey, CatElderly, CatRental}[i:i+1]...)
	}
	for i := 0; i < 5; i++ {
		add(rect(10+float64(i)*18, 30, 15, 14), WarningNone)
	}
	add(Polygon{{145, 60}, {160, 60}, {160, 70}, {152, 70}, {152, 76}, {145, 76}}, WarningOrange, CatWubao, CatChildren)
	add(rect(150, 90, 12, 10), WarningRed)
	v.Houses[len(v.Houses)-1].Courtyard = true
	v.Landmarks = []Landmark{
		{ID: "M-e", Kind: KindEntrance, Name: "东口", Point: Point{200, 50}},
		{ID: "M-p", Kind: KindPond, Name: "东坑塘", Point: Point{180, 20}},
		{ID: "M-w", Kind: KindWell, Name: "老井", Point: Point{90, 70}},
		{ID: "M-h", Kind: KindHydrant, Point: Point{120, 55}},
		{ID: "M-c", Kind: KindCommittee, Point: Point{120, 40}},
		{ID: "M-s", Kind: KindShop, Point: Point{30, 55}},
		{ID: "M-k", Kind: KindClinic, Point: Point{110, 20}},
	}
	v.Labels = []Label{{ID: "T-1", Text: "N→", Point: Point{20, 100}, Size: 5}}
	return v
}

func pad4(n int) string { return fmt.Sprintf("%04d", n) }

// normalized turns empty slices into nil so a comparison sees content only.
func normalized(v *Village) *Village {
	c := v.Clone()
	c.Base = nil // not part of GeoJSON
	nilIfEmpty := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	c.Retired = nilIfEmpty(c.Retired)
	for i := range c.Houses {
		c.Houses[i].History = nilIfEmpty(c.Houses[i].History)
		if len(c.Houses[i].Categories) == 0 {
			c.Houses[i].Categories = nil
		}
	}
	if len(c.Labels) == 0 {
		c.Labels = nil
	}
	if len(c.Landmarks) == 0 {
		c.Landmarks = nil
	}
	if len(c.Lanes) == 0 {
		c.Lanes = nil
	}
	if len(c.Houses) == 0 {
		c.Houses = nil
	}
	return c
}
