package boards

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/boardset"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/costboard"
	"cunjing/print/fonts"
	"cunjing/store"
)

// previewDebounce lets typing pause before the preview is redrawn.
const previewDebounce = 350 * time.Millisecond

// previewWidth is the preview image's width in pixels.
const previewWidth = 560

// boardDesigner is the 设计警示牌 tab: template, wording, cost items,
// venue, contact, QR code, size and output, with a live preview drawn by
// the same layout code that writes the PDF, and a batch of one board per
// venue.
type boardDesigner struct {
	u    *area
	root fyne.CanvasObject

	data    boardset.Data
	inForce []assets.CostItem
	byID    map[string]store.CostItem
	chosen  map[string]bool
	filling bool // set while widgets are filled in code: no preview per field

	template *widget.RadioGroup
	size     *widget.Select
	custom   *kit.Entry
	output   *widget.RadioGroup
	final    *widget.Check
	title    *kit.Entry
	subtitle *kit.Entry
	slogan   *kit.Entry
	venue    *widget.Select
	post     *kit.Entry
	officer  *kit.Entry
	phone    *kit.Entry
	qr       *widget.Select
	qrText   *kit.Entry
	items    *fyne.Container
	issues   *fyne.Container

	preview    *canvas.Image
	previewMsg *kit.Message

	save, batch *widget.Button
	progress    *widget.ProgressBar
	cancel      *widget.Button
	batchMsg    *wrap.Label
	// batchHint says what 批量 does (fitted to its width once laid out).
	batchHint *wrap.Label

	choosePath pathChooser

	redraw      *kit.Debouncer
	mu          sync.Mutex // guards batchCancel
	batchCancel context.CancelFunc
}

// Template, size, output and QR choices in menu order, by message key.
var (
	designTemplates = []struct {
		t   costboard.Template
		key string
	}{
		{costboard.TemplateTable, "boards.tpl.table"}, {costboard.TemplateCalculator, "boards.tpl.calculator"},
		{costboard.TemplatePoster, "boards.tpl.poster"},
	}
	designSizes = []struct{ name, key string }{
		{"a4", "boards.size.a4"}, {"a3", "boards.size.a3"}, {"60x90", "boards.size.60x90"},
		{"90x120", "boards.size.90x120"}, {"", "boards.size.custom"},
	}
	designQR = []struct{ mode, key string }{
		{"", "boards.qr.vcard"}, {"tel", "boards.qr.tel"}, {"custom", "boards.qr.custom"},
	}
)

