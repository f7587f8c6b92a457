package bep

import (
	"fmt"
	"testing"

	"cunjing/sync/bep/hello"
)

// A peer's hello names its version: hello.Version reads it or says it cannot,
// and never panics.
func FuzzVersionOf(f *testing.F) {
	for _, v := range []string{"v1.2.0", "v1.1", "v0.9.9-rc1", "1.2.0", "v1", "v-1.2", "v99999999999999999999.1", ""} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		major, minor, ok := hello.Version(v)
		if !ok {
			return
		}
		if major < 0 || minor < 0 {
			t.Fatalf("%q: %d.%d", v, major, minor)
		}
		if m2, n2, ok2 := hello.Version(fmt.Sprintf("v%d.%d", major, minor)); !ok2 || m2 != major || n2 != minor {
			t.Fatalf("%q read as %d.%d, which reads back as %d.%d", v, major, minor, m2, n2)
		}
	})
}
