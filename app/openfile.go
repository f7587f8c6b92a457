//go:build !nogui

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui"
)

// fileToOpen checks the file the window was asked to open (`cunjing FILE`,
// a double-clicked backup or pairing-code file) before any window exists:
// "" and 0 with none; a file cunjing does not open, or one that is not
// there, is said in plain words (the interface language: code, else
// Chinese) on stderr and, where a program started from a file type has no
// terminal (Windows), in a message box, with exit code 2.
func fileToOpen(env *Env, pos []string, code string) (string, int) {
	switch len(pos) {
	case 0:
		return "", 0
	case 1:
	default:
		fmt.Fprintf(env.Stderr, "cunjing: give one file to open, not %d (see `cunjing help`)\n", len(pos))
		return "", 2
	}
	path := pos[0]
	if err := ui.ApplyLanguage(code); err != nil {
		fmt.Fprintf(env.Stderr, "cunjing: --lang: %v\n", err)
		return "", 2
	}
	var msg string
	if ui.KindOf(path) == ui.FileUnknown {
		msg = ui.UnsupportedFile(path)
	} else if st, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		msg = fmt.Sprintf(lang.L("open.missing"), path)
	} else if err != nil {
		msg = fmt.Sprintf("%s\n%v", fmt.Sprintf(lang.L("open.missing"), path), err)
	} else if st.IsDir() {
		msg = ui.UnsupportedFile(path)
	}
	if msg == "" {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs // as the window shows it, whatever folder it runs in
		}
		return path, 0
	}
	fmt.Fprintf(env.Stderr, "cunjing: %s\n", msg)
	showMessageBox(lang.L("app.title"), msg)
	return "", 2
}
