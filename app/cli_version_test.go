package app

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"testing"
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

// `cunjing version --json` says the build it was given, the system, and
// renderer none (a command-line process draws no window).
func TestCLIVersion(t *testing.T) {
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Build: Build{Version: "1.3.0", Commit: "0123456789ab"}}
	if code := Run(context.Background(), []string{"version", "--json"}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var v VersionInfo
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	want := VersionInfo{Version: "1.3.0", Commit: "0123456789ab", OS: runtime.GOOS, Arch: runtime.GOARCH, Renderer: "none"}
	if v != want {
		t.Errorf("version --json = %+v, want %+v", v, want)
	}
	out.Reset()
	if code := Run(context.Background(), []string{"version"}, env); code != 0 || out.String() == "" {
		t.Errorf("version: exit %d, %q", code, out.String())
	}
}
