package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/mapcanvas"
	"cunjing/app/ui/uitest"

	"fyne.io/fyne/v2/lang"
)

// typingField is anything that takes the cursor and the shortcuts typed
// while it has it: every entry.
type typingField interface {
	fyne.Focusable
	fyne.Shortcutable
}

// typingFields are the fields laid out in the window and its overlays.
func typingFields(w fyne.Window) []typingField {
	var out []typingField
	roots := append([]fyne.CanvasObject{w.Content()}, w.Canvas().Overlays().List()...)
	for _, r := range roots {
		for _, o := range test.LaidOutObjects(r) {
			if f, ok := o.(typingField); ok && o.Visible() {
				out = append(out, f)
			}
		}
	}
	return out
}

// tabsIn are the tab bars laid out in the window.
func tabsIn(w fyne.Window) []*container.AppTabs {
	var out []*container.AppTabs
	for _, o := range test.LaidOutObjects(w.Content()) {
		if t, ok := o.(*container.AppTabs); ok {
			out = append(out, t)
		}
	}
	return out
}

// ctrlEIn types Ctrl+E with the cursor in each field shown and reports
// the fields from which it did not reach the window (whose shortcut opens
// 紧急), then types a word into every enabled entry, opens 紧急 by
// Ctrl+E from the last and comes back (back re-opens the screen the
// fields are on; open shows it, the area shown already): it reports the
// fields whose text was lost.
func ctrlEIn(t *testing.T, u *UI, w fyne.Window, where string, open, back func()) (tried int, swallowed []string) {
	t.Helper()
	open()
	u.Wait()
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
	fields := typingFields(w)
	// Each field, the window's shortcut counting what reaches it (rather
	// than opening 紧急 and the screen again for each: 11 s).
	heard := 0
	w.Canvas().RemoveShortcut(EmergencyShortcut)
	w.Canvas().AddShortcut(EmergencyShortcut, func(fyne.Shortcut) { heard++ })
	for i, f := range fields {
		w.Canvas().Focus(f)
		if w.Canvas().Focused() != f {
			// The window would hear it anyway: the test would prove nothing.
			swallowed = append(swallowed, fmt.Sprintf("%s: field %d of %d (%T) takes no cursor", where, i+1, len(fields), f))
			continue
		}
		was := heard
		pressShortcut(w, EmergencyShortcut)
		if heard != was+1 {
			swallowed = append(swallowed, fmt.Sprintf("%s: field %d of %d (%T, %q)", where, i+1, len(fields), f, placeHolder(f)))
		}
	}
	w.Canvas().RemoveShortcut(EmergencyShortcut)
	w.Canvas().AddShortcut(EmergencyShortcut, func(fyne.Shortcut) { u.ShowEmergency() })

	// What was typed is there when the officer comes back from 紧急.
	const word = "留"
	typed := map[*widget.Entry]string{}
	var last typingField
	for _, f := range fields {
		o, _ := f.(fyne.CanvasObject)
		e := uitest.EntryOf(o)
		if e == nil || e.Disabled() {
			continue
		}
		w.Canvas().Focus(f)
		e.CursorRow, e.CursorColumn = 0, 0
		test.Type(f, word)
		typed[e] = e.Text
		last = f
	}
	if last == nil {
		return len(fields), swallowed
	}
	w.Canvas().Focus(last)
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		return len(fields), append(swallowed, fmt.Sprintf("%s: Ctrl+E from %T shows %s", where, last, u.Current()))
	}
	back()
	u.Wait()
	for e, text := range typed {
		if e.Text != text {
			swallowed = append(swallowed, fmt.Sprintf("%s: %q typed in %q is lost: %q after 紧急", where, text, e.PlaceHolder, e.Text))
		}
	}
	return len(fields), swallowed
}

func placeHolder(f typingField) string {
	switch e := f.(type) {
	case *kit.Entry:
		return e.PlaceHolder
	case *kit.SelectEntry:
		return e.PlaceHolder
	case *widget.Entry:
		return e.PlaceHolder
	}
	return ""
}

