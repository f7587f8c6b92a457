package tab

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
)

// ListEditor is the layout the roster tabs share: a titled list with an
// "add" button on the left, and an editor pane on the right that shows a
// hint until something is picked.
type ListEditor struct {
	Root   fyne.CanvasObject
	Add    *widget.Button // hidden where the screen only shows (a station's)
	List   *fyne.Container
	Editor *fyne.Container
	hint   string
}

// NewListEditor makes the layout: the list titled title with its add
// button (onAdd), the split at offset, and hint in the empty editor pane.
func NewListEditor(title, addLabel string, onAdd func(), offset float64, hint string) *ListEditor {
	le := &ListEditor{List: container.NewVBox(), Editor: container.NewVBox(), hint: hint}
	add := widget.NewButtonWithIcon(addLabel, theme.ContentAddIcon(), onAdd)
	add.Importance = widget.HighImportance
	le.Add = add
	left := container.NewBorder(container.NewPadded(container.NewHBox(kit.Heading(title), layout.NewSpacer(), add)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(le.List)))
	split := container.NewHSplit(left, kit.NewFormScroll(container.NewPadded(le.Editor)))
	split.Offset = offset
	le.Root = split
	le.ShowHint()
	return le
}

// Object is the tab's content; the roster tabs embed ListEditor for it.
func (le *ListEditor) Object() fyne.CanvasObject { return le.Root }

// ShowHint empties the editor pane back to its hint.
func (le *ListEditor) ShowHint() {
	l := kit.Wrapped(le.hint)
	le.SetEditor(l)
}

// SetEditor shows o in the editor pane.
func (le *ListEditor) SetEditor(o fyne.CanvasObject) {
	le.Editor.Objects = []fyne.CanvasObject{o}
	le.Editor.Refresh()
}
