package households

import (
	"cunjing/store"
)

// ShowVillage lists one village's households, the other filters and the
// search cleared (a station's 各警务室 opens a post's villages here; at a
// station the village filter is the post filter, each village being one
// post's).
func (h *Screen) ShowVillage(villageID string) {
	h.loadVillages(func(vs []store.Village) {
		sel := 0
		for i, v := range vs {
			if v.ID == villageID {
				sel = i + 1
			}
		}
		h.category.SetSelectedIndex(0)
		h.warning.SetSelectedIndex(0)
		h.search.SetText("")
		h.village.SetSelectedIndex(sel)
		h.schedule(0)
	})
}
