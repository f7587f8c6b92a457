package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	cjlang "cunjing/app/lang"
	"cunjing/app/ui/kit/wrap"
	"cunjing/store"
	"cunjing/store/record"
)

// Entry, MultiLineEntry and SelectEntry add a row holding the text, and a
// field's problem shows under its own input.
func TestFormEntries(t *testing.T) {
	test.NewTempApp(t)
	f := NewEditForm()
	name := f.Entry("name", "名称", "张三")
	notes := f.MultiLineEntry("notes", "备注", "两行\n文字")
	kind := f.SelectEntry("kind", "类型", []string{"砖房", "平房"}, "平房")
	if name.Text != "张三" || notes.Text != "两行\n文字" || !notes.MultiLine || kind.Text != "平房" {
		t.Fatalf("texts %q %q %q", name.Text, notes.Text, kind.Text)
	}
	f.SetError("notes", "太长")
	if f.Err("notes").Text != "太长" || f.Err("notes").Hidden || !f.Err("name").Hidden || !f.Err("kind").Hidden {
		t.Errorf("notes' message %q shown %v; name's shown %v", f.Err("notes").Text, !f.Err("notes").Hidden, !f.Err("name").Hidden)
	}
}

// An alert is its message behind the warning sign, in the importance given.
func TestAlert(t *testing.T) {
	test.NewTempApp(t)
	var got *wrap.Label
	var icon bool
	for _, o := range test.LaidOutObjects(Alert("两个村未同步", widget.DangerImportance)) {
		switch w := o.(type) {
		case *wrap.Label:
			got = w
		case *widget.Icon:
			icon = true
		}
	}
	if got == nil || got.Raw() != "两个村未同步" || got.Importance != widget.DangerImportance || !icon {
		t.Errorf("alert: label %+v, icon %v", got, icon)
	}
}

// A number that is NaN or infinite (a record from a ledger or a peer, not
// a form) is said in Chinese under its field, as what that field wants.
func TestFieldErrorTextNotFinite(t *testing.T) {
	if err := cjlang.Use("zh"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		table, field, want string
	}{
		{"households", "area_m2", "面积请填数字，例如 120 或 85.5。"},
		{"cost_items", "amount_min", "金额要写数字，最低不能大于最高。"},
		{"cost_items", "amount_max", "金额要写数字，最低不能大于最高。"},
		{"venues", "x", "这一项填得不对，请检查。"},
	} {
		fe := &store.FieldError{Table: tc.table, Field: tc.field, Value: "NaN", Msg: record.MsgNotFinite}
		if got := fieldErrorText(fe); got != tc.want {
			t.Errorf("%s.%s: %q, want %q", tc.table, tc.field, got, tc.want)
		}
	}
}

// A form's entries pass Ctrl+E on to the window and keep every other
// shortcut (select all, here) for themselves.
func TestFormEntriesPassOnlyTheWindowsShortcuts(t *testing.T) {
	test.NewTempApp(t)
	f := NewEditForm()
	w := test.NewTempWindow(t, f.Object())
	heard := 0
	w.Canvas().AddShortcut(EmergencyShortcut, func(fyne.Shortcut) { heard++ })
	one := f.Entry("name", "名称", "张三")
	many := f.MultiLineEntry("notes", "备注", "两行\n文字")
	pick := f.SelectEntry("kind", "类型", []string{"砖房"}, "平房")
	for i, tc := range []struct {
		entry *widget.Entry
		text  string
	}{{&one.Entry, "张三"}, {&many.Entry, "两行\n文字"}, {&pick.Entry, "平房"}} {
		var focus fyne.Focusable
		for _, o := range test.LaidOutObjects(f.Object()) {
			switch e := o.(type) {
			case *Entry:
				if &e.Entry == tc.entry {
					focus = e
				}
			case *SelectEntry:
				if &e.Entry == tc.entry {
					focus = e
				}
			}
		}
		if focus == nil {
			t.Fatalf("entry %d: no kit entry in the form holds it", i)
		}
		w.Canvas().Focus(focus)
		sc := focus.(fyne.Shortcutable)
		sc.TypedShortcut(EmergencyShortcut)
		if heard != i+1 {
			t.Errorf("entry %d: the window heard Ctrl+E %d times in all, want %d", i, heard, i+1)
		}
		sc.TypedShortcut(&fyne.ShortcutSelectAll{})
		if got := tc.entry.SelectedText(); got != tc.text {
			t.Errorf("entry %d: select all selected %q, want %q", i, got, tc.text)
		}
	}
	// The select entry still offers its options.
	drop, ok := pick.ActionItem.(*widget.Button)
	if !ok {
		t.Fatalf("the select entry's action is a %T", pick.ActionItem)
	}
	test.Tap(drop)
	if w.Canvas().Overlays().Top() == nil {
		t.Error("tapping the select entry's arrow offers no options")
	}
}
