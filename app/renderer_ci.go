//go:build !nogui && ci

package app

// probeGL: the ci build's Fyne draws in software and needs no OpenGL (and
// the go-gl bindings are not compiled for tests, see the Makefile), so it
// names that.
func probeGL() (string, error) { return "Fyne software painter (ci build)", nil }
