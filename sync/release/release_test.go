package release

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func testKey(t testing.TB, seed byte) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func testFile(n int) []byte {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestSignOpenAndCheck(t *testing.T) {
	key := testKey(t, 1)
	other := testKey(t, 2)
	keys := []ed25519.PublicKey{other.Public().(ed25519.PublicKey), key.Public().(ed25519.PublicKey)}
	file := testFile(10_000)
	m, err := Describe("1.3.0", "windows", "amd64", KindInstaller, "cunjing-setup.exe", bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	data, err := Sign(m, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Open(data, keys)
	if err != nil || got != m {
		t.Fatalf("open: %+v %v, want %+v", got, err, m)
	}
	if err := got.CheckFile(bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		err  error
		f    func() error
	}{
		{"signed by a key this cunjing does not know", ErrUnsigned, func() error {
			d, err := Sign(m, testKey(t, 3))
			if err != nil {
				return err
			}
			_, err = Open(d, keys)
			return err
		}},
		{"no keys built in", ErrUnsigned, func() error { _, err := Open(data, nil); return err }},
		{"version changed after signing", ErrUnsigned, func() error {
			_, err := Open(bytes.Replace(data, []byte(`1.3.0`), []byte(`9.3.0`), 1), keys)
			return err
		}},
		{"signature cut", ErrUnsigned, func() error {
			_, err := Open([]byte(strings.Replace(string(data), `"sig":"`, `"sig":"AAAA`, 1)), keys)
			return err
		}},
		{"file one byte short", ErrBadFile, func() error { return got.CheckFile(bytes.NewReader(file[1:])) }},
		{"file one byte longer", ErrBadFile, func() error { return got.CheckFile(bytes.NewReader(append(file, 0))) }},
		{"file one byte changed", ErrBadFile, func() error {
			f := bytes.Clone(file)
			f[5000] ^= 1
			return got.CheckFile(bytes.NewReader(f))
		}},
		{"for Linux", ErrOtherPlatform, func() error { return got.For("linux", "amd64", "1.2.0") }},
		{"for ARM", ErrOtherPlatform, func() error { return got.For("windows", "arm64", "1.2.0") }},
		{"older than installed", ErrNotNewer, func() error { return got.For("windows", "amd64", "1.10.0") }},
		{"the installed version", ErrNotNewer, func() error { return got.For("windows", "amd64", "1.3.0") }},
		{"newer", nil, func() error { return got.For("windows", "amd64", "1.2.9") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.f()
			if c.err == nil && err != nil || c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("got %v, want %v", err, c.err)
			}
		})
	}
}

func TestManifestRefused(t *testing.T) {
	key := testKey(t, 1)
	keys := []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	good := Manifest{Version: "1.3.0", OS: "linux", Arch: "arm64", Kind: KindDeb, File: "cunjing_1.3.0_arm64.deb", Size: 5,
		SHA256: strings.Repeat("ab", 32)}
	cases := []struct {
		name string
		edit func(*Manifest)
	}{
		{"version not X.Y.Z", func(m *Manifest) { m.Version = "1.3" }},
		{"an installer for Linux", func(m *Manifest) { m.Kind = KindInstaller }},
		{"a deb for Windows", func(m *Manifest) { m.OS = "windows" }},
		{"a path as file name", func(m *Manifest) { m.File = "../../etc/passwd" }},
		{"no size", func(m *Manifest) { m.Size = 0 }},
		{"upper-case hash", func(m *Manifest) { m.SHA256 = strings.ToUpper(m.SHA256) }},
		{"unknown system", func(m *Manifest) { m.OS = "darwin" }},
	}
	if _, err := Sign(good, key); err != nil {
		t.Fatalf("good manifest: %v", err)
	}
	for _, c := range cases {
		m := good
		c.edit(&m)
		if _, err := Sign(m, key); err == nil {
			t.Errorf("%s: signed", c.name)
		}
	}
	// An unknown field is refused even under a good signature.
	body := `{"version":"1.3.0","os":"linux","arch":"arm64","kind":"deb","file":"x.deb","size":5,"sha256":"` + strings.Repeat("ab", 32) + `","run":"rm -rf /"}`
	data := `{"manifest":` + body + `,"key":"` + KeyID(keys[0]) + `","sig":"` + base64.StdEncoding.EncodeToString(ed25519.Sign(key, []byte(body))) + `"}`
	if _, err := Open([]byte(data), keys); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := Open(bytes.Repeat([]byte(" "), MaxManifest+1), keys); err == nil {
		t.Error("a huge manifest opened")
	}
}

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"1.2.3", "1.2.3", 0}, {"1.10.0", "1.9.9", 1}, {"0.1.0", "1.0.0", -1}, {"2.0.0", "10.0.0", -1}} {
		if got, err := Compare(c.a, c.b); err != nil || got != c.want {
			t.Errorf("Compare(%s, %s) = %d %v, want %d", c.a, c.b, got, err, c.want)
		}
	}
	if _, err := Compare("1.2", "1.2.0"); err == nil {
		t.Error("1.2 compared")
	}
}

func TestParseKeys(t *testing.T) {
	k := testKey(t, 4).Public().(ed25519.PublicKey)
	text := "# release keys\n\n" + base64.StdEncoding.EncodeToString(k) + "\n"
	got, err := ParseKeys([]byte(text))
	if err != nil || len(got) != 1 || !got[0].Equal(k) {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := ParseKeys([]byte("not a key\n")); err == nil {
		t.Error("garbage parsed as a key")
	}
}

func FuzzOpen(f *testing.F) {
	key := testKey(f, 1)
	keys := []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	m := Manifest{Version: "1.3.0", OS: "linux", Arch: "amd64", Kind: KindDeb, File: "cunjing_1.3.0_amd64.deb", Size: 9, SHA256: strings.Repeat("cd", 32)}
	good, err := Sign(m, key)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"manifest":{},"key":"","sig":""}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Open(data, keys)
		if err == nil {
			if verr := m.Validate(); verr != nil {
				t.Fatalf("opened an invalid manifest %+v: %v", m, verr)
			}
		}
	})
}
