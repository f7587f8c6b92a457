package station

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// Stats is 统计: the record counts as big tiles.
type Stats struct {
	u     Env
	tiles *fyne.Container
	root  fyne.CanvasObject
}

// NewStats builds 统计 in env u and counts the records.
func NewStats(u Env) *Stats {
	s := &Stats{u: u, tiles: container.NewGridWrap(fyne.NewSize(190, 120))}
	s.root = container.NewBorder(container.NewPadded(kit.Heading(lang.L("nav.stats"))), nil, nil, nil,
		container.NewVScroll(container.NewPadded(s.tiles)))
	s.Refresh()
	return s
}

func (s *Stats) Object() fyne.CanvasObject { return s.root }

func (s *Stats) Refresh() {
	var c store.Counts
	kit.Load(s.u, func(ctx context.Context) (err error) {
		c, err = s.u.Store().Counts(ctx, "")
		return err
	}, func() {
		s.tiles.Objects = statTiles(c)
		s.tiles.Refresh()
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
