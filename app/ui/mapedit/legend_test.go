package mapedit

import (
	"strings"
	"testing"

	applang "cunjing/app/lang"
	"cunjing/maps"
	"cunjing/maps/render"
)

// A house category is called the same on the printed map sheet's legend
// and in the window's 图例: the sheet said 出租房 and 党员户 where the
// window (and 住户's list, the resident sheet) said 出租屋 and 党员.
func TestLegendCategoryWordsAsPrinted(t *testing.T) {
	zh, err := applang.Messages("zh")
	if err != nil {
		t.Fatal(err)
	}
	v := &maps.Village{Houses: []maps.House{{Categories: maps.Categories}}}
	want := map[maps.Category]string{maps.CatParty: "党员", maps.CatRental: "出租屋"}
	seen := 0
	for _, it := range render.Legend(v, 4, false) {
		kind, val, _ := strings.Cut(it.Key, ":")
		if kind != "category" {
			continue
		}
		seen++
		if w := zh[mapCategoryKeys[maps.Category(val)]]; w != it.Label {
			t.Errorf("category %s: the window says %q, the printed sheet %q", val, w, it.Label)
		}
		if w, ok := want[maps.Category(val)]; ok && it.Label != w {
			t.Errorf("category %s printed as %q, want %q", val, it.Label, w)
		}
	}
	if seen != len(maps.Categories) {
		t.Errorf("%d category entries, want %d", seen, len(maps.Categories))
	}
}
