package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"
)

// syncScreen is 同步: who this device is, who it knows, how much it has
// recorded, and the edits that lost to a concurrent edit elsewhere, for a
// person to look at.
type syncScreen struct {
	u    *UI
	body *fyne.Container
	root fyne.CanvasObject
}

func newSyncScreen(u *UI) *syncScreen {
	s := &syncScreen{u: u, body: container.NewVBox()}
	s.root = container.NewBorder(container.NewPadded(heading(lang.L("nav.sync"))), nil, nil, nil,
		container.NewVScroll(container.NewPadded(s.body)))
	s.refresh()
	return s
}

func (s *syncScreen) object() fyne.CanvasObject { return s.root }

type syncData struct {
	self      store.Post
	posts     []store.Post
	counts    store.Counts
	conflicts []store.Conflict
}

func (s *syncScreen) refresh() {
	s.u.goBG(func(ctx context.Context) {
		var d syncData
		err := s.u.st.Get(ctx, &d.self, s.u.st.DeviceID())
		if err == nil {
			d.posts, err = s.u.st.Posts(ctx)
		}
		if err == nil {
			d.counts, err = s.u.st.Counts(ctx, "")
		}
		if err == nil {
			d.conflicts, err = s.u.st.Conflicts(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		s.u.do(func() {
			if err != nil {
				s.u.showError(lang.L("error.load"), err)
				return
			}
			s.body.Objects = s.view(d)
			s.body.Refresh()
		})
	})
}

func (s *syncScreen) view(d syncData) []fyne.CanvasObject {
	id := s.u.st.DeviceID()
	idLabel := widget.NewLabel(id)
	idLabel.Wrapping = fyne.TextWrapBreak
	copyID := widget.NewButtonWithIcon(lang.L("sync.copyID"), theme.ContentCopyIcon(), func() {
		s.u.app.Clipboard().SetContent(id)
	})
	me := widget.NewCard(d.self.Name, joinNonEmpty(codeWord("role", s.u.st.Role()), d.self.Township, d.self.Officer, d.self.Phone),
		container.NewVBox(
			widget.NewLabelWithStyle(lang.L("sync.deviceID"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewBorder(nil, nil, nil, copyID, idLabel),
			statusLabel(fmt.Sprintf(lang.L("sync.changes"), d.counts.Changes)),
		))
	out := []fyne.CanvasObject{me, heading(lang.L("sync.peers"))}
	peers := 0
	for _, p := range d.posts {
		if p.ID == id {
			continue
		}
		peers++
		out = append(out, widget.NewLabel(joinNonEmpty(p.Name, codeWord("role", p.Role), p.Township, p.Officer, p.Phone)))
	}
	if peers == 0 {
		out = append(out, statusLabel(lang.L("sync.noPeers")))
	}

	open := 0
	for _, c := range d.conflicts {
		if !c.Reviewed {
			open++
		}
	}
	out = append(out, heading(fmt.Sprintf(lang.L("sync.conflicts"), open)))
	if len(d.conflicts) == 0 {
		out = append(out, statusLabel(lang.L("sync.noConflicts")))
	}
	by := d.self.Officer
	if by == "" {
		by = id
	}
	for _, c := range d.conflicts {
		out = append(out, s.conflictRow(c, by))
	}
	return out
}

// conflictRow says which value lost and which won, in words; an
// unreviewed one has a button to mark it looked at.
func (s *syncScreen) conflictRow(c store.Conflict, by string) fyne.CanvasObject {
	text := fmt.Sprintf(lang.L("sync.conflictText"), codeWord("table", c.Table), c.Field, c.Value, c.Winner)
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	if c.Reviewed {
		l.Importance = widget.LowImportance
		return container.NewBorder(nil, nil, nil, statusLabel(lang.L("sync.reviewed")), l)
	}
	var btn *widget.Button
	btn = widget.NewButton(lang.L("sync.markReviewed"), func() {
		btn.Disable()
		s.u.goBG(func(ctx context.Context) {
			err := s.u.st.MarkReviewed(ctx, c, by)
			s.u.do(func() {
				if err != nil {
					btn.Enable()
					s.u.showError(lang.L("error.save"), err)
					return
				}
				s.refresh()
			})
		})
	})
	return container.NewBorder(nil, nil, nil, btn, l)
}
