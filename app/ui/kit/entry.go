package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
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

// NewPasswordEntry is an empty one-line Entry that hides what is typed,
// with the eye button to show it (as widget.NewPasswordEntry, whose
// revealer is bound to a plain widget.Entry and cannot be reused).
func NewPasswordEntry() *Entry {
	e := newEntry(false)
	e.Password = true
	e.ActionItem = newRevealer(e)
	return e
}

// revealer is the eye button at the end of a password Entry: a tap shows
// or hides what was typed and leaves the cursor in the entry.
type revealer struct {
	widget.BaseWidget
	icon  *canvas.Image
	entry *Entry
}

func newRevealer(e *Entry) *revealer {
	r := &revealer{icon: canvas.NewImageFromResource(theme.VisibilityOffIcon()), entry: e}
	r.ExtendBaseWidget(r)
	return r
}

func (r *revealer) CreateRenderer() fyne.WidgetRenderer { return &revealerRenderer{r: r} }

// Cursor is the arrow, not the entry's text cursor.
func (r *revealer) Cursor() desktop.Cursor { return desktop.DefaultCursor }

// Tapped shows or hides the password.
func (r *revealer) Tapped(*fyne.PointEvent) {
	if r.entry.Disabled() {
		return
	}
	r.entry.Password = !r.entry.Password
	r.entry.Refresh()
	r.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(r.entry); c != nil {
		c.Focus(r.entry)
	}
}

type revealerRenderer struct{ r *revealer }

func (rr *revealerRenderer) Layout(size fyne.Size) {
	s := theme.Size(theme.SizeNameInlineIcon)
	rr.r.icon.Resize(fyne.NewSquareSize(s))
	rr.r.icon.Move(fyne.NewPos((size.Width-s)/2, (size.Height-s)/2))
}

func (rr *revealerRenderer) MinSize() fyne.Size {
	return fyne.NewSquareSize(theme.Size(theme.SizeNameInlineIcon) + 2*theme.Size(theme.SizeNameInnerPadding))
}

func (rr *revealerRenderer) Refresh() {
	res := theme.VisibilityOffIcon()
	if !rr.r.entry.Password {
		res = theme.VisibilityIcon()
	}
	if rr.r.entry.Disabled() {
		res = theme.NewDisabledResource(res)
	}
	rr.r.icon.Resource = res
	rr.r.icon.Refresh()
}

func (rr *revealerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{rr.r.icon} }
func (rr *revealerRenderer) Destroy()                     {}

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
	if !ToWindow(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// TypedKey closes the dialog the entry is in on Esc (Escape) and types
// every other key.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if !escapeFrom(e, k) {
		e.Entry.TypedKey(k)
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
	if !ToWindow(e, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// TypedKey closes the dialog the entry is in on Esc, as Entry does.
func (e *SelectEntry) TypedKey(k *fyne.KeyEvent) {
	if !escapeFrom(e, k) {
		e.SelectEntry.TypedKey(k)
	}
}

// escapeFrom closes the dialog on top of o's canvas (Escape) when k is
// Esc and reports whether it did.
func escapeFrom(o fyne.CanvasObject, k *fyne.KeyEvent) bool {
	if k == nil || k.Name != fyne.KeyEscape {
		return false
	}
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	return Escape(app.Driver().CanvasForObject(o))
}

// ToWindow hands s to the canvas of o when it is one of the window's own
// shortcuts (EmergencyShortcut) and reports whether it did. A widget that
// takes the cursor and shortcuts of its own (an entry, the map) calls it
// first, or Ctrl+E does nothing while it has the cursor.
func ToWindow(o fyne.CanvasObject, s fyne.Shortcut) bool {
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
