package synccmd

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/infile"
	"cunjing/app/update"
	"cunjing/assets"
	"cunjing/sync/release"
)

// Release makes and checks signed releases: keygen (once, by whoever
// builds releases, on a machine kept offline), sign (each installer and
// package), verify (what a device checks before it offers to install).
func Release(ctx context.Context, env *clikit.Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: release keygen|sign|verify …", clikit.ErrUsage)
	}
	switch args[0] {
	case "keygen":
		return releaseKeygen(env, args[1:])
	case "sign":
		return releaseSign(env, args[1:])
	case "verify":
		return releaseVerify(env, args[1:])
	case "publish":
		return releasePublish(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: release %q: want keygen, sign, verify or publish", clikit.ErrUsage, args[0])
}

func releaseKeygen(env *clikit.Env, args []string) error {
	flags := clikit.NewFlags(env, "release keygen")
	out := flags.String("out", "", "folder for release.key (secret, mode 0600) and release.pub")
	if _, err := clikit.ParseFlags(flags, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out DIR is required", clikit.ErrUsage)
	}
	keyPath, pubPath := filepath.Join(*out, "release.key"), filepath.Join(*out, "release.pub")
	for _, p := range []string{keyPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s exists: a release key is never overwritten", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return err
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fmt.Errorf("release keygen: %w", err)
	}
	f, err := os.OpenFile(keyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, base64.StdEncoding.EncodeToString(priv.Seed())); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	line := base64.StdEncoding.EncodeToString(pub)
	if err := os.WriteFile(pubPath, []byte(line+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "release key %s written to %s (keep it offline)\nadd this line to assets/release/keys.txt:\n%s\n", release.KeyID(pub), keyPath, line)
	return nil
}

func readPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := infile.ReadBounded(path, 4<<10)
	if err != nil {
		return nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: not a release key (cunjing release keygen writes one)", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func releaseSign(env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "release sign")
	keyPath := fs.String("key", "", "the release key (release.key)")
	version := fs.String("version", "", "the release's version X.Y.Z (FyneApp.toml's)")
	goos := fs.String("os", "", "windows or linux")
	goarch := fs.String("arch", "", "amd64, arm64 or loong64")
	kind := fs.String("kind", "", "installer or deb (default: installer for windows, deb for linux)")
	notes := fs.String("notes", "", "what is new, shown to the officer")
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *keyPath == "" || *version == "" || *goos == "" || *goarch == "" {
		return fmt.Errorf("%w: release sign --key FILE --version X.Y.Z --os OS --arch ARCH FILE", clikit.ErrUsage)
	}
	if *kind == "" {
		*kind = map[string]string{"windows": release.KindInstaller, "linux": release.KindDeb}[*goos]
	}
	priv, err := readPrivateKey(*keyPath)
	if err != nil {
		return err
	}
	f, err := infile.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := release.Describe(*version, *goos, *goarch, *kind, filepath.Base(pos[0]), f)
	if err != nil {
		return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
	}
	m.Notes = *notes
	data, err := release.Sign(m, priv)
	if err != nil {
		return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
	}
	out := pos[0] + ".cjrel"
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s %s/%s %s, %d bytes, signed with %s\n", out, m.Version, m.OS, m.Arch, m.Kind, m.Size, release.KeyID(priv.Public().(ed25519.PublicKey)))
	return nil
}

func releaseVerify(env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "release verify")
	goos := fs.String("os", runtime.GOOS, "the system to install on")
	goarch := fs.String("arch", runtime.GOARCH, "the processor to install on")
	installed := fs.String("installed", "", "the installed version (default: this cunjing's)")
	keysFile := fs.String("keys", "", "check against these public keys (a builder's check) instead of the ones built in")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return fmt.Errorf("%w: release verify MANIFEST.cjrel [FILE]", clikit.ErrUsage)
	}
	if *installed == "" {
		*installed = env.Build.Version
	}
	data, err := infile.ReadBounded(pos[0], release.MaxManifest)
	if err != nil {
		return err
	}
	keyText := assets.ReleaseKeys()
	if *keysFile != "" {
		if keyText, err = infile.ReadBounded(*keysFile, 1<<20); err != nil {
			return err
		}
	}
	keys, err := release.ParseKeys(keyText)
	if err != nil {
		return err
	}
	m, err := release.Open(data, keys)
	if err != nil {
		return err
	}
	if len(pos) == 2 {
		f, err := infile.Open(pos[1])
		if err != nil {
			return err
		}
		defer f.Close()
		if err := m.CheckFile(f); err != nil {
			return err
		}
	}
	why := ""
	if err := m.For(*goos, *goarch, *installed); err != nil {
		why = err.Error()
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, struct {
			release.Manifest
			FileChecked bool   `json:"file_checked"`
			Installable bool   `json:"installable"`
			Why         string `json:"why,omitempty"`
		}{m, len(pos) == 2, why == "", why})
	}
	fmt.Fprintf(env.Stdout, "%s %s/%s %s %s, %d bytes: signed by a release key\n", m.Version, m.OS, m.Arch, m.Kind, m.File, m.Size)
	if why != "" {
		fmt.Fprintf(env.Stdout, "not for this computer: %s\n", why)
	}
	return nil
}