func newBoardDesigner(u *area) *boardDesigner {
	d := &boardDesigner{u: u, chosen: map[string]bool{}, byID: map[string]store.CostItem{}}
	d.redraw = kit.NewDebouncer(u)
	d.choosePath = u.saveDialog
	changed := func(string) { d.changed() }

	tpls := make([]string, len(designTemplates))
	for i, t := range designTemplates {
		tpls[i] = lang.L(t.key)
	}
	d.template = widget.NewRadioGroup(tpls, func(string) {
		if d.filling {
			return
		}
		d.pickDefaultItems()
		d.showItems()
		d.changed()
	})
	d.template.Horizontal = true
	d.template.Required = true

	sizes := make([]string, len(designSizes))
	for i, s := range designSizes {
		sizes[i] = lang.L(s.key)
	}
	d.size, d.custom = selectWithOther(sizes, lang.L("boards.size.custom"), lang.L("boards.size.customHint"), changed)
	d.output = widget.NewRadioGroup([]string{lang.L("boards.out.single"), lang.L("boards.out.tile")}, changed)
	d.output.Required = true
	d.final = widget.NewCheck(lang.L("boards.out.final"), func(bool) { d.changed() })

	d.title, d.subtitle, d.slogan = kit.NewEntry(), kit.NewEntry(), kit.NewEntry()
	d.post, d.officer, d.phone = kit.NewEntry(), kit.NewEntry(), kit.NewEntry()
	for _, e := range []*kit.Entry{d.title, d.subtitle, d.slogan, d.post, d.officer, d.phone} {
		e.OnChanged = changed
	}
	d.venue = kit.NewSelect(nil, changed)
	qrs := make([]string, len(designQR))
	for i, q := range designQR {
		qrs[i] = lang.L(q.key)
	}
	d.qr, d.qrText = selectWithOther(qrs, lang.L("boards.qr.custom"), lang.L("boards.qr.customHint"), changed)

	d.items = container.NewVBox()
	d.issues = container.NewVBox()
	d.preview = canvas.NewImageFromImage(nil)
	d.preview.FillMode = canvas.ImageFillContain
	d.preview.ScaleMode = canvas.ImageScaleSmooth
	d.previewMsg = kit.NewMessage()
	d.previewMsg.SetText(lang.L("boards.preview.wait"))

	d.save = widget.NewButtonWithIcon(lang.L("boards.out.save"), theme.DocumentSaveIcon(), d.saveOne)
	d.save.Importance = widget.HighImportance
	d.batch = widget.NewButtonWithIcon(lang.L("boards.batch.start"), theme.DocumentPrintIcon(), d.startBatch)
	d.progress = widget.NewProgressBar()
	d.progress.Hide()
	d.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), d.cancelBatch)
	d.cancel.Importance = widget.DangerImportance
	d.cancel.Hide()
	d.batchMsg = kit.StatusLabel("")
	d.batchHint = kit.StatusLabel(lang.L("boards.batch.hint"))

	form := widget.NewForm(
		widget.NewFormItem(lang.L("boards.f.template"), d.template),
		widget.NewFormItem(lang.L("boards.f.title"), d.title),
		widget.NewFormItem(lang.L("boards.f.subtitle"), d.subtitle),
		widget.NewFormItem(lang.L("boards.f.slogan"), d.slogan),
		widget.NewFormItem(lang.L("boards.f.venue"), d.venue),
		widget.NewFormItem(lang.L("boards.f.post"), d.post),
		widget.NewFormItem(lang.L("boards.f.officer"), d.officer),
		widget.NewFormItem(lang.L("boards.f.phone"), container.NewVBox(d.phone, kit.StatusLabel(lang.L("boards.f.phoneHint")))),
		widget.NewFormItem(lang.L("boards.f.qr"), container.NewVBox(d.qr, d.qrText)),
		widget.NewFormItem(lang.L("boards.f.size"), container.NewVBox(d.size, d.custom)),
		widget.NewFormItem(lang.L("boards.f.output"), container.NewVBox(d.output, d.final)),
	)
	left := container.NewVBox(
		form,
		kit.Heading(lang.L("boards.f.items")),
		kit.StatusLabel(lang.L("boards.f.itemsHint")),
		d.items,
		d.issues,
	)
	actions := container.NewVBox(
		container.NewGridWithColumns(2, d.save, d.batch),
		d.batchHint,
		container.NewBorder(nil, nil, nil, d.cancel, d.progress),
		d.batchMsg,
	)
	d.root = previewSplit(left, d.previewMsg, d.preview, actions, 0.52)
	return d
}

func (d *boardDesigner) Object() fyne.CanvasObject { return d.root }

// load fills the designer from what the store holds; fields the user
// already typed keep their text.
func (d *boardDesigner) load() {
	var data boardset.Data
	var inForce []assets.CostItem
	kit.Load(d.u, func(ctx context.Context) (err error) {
		if data, err = boardset.Load(ctx, d.u.Store()); err != nil {
			return err
		}
		inForce, err = data.InForce(d.u.Now())
		return err
	}, func() {
		first := d.data.Self.ID == ""
		d.data, d.inForce = data, inForce
		d.byID = map[string]store.CostItem{}
		for _, c := range data.Items {
			d.byID[c.ID] = c
		}
		d.fill(first)
		d.changed()
		kit.Refit(d.batchHint)
	})
}

