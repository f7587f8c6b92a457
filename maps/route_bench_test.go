package maps

import (
	"testing"
)

// Benchmarks for numbering, search and routing on the 3000-house village
// (bench3000), each beside its naive baseline.

func allLaneCandidates(lanes []Lane) func(Rect) []int {
	all := allLanes(len(lanes))
	return func(Rect) []int { return all }
}

func unnumbered(v *Village) *Village {
	c := v.Clone()
	for i := range c.Houses {
		c.Houses[i].Number, c.Houses[i].History = "", nil
	}
	return c
}

func BenchmarkAutoNumber3000(b *testing.B) {
	v, _ := bench3000(b)
	c := unnumbered(v)
	b.ResetTimer()
	for b.Loop() {
		if _, err := PlanNumbers(c, NumberOptions{Mode: Renumber}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAutoNumber3000Naive: every house tries every lane for its gate.
func BenchmarkAutoNumber3000Naive(b *testing.B) {
	v, _ := bench3000(b)
	c := unnumbered(v)
	b.ResetTimer()
	for b.Loop() {
		if _, err := planNumbers(c, NumberOptions{Mode: Renumber}, allLaneCandidates); err != nil {
			b.Fatal(err)
		}
	}
}

// routeTargets spreads queries over the village, old quarter included.
func routeTargets(v *Village) []string {
	var out []string
	for i := 0; i < len(v.Houses); i += 97 {
		out = append(out, v.Houses[i].Number)
	}
	return out
}

func BenchmarkRoute3000(b *testing.B) {
	v, _ := bench3000(b)
	r, err := NewRouter(v)
	if err != nil {
		b.Fatal(err)
	}
	ts := routeTargets(v)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := r.Route(RouteOptions{To: ts[i%len(ts)]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoute3000Naive rebuilds the lane network for every question.
func BenchmarkRoute3000Naive(b *testing.B) {
	v, _ := bench3000(b)
	ts := routeTargets(v)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Route(v, RouteOptions{To: ts[i%len(ts)]}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewRouter3000(b *testing.B) {
	v, _ := bench3000(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewRouter(v); err != nil {
			b.Fatal(err)
		}
	}
}
