package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestVersionFromTOML(t *testing.T) {
	for _, tc := range []struct{ toml, want string }{
		{"[Details]\nName = \"村警通\"\nVersion = \"1.3.0\"\n", "1.3.0"},
		{"Version = \"9.9\"\n[Details]\nVersion = \"0.1.0\"\n", "0.1.0"}, // only [Details]
		{"[Details]\nVersion = 1.3\n", ""},                               // not a string
		{"[Other]\nVersion = \"1.0\"\n", ""},
		{"", ""},
	} {
		if got := versionFromTOML([]byte(tc.toml)); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.toml, got, tc.want)
		}
	}
	if b := BuildOf(nil); b.Version != "unknown" || b.Commit == "" {
		t.Errorf("no TOML: %+v", b)
	}
}

// `cunjing version --json` says the build it was given, the system,
// renderer none (a command-line process draws no window), and what the
// window last drew with, read from the record the window left in the
// user's config folder.
func TestCLIVersion(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the config folder is moved with XDG_CONFIG_HOME on Linux only")
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	run := func(args ...string) VersionInfo {
		t.Helper()
		var out, errb bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errb, Build: Build{Version: "1.3.0", Commit: "0123456789ab"}}
		if code := Run(context.Background(), args, env); code != 0 || errb.Len() > 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		var v VersionInfo
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("%v: %v: %s", args, err, out.String())
		}
		return v
	}
	want := VersionInfo{Version: "1.3.0", Commit: "0123456789ab", OS: runtime.GOOS, Arch: runtime.GOARCH, Renderer: "none", WindowRenderer: "none"}
	if v := run("version", "--json"); v != want {
		t.Errorf("no window yet: version --json = %+v, want %+v", v, want)
	}

	at := time.Date(2026, 3, 9, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	rec := windowRecord{Renderer: "software", GL: "llvmpipe (LLVM 15.0.6, 256 bits)", At: at}
	if err := saveWindowRecord(filepath.Join(cfg, "cunjing", rendererFileName), rec); err != nil {
		t.Fatal(err)
	}
	want.WindowRenderer, want.GLRenderer, want.WindowStarted = "software", rec.GL, "2026-03-09T08:30:00+08:00"
	if v := run("version", "--json"); v != want {
		t.Errorf("after a software window: version --json = %+v, want %+v", v, want)
	}

	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Build: Build{Version: "1.3.0", Commit: "0123456789ab"}}
	if code := Run(context.Background(), []string{"version"}, env); code != 0 || !strings.Contains(out.String(), "window: software renderer (llvmpipe") {
		t.Errorf("version: exit %d, %q", code, out.String())
	}

	// A broken record: the version still prints, stderr says why.
	if err := os.WriteFile(filepath.Join(cfg, "cunjing", rendererFileName), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := Run(context.Background(), []string{"version", "--json"}, env); code != 0 || !strings.Contains(out.String(), `"window_renderer": "none"`) || !strings.Contains(errb.String(), "renderer record") {
		t.Errorf("broken record: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// TestVersionInfoJSON: the keys the issue names, always; the window's
// details only when it has run.
func TestVersionInfoJSON(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		build Build
		rec   windowRecord
		want  map[string]string
	}{
		{"never ran", Build{Version: "1.0", Commit: "abc"}, windowRecord{},
			map[string]string{"version": "1.0", "commit": "abc", "renderer": "none", "window_renderer": "none"}},
		{"unknown build", Build{}, windowRecord{},
			map[string]string{"version": "unknown", "commit": "unknown", "renderer": "none", "window_renderer": "none"}},
		{"hardware", Build{Version: "1.0", Commit: "abc"}, windowRecord{Renderer: "hardware", GL: "Mesa Intel(R) HD Graphics 3000 (SNB GT2)", At: at},
			map[string]string{"renderer": "none", "window_renderer": "hardware", "gl_renderer": "Mesa Intel(R) HD Graphics 3000 (SNB GT2)", "window_started": "2026-01-02T03:04:05Z"}},
		{"software without a time", Build{Version: "1.0", Commit: "abc"}, windowRecord{Renderer: "software", GL: "softpipe"},
			map[string]string{"renderer": "none", "window_renderer": "software", "gl_renderer": "softpipe"}},
	} {
		var buf bytes.Buffer
		if err := writeJSON(&buf, versionInfo(tc.build, tc.rec)); err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for k, w := range tc.want {
			if got[k] != w {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, got[k], w)
			}
		}
		for _, k := range []string{"version", "commit", "os", "arch", "renderer", "window_renderer"} {
			if _, ok := got[k]; !ok {
				t.Errorf("%s: key %s missing: %s", tc.name, k, buf.String())
			}
		}
		for _, k := range []string{"gl_renderer", "window_started"} {
			if _, ok := tc.want[k]; !ok {
				if _, has := got[k]; has {
					t.Errorf("%s: key %s present: %s", tc.name, k, buf.String())
				}
			}
		}
	}
}
