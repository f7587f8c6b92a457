// Package emergency is the window's 紧急 area (issue #24): type a house
// number, a householder's name or a phone and one screen shows the fire
// engine's route to read aloud, the map with the route, who inside needs
// help, the phones, who is on duty now and 119/120/110; 保存图片 writes
// the card as a PNG for a phone (WeChat), 复制文字 copies it for SMS,
// 打印 writes the A4 page, 记为巡逻记录 turns the logged event into a
// patrol record afterwards. The shell opens it from every screen (the 紧急
// button, Ctrl+E) and straight from the idle lock.
//
// What the card holds and how the query is read is app/emergency's, the
// same as `cunjing emergency`; the layouts are print/ecard's.
package emergency

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/emergency"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/print"
	"cunjing/print/ecard"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/emergencylog"
	"cunjing/store/search"
)

// Env is what 紧急 needs from the window around it.
type Env interface {
	kit.Base
	App() fyne.App // the clipboard
	Font() *kit.Font
	PDFFont() (*fonts.Font, error)
	User() *store.User
	UserRole() string
	Actor() string
}

// mapW, mapH are the card's map on screen, in pixels.
const mapW, mapH = 560, 420

// Screen is the 紧急 area.
type Screen struct {
	u Env

	village *widget.Select
	query   *kit.Entry
	status  *wrap.Label
	body    *fyne.Container
	root    fyne.CanvasObject

	villages []store.Village
	loaded   bool // the villages have been read
	pending  bool // a query came before they were: run it once they are

	mu      sync.Mutex                   // guards sources (read in the background)
	sources map[string]*emergency.Source // by village ID, built once per visit

	card   *ecard.Card
	src    *emergency.Source
	event  store.Emergency
	patrol *widget.Button // 记为巡逻记录 of the card shown

	// running is the look-up (village and query) or the card (house)
	// being worked on: the same again while it runs is the same call
	// (Enter pressed twice in a hurry, a match tapped twice), not a
	// second emergency to log.
	running string
}

// start marks key running and reports whether it was not already; end
// (its result shown) clears it unless another has started since.
func (s *Screen) start(key string) bool {
	if s.running == key {
		return false
	}
	s.running = key
	return true
}

func (s *Screen) end(key string) {
	if s.running == key {
		s.running = ""
	}
}

// failed is what a run under key does when it fails: it ends, and says so.
func (s *Screen) failed(key string) func(error) {
	return func(err error) {
		s.end(key)
		kit.SetWrapped(s.status, "")
		s.u.ShowError(lang.L("emergency.failed"), err)
	}
}

