//go:build !nogui

package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui"
)

// Fyne draws with OpenGL 2.1 (OpenGL ES 2.0 on ARM). Old office PCs
// (Intel HD 3000/GMA graphics on Windows), virtual machines and Remote
// Desktop sessions often have none: GLFW then fails to create the window
// ("WGL: The driver does not appear to support OpenGL") and the program
// hangs without a window. So before the window opens, cunjing makes a
// hidden window with the context Fyne will ask for (probeGL). If that
// fails on Windows and the installer put the software renderer beside it
// (software\cunjing.exe next to Mesa's opengl32.dll, make mesa-windows),
// it starts that copy instead: Windows loads a program's DLLs from its own
// folder first, so the copy draws with Mesa's softpipe. If there is none,
// or the copy itself fails, the officer is told what to do (a native
// message box on Windows), never a silent hang.

// softwareDir is the installer's subfolder with the second cunjing.exe
// beside Mesa's opengl32.dll.
const softwareDir = "software"

// startHost is what the start-up decision looks at (injected in tests).
type startHost struct {
	goos   string
	exe    string // os.Executable()
	exists func(string) bool
}

func thisStartHost() startHost {
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	}
	return startHost{goos: runtime.GOOS, exe: exe, exists: fileExists}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// onSoftwareCopy reports whether this process is the installer's software
// copy: on Windows, with Mesa's opengl32.dll beside it.
func (h startHost) onSoftwareCopy() bool {
	return h.goos == "windows" && h.exe != "" && h.exists(filepath.Join(filepath.Dir(h.exe), "opengl32.dll"))
}

// softwareCopy is the copy of cunjing that draws with Mesa, or "" when
// there is none: not Windows, not installed with it, or this process is
// that copy already (Mesa's opengl32.dll beside it).
func (h startHost) softwareCopy() string {
	if h.goos != "windows" || h.exe == "" {
		return ""
	}
	if h.onSoftwareCopy() {
		return ""
	}
	dir := filepath.Dir(h.exe)
	exe := filepath.Join(dir, softwareDir, filepath.Base(h.exe))
	if !h.exists(exe) || !h.exists(filepath.Join(dir, softwareDir, "opengl32.dll")) {
		return ""
	}
	return exe
}

// relaunch runs exe with args and this process's streams, waits, and
// returns its exit code.
func relaunch(exe string, args []string) (int, error) {
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, fmt.Errorf("start %s: %w", exe, err)
	}
	return 0, nil
}

// starter is what the start-up decision uses from the outside world,
// injected in tests.
type starter struct {
	host       startHost
	probe      func() (string, error) // GL_RENDERER, or why no context
	relaunch   func(exe string, args []string) (int, error)
	messageBox func(title, text string)
	now        func() time.Time
	stderr     io.Writer
}

func thisStarter(stderr io.Writer) starter {
	return starter{host: thisStartHost(), probe: probeGL, relaunch: relaunch, messageBox: showMessageBox, now: time.Now, stderr: stderr}
}

// startResult is the start-up decision: open the window here, drawing
// with record.Renderer, or exit with code rc (the software copy ran, or
// the officer was told what to do).
type startResult struct {
	run    bool
	record windowRecord
	rc     int
}

// start decides, before the window opens, whether it can (args are the
// window's arguments, passed on to the software copy; code the --lang
// given, for the message).
func (s starter) start(args []string, code string) startResult {
	name, err := s.probe()
	if err == nil {
		r := windowRecord{Renderer: classifyGL(name), GL: name, At: s.now()}
		if s.host.onSoftwareCopy() {
			r.Renderer = rendererSoftware
		}
		return startResult{run: true, record: r}
	}
	return startResult{rc: s.noOpenGL(args, code, err)}
}

// noOpenGL starts the software-renderer copy when this process cannot make
// the window's OpenGL context, or says what to do.
func (s starter) noOpenGL(args []string, code string, cause error) int {
	fmt.Fprintf(s.stderr, "cunjing: %v\n", cause)
	if exe := s.host.softwareCopy(); exe != "" {
		fmt.Fprintf(s.stderr, "cunjing: starting %s (software renderer)\n", exe)
		rc, err := s.relaunch(exe, args)
		if err == nil {
			return rc
		}
		fmt.Fprintf(s.stderr, "cunjing: %v\n", err)
		cause = fmt.Errorf("%v; software renderer: %w", cause, err)
	}
	if err := ui.ApplyLanguage(code); err != nil {
		fmt.Fprintf(s.stderr, "cunjing: --lang: %v\n", err)
	}
	msg := fmt.Sprintf(lang.L("gl.failed"), cause)
	fmt.Fprintf(s.stderr, "cunjing: %s\n", msg)
	s.messageBox(lang.L("app.title"), msg)
	return 1
}

// saveWindowRenderer keeps r for `cunjing version --json`; a record that
// cannot be written costs the window nothing, stderr says why.
func saveWindowRenderer(stderr io.Writer, r windowRecord) {
	path, err := rendererRecordPath(runtime.GOOS, os.Getenv, os.UserConfigDir)
	if err == nil && path != "" {
		err = saveWindowRecord(path, r)
	}
	if err != nil {
		fmt.Fprintf(stderr, "cunjing: renderer record: %v\n", err)
	}
}