// Ctrl+E opens 紧急 from every entry of every area and of each of its
// tabs: an entry made by widget.NewEntry kept the shortcut (the patrol
// log's time fields, 设置's backup folder, 同步's address …), so the one
// key meant to work from anywhere did nothing while the officer typed.
// And what was typed in them is there when the officer comes back.
func TestCtrlEFromEveryEntry(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	closeOverlays := func() {
		for w.Canvas().Overlays().Top() != nil {
			w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
		}
	}
	var swallowed []string
	total := 0
	for _, a := range AreasFor(u.Store().Role()) {
		u.Show(a)
		u.Wait()
		closeOverlays()
		tabs := tabsIn(w)
		if len(tabs) == 0 {
			n, sw := ctrlEIn(t, u, w, string(a), func() {}, func() { u.Show(a) })
			total += n
			swallowed = append(swallowed, sw...)
			continue
		}
		for ti := range tabs[0].Items {
			bar, i := tabs[0], ti
			n, sw := ctrlEIn(t, u, w, fmt.Sprintf("%s/%s", a, bar.Items[i].Text), func() { bar.SelectIndex(i) }, func() {
				u.Show(a)
				closeOverlays()
				bar.SelectIndex(i)
			})
			total += n
			swallowed = append(swallowed, sw...)
		}
	}
	if total < 10 {
		t.Fatalf("only %d entries found in all the areas: the walk misses them", total)
	}
	if len(swallowed) > 0 {
		t.Errorf("Ctrl+E did not reach the window, or what was typed was lost after 紧急 (%d of %d entries):\n%s", len(swallowed), total, strings.Join(swallowed, "\n"))
	}
}

// The patrol log's form (the officer writes it after the walk, Ctrl+E
// must still open 紧急 from its date and time fields).
func TestCtrlEFromThePatrolLogForm(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	u.Show(AreaPatrol)
	u.Wait()
	var bar *container.AppTabs
	for _, b := range tabsIn(w) {
		for i, it := range b.Items {
			if it.Text == lang.L("roster.tab.log") {
				bar = b
				b.SelectIndex(i)
			}
		}
	}
	if bar == nil {
		t.Fatal("no 巡逻记录 tab")
	}
	u.Wait()
	test.Tap(laidOutButton(t, w, lang.L("roster.log.new")))
	u.Wait()
	var times int
	for _, f := range typingFields(w) {
		if p := placeHolder(f); p == "19:00" || p == "21:00" {
			times++
		}
	}
	if times != 2 {
		t.Fatalf("the form shows %d time fields, want 2", times)
	}
	n, swallowed := ctrlEIn(t, u, w, "巡逻记录/记录巡逻", func() {}, func() { u.Show(AreaPatrol) })
	if n < 5 {
		t.Fatalf("only %d entries in the patrol log form", n)
	}
	if len(swallowed) > 0 {
		t.Errorf("Ctrl+E did not reach the window, or what was typed was lost after 紧急:\n%s", strings.Join(swallowed, "\n"))
	}
}

// No screen makes its entries with widget.NewEntry (or its multi-line,
// password and select forms): those keep Ctrl+E. kit's Entry and
// SelectEntry pass it on; the walk above sees only what is laid out when
// an area opens, this sees the dialogs and forms too.
func TestNoPlainFyneEntries(t *testing.T) {
	plain := map[string]bool{"NewEntry": true, "NewMultiLineEntry": true, "NewPasswordEntry": true,
		"NewSelectEntry": true, "NewEntryWithData": true}
	var found []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			path == filepath.Join("kit", "entry.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "widget" && plain[x.Sel.Name] {
					found = append(found, fset.Position(x.Pos()).String()+" widget."+x.Sel.Name)
				}
			case *ast.CompositeLit:
				if sel, ok := x.Type.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == "widget" && (sel.Sel.Name == "Entry" || sel.Sel.Name == "SelectEntry") {
						found = append(found, fset.Position(x.Pos()).String()+" widget."+sel.Sel.Name+"{}")
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("entries that keep Ctrl+E (use kit.NewEntry, kit.NewMultiLineEntry, kit.NewPasswordEntry, kit.NewSelectEntry):\n%s",
			strings.Join(found, "\n"))
	}
}

