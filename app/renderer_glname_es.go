//go:build !nogui && !ci && (gles || arm || arm64) && !darwin

package app

import (
	"fmt"

	gl "github.com/go-gl/gl/v3.1/gles2"
)

// glRendererName is GL_RENDERER of the current context, through the same
// OpenGL ES bindings Fyne's painter uses on ARM.
func glRendererName() (string, error) {
	if err := gl.Init(); err != nil {
		return "", fmt.Errorf("load OpenGL ES functions: %w", err)
	}
	p := gl.GetString(gl.RENDERER)
	if p == nil {
		return "", nil
	}
	return gl.GoStr(p), nil
}
