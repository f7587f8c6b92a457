package sync

import "syscall"

// cpuSeconds is the process's user+system CPU time so far: benchmarks
// report it beside wall time because the shared 2-core machine's load
// inflates wall time by a varying factor.
func cpuSeconds() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime), true
}
