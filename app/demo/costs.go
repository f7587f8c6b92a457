package demo

import (
	"fmt"

	"cunjing/assets"
	"cunjing/store"
)

// costItems are the embedded default cost items as store records (no IDs
// yet). In real use they come down from the station; a demo post has no
// station yet, so it holds its own copy.
func costItems() ([]store.CostItem, error) {
	items, err := assets.DefaultCostItems()
	if err != nil {
		return nil, fmt.Errorf("demo: cost items: %w", err)
	}
	out := make([]store.CostItem, 0, len(items))
	for _, c := range items {
		out = append(out, store.CostItem{Tier: c.Tier, Grp: c.Grp, Text: c.Text, AmountMin: c.AmountMin, AmountMax: c.AmountMax,
			Unit: c.Unit, Law: c.Law, Article: c.Article, LawVersion: c.LawVersion, EffectiveDate: c.EffectiveDate,
			CheckedOn: c.CheckedOn, Confirmed: c.Confirmed, Local: c.Local, Sort: int64(c.Sort), Source: c.Source})
	}
	return out, nil
}
