package boards

import (
	"context"
	"fmt"
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
	"cunjing/print"
	"cunjing/store"
)

// Screen is 警示牌与宣传: the board designer (with the batch of one
// board per venue), leaflets and contact cards, the cost items boards are
// made of (with whether the station has confirmed each amount, and at a
// station the button that confirms it), the venues where boards hang with
// how many were printed for each, and what has been printed.
type Screen struct {
	u    *area
	root fyne.CanvasObject

	designer *boardDesigner
	leaflets *leafletDesigner
	cards    *cardDesigner

	items   *fyne.Container
	venues  []store.Venue
	perVen  map[string]int64 // venue ID → boards printed
	vlist   *widget.List
	printed *fyne.Container

	// At a station: which post's venues and prints are shown (全部警务室
	// or one post), over everything read (allVenues, allPrinted).
	post       *widget.Select
	posts      []store.Post
	allVenues  []store.Venue
	allPrinted []store.PrintRecord
	wantPost   string // a post asked for before the posts were read
}

// New builds 警示牌与宣传 in env and loads what it shows.
func New(env Env) *Screen {
	u := &area{Env: env}
	b := &Screen{u: u, items: container.NewVBox(), printed: container.NewVBox(), perVen: map[string]int64{}}
	u.lists = b.RefreshLists
	b.designer = newBoardDesigner(u)
	b.leaflets = newLeafletDesigner(u)
	b.cards = newCardDesigner(u)
	b.vlist = widget.NewList(
		func() int { return len(b.venues) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			count := widget.NewLabel("")
			return container.NewBorder(nil, nil, kit.WithWidth(220, name), kit.WithWidth(150, count), info)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(b.venues) {
				return
			}
			v := b.venues[id]
			c := o.(*fyne.Container)
			c.Objects[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(v.Name)
			staff := ""
			if v.Staff > 0 {
				staff = fmt.Sprintf(lang.L("boards.staff"), v.Staff)
			}
			c.Objects[0].(*widget.Label).SetText(kit.JoinNonEmpty(venueKind(v.Kind), v.Address, v.Contact, v.Phone, staff))
			count := c.Objects[2].(*fyne.Container).Objects[0].(*widget.Label)
			if n := b.perVen[v.ID]; n > 0 {
				count.SetText(fmt.Sprintf(lang.L("boards.venue.printed"), n))
				count.Importance = widget.SuccessImportance
			} else {
				count.SetText(lang.L("boards.venue.none"))
				count.Importance = widget.WarningImportance
			}
			count.Refresh()
		})
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("boards.tab.design"), theme.DocumentCreateIcon(), b.designer.Object()),
		container.NewTabItemWithIcon(lang.L("boards.tab.leaflets"), theme.FileTextIcon(), b.leaflets.Object()),
		container.NewTabItemWithIcon(lang.L("boards.tab.cards"), theme.AccountIcon(), b.cards.Object()),
		container.NewTabItem(lang.L("boards.costItems"), container.NewVScroll(container.NewPadded(b.items))),
		container.NewTabItem(lang.L("boards.venues"), b.vlist),
		container.NewTabItem(lang.L("boards.printed"), container.NewVScroll(container.NewPadded(b.printed))),
	)
	head := fyne.CanvasObject(kit.Heading(lang.L("nav.boards")))
	if env.Store().Role() == store.RoleStation {
		b.post = kit.NewSelect([]string{lang.L("filter.allPosts")}, func(string) { b.showLists() })
		b.post.SetSelectedIndex(0)
		head = container.NewBorder(nil, nil, head, kit.WithWidth(260, b.post))
	}
	b.root = container.NewBorder(container.NewPadded(head), nil, nil, nil, tabs)
	b.Refresh()
	return b
}

func (b *Screen) Object() fyne.CanvasObject { return b.root }

func (b *Screen) Refresh() {
	b.designer.load()
	b.cards.load()
	b.leaflets.load()
	b.RefreshLists()
}

// venueKind names a venue's kind; kinds the map has no word for (a
// demo's "other", a newer peer's) read as "other venue", never as a code.
func venueKind(kind string) string {
	if w := kit.CodeWord("feature", kind); w != kind || kind == "" {
		return w
	}
	return lang.L("boards.venue.other")
}

// refreshPrinted re-reads the print records after something was printed.
func (u *area) refreshPrinted() {
	if u.lists != nil {
		u.lists()
	}
}

