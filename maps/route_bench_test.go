package maps

import (
	"strings"
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

// locateQueries: a number, an old-style suffix, a name, initials, a phone tail.
func locateQueries(v *Village) []string {
	h := v.Houses[1234]
	return []string{"2031", "17-1", h.Name, "wjg", h.Phone[len(h.Phone)-4:]}
}

func BenchmarkLocate3000(b *testing.B) {
	v, _ := bench3000(b)
	ix := NewSearchIndex(v)
	qs := locateQueries(v)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := ix.Locate(qs[i%len(qs)], 0); err != nil {
			b.Fatal(err)
		}
	}
}

// locateScan is the naive search: walk every house, spell each name in
// pinyin on the spot, compare.
func locateScan(v *Village, q string) []int {
	var out []int
	qn := NormalizeNumber(q)
	ql := strings.ToLower(q)
	for i := range v.Houses {
		h := &v.Houses[i]
		match := NormalizeNumber(h.Number) == qn || strings.Contains(h.Name, q) ||
			(len(q) >= 4 && strings.HasSuffix(digitsOnly(h.Phone), q))
		for _, old := range h.History {
			match = match || NormalizeNumber(old) == qn
		}
		if !match {
			full, ini := nameReadings(h.Name)
			for _, x := range append(full, ini...) {
				match = match || strings.HasPrefix(x, ql)
			}
		}
		if match {
			out = append(out, i)
		}
	}
	return out
}

func BenchmarkLocate3000Naive(b *testing.B) {
	v, _ := bench3000(b)
	qs := locateQueries(v)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		locateScan(v, qs[i%len(qs)])
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
