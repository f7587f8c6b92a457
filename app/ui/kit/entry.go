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
func NewEntry() *Entry { return newEntry(false) }

// NewMultiLineEntry is an empty multi-line Entry.
func NewMultiLineEntry() *Entry { return newEntry(true) }

// newEntry is an Entry set up as widget.NewEntry or NewMultiLineEntry do.
func newEntry(multiLine bool) *Entry {
	e := &Entry{}
	e.MultiLine = multiLine
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut passes the window's shortcuts to the window and the rest
// (copy, paste, undo …) to the entry.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if !toWindow(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// SelectEntry is a widget.SelectEntry (an entry offering options) that
// passes the window's shortcuts on, as Entry does. Code that wants a
// *widget.SelectEntry keeps &e.SelectEntry and puts e in the layout.
type SelectEntry struct {
	widget.SelectEntry
}

// NewSelectEntry is an empty SelectEntry offering options.
func NewSelectEntry(options []string) *SelectEntry {
	e := &SelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewSelectEntry
	e.SetOptions(options)
	return e
}

// TypedShortcut passes the window's shortcuts to the window and the rest
// to the entry.
func (e *SelectEntry) TypedShortcut(s fyne.Shortcut) {
	if !toWindow(e, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// toWindow hands s to the canvas of o when it is one of the window's own
// shortcuts (EmergencyShortcut) and reports whether it did.
func toWindow(o fyne.CanvasObject, s fyne.Shortcut) bool {
	if s == nil || s.ShortcutName() != EmergencyShortcut.ShortcutName() {
		return false
	}
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	c, ok := app.Driver().CanvasForObject(o).(fyne.Shortcutable)
	if !ok {
		return false
	}
	c.TypedShortcut(s)
	return true
}
