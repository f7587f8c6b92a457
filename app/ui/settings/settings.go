package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	cjlang "cunjing/app/lang"
	"cunjing/app/ui/kit"
)

// Screen is 设置: language, the CJK font override, the role of the
// person using this PC, and the accounts, screen lock and backups panel.
type Screen struct {
	u    Env
	root fyne.CanvasObject

	language *widget.RadioGroup
	role     *widget.RadioGroup
	fontPath *kit.Entry
	accounts *accountsPanel
	post     *postCard // nil but on a post
	scroll   *kit.FormScroll
}

// New builds 设置 in env u; backups is the window's daily backup.
func New(u Env, backups *Backups) *Screen {
	s := &Screen{u: u}

	langs := cjlang.Languages()
	names := make([]string, len(langs))
	current := u.Settings().Language()
	if current == "" {
		current = cjlang.Default
	}
	sel := ""
	for i, l := range langs {
		names[i] = l.Name
		if l.Code == current {
			sel = l.Name
		}
	}
	s.language = widget.NewRadioGroup(names, nil)
	s.language.Horizontal = true
	s.language.SetSelected(sel)
	s.language.OnChanged = func(name string) {
		for _, l := range langs {
			if l.Name == name && l.Code != current {
				if err := u.SetLanguage(l.Code); err != nil {
					u.ShowError(lang.L("error.language"), err)
				}
				return
			}
		}
	}

	roles := []string{lang.L("role.officer"), lang.L("role.auxiliary")}
	s.role = widget.NewRadioGroup(roles, nil)
	s.role.Horizontal = true
	if u.Settings().Role() == kit.RoleOfficer {
		s.role.SetSelected(roles[0])
	} else {
		s.role.SetSelected(roles[1])
	}
	s.role.OnChanged = func(v string) {
		if v == roles[0] {
			u.Settings().SetRole(kit.RoleOfficer)
		} else {
			u.Settings().SetRole(kit.RoleAuxiliary)
		}
	}

	s.fontPath = kit.NewEntry()
	s.fontPath.SetText(u.Settings().FontPath())
	s.fontPath.SetPlaceHolder(lang.L("settings.fontAuto"))
	s.fontPath.OnSubmitted = func(p string) { u.SetFontPath(p) }
	pick := widget.NewButton(lang.L("settings.fontPick"), s.pickFont)
	reset := widget.NewButton(lang.L("settings.fontReset"), func() { u.SetFontPath("") })

	fontNow := lang.L("settings.fontNone")
	if u.Font() != nil {
		fontNow = u.Font().Name + "  (" + u.Font().Path + ")"
	}
	fontInfo := kit.StatusLabel(lang.L("settings.fontNow") + fontNow)
	if u.FontErr() != nil {
		fontInfo.SetText(lang.L("settings.fontNow") + fontNow + "\n" + u.FontErr().Error())
	}
	sample := widget.NewLabel(lang.L("settings.fontSample"))

	s.accounts = newAccountsPanel(u, backups)
	s.post = newPostCard(u)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("settings.language"), s.language),
		roleItem(u, s.role),
		widget.NewFormItem(lang.L("settings.font"), container.NewVBox(
			container.NewBorder(nil, nil, nil, container.NewHBox(pick, reset), s.fontPath),
			fontInfo, sample)),
		widget.NewFormItem(lang.L("settings.database"), kit.StatusLabel(u.Store().Path())),
		widget.NewFormItem(lang.L("settings.device"), kit.StatusLabel(u.Store().DeviceID())),
	)
	s.scroll = kit.NewFormScroll(container.NewPadded(container.NewVBox(append(append([]fyne.CanvasObject{form}, s.post.object()...), s.accounts.root)...)))
	s.root = container.NewBorder(container.NewPadded(kit.Heading(lang.L("nav.settings"))), nil, nil, nil, s.scroll)
	return s
}

// OfferRestore chooses the backup at path in 从备份恢复 (at the foot of
// the screen, scrolled to) and puts the cursor in its passphrase box: the
// officer who opened a backup file then restores it with 恢复…, which
// says what will be replaced and asks first. It reports false, choosing
// nothing, for someone who may not restore (an auxiliary).
func (s *Screen) OfferRestore(path string) bool {
	if !s.accounts.offerRestore(path) {
		return false
	}
	s.scroll.Scroll.ScrollToBottom()
	if c := s.u.Window().Canvas(); c != nil {
		c.Focus(s.accounts.restorePass)
	}
	return true
}

func (s *Screen) Object() fyne.CanvasObject { return s.root }

func (s *Screen) Refresh() { s.accounts.Refresh() }

// pickFont lets the user choose a .ttf/.ttc file (for a PC whose fonts
// the search does not find).
func (s *Screen) pickFont() {
	kit.OpenPath(s.u.Window(), []string{".ttf", ".ttc", ".TTF", ".TTC"}, fyne.NewSize(800, 560), s.u.SetFontPath)
}