// fill puts the loaded data into the widgets; first sets the defaults.
func (d *boardDesigner) fill(first bool) {
	d.filling = true
	defer func() { d.filling = false }()
	names := []string{lang.L("boards.f.noVenue")}
	for _, v := range d.data.Venues {
		names = append(names, v.Name)
	}
	d.venue.Options = names
	if d.venue.Selected == "" || !contains(names, d.venue.Selected) {
		d.venue.SetSelected(names[0])
	}
	d.venue.Refresh()
	if first {
		def := costboard.Default(nil, "", boardset.Contact(d.data.Self))
		d.title.SetText(def.Title)
		d.subtitle.SetText(def.Subtitle)
		d.slogan.SetText(def.Slogan)
		d.post.SetText(strings.TrimSpace(d.data.Self.Township + " " + d.data.Self.Name))
		d.officer.SetText(d.data.Self.Officer)
		d.phone.SetText(d.data.Self.Phone)
		d.template.SetSelected(d.template.Options[0])
		d.size.SetSelected(d.size.Options[0])
		d.output.SetSelected(d.output.Options[0])
		d.qr.SetSelected(d.qr.Options[0])
		d.pickDefaultItems()
	} else {
		// Items the station withdrew are no longer offered.
		for id := range d.chosen {
			if _, ok := d.byID[id]; !ok {
				delete(d.chosen, id)
			}
		}
	}
	d.showItems()
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// templateChosen is the selected template.
func (d *boardDesigner) templateChosen() costboard.Template {
	for _, t := range designTemplates {
		if lang.L(t.key) == d.template.Selected {
			return t.t
		}
	}
	return costboard.TemplateTable
}

// pickDefaultItems selects the lines the template is designed for.
func (d *boardDesigner) pickDefaultItems() {
	d.chosen = map[string]bool{}
	l, _ := d.layout() // no size yet: DefaultItemsFor takes A4
	for _, it := range costboard.DefaultItemsFor(context.Background(), d.templateChosen(), l.Size, d.inForce) {
		d.chosen[it.ID] = true
	}
}

// showItems lists every item in force with a tick box, its amount, and
// whether the station has confirmed the amount.
func (d *boardDesigner) showItems() {
	var rows []fyne.CanvasObject
	sorted := append([]assets.CostItem(nil), d.inForce...)
	assets.SortItems(sorted)
	if len(sorted) == 0 {
		rows = append(rows, kit.StatusLabel(lang.L("boards.noItems")))
	}
	for _, it := range sorted {
		it := it
		text := it.Text
		if a := costboard.FormatAmount(it); a != "" {
			text += "  " + a
		}
		// The text sits in a wrapping label beside an empty tick box: a
		// long legal line must not widen the form past the window.
		check := widget.NewCheck("", func(on bool) {
			if on {
				d.chosen[it.ID] = true
			} else {
				delete(d.chosen, it.ID)
			}
			d.changed()
		})
		check.Checked = d.chosen[it.ID]
		label := kit.Wrapped(text)
		var right fyne.CanvasObject
		if it.HasAmount() && !it.Confirmed {
			flag := widget.NewLabel(lang.L("boards.unconfirmed"))
			flag.Importance = widget.WarningImportance
			right = flag
			if d.u.Store().Role() == store.RoleStation {
				if c, ok := d.byID[it.ID]; ok {
					right = container.NewHBox(flag, d.u.confirmButton(c, d.load))
				}
			}
		}
		rows = append(rows, container.NewBorder(nil, nil, check, right, label))
	}
	d.items.Objects = rows
	d.items.Refresh()
}

// board is the board as the form describes it.
func (d *boardDesigner) board() costboard.Board {
	var items []assets.CostItem
	sorted := append([]assets.CostItem(nil), d.inForce...)
	assets.SortItems(sorted)
	for _, it := range sorted {
		if d.chosen[it.ID] {
			items = append(items, it)
		}
	}
	c := print.Contact{Post: strings.TrimSpace(d.post.Text), Officer: strings.TrimSpace(d.officer.Text),
		Phone: strings.TrimSpace(d.phone.Text), Address: d.data.Self.Address}
	switch d.qr.Selected {
	case lang.L("boards.qr.tel"):
		c.QR = "tel"
	case lang.L("boards.qr.custom"):
		c.QR = strings.TrimSpace(d.qrText.Text)
	}
	venue := ""
	if d.venue.Selected != lang.L("boards.f.noVenue") {
		venue = d.venue.Selected
	}
	return costboard.Board{
		Title: strings.TrimSpace(d.title.Text), Subtitle: strings.TrimSpace(d.subtitle.Text), Venue: venue,
		Items: items, Slogan: strings.TrimSpace(d.slogan.Text), Contact: c,
	}
}

// errCustomSize is a custom size that is empty.
var errCustomSize = errors.New("custom size: type width×height in centimetres")

// layout is the paper layout the form describes.
func (d *boardDesigner) layout() (costboard.Layout, error) {
	l := costboard.Layout{Template: d.templateChosen(), TileA4: d.output.Selected == lang.L("boards.out.tile"), Marks: d.output.Selected == lang.L("boards.out.single"), RequireConfirmed: d.final.Checked}
	name := ""
	for _, s := range designSizes {
		if lang.L(s.key) == d.size.Selected {
			name = s.name
		}
	}
	if name == "" {
		name = strings.TrimSpace(d.custom.Text)
		if name == "" {
			return l, errCustomSize
		}
	}
	sz, err := print.ParseSize(name)
	if err != nil {
		return l, err
	}
	l.Size = sz
	return l, nil
}

// selectedVenue is the venue chosen for a single board (nil: none).
func (d *boardDesigner) selectedVenue() *store.Venue {
	for i, v := range d.data.Venues {
		if v.Name == d.venue.Selected {
			return &d.data.Venues[i]
		}
	}
	return nil
}

// changed redraws the checks at once and the preview once typing pauses.
func (d *boardDesigner) changed() {
	if d.filling || d.title == nil || d.output == nil || d.qr == nil {
		return
	}
	d.u.Touched()
	b := d.board()
	l, lerr := d.layout()
	d.showIssues(b, l, lerr)
	d.schedulePreview(b, l, lerr)
}

// showIssues lists in plain words what stops printing (red) and what is
// unsettled (orange), and enables the print buttons accordingly.
func (d *boardDesigner) showIssues(b costboard.Board, l costboard.Layout, lerr error) {
	var out []fyne.CanvasObject
	blocked := false
	add := func(text string, blocking bool) {
		lb := kit.Wrapped(text)
		icon := theme.WarningIcon()
		lb.Importance = widget.WarningImportance
		if blocking {
			blocked = true
			lb.Importance = widget.DangerImportance
			icon = theme.ErrorIcon()
		}
		out = append(out, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, lb))
	}
	if lerr != nil {
		add(lang.L("boards.issue.size"), true)
		out = append(out, kit.DetailFold(lerr))
	}
	if err := checkPhone(b.Contact.Phone); err != nil {
		add(lang.L("boards.issue.phone"), true)
	}
	unconfirmed := 0
	for _, is := range costboard.Check(b, l.RequireConfirmed) {
		switch is.Field {
		case "confirmed":
			unconfirmed++
			if is.Blocking {
				blocked = true
			}
		case "title":
			add(lang.L("boards.issue.title"), true)
		case "items":
			add(lang.L("boards.issue.items"), true)
		case "slogan", "subtitle":
			add(lang.L("boards.issue.sealed"), true)
		default:
			text := is.Problem
			if c, ok := d.byID[is.ItemID]; ok {
				text = c.Text + "：" + is.Problem
			}
			add(lang.L("boards.issue.item")+"\n"+text, true)
		}
	}
	if unconfirmed > 0 {
		if l.RequireConfirmed {
			add(fmt.Sprintf(lang.L("boards.issue.unconfirmedFinal"), unconfirmed), true)
		} else {
			add(fmt.Sprintf(lang.L("boards.issue.unconfirmed"), unconfirmed), false)
		}
	}
	d.issues.Objects = out
	d.issues.Refresh()
	busy := d.batchRunning()
	if blocked || busy {
		d.save.Disable()
		d.batch.Disable()
	} else {
		d.save.Enable()
		d.batch.Enable()
	}
	if len(d.data.Venues) == 0 {
		d.batch.Disable()
	}
}

