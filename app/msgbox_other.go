//go:build !windows

package app

// showMessageBox: elsewhere the message on stderr is enough (a Linux
// desktop starts cunjing from a file only for the types the .deb
// registers, so an unsupported file comes from a terminal).
func showMessageBox(_, _ string) {}
