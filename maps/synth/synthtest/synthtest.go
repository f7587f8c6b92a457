// Package synthtest holds what benchmarks over a synthetic village share:
// the 3000-house village the figures in docs/BENCHMARKS.md are measured on.
package synthtest

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/synth"
)

// Village3000 is the benchmark village: synth.Village(42, 3000).
func Village3000(tb testing.TB) *maps.Village {
	tb.Helper()
	v, err := synth.Village(42, 3000)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}