// checkPhone accepts an empty phone (the board then shows 110 only) or
// a valid one.
func checkPhone(p string) error {
	if p == "" {
		return nil
	}
	_, err := store.NormalisePhone(p)
	return err
}

// schedulePreview redraws the preview once typing pauses.
func (d *boardDesigner) schedulePreview(b costboard.Board, l costboard.Layout, lerr error) {
	d.redraw.Run(previewDebounce, func(gen int) {
		var img image.Image
		err := lerr
		if err == nil {
			var f *fonts.Font
			if f, err = d.u.PDFFont(); err == nil {
				img, err = costboard.Preview(f, b, l, previewWidth)
			}
		}
		d.u.Do(func() {
			if !d.redraw.Current(gen) {
				return
			}
			if err != nil {
				showPreviewProblem(d.previewMsg, err)
				return
			}
			showPreview(d.preview, d.previewMsg, img, fmt.Sprintf(lang.L("boards.preview.size"), l.Size.CM()))
		})
	})
}

// showPreview puts a drawn preview up, msg saying what it shows.
func showPreview(preview *canvas.Image, msg *kit.Message, img image.Image, says string) {
	msg.SetText(says)
	msg.SetImportance(widget.LowImportance)
	preview.Image = img
	preview.Refresh()
}

// showPreviewProblem puts why a preview cannot be drawn into msg.
func showPreviewProblem(msg *kit.Message, err error) {
	what, detail := previewProblem(err)
	msg.SetError(what, detail)
	msg.SetImportance(widget.DangerImportance)
}

