package boardcmd

// cunjing costs: the cost-of-fighting items boards print. A station lists
// them with their sources and sets the figures only it can know, such as
// what a fight here usually costs in compensation (a local figure: it
// prints marked 【本地】, and 待核实 until confirmed).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"cunjing/app/boardset"
	"cunjing/app/cli/clikit"
	"cunjing/assets"
	"cunjing/print/costboard"
	"cunjing/store"
)

func Costs(ctx context.Context, env *clikit.Env, args []string) error {
	return clikit.Dispatch(ctx, env, "costs", map[string]clikit.Func{
		"list": cmdCostsList, "set": cmdCostsSet,
	}, args)
}

// CostRow is one line of `costs list --json`.
type CostRow struct {
	ID        string `json:"id"`
	Tier      string `json:"tier"`
	Grp       string `json:"grp"`
	Text      string `json:"text"`
	Amount    string `json:"amount"` // as the board prints it; "" for none
	Law       string `json:"law"`
	Article   string `json:"article"`
	Confirmed bool   `json:"confirmed"`
	Local     bool   `json:"local"`
	Source    string `json:"source"`
	// Problem names a missing source (items stored before sources existed).
	Problem string `json:"problem,omitempty"`
}

func cmdCostsList(ctx context.Context, env *clikit.Env, args []string) error {
	read := func(s *store.Store) ([]CostRow, error) {
		items, err := s.CostItems(ctx)
		if err != nil {
			return nil, err
		}
		rows := []CostRow{}
		for _, c := range items {
			a := boardset.AssetItem(c)
			rows = append(rows, CostRow{ID: c.ID, Tier: c.Tier, Grp: c.Grp, Text: c.Text, Amount: costboard.FormatAmount(a), Law: c.Law, Article: c.Article,
				Confirmed: c.Confirmed, Local: c.Local, Source: c.Source, Problem: assets.SourceProblem(a)})
		}
		return rows, nil
	}
	return clikit.Show(ctx, env, "costs list", args, read, func(w io.Writer, rows []CostRow) {
		for _, r := range rows {
			state := ""
			if r.Amount != "" && !r.Confirmed {
				state = " 待核实"
			}
			if r.Local {
				state += " 【本地】"
			}
			fmt.Fprintf(w, "%s  %s %s%s\n", r.ID, r.Text, r.Amount, state)
			if r.Problem != "" {
				fmt.Fprintf(w, "    ! %s\n", r.Problem)
			}
		}
	})
}

func cmdCostsSet(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "costs set")
	id := fs.String("id", "", "the item's id (costs list)")
	min := fs.Float64("min", 0, "lowest amount")
	max := fs.Float64("max", 0, "highest amount (0: \"min or more\")")
	unit := fs.String("unit", "元", "unit of the amount")
	local := fs.Bool("local", false, "a figure set from this township's own cases (prints as 【本地】)")
	source := fs.String("source", "", "where the figure comes from, e.g. 城关派出所2024–2025年调解的32起打架案件")
	confirmed := fs.Bool("confirmed", false, "the figure is checked (else it prints as 待核实)")
	today := clikit.CheckDayFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return fmt.Errorf("%w: --id is required (see costs list)", clikit.ErrUsage)
	}
	// flag reads NaN and Inf as numbers: neither is an amount to print.
	for _, v := range []float64{*min, *max} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: --min and --max are amounts: plain numbers such as 7000", clikit.ErrUsage)
		}
	}
	s, day, err := clikit.OpenDBOnDay(ctx, env, *db, *today)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := boardset.SetFigure(ctx, s, *id, boardset.Figure{Min: *min, Max: *max, Unit: *unit, Local: *local,
		Source: *source, Confirmed: *confirmed}, day)
	switch {
	case errors.Is(err, boardset.ErrNeedSource):
		return fmt.Errorf("%w: a local figure needs --source: which cases it comes from", clikit.ErrUsage)
	case errors.Is(err, boardset.ErrInvalid):
		return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
	case err != nil:
		return err
	}
	state := "待核实"
	if c.Confirmed {
		state = "已核实"
	}
	fmt.Fprintf(env.Stdout, "%s %s (%s)\n", c.Text, costboard.FormatAmount(boardset.AssetItem(c)), state)
	return nil
}
