package kit

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ErrorContent is what an error dialog shows: what failed, in the user's
// words, and the technical cause (a Go error, often English) folded away
// under 详细信息 for whoever is asked to help.
func ErrorContent(what string, err error) fyne.CanvasObject {
	msg := widget.NewLabel(what)
	msg.Wrapping = fyne.TextWrapWord
	if err == nil {
		return msg
	}
	return container.NewVBox(msg, DetailFold(err))
}

// ShowError tells the user something failed: in plain words, with the
// technical cause behind 详细信息.
func (e *Env) ShowError(what string, err error) {
	d := dialog.NewCustom(lang.L("error.title"), lang.L("OK"), ErrorContent(what, err), e.win)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

// FileURL is the file:// URL of path (file:///C:/... on Windows).
func FileURL(path string) *url.URL {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
	}
	return u
}

// SetOpener replaces how files and folders are opened in the system's
// programs (the app's OpenURL); tests pass one that fails as a machine
// without a PDF viewer does.
func (e *Env) SetOpener(open func(*url.URL) error) { e.open = open }

func (e *Env) openURL(u *url.URL) error {
	if e.open != nil {
		return e.open(u)
	}
	return e.app.OpenURL(u)
}

// ShowSaved says a file was saved and where, with 打开 and 打开所在文件夹.
// Opening is an offer, never a failure: with no program to open it (no
// PDF viewer, no xdg-open) a plain note says so and the file stays saved.
// what, when not empty, is said before the path (what the file holds).
func (e *Env) ShowSaved(path, what string) {
	head := widget.NewLabel(fmt.Sprintf(lang.L("saved.where"), path))
	head.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel("")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	note.Hide()
	try := func(u *url.URL) {
		if err := e.openURL(u); err != nil {
			ShowWrapped(note, lang.L("saved.noViewer"))
		}
	}
	open := widget.NewButtonWithIcon(lang.L("saved.open"), theme.FileIcon(), func() { try(FileURL(path)) })
	folder := widget.NewButtonWithIcon(lang.L("saved.openFolder"), theme.FolderOpenIcon(), func() { try(FileURL(filepath.Dir(path))) })
	box := container.NewVBox()
	if what != "" {
		l := widget.NewLabel(what)
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	box.Add(head)
	box.Add(container.NewHBox(open, folder))
	box.Add(note)
	d := dialog.NewCustom(lang.L("saved.title"), lang.L("OK"), box, e.win)
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}
