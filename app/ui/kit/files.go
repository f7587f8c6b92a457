package kit

import (
	"bytes"
	"io"

	"fyne.io/fyne/v2"

	"cunjing/print"
)

// OpenPath asks for a file to read (the window's own chooser of this
// size, showing files with one of exts) and calls then with its path;
// cancelling calls nothing. What it cannot list it says itself.
func OpenPath(win fyne.Window, exts []string, size fyne.Size, then func(path string)) {
	ShowChooser(win, Choose{Kind: ChooseOpen, Exts: exts, Size: size}, then)
}

// SavePath asks where to write a file (suggesting name, showing files
// with one of exts) and calls then with the path, the first of exts added
// when the name typed ends in none; an existing file is replaced only
// after the user says so. No file is created: the caller writes it.
// Cancelling calls nothing.
func SavePath(win fyne.Window, name string, exts []string, size fyne.Size, then func(path string)) {
	ShowChooser(win, Choose{Kind: ChooseSave, Name: name, Exts: exts, Size: size}, then)
}

// FolderPath asks for a folder (starting in dir, "" for home) and calls
// then with its path; cancelling calls nothing.
func FolderPath(win fyne.Window, dir string, size fyne.Size, then func(path string)) {
	ShowChooser(win, Choose{Kind: ChooseFolder, Dir: dir, Size: size}, then)
}

// CreateFile is a file the user chose, written whole or not at all: what
// is written is kept and put in place by Close through print.CreateFile
// (a temporary file beside path, renamed over it), so a failed save never
// leaves half a file under the name chosen nor spoils the file it
// replaces. Both its users build their file in memory first anyway.
func CreateFile(path string) io.WriteCloser { return &wholeFile{path: path} }

type wholeFile struct {
	path string
	buf  bytes.Buffer
}

func (f *wholeFile) Write(p []byte) (int, error) { return f.buf.Write(p) }

func (f *wholeFile) Close() error {
	return print.CreateFile(f.path, func(w io.Writer) error {
		_, err := w.Write(f.buf.Bytes())
		return err
	})
}

// WriteFile writes data to path whole or not at all (print.CreateFile).
func WriteFile(path string, data []byte) error {
	return print.CreateFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
