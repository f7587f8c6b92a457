package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// OpenPath asks for a file to read (Fyne's open dialog of this size,
// showing files with one of exts) and calls then with its path;
// cancelling calls nothing, failed hears what went wrong.
func OpenPath(win fyne.Window, exts []string, size fyne.Size, failed func(error), then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			failed(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		if err := r.Close(); err != nil {
			failed(err)
			return
		}
		then(path)
	}, win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.Resize(size)
	d.Show()
}

// SavePath asks where to write a file (Fyne's save dialog of this size,
// suggesting name, showing files with one of exts) and calls then with the
// path, once the empty file the dialog made is closed; cancelling calls
// nothing, failed hears what went wrong.
func SavePath(win fyne.Window, name string, exts []string, size fyne.Size, failed func(error), then func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			failed(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		if err := w.Close(); err != nil {
			failed(err)
			return
		}
		then(path)
	}, win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.Resize(size)
	d.Show()
}
