package numbering

import (
	"testing"
)

// FuzzSetNumber: hand-typed numbers are accepted only when valid and free.
func FuzzSetNumber(f *testing.F) {
	for _, s := range []string{"5", "203-1", "", "２", "a b", "-", "9999999999999999999", "附1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n string) {
		v := streetVillage()
		if _, err := Auto(v, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := Set(v, "n-w-1", n); err != nil {
			return
		}
		seen := map[string]bool{}
		for _, h := range v.Houses {
			if seen[h.Number] {
				t.Fatalf("%q: duplicate number %s", n, h.Number)
			}
			seen[h.Number] = true
		}
	})
}
