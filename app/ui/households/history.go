package households

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// historySize is the history dialog's size: inside a 1366×768 window.
var historySize = fyne.NewSize(760, 520)

// showHistory opens a record's 修改记录: every edit newest first — when,
// which field, set to what, by which device — the station's corrections
// of a post's record marked 派出所更正.
func (h *Screen) showHistory(table, id, title string) {
	full := h.u.SeesFullIDs()
	var edits []store.Edit
	kit.Load(h.u, func(ctx context.Context) (err error) {
		edits, err = h.u.Store().History(ctx, table, id, full)
		return err
	}, func() {
		d := dialog.NewCustom(fmt.Sprintf(lang.L("history.title"), title), lang.L("history.close"),
			container.NewVScroll(historyView(table, edits)), h.u.Window())
		d.Resize(historySize)
		d.Show()
	})
}

// historyView lists the edits, one line each, the station's corrections
// standing out.
func historyView(table string, edits []store.Edit) fyne.CanvasObject {
	box := container.NewVBox()
	if len(edits) == 0 {
		box.Add(kit.StatusLabel(lang.L("history.none")))
	}
	for _, e := range edits {
		value := e.Value
		if value == "" {
			value = lang.L("history.empty")
		}
		line := kit.Wrapped(fmt.Sprintf(lang.L("history.line"), e.At.Format("2006-01-02 15:04"), fieldWord(table, e.Field), value, whoWords(e)))
		if e.ByStation {
			line.Importance = widget.WarningImportance
		}
		box.Add(line)
	}
	return box
}

// fieldWord is a field as the forms label it (its code when it has no
// label).
func fieldWord(table, field string) string {
	key := "field." + table + "." + field
	if w := lang.L(key); w != key {
		return w
	}
	return field
}

// whoWords says which device made an edit: 本机, the paired device's name
// or its short ID, and 派出所更正 for a station's correction.
func whoWords(e store.Edit) string {
	who := e.Name
	switch {
	case e.Own:
		who = lang.L("history.self")
	case who == "" && len(e.Device) > 7:
		who = e.Device[:7]
	case who == "":
		who = e.Device
	}
	if e.ByStation {
		return fmt.Sprintf(lang.L("history.byStation"), who)
	}
	return who
}
