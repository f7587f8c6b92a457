package demo

import (
	"testing"

	"cunjing/assets"
	"cunjing/store"
)

// The store (which may not import assets) and the print designer must
// refuse the same sealed-record wording on the public-order tier.
func TestSealedWordsAgree(t *testing.T) {
	for _, w := range store.SealedWords {
		if assets.RecordWording("打架"+w+"影响") == "" {
			t.Errorf("assets accepts %q, store refuses it", w)
		}
	}
	items, err := assets.DefaultCostItems()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range items {
		rec := &store.CostItem{Tier: c.Tier, Grp: c.Grp, Text: c.Text, AmountMin: c.AmountMin, AmountMax: c.AmountMax,
			Unit: c.Unit, EffectiveDate: c.EffectiveDate, CheckedOn: c.CheckedOn}
		if err := rec.Validate(); err != nil {
			t.Errorf("default cost item %q does not validate in store: %v", c.Text, err)
		}
	}
}
