//go:build !nogui && !ci

package app

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// probeGL makes a hidden 64×64 window with the OpenGL context Fyne's GLFW
// driver asks for (its initWindowHints: OpenGL 2.1, or OpenGL ES 2.0 on
// ARM) and tears everything down again, so Fyne starts from a clean GLFW.
// It runs on the main goroutine, which Fyne's driver locks to the main
// thread at init. go-gl/glfw logs GLFW's platform errors and panics on a
// call after a failed Init: both come back as an error.
func probeGL() (name string, err error) {
	defer func() {
		if p := recover(); p != nil {
			name, err = "", fmt.Errorf("OpenGL check: %v", p)
		}
	}()
	if err := glfw.Init(); err != nil {
		return "", fmt.Errorf("start GLFW: %w", err)
	}
	defer glfw.Terminate()
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.False)
	if runtime.GOARCH == "arm" || runtime.GOARCH == "arm64" {
		glfw.WindowHint(glfw.ClientAPI, glfw.OpenGLESAPI)
		glfw.WindowHint(glfw.ContextVersionMajor, 2)
		glfw.WindowHint(glfw.ContextVersionMinor, 0)
	} else {
		glfw.WindowHint(glfw.ContextVersionMajor, 2)
		glfw.WindowHint(glfw.ContextVersionMinor, 1)
	}
	w, err := glfw.CreateWindow(64, 64, "cunjing", nil, nil)
	if err != nil {
		return "", fmt.Errorf("make an OpenGL window: %w", err)
	}
	if w == nil {
		return "", errors.New("make an OpenGL window: GLFW could not (its platform error is logged above)")
	}
	defer w.Destroy()
	w.MakeContextCurrent()
	defer glfw.DetachCurrentContext()
	// The context is there: a name it cannot give is no reason to stop.
	name, nameErr := glRendererName()
	if nameErr != nil {
		name = "(" + nameErr.Error() + ")"
	}
	return name, nil
}
