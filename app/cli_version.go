package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"cunjing/app/cli/clikit"
)

// Build is what this build of cunjing is: the Version of FyneApp.toml (the
// installer and the packages carry the same) and the source commit.
type Build = clikit.Build

// BuildOf reads FyneApp.toml's [Details] Version (package main embeds the
// file) and the commit `go build` stamped from the git checkout.
func BuildOf(fyneAppTOML []byte) Build {
	b := Build{Version: versionFromTOML(fyneAppTOML), Commit: vcsCommit()}
	if b.Version == "" {
		b.Version = "unknown"
	}
	return b
}

// versionFromTOML reads Version = "…" from the [Details] table. FyneApp.toml
// is flat and ours, so a line reader is enough (no TOML library needed).
func versionFromTOML(b []byte) string {
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(line, "[] ")
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok || table != "Details" || strings.TrimSpace(key) != "Version" {
			continue
		}
		if v, err := strconv.Unquote(strings.TrimSpace(val)); err == nil {
			return v
		}
	}
	return ""
}

// vcsCommit is the revision `go build` stamped from the git checkout:
// twelve hex digits, "-dirty" when the work tree had changes; "unknown"
// for a build outside a checkout.
func vcsCommit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "unknown"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// VersionInfo is `cunjing version --json`. Renderer is what draws this
// process's window: a command-line process draws none. WindowRenderer is
// what the window drew with when it last started for this user (hardware
// or software, "none" when it never ran), GLRenderer the driver's own
// name for it and WindowStarted when that was: what a support person asks
// when the map is slow.
type VersionInfo struct {
	Version        string `json:"version"`
	Commit         string `json:"commit"`
	OS             string `json:"os"`
	Arch           string `json:"arch"`
	Renderer       string `json:"renderer"`
	WindowRenderer string `json:"window_renderer"`
	GLRenderer     string `json:"gl_renderer,omitempty"`
	WindowStarted  string `json:"window_started,omitempty"`
}

// versionInfo is what `cunjing version` says for build b, with the
// window's renderer record r.
func versionInfo(b Build, r windowRecord) VersionInfo {
	v := VersionInfo{Version: b.Version, Commit: b.Commit, OS: runtime.GOOS, Arch: runtime.GOARCH,
		Renderer: rendererNone, WindowRenderer: rendererNone}
	if v.Version == "" {
		v.Version = "unknown"
	}
	if v.Commit == "" {
		v.Commit = "unknown"
	}
	if r.Renderer != "" {
		v.WindowRenderer, v.GLRenderer = r.Renderer, r.GL
		if !r.At.IsZero() {
			v.WindowStarted = r.At.Format(time.RFC3339)
		}
	}
	return v
}

func cmdVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version")
	asJSON := fs.Bool("json", false, "print JSON: {version, commit, os, arch, renderer, window_renderer, gl_renderer, window_started}")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	var rec windowRecord
	path, err := rendererRecordPath(runtime.GOOS, os.Getenv, os.UserConfigDir)
	if err == nil {
		rec, err = loadWindowRecord(path)
	}
	if err != nil { // the version still prints: say why the window's part is missing
		fmt.Fprintf(env.Stderr, "cunjing: version: %v\n", err)
	}
	v := versionInfo(env.Build, rec)
	if *asJSON {
		return writeJSON(env.Stdout, v)
	}
	fmt.Fprintf(env.Stdout, "cunjing %s (commit %s, %s/%s)\n", v.Version, v.Commit, v.OS, v.Arch)
	if v.WindowRenderer != rendererNone {
		fmt.Fprintf(env.Stdout, "window: %s renderer (%s) at %s\n", v.WindowRenderer, v.GLRenderer, v.WindowStarted)
	}
	return nil
}
