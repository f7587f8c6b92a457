package boards

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"

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
	"cunjing/print/fonts"
	"cunjing/store"
)

// prefLeaflet keeps the officer's edited text of a leaflet topic (JSON),
// so an edit survives closing the app.
const prefLeaflet = "leaflet_text_"

// leafletDesigner is the 宣传单 tab: a topic's default text to edit,
// folded A4 or A5, previewed and saved as a PDF.
type leafletDesigner struct {
	u    *area
	root fyne.CanvasObject

	self     store.Post
	leaflet  assets.Leaflet
	filling  bool
	topic    *widget.Select
	format   *widget.RadioGroup
	title    *kit.Entry
	subtitle *kit.Entry
	remember *kit.Entry
	sections *fyne.Container
	heads    []*kit.Entry
	points   []*kit.Entry

	*previewPane
}

// previewPane is what the leaflet and card designers show beside their
// form: the preview and what it shows (or why it cannot be drawn), the
// save button and what saving did, the redraw once typing pauses and the
// save dialog (tests answer it).
type previewPane struct {
	preview    *canvas.Image
	previewMsg *kit.Message
	save       *widget.Button
	msg        *wrap.Label
	redraw     *kit.Debouncer
	choosePath pathChooser
}

// previewSplit lays out a designer: its form (left) scrolling on the left,
// the preview on the right under its heading and message, with actions
// (nil: none) below it.
func previewSplit(left fyne.CanvasObject, msg *kit.Message, preview *canvas.Image, actions fyne.CanvasObject, offset float64) *container.Split {
	right := container.NewBorder(container.NewVBox(kit.Heading(lang.L("boards.preview.title")), msg), actions, nil, nil,
		container.NewStack(canvas.NewRectangle(kit.ColHeader), container.NewPadded(preview)))
	split := container.NewHSplit(kit.NewFormScroll(container.NewPadded(left)), container.NewPadded(right))
	split.Offset = offset
	return split
}

func newPreviewPane(u *area, save func()) *previewPane {
	p := &previewPane{redraw: kit.NewDebouncer(u), choosePath: u.saveDialog}
	p.preview = canvas.NewImageFromImage(nil)
	p.preview.FillMode = canvas.ImageFillContain
	p.previewMsg = kit.NewMessage()
	p.previewMsg.SetText(lang.L("boards.preview.wait"))
	p.save = widget.NewButtonWithIcon(lang.L("boards.out.save"), theme.DocumentSaveIcon(), save)
	p.save.Importance = widget.HighImportance
	p.msg = kit.StatusLabel("")
	return p
}

// shown puts a drawn preview up, saying what it shows, and lets it be
// saved.
func (p *previewPane) shown(img image.Image, says string) {
	p.save.Enable()
	showPreview(p.preview, p.previewMsg, img, says)
}

func newLeafletDesigner(u *area) *leafletDesigner {
	l := &leafletDesigner{u: u}
	l.previewPane = newPreviewPane(u, l.saveLeaflet)
	topics := make([]string, len(assets.LeafletTopics))
	for i, t := range assets.LeafletTopics {
		topics[i] = lang.L("boards.topic." + t)
	}
	l.topic = kit.NewSelect(topics, func(string) { l.loadTopic() })
	l.format = widget.NewRadioGroup([]string{lang.L("boards.leaflet.bifold"), lang.L("boards.leaflet.a5")}, func(string) { l.changed() })
	l.format.Horizontal = true
	l.format.Required = true
	l.title, l.subtitle, l.remember = kit.NewEntry(), kit.NewEntry(), kit.NewEntry()
	for _, e := range []*kit.Entry{l.title, l.subtitle, l.remember} {
		e.OnChanged = func(string) { l.changed() }
	}
	l.sections = container.NewVBox()
	reset := widget.NewButtonWithIcon(lang.L("boards.leaflet.reset"), theme.HistoryIcon(), l.resetTopic)

	form := widget.NewForm(
		widget.NewFormItem(lang.L("boards.leaflet.topic"), l.topic),
		widget.NewFormItem(lang.L("boards.leaflet.format"), l.format),
		widget.NewFormItem(lang.L("boards.f.title"), l.title),
		widget.NewFormItem(lang.L("boards.f.subtitle"), l.subtitle),
		widget.NewFormItem(lang.L("boards.leaflet.remember"), l.remember),
	)
	left := container.NewVBox(form, kit.Heading(lang.L("boards.leaflet.sections")),
		kit.StatusLabel(lang.L("boards.leaflet.sectionsHint")), l.sections)
	l.root = previewSplit(left, l.previewMsg, l.preview, container.NewVBox(container.NewGridWithColumns(2, l.save, reset), l.msg), 0.5)
	l.filling = true
	l.format.SetSelected(l.format.Options[0])
	l.filling = false
	return l
}

