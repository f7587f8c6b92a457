package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// What the window last drew with, for a support person: `cunjing version
// --json` is a command-line process and draws nothing itself (renderer
// "none"), so the window writes down, each time it starts, whether it got
// the graphics card ("hardware") or a software renderer ("software": the
// installer's Mesa copy, or a system whose OpenGL is llvmpipe, softpipe,
// Windows' "GDI Generic"...), and the version command reports it as
// window_renderer.

// rendererFileName is the record, in the folder the database lives in by
// default (dataDirs).
const rendererFileName = "renderer.json"

// Renderer classes.
const (
	rendererHardware = "hardware"
	rendererSoftware = "software"
	rendererNone     = "none"
)

// windowRecord is the renderer record.
type windowRecord struct {
	Renderer string    `json:"renderer"`              // hardware or software
	GL       string    `json:"gl_renderer,omitempty"` // OpenGL's GL_RENDERER, as the driver says it
	At       time.Time `json:"at"`                    // when the window started
}

// softwareGL are the GL_RENDERER words of renderers that draw on the
// processor (lower case): Mesa's llvmpipe and softpipe ("Gallium 0.4 on
// llvmpipe (LLVM 15.0.6, 256 bits)"), its old swrast ("Software
// Rasterizer"), Windows' own OpenGL 1.1 ("GDI Generic"), and SwiftShader.
var softwareGL = []string{"llvmpipe", "softpipe", "software", "gdi generic", "swrast", "swiftshader"}

// classifyGL says whether GL_RENDERER names a software renderer; an empty
// name (the driver gave none) counts as the graphics card, since the
// probe's context came from the system's driver.
func classifyGL(glRenderer string) string {
	s := strings.ToLower(glRenderer)
	for _, w := range softwareGL {
		if strings.Contains(s, w) {
			return rendererSoftware
		}
	}
	return rendererHardware
}

// rendererRecordPath is where the record lives on goos, or "" while an
// older version's roaming folder still waits to be moved (moveDataDir
// moves it only when the new folder does not exist yet, so the record
// must not make it).
func rendererRecordPath(goos string, getenv func(string) string, configDir func() (string, error)) (string, error) {
	cur, old, err := dataDirs(goos, getenv, configDir)
	if err != nil {
		return "", err
	}
	if old != "" && !dirExists(cur) && dirExists(old) {
		return "", nil
	}
	return filepath.Join(cur, rendererFileName), nil
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// saveWindowRecord writes r to path whole or not at all (a temporary file
// renamed over the old record).
func saveWindowRecord(path string, r windowRecord) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode renderer record: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("make folder for %s: %w", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(fmt.Errorf("replace %s: %w", path, err), os.Remove(tmp))
	}
	return nil
}

// loadWindowRecord reads the record at path; no file (the window never
// ran for this user) is the zero record.
func loadWindowRecord(path string) (windowRecord, error) {
	var r windowRecord
	if path == "" {
		return r, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("read renderer record: %w", err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return windowRecord{}, fmt.Errorf("read renderer record %s: %w", path, err)
	}
	if r.Renderer != rendererHardware && r.Renderer != rendererSoftware {
		return windowRecord{}, fmt.Errorf("read renderer record %s: renderer %q is neither hardware nor software", path, r.Renderer)
	}
	return r, nil
}
