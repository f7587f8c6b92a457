package numbering

import "testing"

func TestCompareNumbers(t *testing.T) {
	order := []string{"2", "10", "10-1", "10-2", "11", "203", "附1"}
	for i := range order {
		for j := range order {
			got := Compare(order[i], order[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("CompareNumbers(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
}
