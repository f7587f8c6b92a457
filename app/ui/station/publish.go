package station

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/boardset"
	"cunjing/app/infile"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/app/update"
	"cunjing/assets"
	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/release"
	syncstation "cunjing/sync/station"
)

// Publish is the station's 发布 tab: cost items (the defaults the app
// ships, or the station's as confirmed), board templates and notices,
// saved and packed for the posts at once.
type Publish struct {
	u       Env
	box     *fyne.Container
	noticeT *kit.Entry
	noticeB *kit.Entry
	// noticeLen says, under noticeB, that it holds more than
	// maxNoticeRunes (hidden when it does not).
	noticeLen *wrap.Label
	tplName   *kit.Entry
	pubMsg    *wrap.Label
	figs      *costFigures
	// Releases: the manifest chosen (its file lies beside it), and the
	// keys it must be signed by (the built-in ones; tests use their own).
	relMsg      *kit.Message
	chooseRel   func(then func(path string))
	releaseKeys func() ([]ed25519.PublicKey, error)
}

// maxNoticeRunes bounds a notice's 内容. The field is word-wrapped, and
// Fyne lays a wrapped entry's whole text out again at every key: 7 ms a
// key up to 1,000 characters (as a clipped one's at 4,000), 31 ms at
// 2,000, 117 ms at 4,000 on the machine it was measured on, several times
// that on an old PC (BenchmarkMultiLineEntryKey, docs/BENCHMARKS.md).
const maxNoticeRunes = 1000

// noticeTooLong says that the notice's 内容 is longer than maxNoticeRunes
// and what to do, or is "" when it is not.
func (s *Publish) noticeTooLong() string {
	n := utf8.RuneCountInString(strings.TrimSpace(s.noticeB.Text))
	if n <= maxNoticeRunes {
		return ""
	}
	return fmt.Sprintf(lang.L("station.pub.noticeTooLong"), maxNoticeRunes, n)
}

// NewPublish builds the 发布 tab in env u.
func NewPublish(u Env) *Publish {
	s := &Publish{u: u, box: container.NewVBox()}
	s.noticeT, s.noticeB = kit.NewEntry(), kit.NewMultiLineEntry()
	s.noticeB.Wrapping = fyne.TextWrapWord
	s.noticeLen = kit.StatusLabel("")
	s.noticeLen.Importance = widget.DangerImportance
	s.noticeLen.Hide()
	s.noticeB.OnChanged = func(string) { kit.ShowWrapped(s.noticeLen, s.noticeTooLong()) }
	s.pubMsg = kit.StatusLabel("")
	s.figs = newCostFigures(s)
	s.relMsg = kit.NewMessage()
	s.releaseKeys = update.Keys
	s.chooseRel = func(then func(string)) {
		kit.OpenPath(u.Window(), []string{".cjrel"}, fyne.NewSize(860, 580), then)
	}
	s.build()
	s.figs.load()
	return s
}

// TabItem is the tab 同步 shows.
func (s *Publish) TabItem() *container.TabItem {
	return container.NewTabItemWithIcon(lang.L("sync.tabPublish"), theme.UploadIcon(), kit.Scroll(s.box))
}

// Object is 发布 as a screen of its own (the station window's area).
func (s *Publish) Object() fyne.CanvasObject {
	return container.NewBorder(container.NewPadded(kit.Heading(s.words("station.publishTitle"))), nil, nil, nil, kit.Scroll(s.box))
}

// Refresh has nothing to re-read: the tab is a form.
func (s *Publish) Refresh() {}

