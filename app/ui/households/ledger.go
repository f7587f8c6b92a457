package households

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/store"
	"cunjing/store/ledger"
	"cunjing/store/ledger/ledgerfile"
)

// prefMapping keeps a ledger's column mapping by its header fingerprint,
// so next month's ledger of the same template maps itself.
const prefMapping = "ledger.mapping."

// previewRows is how many rows the preview table lists.
const previewRows = 200

// ledgerImport walks the officer through importing a household ledger:
// choose the file, check what each column holds against sample values,
// read what every row will do and why rows are skipped, then confirm.
// Nothing is saved before 确认导入.
type ledgerImport struct {
	u    Env
	h    *Screen
	dlg  dialog.Dialog
	body *fyne.Container

	name     string
	table    *ledger.Table
	mapping  ledger.Mapping
	selects  []*widget.Select
	villages []store.Village
	village  *widget.Select
	plan     *ledger.Plan
	status   *widget.Label
	confirm  *widget.Button
	report   ledger.Report // of the commit, once done
}

// importLedger opens the import: first the file chooser.
func (h *Screen) importLedger() {
	if h.enteredAtPost() {
		return
	}
	li := &ledgerImport{u: h.u, h: h, body: container.NewStack()}
	kit.OpenPath(h.u.Window(), []string{".xlsx", ".csv", ".txt", ".xls"}, fyne.NewSize(900, 600), li.read)
}

