package settings

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// postCard is 本警务室: the post's name, township, officer and phone, as
// the first-run screen asked them, to change when an officer takes over
// the post (they are printed on contact cards, leaflets and door plates'
// codes; only the first-run screen asked them, and a new officer found
// the last one's name and phone there with no way to change them). Nil
// for a station or county, and while the post's record cannot be read.
type postCard struct {
	u                          Env
	rec                        store.Post
	name, town, officer, phone *kit.Entry
	msg                        *kit.Message
	save                       *widget.Button
	card                       *widget.Card
}

func newPostCard(u Env) *postCard {
	var p store.Post
	if err := u.Store().Get(u.Ctx(), &p, u.Store().DeviceID()); err != nil || p.Role != store.RolePost {
		return nil
	}
	c := &postCard{u: u, rec: p, name: kit.NewEntry(), town: kit.NewEntry(), officer: kit.NewEntry(), phone: kit.NewEntry(), msg: kit.NewMessage()}
	c.name.SetText(p.Name)
	c.town.SetText(p.Township)
	c.officer.SetText(p.Officer)
	c.phone.SetText(p.Phone)
	c.save = widget.NewButton(lang.L("settings.post.save"), c.doSave)
	c.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(lang.L("welcome.postName"), c.name),
		widget.NewFormItem(lang.L("welcome.township"), c.town),
		widget.NewFormItem(lang.L("welcome.officer"), c.officer),
		widget.NewFormItem(lang.L("welcome.phone"), c.phone),
	)
	c.card = widget.NewCard(lang.L("settings.post.title"), lang.L("settings.post.subtitle"),
		container.NewVBox(form, container.NewBorder(nil, nil, nil, c.save, c.msg)))
	return c
}

// doSave checks what was typed and saves it; a problem is said in
// Chinese under the form, and nothing is saved.
func (c *postCard) doSave() {
	p := c.rec
	p.Name = strings.TrimSpace(c.name.Text)
	p.Township = strings.TrimSpace(c.town.Text)
	p.Officer = strings.TrimSpace(c.officer.Text)
	p.Phone = strings.TrimSpace(c.phone.Text)
	if p.Name == "" {
		c.say(lang.L("welcome.needName"), widget.DangerImportance)
		return
	}
	if p.Phone != "" {
		ph, err := store.NormalisePhone(p.Phone)
		if err != nil {
			c.say(lang.L("boards.issue.phone"), widget.DangerImportance)
			return
		}
		p.Phone = ph
	}
	c.save.Disable()
	c.u.GoBG(func(ctx context.Context) {
		err := c.u.Store().Save(ctx, &p)
		c.u.Do(func() {
			c.save.Enable()
			if err != nil {
				c.msg.SetImportance(widget.DangerImportance)
				c.msg.SetError(lang.L("settings.post.failed"), err)
				return
			}
			c.rec = p
			if r, ok := c.u.(interface{ PostRenamed(string) }); ok {
				r.PostRenamed(p.Name) // the window's name for the post
			}
			c.phone.SetText(p.Phone)
			c.say(fmt.Sprintf(lang.L("settings.post.saved"), p.Name), widget.SuccessImportance)
		})
	})
}

// say puts text under the form in imp's colour.
func (c *postCard) say(text string, imp widget.Importance) {
	c.msg.SetImportance(imp)
	c.msg.SetText(text)
}

// object is the card, or nothing.
func (c *postCard) object() []fyne.CanvasObject {
	if c == nil {
		return nil
	}
	return []fyne.CanvasObject{c.card}
}