func (s *Publish) build() {
	items := widget.NewButtonWithIcon(lang.L("station.pub.items"), theme.UploadIcon(), nil)
	items.OnTapped = func() {
		// A station with no items publishes the defaults as new records:
		// a second tap before the first had saved them published them
		// all twice.
		items.Disable()
		s.publishItems(items.Enable)
	}
	items.Importance = widget.HighImportance
	tplName := kit.NewEntry()
	s.tplName = tplName
	tplName.SetPlaceHolder(lang.L("station.pub.tplNameHint"))
	tplLayout := kit.NewSelect([]string{lang.L("boards.tpl.table"), lang.L("boards.tpl.calculator"), lang.L("boards.tpl.poster")}, nil)
	tplLayout.SetSelectedIndex(0)
	tplTitle, tplSlogan := kit.NewEntry(), kit.NewEntry()
	tplTitle.SetText("打架成本警示牌")
	tplSlogan.SetText("遇事冷静 有话好说 动手必吃亏")
	tplBtn := widget.NewButtonWithIcon(lang.L("station.pub.template"), theme.UploadIcon(), nil)
	tplBtn.OnTapped = func() {
		layouts := []string{"table", "calculator", "poster"}
		layout := layouts[0]
		for i, o := range tplLayout.Options {
			if o == tplLayout.Selected {
				layout = layouts[i]
			}
		}
		if strings.TrimSpace(tplName.Text) == "" {
			kit.SetWrapped(s.pubMsg, lang.L("station.pub.needName"))
			return
		}
		// As a notice: one template per tap, not two of the same name.
		tplBtn.Disable()
		s.publish(func(ok bool) {
			tplBtn.Enable()
			if ok {
				tplName.SetText("")
			}
		}, &store.BoardTemplate{Name: strings.TrimSpace(tplName.Text), Layout: layout,
			Title: strings.TrimSpace(tplTitle.Text), Slogan: strings.TrimSpace(tplSlogan.Text), Size: "a4"})
	}
	noticeBtn := widget.NewButtonWithIcon(lang.L("station.pub.notice"), theme.UploadIcon(), nil)
	noticeBtn.OnTapped = func() {
		if strings.TrimSpace(s.noticeT.Text) == "" {
			kit.SetWrapped(s.pubMsg, lang.L("station.pub.needTitle"))
			return
		}
		if says := s.noticeTooLong(); says != "" {
			kit.SetWrapped(s.pubMsg, says)
			return
		}
		// Each tap is a new notice: a second tap while the first is
		// being packed would send every post the same notice twice.
		noticeBtn.Disable()
		s.publish(func(ok bool) {
			noticeBtn.Enable()
			if ok {
				s.noticeT.SetText("")
				s.noticeB.SetText("")
			}
		}, &store.Notice{Title: strings.TrimSpace(s.noticeT.Text), Body: strings.TrimSpace(s.noticeB.Text),
			PublishedAt: s.u.Now().Format("2006-01-02 15:04")})
	}
	s.noticeB.SetMinRowsVisible(4)
	s.box.Objects = []fyne.CanvasObject{
		kit.StatusLabel(s.words("station.pub.intro")),
		s.pubMsg,
		widget.NewCard(lang.L("boards.costItems"), s.words("station.pub.itemsHint"), container.NewHBox(items)),
		s.figs.Object(),
		widget.NewCard(lang.L("station.pub.templates"), "", container.NewVBox(widget.NewForm(
			widget.NewFormItem(lang.L("station.pub.tplName"), tplName),
			widget.NewFormItem(lang.L("boards.f.template"), tplLayout),
			widget.NewFormItem(lang.L("boards.f.title"), tplTitle),
			widget.NewFormItem(lang.L("boards.f.slogan"), tplSlogan),
		), container.NewHBox(tplBtn))),
		widget.NewCard(lang.L("station.pub.notices"), "", container.NewVBox(widget.NewForm(
			widget.NewFormItem(lang.L("station.pub.noticeTitle"), s.noticeT),
			widget.NewFormItem(lang.L("station.pub.noticeBody"), container.NewVBox(s.noticeB, s.noticeLen)),
		), container.NewHBox(noticeBtn))),
		widget.NewCard(lang.L("station.release"), lang.L("station.releaseHint"), container.NewVBox(
			container.NewHBox(widget.NewButtonWithIcon(lang.L("station.releasePick"), theme.UploadIcon(), func() { s.chooseRel(s.publishRelease) })),
			s.relMsg)),
	}
}

