package exchange

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/sync/safefile"
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

// A stick swapped for another, or pulled out with its mount point left,
// while the write is under way: the folder was checked before and after
// the whole write, so every file after the swap went to the other folder
// (this PC's disk, or someone else's stick), and only then did the
// exchange say so. Now it is checked before each file: the write stops at
// the swap with a WriteError that says the stick went away, and nothing
// lands in the other folder. (Red before: the other folder got the rest.)
func TestStickSwappedMidWrite(t *testing.T) {
	ctx := context.Background()
	post, _ := pairedPost(t)
	stick := filepath.Join(t.TempDir(), "U盘")
	if err := os.Mkdir(stick, 0o755); err != nil {
		t.Fatal(err)
	}
	away := filepath.Join(t.TempDir(), "拔出的U盘")
	swapped := false
	// Runs before the exchange's own check of the folder: once a file is
	// on the stick, the stick is swapped for an empty one.
	release := safefile.Guard(stick, func() error {
		if swapped || len(written(stick)) == 0 {
			return nil
		}
		swapped = true
		if err := os.Rename(stick, away); err != nil {
			return err
		}
		return os.Mkdir(stick, 0o755)
	})
	defer release()
	rep, err := Once(ctx, post, stick)
	if !swapped {
		t.Fatalf("the post wrote fewer than two files (%d): nothing to swap between", len(written(stick)))
	}
	if we := (*WriteError)(nil); !errors.As(err, &we) || we.Why != WhyGone {
		t.Fatalf("error does not say the stick went away: %v (report: %d written)", err, rep.Written)
	}
	for _, name := range written(stick) {
		t.Errorf("written to the folder that took the stick's place: %s", name)
	}
	if n := len(written(away)); n != 1 {
		t.Errorf("the stick holds %d files, want the one written before the swap", n)
	}
}

// written lists the files under their names in dir (not the temporary
// files of a write under way).
func written(dir string) []string {
	var out []string
	for name := range files(dir) {
		if !strings.HasPrefix(name, safefile.TempPrefix) {
			out = append(out, name)
		}
	}
	return out
}
