package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"
)

// NewPost is what a user types to start an empty post.
type NewPost struct {
	Name, Township, Officer, Phone string
}

// WelcomeOptions say how the first-run screen creates the database.
type WelcomeOptions struct {
	Path string
	// CreateDemo creates the demo post at path.
	CreateDemo func(ctx context.Context, path string) error
	// CreateEmpty creates an empty post at path; nil hides the choice.
	CreateEmpty func(ctx context.Context, path string, p NewPost) error
	// Done is called on the UI goroutine once the database exists.
	Done func()
}

// Welcome is the first-run screen shown when there is no database yet:
// create the demo post, or start an empty one.
type Welcome struct {
	win  fyne.Window
	opt  WelcomeOptions
	busy *widget.ProgressBarInfinite
	msg  *widget.Label

	demo, create *widget.Button
	name, town   *widget.Entry
	officer      *widget.Entry
	phone        *widget.Entry
	done         chan struct{} // closed when a creation attempt finished
}

// ShowWelcome puts the first-run screen into w.
func ShowWelcome(w fyne.Window, opt WelcomeOptions) *Welcome {
	wl := &Welcome{win: w, opt: opt, busy: widget.NewProgressBarInfinite(), msg: widget.NewLabel("")}
	wl.busy.Hide()
	wl.busy.Stop()
	wl.msg.Wrapping = fyne.TextWrapWord

	title := widget.NewLabelWithStyle(lang.L("welcome.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	where := statusLabel(lang.L("welcome.noDB") + " " + opt.Path)

	wl.demo = widget.NewButtonWithIcon(lang.L("welcome.demo"), theme.HomeIcon(), wl.createDemo)
	wl.demo.Importance = widget.HighImportance
	parts := []fyne.CanvasObject{title, where, widget.NewSeparator(),
		wl.demo, statusLabel(lang.L("welcome.demoHint"))}

	if opt.CreateEmpty != nil {
		wl.name, wl.town, wl.officer, wl.phone = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
		wl.create = widget.NewButtonWithIcon(lang.L("welcome.create"), theme.ContentAddIcon(), wl.createEmpty)
		form := widget.NewForm(
			widget.NewFormItem(lang.L("welcome.postName"), wl.name),
			widget.NewFormItem(lang.L("welcome.township"), wl.town),
			widget.NewFormItem(lang.L("welcome.officer"), wl.officer),
			widget.NewFormItem(lang.L("welcome.phone"), wl.phone),
		)
		parts = append(parts, widget.NewSeparator(), heading(lang.L("welcome.empty")),
			statusLabel(lang.L("welcome.emptyHint")), form, wl.create)
	}
	parts = append(parts, wl.busy, wl.msg)
	box := container.NewVBox(parts...)
	w.SetContent(container.NewCenter(container.New(fixedWidth{w: 560}, container.NewPadded(box))))
	return wl
}

func (wl *Welcome) setBusy(on bool) {
	for _, b := range []*widget.Button{wl.demo, wl.create} {
		if b == nil {
			continue
		}
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		wl.msg.SetText(lang.L("welcome.working"))
		wl.busy.Show()
		wl.busy.Start()
	} else {
		wl.busy.Stop()
		wl.busy.Hide()
	}
}

func (wl *Welcome) createDemo() {
	if wl.opt.CreateDemo == nil {
		wl.msg.SetText(lang.L("error.create") + "\n" + errors.New("no demo generator in this build").Error())
		return
	}
	wl.run(func(ctx context.Context) error { return wl.opt.CreateDemo(ctx, wl.opt.Path) })
}

func (wl *Welcome) createEmpty() {
	p := NewPost{
		Name:     strings.TrimSpace(wl.name.Text),
		Township: strings.TrimSpace(wl.town.Text),
		Officer:  strings.TrimSpace(wl.officer.Text),
		Phone:    strings.TrimSpace(wl.phone.Text),
	}
	if p.Name == "" {
		wl.msg.SetText(lang.L("welcome.needName"))
		return
	}
	if p.Phone != "" {
		ph, err := store.NormalisePhone(p.Phone)
		if err != nil {
			wl.msg.SetText(lang.L("error.create") + "\n" + err.Error())
			return
		}
		p.Phone = ph
	}
	wl.run(func(ctx context.Context) error { return wl.opt.CreateEmpty(ctx, wl.opt.Path, p) })
}

// run creates the database off the UI goroutine and reports the outcome.
func (wl *Welcome) run(create func(ctx context.Context) error) {
	wl.setBusy(true)
	wl.done = make(chan struct{})
	done := wl.done
	go func() {
		defer close(done)
		err := create(context.Background())
		fyne.Do(func() {
			wl.setBusy(false)
			if err != nil {
				wl.msg.SetText(lang.L("error.create") + "\n" + err.Error())
				return
			}
			wl.msg.SetText("")
			if wl.opt.Done != nil {
				wl.opt.Done()
			}
		})
	}()
}

// wait blocks until the last creation attempt finished (tests).
func (wl *Welcome) wait() {
	if wl.done != nil {
		<-wl.done
	}
}
