package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"
)

// ShowOpenError fills w with why the database at path cannot be opened,
// in plain words, and what to do; the file is left as it is.
func ShowOpenError(w fyne.Window, path string, err error) {
	key := "open.other"
	switch {
	case errors.Is(err, store.ErrNotOurs):
		key = "open.notOurs"
	case errors.Is(err, store.ErrNewerSchema):
		key = "open.newer"
	case errors.Is(err, store.ErrCorrupt):
		key = "open.corrupt"
	}
	title := widget.NewLabelWithStyle(lang.L("error.open"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	advice := widget.NewLabel(lang.L(key))
	advice.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.ErrorIcon()), title),
		statusLabel(path), advice, statusLabel(err.Error()))
	w.SetContent(container.NewCenter(container.New(fixedWidth{w: 560}, container.NewPadded(box))))
}
