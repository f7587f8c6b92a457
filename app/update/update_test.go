package update

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/release"
	"cunjing/sync/synctest"
)

func signed(t *testing.T, key ed25519.PrivateKey, version, goos, goarch string, file []byte) []byte {
	t.Helper()
	kind := map[string]string{"windows": release.KindInstaller, "linux": release.KindDeb}[goos]
	name := map[string]string{"windows": "cunjing-setup.exe", "linux": "cunjing_" + version + "_" + goarch + ".deb"}[goos]
	m, err := release.Describe(version, goos, goarch, kind, name, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	data, err := release.Sign(m, key)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReleaseDownTheTree: the station publishes signed releases for two
// systems; the post, once synced, is offered the newest one for itself,
// says why the others are not, and installs it through the platform's
// installer. A release signed by an unknown key is refused at the station
// and, slipped in as a record, at the post; a post cannot publish.
func TestReleaseDownTheTree(t *testing.T) {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	rogue := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, 32))
	keys := []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	stn := synctest.Device(t, store.RoleStation, "城关派出所")
	post := synctest.Device(t, store.RolePost, "东关村警务室")
	synctest.Pair(t, post, stn)
	exe13, exe12, deb13 := []byte(strings.Repeat("MZ13", 5000)), []byte(strings.Repeat("MZ12", 5000)), []byte(strings.Repeat("deb", 5000))
	for _, r := range []struct {
		man  []byte
		file []byte
	}{
		{signed(t, key, "1.2.0", "windows", "amd64", exe12), exe12},
		{signed(t, key, "1.3.0", "windows", "amd64", exe13), exe13},
		{signed(t, key, "1.3.0", "linux", "arm64", deb13), deb13},
	} {
		if _, err := Publish(ctx, stn, keys, r.man, bytes.NewReader(r.file)); err != nil {
			t.Fatal(err)
		}
	}
	// Again: nothing new.
	before, err := stn.Store().Counts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(ctx, stn, keys, signed(t, key, "1.3.0", "windows", "amd64", exe13), bytes.NewReader(exe13)); err != nil {
		t.Fatal(err)
	}
	if after, _ := stn.Store().Counts(ctx, ""); after.Changes != before.Changes {
		t.Errorf("publishing the same release again logged %d changes", after.Changes-before.Changes)
	}
	refusals := []struct {
		name string
		e    *cjsync.Engine
		man  []byte
		file []byte
		want error
	}{
		{"a rogue key", stn, signed(t, rogue, "9.9.9", "windows", "amd64", exe13), exe13, release.ErrUnsigned},
		{"a file that is not the signed one", stn, signed(t, key, "1.4.0", "windows", "amd64", exe13), exe12, release.ErrBadFile},
		{"at a post", post, signed(t, key, "1.4.0", "windows", "amd64", exe13), exe13, nil},
	}
	for _, r := range refusals {
		_, err := Publish(ctx, r.e, keys, r.man, bytes.NewReader(r.file))
		if err == nil || r.want != nil && !errors.Is(err, r.want) {
			t.Errorf("%s: %v, want %v", r.name, err, r.want)
		}
	}
	// A record slipped in past Publish (an older station, a bug): the
	// post checks for itself.
	bad := signed(t, rogue, "9.0.0", "windows", "amd64", exe13)
	if err := stn.Store().Save(ctx, &store.Release{Version: "9.0.0", OS: "windows", Arch: "amd64", Manifest: string(bad),
		FileHash: strings.Repeat("ab", 32), PublishedAt: "2026-12-05"}); err != nil {
		t.Fatal(err)
	}

	// Nothing before the post has synced.
	win := Platform{OS: "windows", Arch: "amd64", Version: "1.1.0"}
	if o, _, err := Find(ctx, post.Store(), keys, win); err != nil || o != nil {
		t.Fatalf("offer before sync: %+v %v", o, err)
	}
	synctest.StationToPost(t, stn, post)
	o, refused, err := Find(ctx, post.Store(), keys, win)
	if err != nil || o == nil {
		t.Fatalf("no offer: %v (refused %v)", err, refused)
	}
	if o.Manifest.Version != "1.3.0" || o.From != "城关派出所" || o.Manifest.OS != "windows" {
		t.Fatalf("offered %+v from %q", o.Manifest, o.From)
	}
	var gotOther, gotOlder, gotUnsigned bool
	for _, r := range refused {
		switch {
		case errors.Is(r.Err, release.ErrOtherPlatform) && r.Version == "1.3.0":
			gotOther = true
		case errors.Is(r.Err, release.ErrUnsigned) && r.Version == "9.0.0":
			gotUnsigned = true
		}
	}
	if !gotOther || !gotUnsigned {
		t.Errorf("refused %v: want the Linux package as another platform and 9.0.0 as unsigned", refused)
	}
	// At 1.3.0 installed nothing is newer; 1.2.0 is refused as older.
	if o2, refused2, _ := Find(ctx, post.Store(), keys, Platform{OS: "windows", Arch: "amd64", Version: "1.3.0"}); o2 != nil {
		t.Errorf("offered %s over 1.3.0", o2.Manifest.Version)
	} else {
		for _, r := range refused2 {
			if r.Version == "1.2.0" && errors.Is(r.Err, release.ErrNotNewer) {
				gotOlder = true
			}
		}
		if !gotOlder {
			t.Errorf("1.2.0 not refused as older: %v", refused2)
		}
	}

	dir := t.TempDir()
	var ran []string
	path, err := Install(ctx, post.Store(), keys, *o, dir, func(name string, args ...string) error {
		ran = append([]string{name}, args...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, exe13) || filepath.Base(path) != "cunjing-setup.exe" {
		t.Fatalf("installer written as %s: %v", path, err)
	}
	if len(ran) != 1 || ran[0] != path {
		t.Errorf("ran %v, want the installer", ran)
	}
	// A deb goes to the system's package installer.
	lin := Platform{OS: "linux", Arch: "arm64", Version: "1.0.0"}
	od, _, err := Find(ctx, post.Store(), keys, lin)
	if err != nil || od == nil {
		t.Fatalf("no deb offered: %v", err)
	}
	if _, err := Install(ctx, post.Store(), keys, *od, dir, func(name string, args ...string) error {
		ran = append([]string{name}, args...)
		return nil
	}); err != nil || len(ran) != 2 || ran[0] != "xdg-open" || !strings.HasSuffix(ran[1], ".deb") {
		t.Errorf("deb install ran %v (%v)", ran, err)
	}
	// A failing installer is said, the file kept.
	if p, err := Install(ctx, post.Store(), keys, *o, dir, func(string, ...string) error { return errors.New("no permission") }); err == nil || p == "" {
		t.Errorf("a failing installer: %q %v", p, err)
	}
}

// TestReleaseFromTheCounty: a release the county publishes travels
// through the station (which carries the file on in its relay to its
// posts) and is offered at the post as from the county.
func TestReleaseFromTheCounty(t *testing.T) {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	keys := []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	county := synctest.Device(t, store.RoleCounty, "城关县公安局")
	stn := synctest.Device(t, store.RoleStation, "城关派出所")
	post := synctest.Device(t, store.RolePost, "东关村警务室")
	synctest.Pair(t, post, stn)
	synctest.Pair(t, stn, county)
	exe := []byte(strings.Repeat("MZ13", 5000))
	if _, err := Publish(ctx, county, keys, signed(t, key, "1.3.0", "windows", "amd64", exe), bytes.NewReader(exe)); err != nil {
		t.Fatal(err)
	}
	synctest.Down(t, county, stn)
	synctest.Down(t, stn, post)
	o, refused, err := Find(ctx, post.Store(), keys, Platform{OS: "windows", Arch: "amd64", Version: "1.2.0"})
	if err != nil || o == nil {
		t.Fatalf("no offer at the post: %v (refused %v)", err, refused)
	}
	if o.Manifest.Version != "1.3.0" || o.From != "城关县公安局" {
		t.Fatalf("offered %+v from %q", o.Manifest, o.From)
	}
}
