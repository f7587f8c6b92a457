package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/households"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/settings"
	"cunjing/store"
	"cunjing/store/ledger"
)

// NewPost is what a user types to start an empty post: the post, and the
// first account (an officer; the app asks for its password from then on).
type NewPost struct {
	// Role is store.RolePost (a village post; also when ""),
	// store.RoleStation (the township station its posts sync with) or
	// store.RoleCounty (the county bureau its stations sync with).
	Role                           string
	Name, Township, Officer, Phone string
	Username, Password             string
	// Ledger, when set, is a household ledger (.xlsx/.csv) to import into
	// the village named Village.
	Ledger, Village string
}

// LedgerSummary is what importing the first ledger did, for the wizard to
// show before the main screens open.
type LedgerSummary struct {
	Rows, Added, Updated, Unchanged, Households int
	Skipped                                     []ledger.Skipped
}

// WelcomeOptions say how the first-run screen creates the database.
type WelcomeOptions struct {
	Path string
	// CreateDemo creates the demo post at path.
	CreateDemo func(ctx context.Context, path string) error
	// CreateEmpty creates an empty post at path with its first account;
	// nil hides the choice.
	CreateEmpty func(ctx context.Context, path string, p NewPost) error
	// ImportLedger imports p.Ledger into the post just created at path;
	// nil hides the choice.
	ImportLedger func(ctx context.Context, path string, p NewPost) (LedgerSummary, error)
	// Done is called on the UI goroutine once the database exists.
	Done func()
}

// Welcome is the first-run screen shown when there is no database yet:
// create the demo post, or start an empty one.
type Welcome struct {
	win  fyne.Window
	opt  WelcomeOptions
	busy *widget.ProgressBarInfinite
	msg  *kit.Message

	demo, create *widget.Button
	ledger       *widget.Button
	cont         *widget.Button // 继续 after a ledger report
	name, town   *kit.Entry
	officer      *kit.Entry
	phone        *kit.Entry
	user         *kit.Entry
	pass, pass2  *kit.Entry
	village      *kit.Entry
	// role says whether this PC is a village post or the township
	// station; nameItem is the name's form row (its label follows).
	role        *widget.RadioGroup
	nameItem    *widget.FormItem
	townItem    *widget.FormItem
	ledgerParts []fyne.CanvasObject // the ledger choice: a post's only
	done        chan struct{}       // closed when a creation attempt finished

	// chooseLedger asks for the ledger file (a dialog; tests replace it).
	chooseLedger func(then func(path string))
}