// words is key's text in this device's words: a county publishes to its
// stations (key + ".county"), a station to its posts.
func (s *Publish) words(key string) string {
	if s.u.Store().Role() == store.RoleCounty {
		return lang.L(key + ".county")
	}
	return lang.L(key)
}

// publishItems publishes the station's cost items; a station with none
// yet publishes the defaults the app ships (amounts still to confirm).
// done runs on the UI goroutine once it has finished, published or not.
func (s *Publish) publishItems(done func()) {
	s.u.GoBG(func(ctx context.Context) {
		items, err := s.u.Store().CostItems(ctx)
		var recs []store.Record
		if err == nil {
			for i := range items {
				if items[i].Owner == s.u.Store().DeviceID() {
					recs = append(recs, &items[i])
				}
			}
			if len(recs) == 0 {
				recs, err = defaultItemRecords()
			}
		}
		s.u.Do(func() {
			if err != nil {
				done()
				s.u.ShowError(lang.L("station.pub.failed"), err)
				return
			}
			s.publish(func(bool) { done() }, recs...)
		})
	})
}

func (s *Publish) publishRecs(recs ...store.Record) { s.publish(nil, recs...) }

// publish saves and packs recs, then calls done (when not nil) on the UI
// goroutine with whether they were published.
func (s *Publish) publish(done func(ok bool), recs ...store.Record) {
	kit.SetWrapped(s.pubMsg, lang.L("station.pub.working"))
	s.u.GoBG(func(ctx context.Context) {
		e, err := s.u.Engine(ctx)
		var res cjsync.CutResult
		if err == nil {
			res, err = syncstation.Publish(ctx, e, recs...)
		}
		s.u.Do(func() {
			if done != nil {
				done(err == nil)
			}
			if err != nil {
				kit.SetWrapped(s.pubMsg, "")
				s.u.ShowError(lang.L("station.pub.failed"), err)
				return
			}
			kit.SetWrapped(s.pubMsg, fmt.Sprintf(lang.L("station.pub.done"), len(recs), len(res.Changesets)))
			s.u.Published()
			s.figs.load()
		})
	})
}

// defaultItemRecords are the cost items the app ships, as records.
func defaultItemRecords() ([]store.Record, error) {
	items, err := assets.DefaultCostItems()
	if err != nil {
		return nil, fmt.Errorf("default cost items: %w", err)
	}
	recs := make([]store.Record, len(items))
	for i, it := range items {
		c := boardset.StoreItem(it)
		recs[i] = &c
	}
	return recs, nil
}

// publishRelease carries the release whose manifest is at path (its file
// beside it, the manifest's name without .cjrel) to the posts, after the
// checks every post makes too.
func (s *Publish) publishRelease(path string) {
	var m release.Manifest
	kit.Run(s.u, func(ctx context.Context) error {
		e, err := s.u.Engine(ctx)
		if err != nil {
			return err
		}
		keys, err := s.releaseKeys()
		if err != nil {
			return err
		}
		man, err := infile.ReadBounded(path, release.MaxManifest)
		if err != nil {
			return err
		}
		f, err := os.Open(strings.TrimSuffix(path, ".cjrel"))
		if err != nil {
			return fmt.Errorf("%s: %w", lang.L("station.releaseNoFile"), err)
		}
		defer f.Close()
		m, err = update.Publish(ctx, e, keys, man, f)
		return err
	}, func(err error) {
		what := lang.L("station.releaseFailed")
		switch {
		case errors.Is(err, release.ErrUnsigned):
			what = lang.L("station.releaseUnsigned")
		case errors.Is(err, release.ErrBadFile):
			what = lang.L("station.releaseBadFile")
		}
		s.relMsg.SetError(what, err)
	}, func() {
		s.relMsg.SetText(fmt.Sprintf(lang.L("station.releaseDone"), m.Version, m.OS, m.Arch))
		s.u.Published()
	})
}
