//go:build !nogui

package app

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// softwareCopy is the copy of cunjing that draws with Mesa, or "" when
// there is none: not Windows, not installed with it, or this process is
// that copy already (Mesa's opengl32.dll beside it).
func (h startHost) softwareCopy() string {
	if h.goos != "windows" || h.exe == "" {
		return ""
	}
	dir := filepath.Dir(h.exe)
	if h.exists(filepath.Join(dir, "opengl32.dll")) {
		return ""
	}
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
