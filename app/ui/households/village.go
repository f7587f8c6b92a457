package households

import (
	"context"

	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// ShowVillage lists one village's households, the other filters and the
// search cleared (a station's 各警务室 opens a post's villages here; at a
// station the village filter is the post filter, each village being one
// post's).
func (h *Screen) ShowVillage(villageID string) {
	var vs []store.Village
	kit.Load(h.u, func(ctx context.Context) (err error) {
		vs, err = h.u.Store().Villages(ctx)
		return err
	}, func() {
		h.mu.Lock()
		h.villages = vs
		h.mu.Unlock()
		opts := []string{lang.L("filter.allVillages")}
		sel := 0
		for i, v := range vs {
			opts = append(opts, v.Name)
			if v.ID == villageID {
				sel = i + 1
			}
		}
		h.village.Options = opts
		h.category.SetSelectedIndex(0)
		h.warning.SetSelectedIndex(0)
		h.search.SetText("")
		h.village.SetSelectedIndex(sel)
		h.schedule(0)
	})
}