// previewProblem says in plain words why a board cannot be drawn, and
// the error to fold under 详细信息 when the words are only general.
func previewProblem(err error) (string, error) {
	var ov *print.OverflowError
	switch {
	case errors.Is(err, kit.ErrNoFont):
		return lang.L("boards.preview.noFont"), nil
	case errors.As(err, &ov):
		return fmt.Sprintf(lang.L("boards.preview.overflow"), overflowField(ov.Field)), nil
	}
	return lang.L("boards.preview.failed"), err
}

// overflowField names a board part in the UI language.
func overflowField(f string) string {
	for _, k := range []struct{ field, key string }{
		{"title", "boards.f.title"}, {"subtitle", "boards.f.subtitle"}, {"slogan", "boards.f.slogan"},
		{"venue name", "boards.f.venue"}, {"contact", "boards.f.officer"},
	} {
		if f == k.field {
			return lang.L(k.key)
		}
	}
	return lang.L("boards.preview.someText")
}

// sizeName is the size as print records keep it.
func sizeName(l costboard.Layout) string {
	if l.TileA4 {
		return l.Size.Name + "/a4-tiles"
	}
	return l.Size.Name
}

// printable is the layout and the font to print with, or false once the
// reason why not was shown.
func (d *boardDesigner) printable() (costboard.Layout, *fonts.Font, bool) {
	l, err := d.layout()
	if err != nil {
		d.u.ShowError(lang.L("boards.issue.size"), err)
		return l, nil, false
	}
	font, err := d.u.PDFFont()
	if err != nil {
		d.u.ShowError(lang.L("boards.preview.noFont"), err)
		return l, nil, false
	}
	return l, font, true
}

// saveOne writes the board shown in the preview.
func (d *boardDesigner) saveOne() {
	b := d.board()
	l, font, ok := d.printable()
	if !ok {
		return
	}
	var venues []store.Venue
	if v := d.selectedVenue(); v != nil {
		venues = []store.Venue{*v}
	}
	job := printJob{
		write: func(ctx context.Context, w io.Writer) error {
			return costboard.WriteAll(ctx, w, font, []costboard.Board{b}, l, print.DocInfo{Title: b.Title}, nil)
		},
		records: boardset.Records("board", string(l.Template), sizeName(l), venues, 1),
	}
	if b.Contact.Officer != "" || b.Contact.Phone != "" {
		job.audit = lang.L("print.board") + " " + kit.JoinNonEmpty(b.Venue, b.Contact.Officer)
	}
	d.choosePath(kit.SafeFileName(b.Title, b.Venue, l.Size.Name), func(path string) {
		d.u.saveToFile(job, path, d.save, d.batchMsg)
	})
}

