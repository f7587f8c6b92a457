package maps

import "testing"

func TestRectMeetsSegment(t *testing.T) {
	r := Rect{Point{0, 0}, Point{10, 5}}
	for _, c := range []struct {
		name string
		a, b Point
		want bool
	}{
		{"inside", Point{2, 2}, Point{3, 3}, true},
		{"one end inside", Point{5, 2}, Point{20, 2}, true},
		{"through", Point{-5, 2}, Point{15, 3}, true},
		{"touches the top edge", Point{-2, 5}, Point{3, 5}, true},
		{"through a corner", Point{-1, 6}, Point{1, 4}, true},
		{"a point inside", Point{4, 4}, Point{4, 4}, true},
		{"a point outside", Point{11, 4}, Point{11, 4}, false},
		{"beside, parallel", Point{-3, 6}, Point{12, 6}, false},
		{"past a corner", Point{9, 7}, Point{12, 4}, false},
		{"ends short", Point{-6, 2}, Point{-1, 2}, false},
	} {
		if got := r.MeetsSegment(c.a, c.b); got != c.want {
			t.Errorf("%s: %v–%v meets %v: %v, want %v", c.name, c.a, c.b, r, got, c.want)
		}
		if got := r.MeetsSegment(c.b, c.a); got != c.want {
			t.Errorf("%s, reversed: %v, want %v", c.name, got, c.want)
		}
	}
}
