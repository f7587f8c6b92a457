// Package update is a new cunjing carried down the tree: a station
// publishes a signed release it was given (Publish: the manifest and the
// installer or package, as a synced record and a blob), a post finds the
// newest release it may install (Find) and installs it through its
// platform's installer on the officer's say-so (Install). Every device
// checks the manifest against the release keys built into it and the file
// against the manifest; it trusts neither the station nor the carrier.
// `cunjing release publish`, `cunjing update` and the window share it.
package update

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"cunjing/assets"
	"cunjing/store"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/release"
)

// Keys are the release keys built into this cunjing.
func Keys() ([]ed25519.PublicKey, error) {
	return release.ParseKeys(assets.ReleaseKeys())
}

// Platform is what runs here: system, processor and installed version.
type Platform struct {
	OS, Arch, Version string
}

// Publish checks a release (manifest signed by one of keys, file matching
// it) and makes it the station's to carry to its posts (or the county's,
// which its stations carry on): the file as a blob, the manifest in a
// release record, cut at once. Publishing the same
// file again changes nothing.
func Publish(ctx context.Context, e *cjsync.Engine, keys []ed25519.PublicKey, manifest []byte, file io.Reader) (release.Manifest, error) {
	st := e.Store()
	if !store.Publishes(st.Role()) {
		return release.Manifest{}, errors.New("publish a release: only a station or the county carries releases down the tree")
	}
	m, err := release.Open(manifest, keys)
	if err != nil {
		return release.Manifest{}, err
	}
	data, err := io.ReadAll(io.LimitReader(file, m.Size+1))
	if err != nil {
		return release.Manifest{}, fmt.Errorf("read %s: %w", m.File, err)
	}
	if err := m.CheckFile(bytes.NewReader(data)); err != nil {
		return release.Manifest{}, err
	}
	if err := st.PutBlob(ctx, m.SHA256, data); err != nil {
		return release.Manifest{}, err
	}
	r := &store.Release{Meta: store.Meta{ID: tierdata.ReleaseID(m.SHA256)}, Version: m.Version, OS: m.OS, Arch: m.Arch,
		Manifest: string(manifest), FileHash: m.SHA256, PublishedAt: st.Clock().WallNow().Format("2006-01-02")}
	var old store.Release
	switch err := st.Get(ctx, &old, r.ID); {
	case err == nil && !old.Deleted:
		return m, nil // published already
	case err == nil:
		r.Meta = old.Meta
		r.Deleted = false
	case !errors.Is(err, store.ErrNotFound):
		return release.Manifest{}, err
	}
	if err := st.Save(ctx, r); err != nil {
		return release.Manifest{}, err
	}
	if _, err := e.Cut(ctx); err != nil {
		return release.Manifest{}, err
	}
	return m, nil
}

// Offer is a release this device may install.
type Offer struct {
	Manifest release.Manifest
	From     string // the name of the station that carried it
	Release  store.Release
}

// Refused is a release carried here that will not be offered, and why
// (Err: release.ErrUnsigned, ErrBadFile, ErrOtherPlatform, ErrNotNewer, or
// another error).
type Refused struct {
	Version string
	From    string
	Err     error
}

// Find returns the newest release carried to this device that it may
// install (nil when none), and the ones refused. A release whose file
// has not arrived yet is neither: it is offered once it is here.
func Find(ctx context.Context, st *store.Store, keys []ed25519.PublicKey, p Platform) (*Offer, []Refused, error) {
	rs, err := tierdata.Releases(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	var offers []Offer
	var refused []Refused
	for _, r := range rs {
		from := r.Owner
		var post store.Post
		if err := st.Get(ctx, &post, r.Owner); err == nil && post.Name != "" {
			from = post.Name
		}
		m, err := release.Open([]byte(r.Manifest), keys)
		if err == nil && m.SHA256 != r.FileHash {
			err = fmt.Errorf("%w: the record names another file than its manifest", release.ErrBadFile)
		}
		if err == nil {
			err = m.For(p.OS, p.Arch, p.Version)
		}
		if err != nil {
			refused = append(refused, Refused{Version: r.Version, From: from, Err: err})
			continue
		}
		data, err := st.Blob(ctx, r.FileHash)
		if errors.Is(err, store.ErrNotFound) {
			continue // still on its way
		}
		if err != nil {
			return nil, nil, err
		}
		if err := m.CheckFile(bytes.NewReader(data)); err != nil {
			refused = append(refused, Refused{Version: r.Version, From: from, Err: err})
			continue
		}
		offers = append(offers, Offer{Manifest: m, From: from, Release: r})
	}
	if len(offers) == 0 {
		return nil, refused, nil
	}
	best := slices.MaxFunc(offers, func(a, b Offer) int {
		c, _ := release.Compare(a.Manifest.Version, b.Manifest.Version) // both validated
		return c
	})
	return &best, refused, nil
}

// Runner starts a program and does not wait for it (the installer takes
// over; cunjing is to close).
type Runner func(name string, args ...string) error

// Start is the Runner of a real installer: it starts name with args and
// lets it run on after cunjing closes.
func Start(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// Install writes the offered file into dir (checked against its manifest
// once more) and starts the platform's installer on it: the installer
// itself on Windows (per user, no administrator), the system's package
// installer for a .deb (xdg-open: UOS and Kylin open their own). It
// returns the file's path.
func Install(ctx context.Context, st *store.Store, keys []ed25519.PublicKey, o Offer, dir string, run Runner) (string, error) {
	m, err := release.Open([]byte(o.Release.Manifest), keys)
	if err != nil {
		return "", err
	}
	data, err := st.Blob(ctx, m.SHA256)
	if err != nil {
		return "", fmt.Errorf("the file of %s: %w", m.Version, err)
	}
	if err := m.CheckFile(bytes.NewReader(data)); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, m.File) // release.Validate allows no separators in File
	tmp, err := os.CreateTemp(dir, ".cunjing-update-*")
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o700); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	switch m.Kind {
	case release.KindInstaller:
		err = run(path)
	case release.KindDeb:
		err = run("xdg-open", path)
	default:
		err = fmt.Errorf("release kind %q", m.Kind)
	}
	if err != nil {
		return path, fmt.Errorf("start the installer for %s: %w", m.Version, err)
	}
	return path, nil
}