// RefreshLists re-reads the cost items, venues and print records.
func (b *Screen) RefreshLists() {
	var items []store.CostItem
	var venues []store.Venue
	var prs []store.PrintRecord
	var posts []store.Post
	kit.Load(b.u, func(ctx context.Context) (err error) {
		if items, err = b.u.Store().CostItems(ctx); err != nil {
			return err
		}
		if venues, err = b.u.Store().Venues(ctx); err != nil {
			return err
		}
		if prs, err = b.u.Store().PrintRecords(ctx); err != nil {
			return err
		}
		if posts, err = b.u.Store().Posts(ctx); err != nil {
			return err
		}
		// What the boards print: the nearest publisher's items.
		items = boardset.Nearest(items, posts)
		return nil
	}, func() {
		b.items.Objects = costItemsView(items, b.u)
		b.items.Refresh()
		b.allVenues, b.allPrinted = venues, prs
		if b.post != nil {
			b.setPosts(posts)
		}
		b.showLists()
	})
}

// setPosts fills the station's post filter, keeping the post chosen.
func (b *Screen) setPosts(all []store.Post) {
	chosen := b.postOwner()
	if b.wantPost != "" {
		chosen, b.wantPost = b.wantPost, ""
	}
	b.posts = b.posts[:0]
	opts := []string{lang.L("filter.allPosts")}
	sel := 0
	for _, p := range all {
		if p.Role != store.RolePost {
			continue
		}
		b.posts = append(b.posts, p)
		opts = append(opts, kit.JoinNonEmpty(p.Name, p.Officer))
		if p.ID == chosen {
			sel = len(b.posts)
		}
	}
	b.post.Options = opts
	b.post.SetSelectedIndex(sel) // calls showLists
}

// postOwner is the post the filter chose ("" for every post).
func (b *Screen) postOwner() string {
	if b.post == nil {
		return ""
	}
	if i := b.post.SelectedIndex(); i > 0 && i-1 < len(b.posts) {
		return b.posts[i-1].ID
	}
	return ""
}

// ShowPost narrows a station's lists to one post's venues and prints
// ("" for every post).
func (b *Screen) ShowPost(owner string) {
	if b.post == nil {
		return
	}
	for i, p := range b.posts {
		if p.ID == owner {
			b.post.SetSelectedIndex(i + 1)
			return
		}
	}
	// Not read yet (the lists are loading): chosen when they are.
	b.wantPost = owner
	b.post.SetSelectedIndex(0)
}

// showLists shows the venues and prints of the post chosen.
func (b *Screen) showLists() {
	owner := b.postOwner()
	var venues []store.Venue
	for _, v := range b.allVenues {
		if owner == "" || v.Owner == owner {
			venues = append(venues, v)
		}
	}
	var prs []store.PrintRecord
	for _, p := range b.allPrinted {
		if owner == "" || p.Owner == owner {
			prs = append(prs, p)
		}
	}
	b.venues = venues
	b.perVen = map[string]int64{}
	for _, p := range prs {
		if p.Kind == "board" && p.VenueID != "" {
			b.perVen[p.VenueID] += p.Copies
		}
	}
	b.vlist.Refresh()
	b.printed.Objects = printedView(prs, venues)
	b.printed.Refresh()
}

// Venues are the venues listed now (a station's filter applied).
func (b *Screen) Venues() []store.Venue { return b.venues }

// confirmButton marks an item's amount as checked against the law today
// (a station user's job); after runs on the UI goroutine once saved.
func (u *area) confirmButton(c store.CostItem, after func()) *widget.Button {
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(lang.L("boards.confirm"), theme.ConfirmIcon(), func() {
		btn.Disable()
		c.Confirmed = true
		c.CheckedOn = u.Now().Format("2006-01-02")
		u.GoBG(func(ctx context.Context) {
			err := u.Store().Save(ctx, &c)
			u.Do(func() {
				if err != nil {
					btn.Enable()
					u.ShowError(lang.L("error.save"), err)
					return
				}
				u.refreshPrinted()
				if after != nil {
					after()
				}
			})
		})
	})
	return btn
}

// costItemsView lists the items by tier and group as a board reads, each
// with its legal basis and whether the station confirmed it; unconfirmed
// amounts stand out so nobody prints them as settled law.
func costItemsView(items []store.CostItem, u *area) []fyne.CanvasObject {
	if len(items) == 0 {
		return []fyne.CanvasObject{kit.StatusLabel(lang.L("boards.noItems"))}
	}
	var out []fyne.CanvasObject
	unconfirmed := 0
	for _, c := range items {
		if !c.Confirmed {
			unconfirmed++
		}
	}
	if unconfirmed > 0 {
		out = append(out, kit.Alert(fmt.Sprintf(lang.L("boards.unconfirmedCount"), unconfirmed), widget.WarningImportance))
	}
	last := ""
	for _, c := range items {
		if g := c.Tier + "/" + c.Grp; g != last {
			last = g
			out = append(out, kit.Heading(kit.CodeWord("tier", c.Tier)+" · "+kit.CodeWord("grp", c.Grp)))
		}
		out = append(out, costItemRow(c, u))
	}
	return out
}

