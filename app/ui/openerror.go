package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/winlock"
)

// ShowOpenError fills w with why the database at path cannot be opened,
// in plain words, and what to do (the technical cause under 详细信息);
// the file is left as it is.
func ShowOpenError(w fyne.Window, path string, err error) {
	key := "open.other"
	switch {
	case errors.Is(err, store.ErrNotOurs):
		key = "open.notOurs"
	case errors.Is(err, store.ErrNewerSchema):
		key = "open.newer"
	case errors.Is(err, store.ErrCorrupt):
		key = "open.corrupt"
	case errors.Is(err, winlock.ErrRestoring): // also ErrInUse: first
		key = "open.restoring"
	case errors.Is(err, winlock.ErrInUse):
		key = "open.inUse"
	case errors.Is(err, store.ErrReadOnly):
		key = "open.readOnly"
	}
	title := widget.NewLabelWithStyle(lang.L("error.open"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	box := container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.ErrorIcon()), title),
		kit.StatusLabel(path), kit.ErrorContent(lang.L(key), err))
	w.SetContent(container.NewCenter(kit.WithWidth(560, container.NewPadded(box))))
}

// ShowOpening fills w with a note that the database at path is being
// opened. Opening checks every page of the file, and the first start after
// an upgrade may rebuild tables: on a station holding a township's data
// that takes seconds to minutes on an old disk, and an empty window looks
// like a program that did not start.
func ShowOpening(w fyne.Window, path string) {
	title := widget.NewLabelWithStyle(lang.L("open.opening"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	hint := kit.Wrapped(lang.L("open.openingHint"))
	bar := widget.NewProgressBarInfinite()
	box := container.NewVBox(title, kit.StatusLabel(path), bar, hint)
	w.SetContent(container.NewCenter(kit.WithWidth(560, container.NewPadded(box))))
}