// ShowWelcome puts the first-run screen into w.
func ShowWelcome(w fyne.Window, opt WelcomeOptions) *Welcome {
	wl := &Welcome{win: w, opt: opt, busy: widget.NewProgressBarInfinite(), msg: kit.NewMessage()}
	wl.busy.Hide()
	wl.busy.Stop()

	title := widget.NewLabelWithStyle(lang.L("welcome.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	where := kit.StatusLabel(lang.L("welcome.noDB") + " " + opt.Path)

	wl.demo = widget.NewButtonWithIcon(lang.L("welcome.demo"), theme.HomeIcon(), wl.createDemo)
	wl.demo.Importance = widget.HighImportance
	parts := []fyne.CanvasObject{title, where, widget.NewSeparator(),
		wl.demo, kit.StatusLabel(lang.L("welcome.demoHint"))}

	if opt.CreateEmpty != nil {
		wl.name, wl.town, wl.officer, wl.phone = kit.NewEntry(), kit.NewEntry(), kit.NewEntry(), kit.NewEntry()
		wl.user, wl.pass, wl.pass2 = kit.NewEntry(), kit.NewPasswordEntry(), kit.NewPasswordEntry()
		wl.user.SetText("admin")
		wl.create = widget.NewButtonWithIcon(lang.L("welcome.create"), theme.ContentAddIcon(), wl.createEmpty)
		wl.create.Importance = widget.HighImportance
		wl.nameItem = widget.NewFormItem(lang.L("welcome.postName"), wl.name)
		wl.townItem = widget.NewFormItem(lang.L("welcome.township"), wl.town)
		// One form, so the post's and the account's boxes line up.
		form := widget.NewForm(
			wl.nameItem,
			wl.townItem,
			widget.NewFormItem(lang.L("welcome.officer"), wl.officer),
			widget.NewFormItem(lang.L("welcome.phone"), wl.phone),
			widget.NewFormItem(lang.L("settings.acct.username"), wl.user),
			widget.NewFormItem(lang.L("settings.acct.password"), wl.pass),
			widget.NewFormItem(lang.L("settings.acct.password2"), wl.pass2),
		)
		starts := []fyne.CanvasObject{wl.create}
		if opt.ImportLedger != nil {
			wl.village = kit.NewEntry()
			wl.village.SetPlaceHolder(lang.L("boards.wiz.villageHint"))
			wl.ledger = widget.NewButtonWithIcon(lang.L("boards.wiz.ledger"), theme.FolderOpenIcon(), wl.createFromLedger)
			wl.chooseLedger = wl.ledgerDialog
			starts = append(starts, wl.ledger)
		}
		hint := kit.StatusLabel(lang.L("welcome.emptyHint"))
		wl.role = widget.NewRadioGroup([]string{lang.L("welcome.rolePost"), lang.L("welcome.roleStation"), lang.L("welcome.roleCounty")}, func(string) {
			role := wl.selectedRole()
			station := role != store.RolePost // no ledger to import above a post
			wl.nameItem.Text, wl.townItem.Text = lang.L("welcome.postName"), lang.L("welcome.township")
			says := lang.L("welcome.emptyHint")
			switch role {
			case store.RoleStation:
				wl.nameItem.Text, wl.townItem.Text = lang.L("welcome.stationName"), lang.L("welcome.stationTownship")
				says = lang.L("welcome.stationHint")
			case store.RoleCounty:
				wl.nameItem.Text, wl.townItem.Text = lang.L("welcome.countyName"), lang.L("welcome.countyArea")
				says = lang.L("welcome.countyHint")
			}
			kit.SetWrapped(hint, says)
			form.Refresh()
			for _, o := range wl.ledgerParts {
				if station {
					o.Hide()
				} else {
					o.Show()
				}
			}
		})
		wl.role.Horizontal = true
		wl.role.Required = true
		wl.role.SetSelected(lang.L("welcome.rolePost"))
		parts = append(parts, widget.NewSeparator(), kit.Heading(lang.L("welcome.empty")),
			container.NewHBox(widget.NewLabel(lang.L("welcome.role")), wl.role),
			hint, form, kit.StatusLabel(lang.L("boards.wiz.accountHint")))
		if wl.village != nil {
			wl.ledgerParts = []fyne.CanvasObject{widget.NewSeparator(), kit.StatusLabel(lang.L("boards.wiz.ledgerHint")),
				widget.NewForm(widget.NewFormItem(lang.L("boards.wiz.village"), wl.village)), wl.ledger}
			parts = append(parts, wl.ledgerParts[:3]...)
		}
		parts = append(parts, container.NewGridWithColumns(len(starts), starts...))
	}
	parts = append(parts, wl.busy, wl.msg)
	wl.cont = widget.NewButtonWithIcon(lang.L("boards.wiz.continue"), theme.NavigateNextIcon(), func() {
		if wl.opt.Done != nil {
			wl.opt.Done()
		}
	})
	wl.cont.Importance = widget.HighImportance
	wl.cont.Hide()
	parts = append(parts, wl.cont)
	box := container.NewVBox(parts...)
	w.SetContent(container.NewVScroll(container.NewCenter(kit.WithWidth(600, container.NewPadded(box)))))
	escapeClosesDialogs(w) // the ledger's file chooser
	return wl
}

func (wl *Welcome) setBusy(on bool) {
	for _, b := range []*widget.Button{wl.demo, wl.create, wl.ledger} {
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
		wl.msg.SetError(lang.L("error.create"), errors.New("no demo generator in this build"))
		return
	}
	wl.run(func(ctx context.Context) error { return wl.opt.CreateDemo(ctx, wl.opt.Path) })
}

// selectedRole is the role the form is for: a village post, the
// township station or the county bureau.
func (wl *Welcome) selectedRole() string {
	switch {
	case wl.role == nil:
	case wl.role.Selected == lang.L("welcome.roleStation"):
		return store.RoleStation
	case wl.role.Selected == lang.L("welcome.roleCounty"):
		return store.RoleCounty
	}
	return store.RolePost
}

// newPost reads and checks the form; ok is false when the message says
// what to fix.
func (wl *Welcome) newPost() (NewPost, bool) {
	p := NewPost{
		Role:     store.RolePost,
		Name:     strings.TrimSpace(wl.name.Text),
		Township: strings.TrimSpace(wl.town.Text),
		Officer:  strings.TrimSpace(wl.officer.Text),
		Phone:    strings.TrimSpace(wl.phone.Text),
		Username: strings.TrimSpace(wl.user.Text),
		Password: wl.pass.Text,
	}
	p.Role = wl.selectedRole()
	if p.Name == "" {
		switch p.Role {
		case store.RoleStation:
			wl.msg.SetText(lang.L("welcome.needStationName"))
		case store.RoleCounty:
			wl.msg.SetText(lang.L("welcome.needCountyName"))
		default:
			wl.msg.SetText(lang.L("welcome.needName"))
		}
		return p, false
	}
	if p.Phone != "" {
		ph, err := store.NormalisePhone(p.Phone)
		if err != nil {
			wl.msg.SetError(lang.L("error.create")+"\n"+lang.L("boards.issue.phone"), err)
			return p, false
		}
		p.Phone = ph
	}
	if p.Username == "" {
		wl.msg.SetText(lang.L("settings.acct.needUsername"))
		return p, false
	}
	if msg := settings.CheckNewPassword(wl.pass.Text, wl.pass2.Text); msg != "" {
		wl.msg.SetText(msg)
		return p, false
	}
	return p, true
}

func (wl *Welcome) createEmpty() {
	p, ok := wl.newPost()
	if !ok {
		return
	}
	wl.run(func(ctx context.Context) error { return wl.opt.CreateEmpty(ctx, wl.opt.Path, p) })
}

// createFromLedger starts the post and imports the officer's ledger into
// the village it is for.
func (wl *Welcome) createFromLedger() {
	p, ok := wl.newPost()
	if !ok {
		return
	}
	p.Village = strings.TrimSpace(wl.village.Text)
	if p.Village == "" {
		wl.msg.SetText(lang.L("boards.wiz.needVillage"))
		return
	}
	wl.chooseLedger(func(file string) {
		p.Ledger = file
		var sum LedgerSummary
		wl.runThen(func(ctx context.Context) error {
			if err := wl.opt.CreateEmpty(ctx, wl.opt.Path, p); err != nil {
				return err
			}
			var err error
			sum, err = wl.opt.ImportLedger(ctx, wl.opt.Path, p)
			if err != nil {
				// The post exists; only the import failed. Say so and let
				// the officer go on (the ledger can be imported later).
				return &ledgerError{err}
			}
			return nil
		}, func(err error) {
			var le *ledgerError
			switch {
			case errors.As(err, &le):
				wl.msg.SetError(kit.JoinLines(lang.L("boards.wiz.ledgerFailed"), households.LedgerFileAdvice(le.err)), le.err)
				wl.showContinue()
			case err != nil:
				wl.msg.SetError(lang.L("error.create"), err)
			default:
				wl.msg.SetText(ledgerWords(sum))
				wl.showContinue()
			}
		})
	})
}

// showContinue leaves the report on screen with one way on.
func (wl *Welcome) showContinue() {
	for _, b := range []*widget.Button{wl.demo, wl.create, wl.ledger} {
		if b != nil {
			b.Disable()
		}
	}
	wl.cont.Show()
}

type ledgerError struct{ err error }

func (e *ledgerError) Error() string { return "import ledger: " + e.err.Error() }
func (e *ledgerError) Unwrap() error { return e.err }

// ledgerWords sums up the first ledger import.
func ledgerWords(s LedgerSummary) string {
	out := fmt.Sprintf(lang.L("boards.wiz.ledgerDone"), s.Rows, s.Households, s.Added, s.Updated+s.Unchanged)
	if len(s.Skipped) > 0 {
		out += "\n" + fmt.Sprintf(lang.L("boards.wiz.ledgerSkipped"), len(s.Skipped))
		for i, sk := range s.Skipped {
			if i == 5 {
				out += "\n…"
				break
			}
			out += "\n" + fmt.Sprintf(lang.L("households.ledger.rowLine"), sk.Row, households.ProblemsText(sk.Problems))
		}
	}
	return out
}

// ledgerDialog asks for the ledger file.
func (wl *Welcome) ledgerDialog(then func(path string)) {
	kit.OpenPath(wl.win, []string{".xlsx", ".csv", ".XLSX", ".CSV"}, fyne.NewSize(860, 580), then)
}

// run creates the database off the UI goroutine and reports the outcome.
func (wl *Welcome) run(create func(ctx context.Context) error) {
	wl.runThen(create, func(err error) {
		if err != nil {
			wl.msg.SetError(lang.L("error.create"), err)
			return
		}
		wl.msg.SetText("")
		if wl.opt.Done != nil {
			wl.opt.Done()
		}
	})
}

// runThen runs work off the UI goroutine and then after on it.
func (wl *Welcome) runThen(work func(ctx context.Context) error, after func(err error)) {
	wl.setBusy(true)
	wl.done = make(chan struct{})
	done := wl.done
	go func() {
		defer close(done)
		err := work(context.Background())
		fyne.Do(func() {
			wl.setBusy(false)
			after(err)
		})
	}()
}

// wait blocks until the last creation attempt finished (tests).
func (wl *Welcome) wait() {
	if wl.done != nil {
		<-wl.done
	}
}
