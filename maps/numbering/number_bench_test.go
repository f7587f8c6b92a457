package numbering_test

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/numbering"
	"cunjing/maps/synth/synthtest"
)

func allLaneCandidates(lanes []maps.Lane) func(maps.Rect) []int {
	all := make([]int, len(lanes))
	for i := range all {
		all[i] = i
	}
	return func(maps.Rect) []int { return all }
}

func unnumbered(v *maps.Village) *maps.Village {
	c := v.Clone()
	for i := range c.Houses {
		c.Houses[i].Number, c.Houses[i].History = "", nil
	}
	return c
}

func BenchmarkAutoNumber3000(b *testing.B) {
	v := synthtest.Village3000(b)
	c := unnumbered(v)
	b.ResetTimer()
	for b.Loop() {
		if _, err := numbering.Plan(c, numbering.Options{Mode: numbering.Renumber}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAutoNumber3000Naive: every house tries every lane for its gate.
func BenchmarkAutoNumber3000Naive(b *testing.B) {
	v := synthtest.Village3000(b)
	c := unnumbered(v)
	b.ResetTimer()
	for b.Loop() {
		if _, err := numbering.PlanWith(c, numbering.Options{Mode: numbering.Renumber}, allLaneCandidates); err != nil {
			b.Fatal(err)
		}
	}
}
