package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// EmergencyShortcut opens 紧急 from anywhere in the window (the window
// registers it on its canvas; an Entry with the cursor passes it on).
var EmergencyShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}

// Entry is a one-line entry that passes the window's own shortcuts
// (EmergencyShortcut) on to the window while it has the cursor: Fyne
// gives the focused entry every shortcut, and a plain entry drops those
// it does not know, so Ctrl+E did nothing while the officer was typing in
// a search box. Code that wants a *widget.Entry keeps &e.Entry and puts e
// in the layout (the window focuses what it finds in the layout).
type Entry struct {
	widget.Entry
}

// NewEntry is an empty one-line Entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewEntry
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut passes the window's shortcuts to the window and the rest
// (copy, paste, undo …) to the entry.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if s != nil && s.ShortcutName() == EmergencyShortcut.ShortcutName() {
		if app := fyne.CurrentApp(); app != nil {
			if c, ok := app.Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
				c.TypedShortcut(s)
				return
			}
		}
	}
	e.Entry.TypedShortcut(s)
}