func (l *leafletDesigner) Object() fyne.CanvasObject { return l.root }

// load reads the post's contact (printed on the back) and shows the
// first topic.
func (l *leafletDesigner) load() {
	var self store.Post
	kit.Load(l.u, func(ctx context.Context) error {
		return l.u.Store().Get(ctx, &self, l.u.Store().DeviceID())
	}, func() {
		l.self = self
		if l.topic.Selected == "" {
			l.topic.SetSelected(l.topic.Options[0])
		} else {
			l.changed()
		}
	})
}

// topicCode is the selected topic's code (fire, theft, …).
func (l *leafletDesigner) topicCode() string {
	for i, t := range assets.LeafletTopics {
		if l.topic.Selected == l.topic.Options[i] {
			return t
		}
	}
	return assets.LeafletTopics[0]
}

// loadTopic shows the topic's text: the officer's edit if there is one,
// else the default.
func (l *leafletDesigner) loadTopic() {
	topic := l.topicCode()
	lf, err := assets.DefaultLeaflet(topic)
	if err != nil {
		l.u.ShowError(lang.L("error.load"), err)
		return
	}
	if saved := l.u.Prefs().String(prefLeaflet + topic); saved != "" {
		var edited assets.Leaflet
		if err := json.Unmarshal([]byte(saved), &edited); err == nil && edited.Topic == topic {
			lf = edited
		} // a damaged saved edit falls back to the default text
	}
	l.show(lf)
}

// resetTopic throws away the officer's edit of this topic.
func (l *leafletDesigner) resetTopic() {
	topic := l.topicCode()
	l.u.Prefs().RemoveValue(prefLeaflet + topic)
	l.loadTopic()
}

// show fills the form with a leaflet's text.
func (l *leafletDesigner) show(lf assets.Leaflet) {
	l.filling = true
	l.leaflet = lf
	l.title.SetText(lf.Title)
	l.subtitle.SetText(lf.Subtitle)
	l.remember.SetText(lf.Remember)
	l.heads, l.points = nil, nil
	var rows []fyne.CanvasObject
	for _, sec := range lf.Sections {
		h := kit.NewEntry()
		h.TextStyle = fyne.TextStyle{Bold: true}
		h.SetText(sec.Heading)
		p := kit.NewMultiLineEntry()
		p.Wrapping = fyne.TextWrapWord
		p.SetText(strings.Join(sec.Points, "\n"))
		p.SetMinRowsVisible(max(3, len(sec.Points)+1))
		h.OnChanged = func(string) { l.changed() }
		p.OnChanged = func(string) { l.changed() }
		l.heads = append(l.heads, h)
		l.points = append(l.points, p)
		rows = append(rows, h, p)
	}
	l.sections.Objects = rows
	l.sections.Refresh()
	l.filling = false
	l.changed()
}

