package roster

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// ShowOwner shows one post's roster and patrol log (a station's 各警务室
// comes here); owner "" shows every post's.
func (p *Screen) ShowOwner(owner, name string) {
	p.owner, p.ownerName, p.chosen = owner, name, true
	p.selectOwner()
	if p.readOnly {
		if owner == "" {
			kit.SetWrapped(p.scope, lang.L("roster.scope.all"))
		} else {
			kit.SetWrapped(p.scope, fmt.Sprintf(lang.L("roster.scope.post"), name))
		}
	}
	p.Refresh()
}

// setPosts fills the station's post pick with its posts, the one shown
// selected. Opened before any post was looked at or picked, the screen
// shows the first post's records, named, and reports true: every post's
// rosters together, their teams and slots mixed, answered no one's
// question, and the line over them said whose only as "all of them".
func (p *Screen) setPosts(all []store.Post) (first bool) {
	p.posts = p.posts[:0]
	opts := []string{lang.L("filter.allPosts")}
	for _, x := range all {
		if x.Role == store.RolePost {
			p.posts = append(p.posts, x)
			opts = append(opts, kit.JoinNonEmpty(x.Name, x.Officer))
		}
	}
	p.postPick.Options = opts
	if !p.chosen && p.owner == "" && len(p.posts) > 0 {
		p.ShowOwner(p.posts[0].ID, p.posts[0].Name)
		return true
	}
	p.selectOwner()
	return false
}

// selectOwner shows the post on display in the pick, without acting on
// it.
func (p *Screen) selectOwner() {
	if p.postPick == nil {
		return
	}
	sel := 0
	for i, x := range p.posts {
		if x.ID == p.owner {
			sel = i + 1
		}
	}
	if p.postPick.SelectedIndex() == sel {
		p.postPick.Refresh()
		return
	}
	p.picking = true
	p.postPick.SetSelectedIndex(sel)
	p.picking = false
}

// pickPost shows the post a person picked (全部警务室: every post's).
func (p *Screen) pickPost() {
	if p.picking {
		return
	}
	i := p.postPick.SelectedIndex()
	if i <= 0 || i-1 >= len(p.posts) {
		if p.owner != "" {
			p.ShowOwner("", "")
		}
		return
	}
	if x := p.posts[i-1]; x.ID != p.owner {
		p.ShowOwner(x.ID, x.Name)
	}
}

// refuseEdit says so when the screen only shows (a station's), and
// reports whether it did.
func (p *Screen) refuseEdit() bool {
	if !p.readOnly {
		return false
	}
	p.u.ShowError(lang.L("roster.scope.readOnly"), nil)
	return true
}
