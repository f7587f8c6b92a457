package boardset

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cunjing/assets"
	"cunjing/store"
)

// Figure is what a station sets on one cost item: the amount, where it
// comes from, whether it is a local figure (prints 【本地】) and whether it
// is checked (else it prints 待核实).
type Figure struct {
	Min, Max  float64
	Unit      string
	Local     bool
	Source    string
	Confirmed bool
}

// Why SetFigure refused (the window words each; the CLI makes them usage
// errors).
var (
	// ErrNotStations: a post cannot set the station's figures.
	ErrNotStations = errors.New("the cost item is the station's: only the station sets its figures")
	// ErrNeedSource: a local figure must say which cases it comes from.
	ErrNeedSource = errors.New("a local figure needs a source: which cases it comes from")
	// ErrInvalid wraps what assets.ValidateCostItem refuses.
	ErrInvalid = errors.New("invalid cost item")
)

// SetFigure sets one cost item's figure, checked on day (YYYY-MM-DD): the
// one use case behind `cunjing costs set` and the station's 发布. An empty
// source keeps the item's own.
func SetFigure(ctx context.Context, s *store.Store, id string, f Figure, day string) (store.CostItem, error) {
	var c store.CostItem
	if err := s.Get(ctx, &c, id); err != nil {
		return c, fmt.Errorf("cost item %s: %w", id, err)
	}
	if c.Owner != s.DeviceID() && s.Role() != store.RoleStation {
		return c, fmt.Errorf("cost item %s: %w", id, ErrNotStations)
	}
	c.AmountMin, c.AmountMax, c.Unit, c.Local = f.Min, f.Max, strings.TrimSpace(f.Unit), f.Local
	if src := strings.TrimSpace(f.Source); src != "" {
		c.Source = src
	} else if f.Local {
		return c, fmt.Errorf("cost item %s: %w", id, ErrNeedSource)
	}
	c.Confirmed, c.CheckedOn = f.Confirmed, day
	if err := assets.ValidateCostItem(AssetItem(c)); err != nil {
		return c, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := s.Save(ctx, &c); err != nil {
		return c, err
	}
	return c, nil
}