func costItemRow(c store.CostItem, u *area) fyne.CanvasObject {
	text := kit.Wrapped(c.Text)
	text.TextStyle = fyne.TextStyle{Bold: true}
	amount := amountText(c)
	basis := kit.JoinNonEmpty(c.Law+c.Article, c.LawVersion)
	if c.EffectiveDate != "" {
		basis = kit.JoinNonEmpty(basis, lang.L("boards.effective")+c.EffectiveDate)
	}
	if c.CheckedOn != "" {
		basis = kit.JoinNonEmpty(basis, lang.L("boards.checked")+c.CheckedOn)
	}
	var flag *widget.Label
	if c.Confirmed {
		flag = widget.NewLabel(lang.L("boards.confirmed"))
		flag.Importance = widget.SuccessImportance
	} else {
		flag = widget.NewLabel(lang.L("boards.unconfirmed"))
		flag.Importance = widget.WarningImportance
	}
	var right fyne.CanvasObject = kit.WithWidth(110, flag)
	if !c.Confirmed && u != nil && u.Store().Role() == store.RoleStation {
		right = container.NewVBox(flag, u.confirmButton(c, nil))
	}
	info := kit.StatusLabel(kit.JoinNonEmpty(amount, basis))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 6
	return container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, nil, right, container.NewVBox(text, info))))
}

// amountText is the amount range with its unit ("500–1000 元", "≤ 5 日").
func amountText(c store.CostItem) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case c.AmountMin == 0 && c.AmountMax == 0:
		return ""
	case c.AmountMax == 0 || c.AmountMax == c.AmountMin:
		return f(c.AmountMin) + " " + c.Unit
	case c.AmountMin == 0:
		return "≤ " + f(c.AmountMax) + " " + c.Unit
	}
	return f(c.AmountMin) + "–" + f(c.AmountMax) + " " + c.Unit
}

func printedView(prs []store.PrintRecord, venues []store.Venue) []fyne.CanvasObject {
	if len(prs) == 0 {
		return []fyne.CanvasObject{kit.StatusLabel(lang.L("boards.noneprinted"))}
	}
	vname := map[string]string{}
	for _, v := range venues {
		vname[v.ID] = v.Name
	}
	out := make([]fyne.CanvasObject, 0, len(prs))
	for _, p := range prs {
		out = append(out, widget.NewLabel(kit.JoinNonEmpty(p.PrintedAt,
			kit.JoinDistinct(" · ", kit.CodeWord("print", p.Kind), vname[p.VenueID], templateWords(p), sizeWords(p.Size)),
			fmt.Sprintf(lang.L("boards.copies"), p.Copies), p.By)))
	}
	return out
}

// templateWords is a print record's template as people call it: a
// board's template by its Chinese name, a leaflet's topic and a map's
// village as they are.
func templateWords(p store.PrintRecord) string {
	if p.Kind == "board" {
		return kit.CodeWord("boards.tpl", p.Template)
	}
	return p.Template
}

// sizeWords is a print record's size as people call it: A4, 展板 60×90
// 厘米, A4 对折, never the codes print records keep (a4, 60x90/a4-tiles).
func sizeWords(size string) string {
	if base, ok := strings.CutSuffix(size, "/a4-tiles"); ok {
		return fmt.Sprintf(lang.L("print.size.tiled"), sizeWords(base))
	}
	switch size {
	case "a4", "a3":
		return strings.ToUpper(size)
	case "60x90", "90x120":
		return kit.CodeWord("boards.size", size)
	case string(print.LeafletBifold):
		return lang.L("boards.leaflet.bifold")
	case string(print.LeafletA5):
		return lang.L("boards.leaflet.a5")
	case "xlsx":
		return lang.L("print.size.xlsx")
	}
	if w, h, ok := strings.Cut(size, "x"); ok && w != "" && h != "" && strings.Trim(w+h, "0123456789.") == "" {
		return fmt.Sprintf(lang.L("print.size.cm"), w, h)
	}
	return size
}
