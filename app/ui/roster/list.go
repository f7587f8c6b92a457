package roster

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
)

// listEditor is the layout the roster tabs share: a titled list with an
// "add" button on the left, and an editor pane on the right that shows a
// hint until something is picked.
type listEditor struct {
	root   fyne.CanvasObject
	add    *widget.Button // hidden where the screen only shows (a station's)
	list   *fyne.Container
	editor *fyne.Container
	hint   string
}

func newListEditor(title, addLabel string, onAdd func(), offset float64, hint string) *listEditor {
	le := &listEditor{list: container.NewVBox(), editor: container.NewVBox(), hint: hint}
	add := widget.NewButtonWithIcon(addLabel, theme.ContentAddIcon(), onAdd)
	add.Importance = widget.HighImportance
	le.add = add
	left := container.NewBorder(container.NewPadded(container.NewHBox(kit.Heading(title), layout.NewSpacer(), add)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(le.list)))
	split := container.NewHSplit(left, kit.NewFormScroll(container.NewPadded(le.editor)))
	split.Offset = offset
	le.root = split
	le.showHint()
	return le
}

// showHint empties the editor pane back to its hint.
// object is the tab's content; the roster tabs embed listEditor for it.
func (le *listEditor) Object() fyne.CanvasObject { return le.root }

func (le *listEditor) showHint() {
	l := widget.NewLabel(le.hint)
	l.Wrapping = fyne.TextWrapWord
	le.setEditor(l)
}

func (le *listEditor) setEditor(o fyne.CanvasObject) {
	le.editor.Objects = []fyne.CanvasObject{o}
	le.editor.Refresh()
}

// recordCard is one record in a tab's list: what it says, a button that
// edits it and one that deletes it once the officer said yes to its name
// (neither where the screen only shows: a station's).
func (p *Screen) recordCard(title, subtitle, text string, edit func(), name string, del func()) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	if p.readOnly {
		return widget.NewCard(title, subtitle, l)
	}
	e := widget.NewButtonWithIcon(lang.L("roster.edit"), theme.DocumentCreateIcon(), edit)
	d := widget.NewButtonWithIcon(lang.L("roster.delete"), theme.DeleteIcon(), func() { p.u.ConfirmDelete(name, del) })
	return widget.NewCard(title, subtitle, container.NewVBox(l, container.NewHBox(layout.NewSpacer(), e, d)))
}
