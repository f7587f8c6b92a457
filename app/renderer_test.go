//go:build !nogui

package app

import (
	"path/filepath"
	"testing"
)

// TestSoftwareCopy: the window starts the copy beside Mesa only on
// Windows, only when the installer put both there, and never from that
// copy itself (it would start itself for ever).
func TestSoftwareCopy(t *testing.T) {
	inst := filepath.Join("C:", "Programs", "cunjing")
	exe := filepath.Join(inst, "cunjing.exe")
	sw := filepath.Join(inst, softwareDir, "cunjing.exe")
	swGL := filepath.Join(inst, softwareDir, "opengl32.dll")
	tests := []struct {
		name  string
		goos  string
		exe   string
		files []string
		want  string
	}{
		{"installed with it", "windows", exe, []string{exe, sw, swGL}, sw},
		{"no software folder", "windows", exe, []string{exe}, ""},
		{"copy without Mesa", "windows", exe, []string{exe, sw}, ""},
		{"already the copy", "windows", sw, []string{exe, sw, swGL}, ""},
		{"Mesa beside the program", "windows", exe, []string{exe, filepath.Join(inst, "opengl32.dll"), sw, swGL}, ""},
		{"linux", "linux", exe, []string{exe, sw, swGL}, ""},
		{"unknown executable", "windows", "", []string{sw, swGL}, ""},
	}
	for _, tt := range tests {
		have := map[string]bool{}
		for _, f := range tt.files {
			have[f] = true
		}
		h := startHost{goos: tt.goos, exe: tt.exe, exists: func(p string) bool { return have[p] }}
		if got := h.softwareCopy(); got != tt.want {
			t.Errorf("%s: softwareCopy() = %q, want %q", tt.name, got, tt.want)
		}
	}
}
