//go:build !nogui && ci

package app

// probeGL: the ci build's Fyne draws in software and needs no OpenGL (and
// the go-gl bindings are not compiled for tests, see the Makefile).
func probeGL() error { return nil }
