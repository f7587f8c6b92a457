package route

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/synth/synthtest"
)

// Benchmarks for numbering, search and routing on the 3000-house village
// (bench3000), each beside its naive baseline.

// routeTargets spreads queries over the village, old quarter included.
func routeTargets(v *maps.Village) []string {
	var out []string
	for i := 0; i < len(v.Houses); i += 97 {
		out = append(out, v.Houses[i].Number)
	}
	return out
}

func BenchmarkRoute3000(b *testing.B) {
	v := synthtest.Village3000(b)
	r, err := NewRouter(v)
	if err != nil {
		b.Fatal(err)
	}
	ts := routeTargets(v)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := r.Route(Options{To: ts[i%len(ts)]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoute3000Naive rebuilds the lane network for every question.
func BenchmarkRoute3000Naive(b *testing.B) {
	v := synthtest.Village3000(b)
	ts := routeTargets(v)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Find(v, Options{To: ts[i%len(ts)]}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewRouter3000(b *testing.B) {
	v := synthtest.Village3000(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewRouter(v); err != nil {
			b.Fatal(err)
		}
	}
}