// current is the leaflet as edited.
func (l *leafletDesigner) current() assets.Leaflet {
	lf := assets.Leaflet{Topic: l.topicCode(), Title: strings.TrimSpace(l.title.Text),
		Subtitle: strings.TrimSpace(l.subtitle.Text), Remember: strings.TrimSpace(l.remember.Text)}
	for i, h := range l.heads {
		var pts []string
		for _, p := range strings.Split(l.points[i].Text, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				pts = append(pts, p)
			}
		}
		if strings.TrimSpace(h.Text) == "" && len(pts) == 0 {
			continue
		}
		lf.Sections = append(lf.Sections, assets.Section{Heading: strings.TrimSpace(h.Text), Points: pts})
	}
	return lf
}

func (l *leafletDesigner) formatChosen() print.LeafletFormat {
	if l.format.Selected == lang.L("boards.leaflet.a5") {
		return print.LeafletA5
	}
	return print.LeafletBifold
}

// changed keeps the edit and redraws the preview once typing pauses.
func (l *leafletDesigner) changed() {
	if l.filling || l.title == nil || l.topic.Selected == "" {
		return
	}
	l.u.Touched()
	lf := l.current()
	if data, err := json.Marshal(lf); err == nil {
		l.u.Prefs().SetString(prefLeaflet+lf.Topic, string(data))
	}
	format := l.formatChosen()
	contact := boardset.Contact(l.self)
	l.redraw.Run(previewDebounce, func(gen int) {
		var img image.Image
		pages, err := print.LeafletPages(lf, format, contact)
		if err == nil {
			var f *fonts.Font
			if f, err = l.u.PDFFont(); err == nil {
				img, err = renderPages(f, pages, previewWidth)
			}
		}
		l.u.Do(func() {
			if !l.redraw.Current(gen) {
				return
			}
			if err != nil {
				showPreviewProblem(l.previewMsg, err)
				l.save.Disable()
				return
			}
			l.shown(img, fmt.Sprintf(lang.L("boards.leaflet.pages"), len(pages)))
		})
	})
}

// saveLeaflet writes the leaflet as a PDF.
func (l *leafletDesigner) saveLeaflet() {
	lf := l.current()
	format := l.formatChosen()
	contact := boardset.Contact(l.self)
	font, err := l.u.PDFFont()
	if err != nil {
		l.u.ShowError(lang.L("boards.preview.noFont"), err)
		return
	}
	job := printJob{
		write: func(_ context.Context, w io.Writer) error {
			return print.WriteLeaflet(w, font, lf, format, contact)
		},
		records: boardset.Records("leaflet", lf.Topic, string(format), nil, 1),
	}
	if contact.Officer != "" || contact.Phone != "" {
		job.audit = lang.L("print.leaflet") + " " + lf.Title
	}
	l.choosePath(kit.SafeFileName(lf.Title, l.format.Selected), func(path string) {
		l.u.saveToFile(job, path, l.save, l.msg)
	})
}

// cardDesigner is the 联系卡 tab: police contact cards, ten per A4 sheet
// with cut marks.
type cardDesigner struct {
	u    *area
	root fyne.CanvasObject

	contacts []print.Contact
	who      *widget.CheckGroup
	copies   *kit.Entry
	*previewPane
}

// cardsPerSheet is how many cards print.CardPages puts on an A4 page.
const cardsPerSheet = 10

func newCardDesigner(u *area) *cardDesigner {
	c := &cardDesigner{u: u}
	c.previewPane = newPreviewPane(u, c.saveCards)
	c.who = widget.NewCheckGroup(nil, func([]string) { c.changed() })
	c.copies = kit.NewEntry()
	c.copies.SetText(strconv.Itoa(cardsPerSheet))
	c.copies.OnChanged = func(string) { c.changed() }
	form := widget.NewForm(
		widget.NewFormItem(lang.L("boards.cards.who"), c.who),
		widget.NewFormItem(lang.L("boards.cards.copies"), container.NewVBox(c.copies, kit.StatusLabel(lang.L("boards.cards.copiesHint")))),
	)
	left := container.NewVBox(kit.StatusLabel(lang.L("boards.cards.hint")), form, c.save, c.msg)
	c.root = previewSplit(left, c.previewMsg, c.preview, nil, 0.4)
	return c
}

