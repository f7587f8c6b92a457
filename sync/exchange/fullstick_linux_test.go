package exchange

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// A full stick and a read-only one (its write-protect switch), made as
// small tmpfs mounts (root only): the post's changeset on it is read and
// kept, and the error says in Chinese what is wrong with the stick and
// that what it brought is saved. The error used to be the system's
// ("remove what holds the temporary name: … read-only file system"), under
// 交换没有成功, as if nothing had been done.
func TestFullAndReadOnlySticks(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small stick needs root")
	}
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	if err := post.Store().Save(ctx, &store.Village{Name: "西河村"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, why string
		spoil     func(t *testing.T, dir string)
	}{
		{"full", WhyFull, func(t *testing.T, dir string) {
			f, err := os.Create(filepath.Join(dir, "filler"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			buf := make([]byte, 4096)
			for {
				if _, err := f.Write(buf); err != nil {
					if !errors.Is(err, syscall.ENOSPC) {
						t.Fatal(err)
					}
					return
				}
			}
		}},
		{"read-only", WhyReadOnly, func(t *testing.T, dir string) {
			if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			station := device(t, store.RoleStation, "S")
			pair(t, post, station)
			carried := t.TempDir()
			if _, err := Once(ctx, post, carried); err != nil {
				t.Fatal(err)
			}
			stick := t.TempDir()
			if err := syscall.Mount("tmpfs", stick, "tmpfs", 0, "size=256k"); err != nil {
				t.Skipf("cannot mount a tmpfs here: %v", err)
			}
			t.Cleanup(func() { _ = syscall.Unmount(stick, syscall.MNT_DETACH) })
			es, err := os.ReadDir(carried)
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range es {
				data, err := os.ReadFile(filepath.Join(carried, en.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(stick, en.Name()), data, 0o644); err != nil {
					t.Fatal(err)
				}
				settle(t, filepath.Join(stick, en.Name()))
			}
			tc.spoil(t, stick)
			rep, err := Once(ctx, station, stick)
			var we *WriteError
			if !errors.As(err, &we) || we.Why != tc.why {
				t.Fatalf("error %v, want a WriteError of %q", err, tc.why)
			}
			if rep.Imported.Outcomes[cjsync.Applied] != 1 {
				t.Errorf("the report does not say what was read: %+v", rep.Imported)
			}
			if !strings.Contains(dump(t, station, post.Self()), "西河村") {
				t.Fatal("the post's village is not at the station")
			}
			left, _ := os.ReadDir(stick)
			for _, en := range left {
				if strings.HasPrefix(en.Name(), ".cj-tmp-") {
					t.Errorf("half-written file left on the stick: %s", en.Name())
				}
			}
		})
	}
}
