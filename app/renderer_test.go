//go:build !nogui

package app

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/app/ui"
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

// TestStart is the start-up decision with injected probe results: open
// the window here (and on what it draws), start the software copy, or
// tell the officer in a message box, in Chinese, what to do.
func TestStart(t *testing.T) {
	inst := filepath.Join("C:", "Programs", "cunjing")
	exe := filepath.Join(inst, "cunjing.exe")
	sw := filepath.Join(inst, softwareDir, "cunjing.exe")
	swGL := filepath.Join(inst, softwareDir, "opengl32.dll")
	installed := []string{exe, sw, swGL}
	noGL := errors.New("make an OpenGL window: WGL: The driver does not appear to support OpenGL")
	at := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		exe       string
		files     []string
		glName    string
		probeErr  error
		copyRC    int   // the software copy's exit code
		copyErr   error // the software copy could not start
		lang      string
		wantRun   bool
		wantR     string // the renderer recorded when run
		wantRC    int
		wantCopy  bool     // the software copy was started
		wantBox   []string // the message box says all of these ("" none)
		wantNoBox bool
	}{
		{name: "graphics card", exe: exe, files: installed, glName: "Intel(R) HD Graphics 4600",
			wantRun: true, wantR: "hardware", wantNoBox: true},
		{name: "system llvmpipe", exe: exe, files: installed, glName: "llvmpipe (LLVM 15.0.6, 256 bits)",
			wantRun: true, wantR: "software", wantNoBox: true},
		{name: "the software copy, whatever Mesa calls itself", exe: sw, files: installed, glName: "Mesa Gallium",
			wantRun: true, wantR: "software", wantNoBox: true},
		{name: "no OpenGL, the copy runs", exe: exe, files: installed, probeErr: noGL, copyRC: 0,
			wantRC: 0, wantCopy: true, wantNoBox: true},
		{name: "no OpenGL, the copy's own exit code", exe: exe, files: installed, probeErr: noGL, copyRC: 1,
			wantRC: 1, wantCopy: true, wantNoBox: true},
		{name: "no OpenGL, the copy cannot start", exe: exe, files: installed, probeErr: noGL, copyErr: errors.New("access denied"),
			wantRC: 1, wantCopy: true, wantBox: []string{"更新显卡驱动", "村警通（兼容模式）", "WGL: The driver", "access denied"}},
		{name: "no OpenGL, no software copy", exe: exe, files: []string{exe}, probeErr: noGL,
			wantRC: 1, wantBox: []string{"村警通的窗口打不开", "更新显卡驱动", "数据没有丢失", "WGL: The driver"}},
		{name: "the software copy fails too", exe: sw, files: installed, probeErr: noGL,
			wantRC: 1, wantBox: []string{"更新显卡驱动", "WGL: The driver"}},
		{name: "English asked for", exe: exe, files: []string{exe}, probeErr: noGL, lang: "en",
			wantRC: 1, wantBox: []string{"update the graphics driver", "WGL: The driver"}},
	}
	t.Cleanup(func() {
		if err := ui.ApplyLanguage(""); err != nil {
			t.Error(err)
		}
	})
	for _, tt := range tests {
		have := map[string]bool{}
		for _, f := range tt.files {
			have[f] = true
		}
		var started []string
		var boxTitle, boxText string
		var stderr bytes.Buffer
		s := starter{
			host:  startHost{goos: "windows", exe: tt.exe, exists: func(p string) bool { return have[p] }},
			probe: func() (string, error) { return tt.glName, tt.probeErr },
			relaunch: func(exe string, args []string) (int, error) {
				started = append(started, exe+" "+strings.Join(args, " "))
				return tt.copyRC, tt.copyErr
			},
			messageBox: func(title, text string) { boxTitle, boxText = title, text },
			now:        func() time.Time { return at },
			stderr:     &stderr,
		}
		got := s.start([]string{"--lang", tt.lang, "backup.cjbak"}, tt.lang)
		if got.run != tt.wantRun || got.rc != tt.wantRC {
			t.Errorf("%s: run %v rc %d, want run %v rc %d (stderr %s)", tt.name, got.run, got.rc, tt.wantRun, tt.wantRC, stderr.String())
		}
		if tt.wantRun {
			want := windowRecord{Renderer: tt.wantR, GL: tt.glName, At: at}
			if got.record != want {
				t.Errorf("%s: record %+v, want %+v", tt.name, got.record, want)
			}
		}
		if wantStarted := tt.wantCopy; wantStarted != (len(started) == 1) || (wantStarted && started[0] != sw+" --lang "+tt.lang+" backup.cjbak") {
			t.Errorf("%s: started %q, want the copy: %v", tt.name, started, wantStarted)
		}
		if tt.wantNoBox || tt.wantBox == nil {
			if boxText != "" {
				t.Errorf("%s: message box %q, want none", tt.name, boxText)
			}
			continue
		}
		if boxTitle == "" {
			t.Errorf("%s: message box without a title", tt.name)
		}
		for _, w := range tt.wantBox {
			if !strings.Contains(boxText, w) {
				t.Errorf("%s: message box %q lacks %q", tt.name, boxText, w)
			}
		}
		if !strings.Contains(stderr.String(), boxText) {
			t.Errorf("%s: stderr lacks the message: %s", tt.name, stderr.String())
		}
	}
}
