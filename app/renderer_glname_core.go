//go:build !nogui && !ci && ((!gles && !arm && !arm64) || darwin)

package app

import (
	"fmt"

	"github.com/go-gl/gl/v2.1/gl"
)

// glRendererName is GL_RENDERER of the current context, through the same
// OpenGL 2.1 bindings Fyne's painter uses on this platform.
func glRendererName() (string, error) {
	if err := gl.Init(); err != nil {
		return "", fmt.Errorf("load OpenGL functions: %w", err)
	}
	p := gl.GetString(gl.RENDERER)
	if p == nil {
		return "", nil
	}
	return gl.GoStr(p), nil
}
