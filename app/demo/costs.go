package demo

import (
	"fmt"

	"cunjing/assets"
	"cunjing/store"
)

// addCostItems gives the demo post the default cost items. In real use they
// come down from the station; a demo post has no station yet, so it holds
// its own copy (fresh IDs, so a station's published items never collide).
func addCostItems(b *errBatch) error {
	items, err := assets.DefaultCostItems()
	if err != nil {
		return fmt.Errorf("demo: cost items: %w", err)
	}
	for _, c := range items {
		b.add(&store.CostItem{Tier: c.Tier, Grp: c.Grp, Text: c.Text, AmountMin: c.AmountMin, AmountMax: c.AmountMax,
			Unit: c.Unit, Law: c.Law, Article: c.Article, LawVersion: c.LawVersion, EffectiveDate: c.EffectiveDate,
			CheckedOn: c.CheckedOn, Confirmed: c.Confirmed, Local: c.Local, Sort: int64(c.Sort), Source: c.Source})
	}
	return b.flushErr()
}
