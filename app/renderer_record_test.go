package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestClassifyGL: the GL_RENDERER strings of software renderers seen on
// posts' PCs, and of graphics cards, each in its class.
func TestClassifyGL(t *testing.T) {
	for _, tc := range []struct{ gl, want string }{
		{"llvmpipe (LLVM 15.0.6, 256 bits)", "software"},
		{"Gallium 0.4 on llvmpipe (LLVM 3.4, 128 bits)", "software"},
		{"Gallium 0.4 on softpipe", "software"},
		{"softpipe", "software"},
		{"Software Rasterizer", "software"},
		{"Mesa DRI Software Rasterizer", "software"},
		{"GDI Generic", "software"},
		{"Google SwiftShader", "software"},
		{"Mesa X11 swrast", "software"},
		{"Intel(R) HD Graphics 3000", "hardware"},
		{"Mesa Intel(R) UHD Graphics 620 (KBL GT2)", "hardware"},
		{"AMD Radeon(TM) Graphics (radeonsi, renoir, LLVM 15.0.6, DRM 3.49, 6.1.0-18-amd64)", "hardware"},
		{"NVIDIA GeForce GT 730/PCIe/SSE2", "hardware"},
		{"Mali-G52", "hardware"},
		{"SVGA3D; build: RELEASE; LLVM;", "hardware"}, // VMware's host GPU
		{"", "hardware"},
	} {
		if got := classifyGL(tc.gl); got != tc.want {
			t.Errorf("classifyGL(%q) = %q, want %q", tc.gl, got, tc.want)
		}
	}
}

// TestWindowRecord: the record reads back as written; a missing record is
// the zero one; a damaged one is an error, never a wrong answer.
func TestWindowRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cunjing", rendererFileName)
	if r, err := loadWindowRecord(path); err != nil || r != (windowRecord{}) {
		t.Fatalf("no record: %+v, %v", r, err)
	}
	if r, err := loadWindowRecord(""); err != nil || r != (windowRecord{}) {
		t.Fatalf("no path: %+v, %v", r, err)
	}
	want := windowRecord{Renderer: "hardware", GL: "NVIDIA GeForce GT 730/PCIe/SSE2", At: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	for _, w := range []windowRecord{{Renderer: "software", GL: "softpipe"}, want} { // the second replaces the first
		if err := saveWindowRecord(path, w); err != nil {
			t.Fatal(err)
		}
	}
	got, err := loadWindowRecord(path)
	if err != nil || !got.At.Equal(want.At) || got.Renderer != want.Renderer || got.GL != want.GL {
		t.Errorf("read back %+v, %v; want %+v", got, err, want)
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left: %v", err)
	}
	for name, body := range map[string]string{
		"not JSON":         "{",
		"unknown renderer": `{"renderer":"quantum"}`,
		"empty renderer":   `{}`,
	} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if r, err := loadWindowRecord(path); err == nil {
			t.Errorf("%s: read %+v, want an error", name, r)
		}
	}
}

// TestRendererRecordPath: beside the database's default folder, except
// while an older version's roaming folder waits to be moved (writing the
// record would make the new folder and stop the move).
func TestRendererRecordPath(t *testing.T) {
	root := t.TempDir()
	local, roaming := filepath.Join(root, "Local"), filepath.Join(root, "Roaming")
	env := map[string]string{"LOCALAPPDATA": local, "APPDATA": roaming}
	getenv := func(k string) string { return env[k] }
	cfg := func() (string, error) { return filepath.Join(root, "config"), nil }
	noCfg := func() (string, error) { return "", errors.New("no home") }
	mkdir := func(p string) {
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}

	if p, err := rendererRecordPath("linux", getenv, cfg); err != nil || p != filepath.Join(root, "config", "cunjing", rendererFileName) {
		t.Errorf("linux: %q, %v", p, err)
	}
	if _, err := rendererRecordPath("linux", getenv, noCfg); err == nil {
		t.Error("linux without a config folder: no error")
	}
	want := filepath.Join(local, "cunjing", rendererFileName)
	if p, err := rendererRecordPath("windows", getenv, noCfg); err != nil || p != want {
		t.Errorf("windows, fresh: %q, %v", p, err)
	}
	mkdir(filepath.Join(roaming, "cunjing"))
	if p, err := rendererRecordPath("windows", getenv, noCfg); err != nil || p != "" {
		t.Errorf("windows, old folder not moved yet: %q, %v; want none", p, err)
	}
	mkdir(filepath.Join(local, "cunjing"))
	if p, err := rendererRecordPath("windows", getenv, noCfg); err != nil || p != want {
		t.Errorf("windows, both folders: %q, %v", p, err)
	}
}