// read loads the chosen file in the background.
func (li *ledgerImport) read(path string) {
	li.name = filepath.Base(path)
	li.u.GoBG(func(ctx context.Context) {
		// ReadFile reads ordinary files only, bounded: a path to a
		// device or a pipe is refused, not read forever.
		tables, err := ledger.ReadFile(path)
		var vs []store.Village
		if err == nil {
			vs, err = li.u.Store().Villages(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		li.u.Do(func() {
			if err != nil {
				li.u.ShowError(kit.JoinLines(lang.L("households.ledger.readFailed"), LedgerFileAdvice(err)), err)
				return
			}
			t := ledger.Best(tables)
			if t == nil {
				li.u.ShowError(lang.L("households.ledger.readFailed"), errors.New(lang.L("households.ledger.noHeader")))
				return
			}
			li.start(t, vs)
		})
	})
}

// LedgerFileAdvice says in the UI language why a file was refused as a
// whole and what to do; "" when the cause is not one it knows (the
// caller shows the error itself behind 详细信息).
func LedgerFileAdvice(err error) string {
	for _, c := range []struct {
		err error
		key string
	}{
		{ledgerfile.ErrXLS, "households.ledger.errXLS"}, {ledgerfile.ErrHTMLXLS, "households.ledger.errXLS"},
		{ledgerfile.ErrPassword, "households.ledger.errPassword"}, {ledgerfile.ErrDamaged, "households.ledger.errDamaged"},
		{ledgerfile.ErrEncoding, "households.ledger.errEncoding"}, {ledgerfile.ErrEmpty, "households.ledger.errEmpty"},
		{ledgerfile.ErrTooLarge, "households.ledger.errTooLarge"}, {ledgerfile.ErrUnsupported, "households.ledger.errUnsupported"},
	} {
		if errors.Is(err, c.err) {
			return lang.L(c.key)
		}
	}
	return ""
}

// start shows the mapping step in a large dialog.
func (li *ledgerImport) start(t *ledger.Table, vs []store.Village) {
	li.table, li.villages = t, vs
	li.mapping = ledger.Suggest(t)
	if data := li.u.Prefs().String(prefMapping + ledger.Fingerprint(t.Headers)); data != "" {
		if m, err := ledger.UnmarshalMapping([]byte(data)); err == nil && m.Fits(t) {
			li.mapping = m
		}
	}
	li.showMapping()
	li.dlg = dialog.NewCustomWithoutButtons(fmt.Sprintf(lang.L("households.ledger.title"), li.name), kit.EscapeTo(li.body, li.close), li.u.Window())
	li.dlg.Resize(fyne.NewSize(1240, 700))
	li.dlg.Show()
}

// fieldOptions are the choices of a column's select: 不导入 first, then
// every field by its Chinese label, then 保留到备注.
func fieldOptions() ([]string, []ledger.Field) {
	opts := []string{lang.L("households.ledger.ignore")}
	fields := []ledger.Field{ledger.FieldIgnore}
	for _, f := range ledger.Fields() {
		if f.Field == ledger.FieldIgnore {
			continue
		}
		label := f.Label
		if f.Field == ledger.FieldExtra {
			label = lang.L("households.ledger.extra")
		}
		opts = append(opts, label)
		fields = append(fields, f.Field)
	}
	return opts, fields
}

// showMapping lists every column with sample values and what it is read
// as.
func (li *ledgerImport) showMapping() {
	opts, fields := fieldOptions()
	grid := container.NewVBox()
	head := container.NewGridWithColumns(3,
		widget.NewLabelWithStyle(lang.L("households.ledger.column"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(lang.L("households.ledger.samples"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(lang.L("households.ledger.readAs"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	li.selects = nil
	for i, hdr := range li.table.Headers {
		var samples []string
		for _, r := range li.table.Rows {
			if i < len(r.Cells) && strings.TrimSpace(r.Cells[i]) != "" {
				samples = append(samples, r.Cells[i])
			}
			if len(samples) == 3 {
				break
			}
		}
		name := hdr
		if i < len(li.table.Groups) && li.table.Groups[i] != "" {
			name = li.table.Groups[i] + " / " + hdr
		}
		sel := kit.NewSelect(opts, nil)
		cur := ledger.FieldIgnore
		if i < len(li.mapping.Fields) {
			cur = li.mapping.Fields[i]
		}
		sel.SetSelectedIndex(0)
		for j, f := range fields {
			if f == cur {
				sel.SetSelectedIndex(j)
			}
		}
		li.selects = append(li.selects, sel)
		sample := widget.NewLabel(strings.Join(samples, " | "))
		sample.Truncation = fyne.TextTruncateEllipsis
		sample.Importance = widget.LowImportance
		grid.Add(container.NewGridWithColumns(3, widget.NewLabel(name), sample, sel))
	}
	var vnames []string
	for _, v := range li.villages {
		vnames = append(vnames, v.Name)
	}
	li.village = kit.NewSelect(vnames, nil)
	if len(vnames) > 0 {
		li.village.SetSelectedIndex(0)
	}
	li.status = widget.NewLabel("")
	li.status.Wrapping = fyne.TextWrapWord
	li.status.Importance = widget.DangerImportance
	li.status.Hide()
	intro := kit.Wrapped(fmt.Sprintf(lang.L("households.ledger.intro"), len(li.table.Rows), len(li.table.Headers)))
	next := widget.NewButtonWithIcon(lang.L("households.ledger.preview"), theme.NavigateNextIcon(), li.preview)
	next.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), li.close)
	top := container.NewVBox(intro,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("households.ledger.village")), nil, li.village), head, widget.NewSeparator())
	bottom := container.NewVBox(li.status, container.NewHBox(layout.NewSpacer(), cancel, next))
	li.body.Objects = []fyne.CanvasObject{container.NewBorder(top, bottom, nil, nil, container.NewVScroll(grid))}
	li.body.Refresh()
}

func (li *ledgerImport) close() {
	if li.dlg != nil {
		li.dlg.Hide()
	}
}

// readMapping takes the mapping from the selects.
func (li *ledgerImport) readMapping() ledger.Mapping {
	_, fields := fieldOptions()
	m := ledger.Mapping{Fingerprint: ledger.Fingerprint(li.table.Headers), Headers: li.table.Headers}
	for _, s := range li.selects {
		m.Fields = append(m.Fields, fields[max(s.SelectedIndex(), 0)])
	}
	return m
}

// preview runs ledger.Preview with the mapping shown; nothing is saved.
func (li *ledgerImport) preview() {
	m := li.readMapping()
	if err := m.Check(); err != nil {
		kit.ShowWrapped(li.status, lang.L("households.ledger.badMapping"))
		return
	}
	li.mapping = m
	var opt ledger.Options
	if i := li.village.SelectedIndex(); i >= 0 && i < len(li.villages) {
		opt.VillageID = li.villages[i].ID
	}
	t := li.table
	li.u.GoBG(func(ctx context.Context) {
		p, err := ledger.Preview(ctx, li.u.Store(), t, m, opt)
		if ctx.Err() != nil {
			return
		}
		li.u.Do(func() {
			if err != nil {
				msg := lang.L("households.ledger.previewFailed")
				if errors.Is(err, ledger.ErrNoVillage) {
					msg = lang.L("households.ledger.needVillage")
				}
				kit.ShowWrapped(li.status, msg)
				return
			}
			if data, err := ledger.MarshalMapping(m); err == nil {
				li.u.Prefs().SetString(prefMapping+m.Fingerprint, string(data))
			}
			li.plan = p
			li.showPlan()
		})
	})
}

// showPlan shows what the import will do: the totals, every skipped row
// with its reason, what to check, and the first rows.
func (li *ledgerImport) showPlan() {
	rep := li.plan.Report
	sum := widget.NewLabelWithStyle(fmt.Sprintf(lang.L("households.ledger.summary"), rep.Rows, rep.Added, rep.Updated, rep.Unchanged,
		len(rep.Merged), len(rep.Skipped)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sum.Wrapping = fyne.TextWrapWord
	hh := widget.NewLabel(fmt.Sprintf(lang.L("households.ledger.households"), rep.HouseholdsAdded, rep.HouseholdsUpdated, rep.VisitsAdded+rep.VisitsUpdated))
	// The objects are gathered first and laid out once: a container's Add
	// lays out everything again, which made a ledger with thousands of
	// skipped rows take minutes.
	objs := []fyne.CanvasObject{sum, hh}
	if rep.MaskedIDs > 0 {
		objs = append(objs, kit.LowLabel(fmt.Sprintf(lang.L("households.ledger.masked"), rep.MaskedIDs)))
	}
	if len(rep.Skipped) > 0 {
		objs = append(objs, kit.Heading(fmt.Sprintf(lang.L("households.ledger.skipped"), len(rep.Skipped))))
		objs = append(objs, skippedLines(rep.Skipped)...)
	}
	if len(rep.Warnings) > 0 {
		objs = append(objs, kit.Heading(fmt.Sprintf(lang.L("households.ledger.warnings"), len(rep.Warnings))))
		objs = append(objs, firstLines(len(rep.Warnings), func(i int) fyne.CanvasObject {
			w := rep.Warnings[i]
			return rowLabel(w.Row, warningText(w), widget.WarningImportance)
		})...)
	}
	objs = append(objs, kit.Heading(lang.L("households.ledger.rows")))
	head := container.NewGridWithColumns(4)
	for _, k := range []string{"households.ledger.colRow", "households.ledger.colAction", "households.ledger.colHousehold", "households.ledger.colName"} {
		head.Add(widget.NewLabelWithStyle(lang.L(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	objs = append(objs, head)
	objs = append(objs, firstLines(len(li.plan.Rows), func(i int) fyne.CanvasObject {
		r := li.plan.Rows[i]
		action := lang.L("households.ledger.act." + string(r.Action))
		if r.Action == ledger.ActMerged {
			action = fmt.Sprintf(lang.L("households.ledger.mergedInto"), r.Into)
		}
		return container.NewGridWithColumns(4, widget.NewLabel(fmt.Sprint(r.Row)), widget.NewLabel(action),
			widget.NewLabel(r.Household), widget.NewLabel(r.Name))
	})...)
	out := container.NewVBox(objs...)
	back := widget.NewButtonWithIcon(lang.L("households.ledger.back"), theme.NavigateBackIcon(), li.showMapping)
	li.confirm = widget.NewButtonWithIcon(lang.L("households.ledger.commit"), theme.ConfirmIcon(), li.commit)
	li.confirm.Importance = widget.HighImportance
	if rep.Added+rep.Updated+rep.HouseholdsAdded+rep.HouseholdsUpdated+rep.VisitsAdded+rep.VisitsUpdated == 0 {
		li.confirm.Disable() // nothing would change
	}
	li.status = widget.NewLabel("")
	li.status.Wrapping = fyne.TextWrapWord
	li.status.Importance = widget.DangerImportance
	li.status.Hide()
	bottom := container.NewVBox(li.status, container.NewHBox(back, layout.NewSpacer(), widget.NewButton(lang.L("Cancel"), li.close), li.confirm))
	li.body.Objects = []fyne.CanvasObject{container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(out))}
	li.body.Refresh()
}

// commit writes the previewed plan in one transaction.
func (li *ledgerImport) commit() {
	li.confirm.Disable()
	p := li.plan
	li.u.GoBG(func(ctx context.Context) {
		rep, err := ledger.Commit(ctx, li.u.Store(), p)
		if ctx.Err() != nil {
			return
		}
		li.u.Do(func() {
			if err != nil {
				msg := lang.L("households.ledger.commitFailed")
				if errors.Is(err, ledger.ErrStale) {
					msg = lang.L("households.ledger.stale")
				}
				kit.ShowWrapped(li.status, msg)
				return
			}
			li.report = rep
			done := kit.Wrapped(fmt.Sprintf(lang.L("households.ledger.done"), rep.Added, rep.Updated, rep.HouseholdsAdded, len(rep.Skipped)))
			ok := widget.NewButton(lang.L("OK"), li.close)
			ok.Importance = widget.HighImportance
			box := container.NewVBox(append([]fyne.CanvasObject{kit.Heading(lang.L("households.ledger.doneTitle")), done},
				skippedLines(rep.Skipped)...)...)
			li.body.Objects = []fyne.CanvasObject{container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), ok), nil, nil, container.NewVScroll(box))}
			li.body.Refresh()
			li.h.schedule(0)
		})
	})
}

// firstLines are the lines of the first previewRows of n items (line(i)
// makes one), then how many more there are: the preview and the done
// page stay quick however many rows a ledger has.
func firstLines(n int, line func(i int) fyne.CanvasObject) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, min(n, previewRows)+1)
	for i := range min(n, previewRows) {
		out = append(out, line(i))
	}
	if n > previewRows {
		out = append(out, kit.LowLabel(fmt.Sprintf(lang.L("households.ledger.moreRows"), n-previewRows)))
	}
	return out
}

// skippedLines say why each skipped row was skipped (the first
// previewRows of them).
func skippedLines(skipped []ledger.Skipped) []fyne.CanvasObject {
	return firstLines(len(skipped), func(i int) fyne.CanvasObject {
		return rowLabel(skipped[i].Row, ProblemsText(skipped[i].Problems), widget.DangerImportance)
	})
}

// rowLabel is "第 N 行：text", wrapped.
func rowLabel(row int, text string, imp widget.Importance) *wrap.Label {
	l := kit.Wrapped(fmt.Sprintf(lang.L("households.ledger.rowLine"), row, text))
	l.Importance = imp
	return l
}

// ProblemsText says why a row was skipped in the UI language, one cause
// per column with the column and the value typed. It reads the ledger's
// typed problems, never its English text, which may be reworded.
func ProblemsText(ps []ledger.Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = problemText(p)
	}
	return strings.Join(parts, lang.L("households.ledger.problemSep"))
}

func problemText(p ledger.Problem) string {
	kind := p.Kind
	if !slices.Contains(ledger.ProblemKinds(), kind) {
		kind = ledger.ProblemOther // from a newer ledger package than these words
	}
	text := lang.L("households.ledger.why." + string(kind))
	if p.Value != "" {
		text += fmt.Sprintf(lang.L("households.ledger.value"), p.Value)
	}
	if p.Column != "" {
		text = fmt.Sprintf(lang.L("households.ledger.inColumn"), p.Column, text)
	}
	return text
}

// warningText says an import warning in the UI language, from its kind
// and fields (see problemsText).
func warningText(w ledger.Warning) string {
	switch w.Kind {
	case ledger.WarnDiffers:
		return fmt.Sprintf(lang.L("households.ledger.warn.differs"), w.Column, w.Value, w.Ref, w.Kept)
	case ledger.WarnMoves:
		return fmt.Sprintf(lang.L("households.ledger.warn.moves"), w.Name, w.Household)
	case ledger.WarnTwice:
		return fmt.Sprintf(lang.L("households.ledger.warn.twice"), w.Name, w.Household, w.Ref)
	case ledger.WarnOtherDevice:
		return fmt.Sprintf(lang.L("households.ledger.warn.otherDevice"), w.Value)
	case ledger.WarnVisitNoDate:
		return fmt.Sprintf(lang.L("households.ledger.warn.visitNoDate"), w.Column)
	case ledger.WarnIDGender, ledger.WarnIDBirth:
		return fmt.Sprintf(lang.L("households.ledger.warn.idMismatch"), w.Column, w.Value, w.Kept)
	}
	return lang.L("households.ledger.warn.other")
}

// exportLedger writes every household and resident as an .xlsx ledger,
// ID numbers masked unless the role may see them, and audits it.
func (h *Screen) exportLedger() {
	u := h.u
	full := u.SeesFullIDs()
	kit.SavePath(u.Window(), lang.L("households.ledger.fileName")+".xlsx", []string{".xlsx"}, fyne.NewSize(900, 600), func(path string) {
		w := kit.CreateFile(path)
		u.GoBG(func(ctx context.Context) {
			sum, err := writeLedger(ctx, u.Store(), w, full)
			if err == nil {
				detail := fmt.Sprintf("%s households=%d residents=%d full_ids=%v", path, sum.Households, sum.Residents, full)
				err = u.Audit(ctx, store.AuditExport, "ledger", detail)
			}
			if ctx.Err() != nil {
				return
			}
			u.Do(func() {
				if err != nil {
					u.ShowError(lang.L("households.ledger.exportFailed"), err)
					return
				}
				u.ShowSaved(path, fmt.Sprintf(lang.L("households.ledger.exported"), sum.Households, sum.Residents))
			})
		})
	})
}

// writeLedger builds the workbook in memory and writes it to w (closed),
// so a failure leaves no half-written file.
func writeLedger(ctx context.Context, s *store.Store, w io.WriteCloser, showIDs bool) (sum ledger.ExportSummary, err error) {
	defer func() {
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close ledger file: %w", cerr)
		}
	}()
	var buf bytes.Buffer
	if sum, err = ledger.Export(ctx, s, &buf, ledger.ExportOptions{ShowIDs: showIDs}); err != nil {
		return sum, fmt.Errorf("export ledger: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return sum, fmt.Errorf("write ledger: %w", err)
	}
	return sum, nil
}