// New builds the area and starts reading the villages and their maps, so
// the first query is answered from memory.
func New(u Env) *Screen {
	s := &Screen{u: u, sources: map[string]*emergency.Source{}}
	title := widget.NewLabelWithStyle(lang.L("emergency.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	title.Importance = widget.DangerImportance
	s.village = kit.NewSelect(nil, func(string) { s.preload() })
	s.query = kit.NewEntry()
	s.query.SetPlaceHolder(lang.L("emergency.placeholder"))
	s.query.OnSubmitted = func(string) { s.Find() }
	find := widget.NewButtonWithIcon(lang.L("emergency.find"), theme.SearchIcon(), s.Find)
	find.Importance = widget.DangerImportance
	s.status = kit.StatusLabel(lang.L("emergency.hint"))
	s.body = container.NewStack()
	bar := container.NewBorder(nil, nil, kit.WholeSelect(s.village), find, s.query)
	s.root = container.NewBorder(container.NewVBox(title, bar, s.status), nil, nil, nil, s.body)
	s.loadVillages()
	return s
}

// Object is the area's content.
func (s *Screen) Object() fyne.CanvasObject { return s.root }

// Refresh forgets the maps read so far (the map may have been edited)
// and reads them again.
func (s *Screen) Refresh() {
	s.mu.Lock()
	s.sources = map[string]*emergency.Source{}
	s.mu.Unlock()
	s.loadVillages()
}

// Focus puts the cursor into the query box (the shell calls it when the
// 紧急 button or Ctrl+E opens the area).
func (s *Screen) Focus() { s.u.Window().Canvas().Focus(s.query) }

func (s *Screen) loadVillages() {
	var vs []store.Village
	kit.Load(s.u, func(ctx context.Context) error {
		var err error
		vs, err = s.u.Store().Villages(ctx)
		return err
	}, func() {
		s.villages, s.loaded = vs, true
		defer func() {
			if s.pending {
				s.pending = false
				s.Find()
			}
		}()
		var names []string
		for _, v := range vs {
			names = append(names, v.Name)
		}
		s.village.Options = names
		if len(names) == 0 {
			kit.SetWrapped(s.status, lang.L("emergency.noVillage"))
			return
		}
		if s.village.Selected == "" || s.villageID() == "" {
			s.village.SetSelected(names[0]) // preloads
		} else {
			s.village.Refresh()
			s.preload()
		}
	})
}

func (s *Screen) villageID() string {
	for _, v := range s.villages {
		if v.Name == s.village.Selected {
			return v.ID
		}
	}
	return ""
}

// source returns the village's source, reading it when needed (in the
// background).
func (s *Screen) source(ctx context.Context, id string) (*emergency.Source, error) {
	s.mu.Lock()
	src := s.sources[id]
	s.mu.Unlock()
	if src != nil {
		return src, nil
	}
	src, err := emergency.Load(ctx, s.u.Store(), id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.sources[id] = src
	s.mu.Unlock()
	return src, nil
}

// preload reads the chosen village's map before anyone types.
func (s *Screen) preload() {
	id := s.villageID()
	if id == "" {
		return
	}
	s.u.GoBG(func(ctx context.Context) {
		if _, err := s.source(ctx, id); err != nil && ctx.Err() == nil {
			s.u.Do(func() { s.u.ShowError(lang.L("emergency.failed"), err) })
		}
	})
}

// SelectVillage chooses the village queries look in.
func (s *Screen) SelectVillage(name string) { s.village.SetSelected(name) }

// Search types q and finds it (the lock screen and tests use it).
func (s *Screen) Search(q string) {
	s.query.SetText(q)
	s.Find()
}

// Find reads the query: one house shows its card, several a list to
// choose from, none says so.
func (s *Screen) Find() {
	q := strings.TrimSpace(s.query.Text)
	if q == "" {
		return
	}
	if !s.loaded {
		s.pending = true // answered as soon as the villages are read
		return
	}
	id := s.villageID()
	if id == "" {
		return
	}
	if utf8.RuneCountInString(q) > search.MaxQueryRunes {
		// An address pasted from a message: the search reads no more,
		// and an error dialog is no answer in an emergency.
		kit.SetWrapped(s.status, fmt.Sprintf(lang.L("emergency.tooLong"), search.MaxQueryRunes))
		s.body.Objects = nil
		s.body.Refresh()
		return
	}
	key := "find\x00" + id + "\x00" + q
	if !s.start(key) {
		return
	}
	kit.SetWrapped(s.status, lang.L("emergency.working"))
	var others []store.Village
	for _, v := range s.villages {
		if v.ID != id {
			others = append(others, v)
		}
	}
	var hits []emergency.Match
	var src *emergency.Source
	elsewhere := "" // the other village it was found in
	kit.Run(s.u, func(ctx context.Context) error {
		var err error
		if src, err = s.source(ctx, id); err != nil {
			return err
		}
		if hits, err = src.Resolve(ctx, q); err != nil || len(hits) > 0 {
			return err
		}
		// Not in the village chosen: the post's other villages, before
		// saying 没有找到 in an emergency. Only those the one search finds
		// something in are read (a station has every post's villages).
		found, err := s.u.Store().Search(ctx, store.SearchQuery{Text: q})
		if err != nil {
			return err
		}
		in := map[string]bool{}
		for _, h := range found {
			in[h.VillageID] = true
		}
		for _, v := range others {
			if !in[v.ID] {
				continue
			}
			o, err := s.source(ctx, v.ID)
			if err != nil {
				continue // a map that cannot be read finds nothing
			}
			if h, err := o.Resolve(ctx, q); err == nil && len(h) > 0 {
				src, hits, elsewhere = o, h, v.Name
				return nil
			}
		}
		return nil
	}, s.failed(key), func() {
		s.end(key)
		if elsewhere != "" {
			s.village.SetSelected(elsewhere) // queries look there now
		}
		switch len(hits) {
		case 0:
			kit.SetWrapped(s.status, fmt.Sprintf(lang.L("emergency.none"), q))
			s.body.Objects = nil
			s.body.Refresh()
		case 1:
			s.open(src, hits[0].HouseID, q)
		default:
			s.showMatches(src, hits, q)
		}
	})
}

func (s *Screen) showMatches(src *emergency.Source, hits []emergency.Match, q string) {
	kit.SetWrapped(s.status, fmt.Sprintf(lang.L("emergency.matches"), q, len(hits)))
	list := container.NewVBox()
	for _, h := range hits {
		h := h
		b := widget.NewButton(fmt.Sprintf(lang.L("emergency.match"), h.Number, h.Name), func() { s.open(src, h.HouseID, q) })
		b.Alignment = widget.ButtonAlignLeading
		list.Add(b)
	}
	s.body.Objects = []fyne.CanvasObject{container.NewVScroll(list)}
	s.body.Refresh()
}

// open builds the card of a house, logs it and shows it.
func (s *Screen) open(src *emergency.Source, houseID, q string) {
	key := "open\x00" + houseID
	if !s.start(key) {
		return
	}
	kit.SetWrapped(s.status, lang.L("emergency.working"))
	var card *ecard.Card
	var ev store.Emergency
	var mapImg image.Image
	var mapErr error
	font, _ := s.u.PDFFont() // nil: the map says it needs a font
	user := s.u.Actor()
	if u := s.u.User(); u != nil {
		user = u.Username
	}
	role := s.u.UserRole()
	now := s.u.Now()
	kit.Run(s.u, func(ctx context.Context) error {
		var err error
		card, err = emergency.Build(ctx, s.u.Store(), src, houseID, emergency.Options{Role: role, Now: now})
		if err != nil {
			return err
		}
		if ev, err = emergency.Log(ctx, s.u.Store(), src, card, q, user, role); err != nil {
			return err
		}
		if font == nil {
			mapErr = errors.New(lang.L("map.needFont"))
			return nil
		}
		mapImg, mapErr = ecard.MapImage(card, src.Map, font, mapW*2, mapH*2)
		return nil
	}, s.failed(key), func() {
		s.end(key)
		s.card, s.src, s.event = card, src, ev
		kit.SetWrapped(s.status, fmt.Sprintf(lang.L("emergency.logged"), ev.At, card.House.Number))
		s.showCard(mapImg, mapErr)
	})
}

// Card is the card shown (nil before one is).
func (s *Screen) Card() *ecard.Card { return s.card }

func (s *Screen) showCard(mapImg image.Image, mapErr error) {
	c := s.card
	head := widget.NewLabelWithStyle(c.Title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameHeadingText
	head.Importance = widget.DangerImportance
	text := container.NewVBox(head, kit.LowLabel(c.Subtitle()))
	for _, sec := range c.Sections() {
		hd := kit.Heading(sec.Heading)
		hd.Importance = widget.HighImportance
		text.Add(hd)
		for i, l := range sec.Lines {
			lb := kit.Wrapped(l)
			lb.SizeName = theme.SizeNameSubHeadingText
			if sec.Alert && i < len(c.NeedHelp()) {
				lb.Importance = widget.DangerImportance
				lb.TextStyle.Bold = true
			}
			text.Add(lb)
		}
	}
	// 119/120/110 stay in sight under the card, beside its buttons.
	svc := widget.NewLabelWithStyle(ecard.ServicesLine(), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	svc.SizeName = theme.SizeNameHeadingText
	svc.Importance = widget.DangerImportance

	var left fyne.CanvasObject
	if mapImg != nil {
		img := canvas.NewImageFromImage(mapImg)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(mapW, mapH))
		left = img
	} else {
		left = kit.LowLabel(mapErr.Error())
	}
	savePNG := widget.NewButtonWithIcon(lang.L("emergency.savePNG"), theme.DocumentSaveIcon(), s.savePNG)
	copyText := widget.NewButtonWithIcon(lang.L("emergency.copy"), theme.ContentCopyIcon(), s.copyText)
	printA4 := widget.NewButtonWithIcon(lang.L("emergency.print"), theme.DocumentPrintIcon(), s.printA4)
	patrol := widget.NewButtonWithIcon(lang.L("emergency.patrol"), theme.DocumentCreateIcon(), s.askPatrol)
	s.patrol = patrol
	savePNG.Importance = widget.HighImportance
	buttons := container.NewBorder(nil, nil, container.NewHBox(savePNG, copyText, printA4, patrol), svc)
	split := container.NewHSplit(container.NewBorder(nil, nil, nil, nil, left), container.NewVScroll(container.NewPadded(text)))
	split.Offset = 0.45
	s.body.Objects = []fyne.CanvasObject{container.NewBorder(nil, buttons, nil, nil, split)}
	s.body.Refresh()
}

// outPath is where a card's files go without asking (in a hurry nobody
// picks folders): a 紧急卡 folder beside the database.
func (s *Screen) outPath(ext string) (string, error) {
	dir := filepath.Join(filepath.Dir(s.u.Store().Path()), lang.L("emergency.folder"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make %s: %w", dir, err)
	}
	name := fmt.Sprintf("%s-%s-%s%s", lang.L("emergency.folder"), s.card.House.Number, s.card.At.Format("20060102-1504"), ext)
	return filepath.Join(dir, strings.NewReplacer("/", "-", `\`, "-").Replace(name)), nil
}

func (s *Screen) savePNG() {
	if s.card == nil {
		return
	}
	f, err := s.u.PDFFont()
	if err != nil {
		s.u.ShowError(lang.L("emergency.saveFailed"), errors.New(lang.L("map.needFont")))
		return
	}
	c, v := s.card, s.src.Map
	var path string
	kit.Run(s.u, func(ctx context.Context) error {
		img, err := ecard.PNG(c, v, f)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return err
		}
		if path, err = s.outPath(".png"); err != nil {
			return err
		}
		return print.CreateFile(path, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
	}, func(err error) { s.u.ShowError(lang.L("emergency.saveFailed"), err) }, func() {
		s.u.ShowSaved(path, lang.L("emergency.pngWhat"))
	})
}

func (s *Screen) copyText() {
	if s.card == nil {
		return
	}
	s.u.App().Clipboard().SetContent(s.card.Text)
	kit.SetWrapped(s.status, lang.L("emergency.copied"))
}

func (s *Screen) printA4() {
	if s.card == nil {
		return
	}
	font, err := s.u.PDFFont()
	if err != nil {
		s.u.ShowError(lang.L("emergency.saveFailed"), err)
		return
	}
	c, v := s.card, s.src.Map
	var path string
	kit.Run(s.u, func(ctx context.Context) error {
		var err error
		if path, err = s.outPath(".pdf"); err != nil {
			return err
		}
		return print.CreateFile(path, func(w io.Writer) error { return ecard.WritePDF(ctx, w, font, c, v) })
	}, func(err error) { s.u.ShowError(lang.L("emergency.saveFailed"), err) }, func() {
		s.u.ShowSaved(path, lang.L("emergency.pdfWhat"))
	})
}

// askPatrol turns the logged event into a patrol record: who handled it
// and what happened.
func (s *Screen) askPatrol() {
	// Once: a second tap asked again and said only that the store
	// refused (the event is already a patrol record).
	if s.card == nil || s.event.ID == "" || s.event.PatrolID != "" {
		return
	}
	people := kit.NewEntry()
	people.SetText(s.u.Actor())
	what := kit.NewMultiLineEntry()
	what.SetMinRowsVisible(4)
	what.SetPlaceHolder(lang.L("emergency.patrol.textHint"))
	form := widget.NewForm(widget.NewFormItem(lang.L("emergency.patrol.people"), people), widget.NewFormItem(lang.L("emergency.patrol.text"), what))
	id, number := s.event.ID, s.card.House.Number
	d := dialog.NewCustomConfirm(lang.L("emergency.patrol"), lang.L("emergency.patrol.save"), lang.L("Cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		names := kit.SplitList(people.Text)
		if len(names) == 0 {
			s.u.ShowError(lang.L("emergency.patrol.needPeople"), nil)
			return
		}
		text := strings.TrimSpace(what.Text)
		if text == "" {
			text = fmt.Sprintf(lang.L("emergency.patrol.default"), number)
		}
		var p store.Patrol
		kit.Run(s.u, func(ctx context.Context) error {
			var err error
			p, err = emergencylog.ToPatrol(ctx, s.u.Store(), id, names, text)
			return err
		}, func(err error) { s.u.ShowError(lang.L("error.save"), err) }, func() {
			s.event.PatrolID = p.ID
			if s.patrol != nil {
				s.patrol.Disable()
			}
			kit.SetWrapped(s.status, fmt.Sprintf(lang.L("emergency.patrol.done"), p.Date, p.Start))
		})
	}, s.u.Window())
	d.Resize(fyne.NewSize(480, 320))
	d.Show()
}