func (c *cardDesigner) Object() fyne.CanvasObject { return c.root }

// load reads whose cards can be printed: this post's officer, or at a
// station every post's.
func (c *cardDesigner) load() {
	var data boardset.Data
	kit.Load(c.u, func(ctx context.Context) (err error) {
		data, err = boardset.Load(ctx, c.u.Store())
		return err
	}, func() {
		c.contacts = data.CardContacts()
		opts := make([]string, len(c.contacts))
		for i, ct := range c.contacts {
			opts[i] = cardLabel(ct)
		}
		keep := c.who.Selected
		c.who.Options = opts
		if len(keep) == 0 {
			keep = opts
		}
		c.who.Selected = nil
		for _, k := range keep {
			if contains(opts, k) {
				c.who.Selected = append(c.who.Selected, k)
			}
		}
		c.who.Refresh()
		c.changed()
	})
}

func cardLabel(ct print.Contact) string {
	return kit.JoinNonEmpty(ct.Post, ct.Officer, ct.Phone)
}

// chosen is the contacts ticked and the cards per person.
func (c *cardDesigner) chosen() ([]print.Contact, int, error) {
	var out []print.Contact
	for _, ct := range c.contacts {
		if contains(c.who.Selected, cardLabel(ct)) {
			out = append(out, ct)
		}
	}
	if len(out) == 0 {
		return nil, 0, errors.New(lang.L("boards.cards.noneChosen"))
	}
	n, err := strconv.Atoi(strings.TrimSpace(c.copies.Text))
	if err != nil || n < 1 || n > 1000 {
		return out, 0, fmt.Errorf("“%s”：%s", c.copies.Text, lang.L("boards.cards.badCopies"))
	}
	return out, n, nil
}

func (c *cardDesigner) changed() {
	if c.copies == nil {
		return
	}
	c.u.Touched()
	contacts, n, cerr := c.chosen()
	c.redraw.Run(previewDebounce, func(gen int) {
		err := cerr
		var img image.Image
		var pages []print.Page
		if err == nil {
			pages, err = print.CardPages(contacts, n)
		}
		if err == nil {
			var f *fonts.Font
			if f, err = c.u.PDFFont(); err == nil {
				img, err = renderPages(f, pages[:1], previewWidth)
			}
		}
		c.u.Do(func() {
			if !c.redraw.Current(gen) {
				return
			}
			if err != nil {
				c.save.Disable()
				if err == cerr { // already in the user's words
					c.previewMsg.SetText(err.Error())
					c.previewMsg.SetImportance(widget.DangerImportance)
				} else {
					showPreviewProblem(c.previewMsg, err)
				}
				return
			}
			c.shown(img, fmt.Sprintf(lang.L("boards.cards.pages"), len(contacts)*n, len(pages)))
		})
	})
}

// saveCards writes the card sheets as a PDF; cards carry officers' names
// and phone numbers, so the print is audited.
func (c *cardDesigner) saveCards() {
	contacts, n, err := c.chosen()
	if err != nil {
		c.u.ShowError(lang.L("boards.out.saveFailed"), err)
		return
	}
	font, err := c.u.PDFFont()
	if err != nil {
		c.u.ShowError(lang.L("boards.preview.noFont"), err)
		return
	}
	names := make([]string, len(contacts))
	for i, ct := range contacts {
		names[i] = kit.JoinNonEmpty(ct.Officer, ct.Post)
	}
	job := printJob{
		write: func(_ context.Context, w io.Writer) error {
			return print.WriteCards(w, font, contacts, n)
		},
		records: boardset.Records("cards", "", "a4", nil, n*len(contacts)),
		audit:   lang.L("print.cards") + " " + strings.Join(names, lang.L("list.sep")),
	}
	c.choosePath(kit.SafeFileName(lang.L("print.cards"), contacts[0].Post), func(path string) {
		c.u.saveToFile(job, path, c.save, c.msg)
	})
}
