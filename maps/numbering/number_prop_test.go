package numbering_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/numbering"
	"cunjing/maps/synth"
)

// Property: whatever sequence of inserts, deletes, manual numbers and
// (re)numbering runs, a number once given to a house never goes to another,
// and every number a house ever had still finds it.
func TestNumberStabilityProperty(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		v, err := synth.Village(int64(seed), 40)
		if err != nil {
			t.Fatal(err)
		}
		owner := map[string]string{} // number -> house ID, over all time
		record := func(step string) {
			cur := map[string]bool{}
			for _, h := range v.Houses {
				if h.Number == "" {
					continue
				}
				if cur[h.Number] {
					t.Fatalf("seed %d after %s: two houses numbered %s", seed, step, h.Number)
				}
				cur[h.Number] = true
				for _, n := range append(append([]string(nil), h.History...), h.Number) {
					if o, ok := owner[n]; ok && o != h.ID {
						t.Fatalf("seed %d after %s: number %s went from %s to %s", seed, step, n, o, h.ID)
					}
					owner[n] = h.ID
					if i, ok := numbering.Find(v, n); !ok || (v.Houses[i].ID != h.ID && numbering.Normalize(v.Houses[i].Number) != n) {
						t.Fatalf("seed %d after %s: number %s does not find house %s", seed, step, n, h.ID)
					}
				}
			}
		}
		record("start")
		for step := 0; step < 25; step++ {
			var name string
			switch op := rng.IntN(5); op {
			case 0, 1: // build a house next to an existing one
				base := v.Houses[rng.IntN(len(v.Houses))].Polygon.Centroid()
				v.Houses = append(v.Houses, maps.House{ID: fmt.Sprintf("new-%d", step), Polygon: maptest.Box(base.X+rng.Float64()*4, base.Y+rng.Float64()*4, 8, 8)})
				_, err = numbering.Auto(v, numbering.Options{})
				name = "insert"
			case 2:
				err = numbering.RemoveHouse(v, v.Houses[rng.IntN(len(v.Houses))].ID)
				name = "delete"
			case 3:
				_, err = numbering.Auto(v, numbering.Options{Mode: numbering.Renumber})
				name = "renumber"
			case 4:
				h := v.Houses[rng.IntN(len(v.Houses))]
				n := fmt.Sprint(1 + rng.IntN(60))
				if e := numbering.Set(v, h.ID, n); e == nil {
					if o, ok := owner[n]; ok && o != h.ID {
						t.Fatalf("seed %d: SetNumber gave %s (of %s) to %s", seed, n, o, h.ID)
					}
				}
				name = "set " + n
			}
			if err != nil {
				t.Fatalf("seed %d step %d %s: %v", seed, step, name, err)
			}
			record(name)
		}
	}
}
