package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// statsScreen is 统计: the record counts as big tiles.
type statsScreen struct {
	u     *UI
	tiles *fyne.Container
	root  fyne.CanvasObject
}

func newStatsScreen(u *UI) *statsScreen {
	s := &statsScreen{u: u, tiles: container.NewGridWrap(fyne.NewSize(190, 120))}
	s.root = container.NewBorder(container.NewPadded(kit.Heading(lang.L("nav.stats"))), nil, nil, nil,
		container.NewVScroll(container.NewPadded(s.tiles)))
	s.Refresh()
	return s
}

func (s *statsScreen) Object() fyne.CanvasObject { return s.root }

func (s *statsScreen) Refresh() {
	s.u.GoBG(func(ctx context.Context) {
		c, err := s.u.Store().Counts(ctx, "")
		if ctx.Err() != nil {
			return
		}
		s.u.Do(func() {
			if err != nil {
				s.u.ShowError(lang.L("error.load"), err)
				return
			}
			s.tiles.Objects = statTiles(c)
			s.tiles.Refresh()
		})
	})
}

// statTiles orders the counts as an officer reports them: people and
// houses first, then patrol work, then boards, then sync bookkeeping.
func statTiles(c store.Counts) []fyne.CanvasObject {
	items := []struct {
		key string
		n   int
	}{
		{"stats.villages", c.Villages}, {"stats.houses", c.Houses}, {"stats.households", c.Households},
		{"stats.residents", c.Residents}, {"stats.teams", c.Teams}, {"stats.members", c.Members},
		{"stats.shiftRules", c.ShiftRules}, {"stats.patrols", c.Patrols}, {"stats.venues", c.Venues},
		{"stats.costItems", c.CostItems}, {"stats.changes", c.Changes}, {"stats.conflicts", c.Conflicts},
	}
	out := make([]fyne.CanvasObject, 0, len(items))
	for _, it := range items {
		out = append(out, kit.Tile(lang.L(it.key), it.n))
	}
	return out
}