// releasePublish (a station) carries a signed release to its posts.
func releasePublish(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "release publish")
	db := fs.String("db", "", "the station's database")
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: release publish --db STATION MANIFEST.cjrel FILE", clikit.ErrUsage)
	}
	e, done, err := openEngine(ctx, env, *db, false, "")
	if err != nil {
		return err
	}
	defer done()
	man, err := infile.ReadBounded(pos[0], release.MaxManifest)
	if err != nil {
		return err
	}
	keys, err := update.Keys()
	if err != nil {
		return err
	}
	f, err := infile.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := update.Publish(ctx, e, keys, man, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s/%s published: the posts are offered it after their next sync\n", m.Version, m.OS, m.Arch)
	return nil
}

// Update shows the newest release carried to this device that it may
// install, the ones refused and why, and with --install starts its
// installer.
func Update(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "update")
	install := fs.Bool("install", false, "write the release next to the database and start its installer")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	st, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	keys, err := update.Keys()
	if err != nil {
		return err
	}
	p := update.Platform{OS: runtime.GOOS, Arch: runtime.GOARCH, Version: env.Build.Version}
	o, refused, err := update.Find(ctx, st, keys, p)
	if err != nil {
		return err
	}
	type refusal struct {
		Version string `json:"version"`
		From    string `json:"from"`
		Why     string `json:"why"`
	}
	out := struct {
		Installed string            `json:"installed"`
		Offer     *release.Manifest `json:"offer"`
		From      string            `json:"from,omitempty"`
		Refused   []refusal         `json:"refused"`
		Started   string            `json:"started,omitempty"`
	}{Installed: p.Version, Refused: []refusal{}}
	for _, r := range refused {
		out.Refused = append(out.Refused, refusal{r.Version, r.From, r.Err.Error()})
	}
	if o != nil {
		out.Offer, out.From = &o.Manifest, o.From
		if *install {
			dir := filepath.Join(filepath.Dir(st.Path()), "updates")
			path, err := update.Install(ctx, st, keys, *o, dir, update.Start)
			if err != nil {
				return err
			}
			out.Started = path
		}
	} else if *install {
		return errors.New("no release to install")
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, out)
	}
	if o == nil {
		fmt.Fprintf(env.Stdout, "no newer release (installed %s)\n", p.Version)
	} else {
		fmt.Fprintf(env.Stdout, "new release %s from %s\n", o.Manifest.Version, o.From)
	}
	for _, r := range out.Refused {
		fmt.Fprintf(env.Stdout, "not offered: %s from %s: %s\n", r.Version, r.From, r.Why)
	}
	if out.Started != "" {
		fmt.Fprintf(env.Stdout, "installer started: %s\n", out.Started)
	}
	return nil
}
