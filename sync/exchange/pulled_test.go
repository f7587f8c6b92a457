package exchange

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A stick pulled out after the import and before the write: its folder is
// gone, or its mount point is an empty folder of this PC's own disk again.
// The changesets used to be written there all the same (the folder made
// again where it was missing) and the exchange said it wrote them: the
// officer took the stick away believing it carried the day's work, and
// this PC's disk held it instead. Nothing is written; the error says, in
// Chinese, that the stick went away and that what was read is kept.
func TestStickPulledOutBeforeTheWrite(t *testing.T) {
	ctx := context.Background()
	post, _ := pairedPost(t)
	for _, tc := range []struct {
		name string
		pull func(t *testing.T, dir string)
	}{
		{"gone", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		}},
		{"mount point left", func(t *testing.T, dir string) {
			point := filepath.Join(t.TempDir(), "mnt")
			if err := os.Mkdir(point, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(point, dir); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stick := filepath.Join(t.TempDir(), "U盘")
			if err := os.Mkdir(stick, 0o755); err != nil {
				t.Fatal(err)
			}
			beforeWrite = func() { tc.pull(t, stick) }
			t.Cleanup(func() { beforeWrite = nil })
			rep, err := Once(ctx, post, stick)
			if err == nil {
				t.Fatalf("no error; wrote %d file(s) to a stick that was pulled out", rep.Written)
			}
			if we := (*WriteError)(nil); !errors.As(err, &we) || we.Why != WhyGone {
				t.Errorf("error does not say the stick was pulled out: %v", err)
			}
			if rep.Written != 0 {
				t.Errorf("report says %d file(s) written", rep.Written)
			}
			es, _ := os.ReadDir(stick)
			for _, en := range es {
				t.Errorf("written on this PC's disk where the stick was: %s", en.Name())
			}
			if tc.name == "gone" {
				if _, err := os.Lstat(stick); !os.IsNotExist(err) {
					t.Errorf("the stick's folder was made again on this PC's disk: %v", err)
				}
			}
		})
	}
}