func (d *boardDesigner) batchRunning() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.batchCancel != nil
}

// startBatch writes one board per venue into one PDF, with a progress bar
// and a cancel button.
func (d *boardDesigner) startBatch() {
	base := d.board()
	l, font, ok := d.printable()
	if !ok {
		return
	}
	venues := append([]store.Venue(nil), d.data.Venues...)
	if len(venues) == 0 {
		d.u.ShowError(lang.L("boards.batch.noVenues"), errors.New("the venue list is empty"))
		return
	}
	boards, err := d.data.Boards(base, venues)
	if err != nil {
		d.u.ShowError(lang.L("boards.batch.failed"), err)
		return
	}
	d.choosePath(kit.SafeFileName(base.Title, fmt.Sprintf(lang.L("boards.batch.fileName"), len(boards)), l.Size.Name), func(path string) {
		ctx, cancel := context.WithCancel(d.u.Ctx())
		d.mu.Lock()
		d.batchCancel = cancel
		d.mu.Unlock()
		d.save.Disable()
		d.batch.Disable()
		d.progress.SetValue(0)
		d.progress.Show()
		d.cancel.Show()
		d.cancel.Enable()
		kit.SetWrapped(d.batchMsg, fmt.Sprintf(lang.L("boards.batch.progress"), 0, len(boards)))
		job := printJob{
			path: path,
			write: func(ctx context.Context, w io.Writer) error {
				return costboard.WriteAll(ctx, w, font, boards, l, print.DocInfo{Title: base.Title}, func(done, total int) {
					d.u.Do(func() {
						d.progress.SetValue(float64(done) / float64(total))
						kit.SetWrapped(d.batchMsg, fmt.Sprintf(lang.L("boards.batch.progress"), done, total))
					})
				})
			},
			records: boardset.Records("board", string(l.Template), sizeName(l), venues, 1),
			audit:   fmt.Sprintf(lang.L("boards.batch.audit"), len(boards)),
		}
		d.u.GoBG(func(context.Context) {
			d.u.runPrint(ctx, job, func(err error) {
				d.mu.Lock()
				d.batchCancel = nil
				d.mu.Unlock()
				cancel()
				d.progress.Hide()
				d.cancel.Hide()
				d.changed()
				switch {
				case err != nil && ctx.Err() != nil:
					kit.SetWrapped(d.batchMsg, lang.L("boards.batch.cancelled"))
				case err != nil:
					kit.SetWrapped(d.batchMsg, "")
					d.u.ShowError(lang.L("boards.batch.failed"), err)
				default:
					kit.SetWrapped(d.batchMsg, fmt.Sprintf(lang.L("boards.batch.done"), len(boards), path))
					d.u.refreshPrinted()
				}
			})
		})
	})
}

// cancelBatch stops the batch between pages; nothing is written.
func (d *boardDesigner) cancelBatch() {
	d.mu.Lock()
	cancel := d.batchCancel
	d.mu.Unlock()
	if cancel != nil {
		cancel()
		d.cancel.Disable()
		kit.SetWrapped(d.batchMsg, lang.L("boards.batch.cancelling"))
	}
}

// selectWithOther is a choice whose "other" option opens an entry for a
// value of one's own; changed runs after either changes.
func selectWithOther(options []string, other, hint string, changed func(string)) (*widget.Select, *kit.Entry) {
	e := kit.NewEntry()
	e.SetPlaceHolder(hint)
	e.OnChanged = changed
	e.Hide()
	sel := kit.NewSelect(options, func(v string) {
		if v == other {
			e.Show()
		} else {
			e.Hide()
		}
		changed(v)
	})
	return sel, e
}
