//go:build !linux

package sync

// cpuSeconds is not measured off Linux.
func cpuSeconds() (float64, bool) { return 0, false }
