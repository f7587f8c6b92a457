package maptest

import (
	"fmt"
	"image"
	"image/color"
	"strconv"

	"cunjing/maps"
)

// FixtureVillage is a small hand-built map used by the rendering, index and
// edit tests. It does not depend on synth.Village, so changes to the
// generator never move these tests' goldens.
func FixtureVillage() *maps.Village {
	v := &maps.Village{Name: "测试村"}
	v.Lanes = []maps.Lane{
		{ID: "L-main", Name: "主街", Width: 6, Points: []maps.Point{{X: 0, Y: 50}, {X: 200, Y: 50}}},
		{ID: "L-1", Name: "1号巷", Width: 4.5, Points: []maps.Point{{X: 60, Y: 50}, {X: 60, Y: 110}}},
		{ID: "L-2", Name: "2号巷", Width: 2.5, Points: []maps.Point{{X: 140, Y: 50}, {X: 140, Y: 80}, {X: 170, Y: 110}}},
		{ID: "L-3", Name: "南巷", Width: 3, Points: []maps.Point{{X: 100, Y: 50}, {X: 100, Y: 0}}},
	}
	n := 0
	add := func(p maps.Polygon, w maps.Warning, cats ...maps.Category) {
		n++
		v.Houses = append(v.Houses, maps.House{
			ID: "H" + strconv.Itoa(n), Number: strconv.Itoa(n), Polygon: p, Warning: w, Categories: cats,
			Name: "户主" + strconv.Itoa(n), Phone: "1380000" + pad4(n),
		})
	}
	for i := 0; i < 4; i++ {
		add(Box(40, 58+float64(i)*13, 15, 11), []maps.Warning{"", maps.WarningGreen, maps.WarningOrange, maps.WarningRed}[i])
		add(Box(65, 58+float64(i)*13, 14, 11), "", []maps.Category{maps.CatParty, maps.CatKey, maps.CatElderly, maps.CatRental}[i:i+1]...)
	}
	for i := 0; i < 5; i++ {
		add(Box(10+float64(i)*18, 30, 15, 14), maps.WarningNone)
	}
	add(maps.Polygon{{X: 145, Y: 60}, {X: 160, Y: 60}, {X: 160, Y: 70}, {X: 152, Y: 70}, {X: 152, Y: 76}, {X: 145, Y: 76}}, maps.WarningOrange, maps.CatWubao, maps.CatChildren)
	add(Box(150, 90, 12, 10), maps.WarningRed)
	v.Houses[len(v.Houses)-1].Courtyard = true
	v.Landmarks = []maps.Landmark{
		{ID: "M-e", Kind: maps.KindEntrance, Name: "东口", Point: maps.Point{X: 200, Y: 50}},
		{ID: "M-p", Kind: maps.KindPond, Name: "东坑塘", Point: maps.Point{X: 180, Y: 20}},
		{ID: "M-w", Kind: maps.KindWell, Name: "老井", Point: maps.Point{X: 90, Y: 70}},
		{ID: "M-h", Kind: maps.KindHydrant, Point: maps.Point{X: 120, Y: 55}},
		{ID: "M-c", Kind: maps.KindCommittee, Point: maps.Point{X: 120, Y: 40}},
		{ID: "M-s", Kind: maps.KindShop, Point: maps.Point{X: 30, Y: 55}},
		{ID: "M-k", Kind: maps.KindClinic, Point: maps.Point{X: 110, Y: 20}},
	}
	v.Labels = []maps.Label{{ID: "T-1", Text: "N→", Point: maps.Point{X: 20, Y: 100}, Size: 5}}
	return v
}

func pad4(n int) string { return fmt.Sprintf("%04d", n) }

// Normalized turns empty slices into nil so a comparison sees content only.
func Normalized(v *maps.Village) *maps.Village {
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

// Box returns a house outline w×h with its lower-left corner at (x, y).
func Box(x, y, w, h float64) maps.Polygon {
	return maps.Polygon{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}}
}

// Halves is a w×h test image, red on the left half and blue on the right.
func Halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// IsRed reports whether c is clearly Halves' red.
func IsRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xc000 && g < 0x4000 && b < 0x4000
}

// IsBlue reports whether c is clearly Halves' blue.
func IsBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b > 0xc000 && g < 0x4000 && r < 0x4000
}
