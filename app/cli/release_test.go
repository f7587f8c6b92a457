package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/assets"
	"cunjing/sync/release"
)

// TestCLIRelease: a key made with keygen signs a package; verify with that
// key accepts it and checks the file, and says when it is for another
// system or not newer; the built-in keys refuse it; keygen never
// overwrites a key; a changed file is refused.
func TestCLIRelease(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	clitest.MustRun(t, "release", "keygen", "--out", keys)
	if _, _, rc := clitest.Run(t, "release", "keygen", "--out", keys); rc == 0 {
		t.Fatal("keygen overwrote a release key")
	}
	if st, err := os.Stat(filepath.Join(keys, "release.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("release.key: %v %v", st, err)
	}
	deb := filepath.Join(dir, "cunjing_1.3.0_arm64.deb")
	if err := os.WriteFile(deb, []byte(strings.Repeat("deb", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	clitest.MustRun(t, "release", "sign", "--key", filepath.Join(keys, "release.key"), "--version", "1.3.0", "--os", "linux", "--arch", "arm64", deb)
	man := deb + ".cjrel"
	pub := filepath.Join(keys, "release.pub")
	var got struct {
		Version     string `json:"version"`
		Kind        string `json:"kind"`
		FileChecked bool   `json:"file_checked"`
		Installable bool   `json:"installable"`
		Why         string `json:"why"`
	}
	out := clitest.MustRun(t, "release", "verify", "--keys", pub, "--os", "linux", "--arch", "arm64", "--installed", "1.2.0", "--json", man, deb)
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != "1.3.0" || got.Kind != "deb" || !got.FileChecked || !got.Installable {
		t.Fatalf("verify: %s", out)
	}
	cases := []struct {
		name string
		args []string
		rc   int
		want string
	}{
		{"another processor", []string{"--keys", pub, "--os", "linux", "--arch", "amd64", "--installed", "1.2.0", man}, 0, "another system"},
		{"not newer", []string{"--keys", pub, "--os", "linux", "--arch", "arm64", "--installed", "1.3.0", man}, 0, "not newer"},
		{"built-in keys", []string{"--os", "linux", "--arch", "arm64", man}, 1, "not signed by a release key"},
		{"not a manifest", []string{"--keys", pub, deb}, 1, "release"},
	}
	for _, c := range cases {
		stdout, stderr, rc := clitest.Run(t, append([]string{"release", "verify"}, c.args...)...)
		if rc != c.rc || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("%s: exit %d, %q %q; want exit %d saying %q", c.name, rc, stdout, stderr, c.rc, c.want)
		}
	}
	if err := os.WriteFile(deb, []byte(strings.Repeat("deb", 999)+"xyz"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, rc := clitest.Run(t, "release", "verify", "--keys", pub, man, deb); rc != 1 || !strings.Contains(stderr, "does not match") {
		t.Errorf("a changed file: exit %d %q", rc, stderr)
	}
}

// TestBuiltinReleaseKeys: the keys built in parse, and there is one.
func TestBuiltinReleaseKeys(t *testing.T) {
	t.Parallel()
	keys, err := release.ParseKeys(assets.ReleaseKeys())
	if err != nil || len(keys) == 0 {
		t.Fatalf("built-in release keys: %d, %v", len(keys), err)
	}
}

// TestCLIUpdateRefusesUnknownKeys: a station refuses to publish a release
// not signed by a built-in key; a post with nothing carried to it says so.
func TestCLIUpdateRefusesUnknownKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	clitest.MustRun(t, "release", "keygen", "--out", keys)
	exe := filepath.Join(dir, "cunjing-setup.exe")
	if err := os.WriteFile(exe, []byte("MZ not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	clitest.MustRun(t, "release", "sign", "--key", filepath.Join(keys, "release.key"), "--version", "9.0.0", "--os", "windows", "--arch", "amd64", exe)
	stn := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", stn, "--role", "station", "--name", "城关派出所")
	if _, stderr, rc := clitest.Run(t, "release", "publish", "--db", stn, exe+".cjrel", exe); rc != 1 || !strings.Contains(stderr, "not signed by a release key") {
		t.Errorf("publish with an unknown key: exit %d %q", rc, stderr)
	}
	post := filepath.Join(dir, "post.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	var got struct {
		Offer   *json.RawMessage `json:"offer"`
		Refused []any            `json:"refused"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "update", "--db", post, "--json")), &got); err != nil || got.Offer != nil || len(got.Refused) != 0 {
		t.Errorf("update with nothing carried: %+v %v", got, err)
	}
	if _, stderr, rc := clitest.Run(t, "update", "--db", post, "--install"); rc != 1 || !strings.Contains(stderr, "no release") {
		t.Errorf("update --install with nothing: exit %d %q", rc, stderr)
	}
}