// Ctrl+E with another screen's dialog up opened 紧急 hidden behind it
// (the dialog is modal: nothing seemed to happen). The dialog goes, as
// when cancelled. On 紧急 itself, Ctrl+E typed in its own dialog (the
// patrol it turns into) keeps the dialog and the cursor in it: it moved
// the cursor to the search box hidden behind the dialog.
func TestCtrlEOverADialog(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	u.Show(AreaHouseholds)
	u.Wait()
	u.ShowError("读不出住户列表。", nil)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog")
	}
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		t.Fatalf("Ctrl+E shows %s", u.Current())
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("紧急 opened behind a dialog:\n%s", uitest.Shown(top))
	}
	if w.Canvas().Focused() == nil {
		t.Error("紧急's search box has no cursor")
	}

	e := u.EmergencyScreen()
	e.Search("203")
	u.Wait()
	test.Tap(laidOutButton(t, w, "记为巡逻记录"))
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no patrol dialog")
	}
	var what *kit.Entry
	for _, o := range test.LaidOutObjects(top) {
		if en, ok := o.(*kit.Entry); ok && en.MultiLine {
			what = en
		}
	}
	if what == nil {
		t.Fatal("no text box in the patrol dialog")
	}
	w.Canvas().Focus(what)
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if w.Canvas().Overlays().Top() != top {
		t.Error("Ctrl+E in 紧急's own dialog closed it")
	}
	if w.Canvas().Focused() != what {
		t.Errorf("Ctrl+E in 紧急's own dialog moved the cursor to %T", w.Canvas().Focused())
	}
}

// laidOutButton is the button shown in the window with this text.
func laidOutButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q in the window", text)
	return nil
}

// The map takes the cursor when clicked (Esc, Delete, Ctrl+Z are its
// keys) and kept Ctrl+E too: with the cursor on the map, 紧急 did not
// open (seen in the real window).
func TestCtrlEFromTheMap(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	u.Show(AreaMap)
	u.Wait()
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
	var m *mapcanvas.Canvas
	for _, o := range test.LaidOutObjects(w.Content()) {
		if c, ok := o.(*mapcanvas.Canvas); ok {
			m = c
		}
	}
	if m == nil {
		t.Fatal("no map in the window")
	}
	w.Canvas().Focus(m)
	if w.Canvas().Focused() != m {
		t.Fatal("the map takes no cursor")
	}
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		t.Errorf("Ctrl+E with the cursor on the map shows %s", u.Current())
	}
}

// Ctrl+E over another screen's dialog opens 紧急 at once and loses
// nothing typed in the dialog: it is set aside (its callback not run) and
// comes back, its text as it was, when the officer goes back to the
// screen it was opened on. It was removed: what had been typed was lost.
func TestCtrlEKeepsWhatWasTypedInADialog(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := newTestUI(t, s)
	u.Show(AreaHouseholds)
	u.Wait()
	note := kit.NewMultiLineEntry()
	answered := 0
	var answer bool
	d := dialog.NewForm("走访记录", "保存", "取消", []*widget.FormItem{widget.NewFormItem("情况", note)},
		func(ok bool) { answered++; answer = ok }, w)
	d.Show()
	const typed = "王建国家门口有人争吵，已劝离"
	w.Canvas().Focus(note)
	test.Type(note, typed)
	pressShortcut(w, EmergencyShortcut)
	u.Wait()
	if u.Current() != AreaEmergency {
		t.Fatalf("Ctrl+E shows %s", u.Current())
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("紧急 opened behind a dialog:\n%s", uitest.Shown(top))
	}
	if answered != 0 {
		t.Fatalf("the dialog was answered (%v) by Ctrl+E", answer)
	}
	// Another screen first: the dialog waits for its own.
	u.Show(AreaMap)
	u.Wait()
	for w.Canvas().Overlays().Top() != nil { // (the map without a font says so)
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
	u.Show(AreaHouseholds)
	u.Wait()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("back on 住户, the dialog is gone: what was typed in it is lost")
	}
	if note.Text != typed {
		t.Fatalf("the dialog came back with %q, typed %q", note.Text, typed)
	}
	if w.Canvas().Focused() != fyne.Focusable(note) {
		t.Errorf("the cursor is in %T, not back in the field it was in", w.Canvas().Focused())
	}
	test.Tap(uitest.DialogButton(t, top, "保存"))
	if answered != 1 || !answer {
		t.Errorf("保存 answered %d times (%v)", answered, answer)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the dialog stays after 保存")
	}
}
