package kit

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
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

// CreateFile opens path for writing through a temporary file beside it,
// renamed over path by Close: a failed or cut-short write never leaves
// half a file under the name the user chose (nor spoils the file it
// replaces). After a failed Write, Close removes the temporary file and
// reports the failure.
func CreateFile(path string) (io.WriteCloser, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".cunjing-*.part")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &atomicFile{f: tmp, path: path}, nil
}

type atomicFile struct {
	f    *os.File
	path string
	err  error
}

func (a *atomicFile) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n, err := a.f.Write(p)
	if err != nil {
		a.err = fmt.Errorf("write %s: %w", a.path, err)
	}
	return n, a.err
}

func (a *atomicFile) Close() error {
	err := a.err
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		if rerr := os.Remove(a.f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
		return fmt.Errorf("save %s: %w", a.path, err)
	}
	return nil
}

// WriteFile writes data to path through CreateFile.
func WriteFile(path string, data []byte) error {
	w, err := CreateFile(path)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		_ = w.Close() // removes the temporary file; the write's error says why
		return err
	}
	return w.Close()
}
