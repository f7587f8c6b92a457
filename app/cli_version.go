package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Build is what this build of cunjing is: the Version of FyneApp.toml (the
// installer and the packages carry the same) and the source commit.
type Build struct {
	Version string
	Commit  string
}

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

// VersionInfo is `cunjing version --json`. Renderer is what draws the
// window: a command-line process draws none.
type VersionInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Renderer string `json:"renderer"`
}

func cmdVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version")
	asJSON := fs.Bool("json", false, "print JSON: {version, commit, os, arch, renderer}")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	v := VersionInfo{Version: env.Build.Version, Commit: env.Build.Commit, OS: runtime.GOOS, Arch: runtime.GOARCH, Renderer: "none"}
	if v.Version == "" {
		v.Version = "unknown"
	}
	if v.Commit == "" {
		v.Commit = "unknown"
	}
	if *asJSON {
		return writeJSON(env.Stdout, v)
	}
	fmt.Fprintf(env.Stdout, "cunjing %s (commit %s, %s/%s)\n", v.Version, v.Commit, v.OS, v.Arch)
	return nil
}
