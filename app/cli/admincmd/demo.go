package admincmd

import (
	"context"
	"fmt"
	"time"

	"cunjing/app/cli/clikit"
	"cunjing/app/demo"
	"cunjing/store/clock"
)

func Demo(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "demo")
	db := fs.String("db", "", "database file to create (must not exist)")
	houses := fs.Int("houses", 320, "houses in the main village")
	venues := fs.Int("venues", 24, "venues (shops, clinics, restaurants …)")
	seed := fs.Int64("seed", 1, "random seed (same seed, same demo)")
	today := fs.String("today", "", "last day of the demo's month of patrol logs, YYYY-MM-DD (default today)")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if err := clikit.RequireDB(*db); err != nil {
		return err
	}
	opt := demo.Options{Houses: *houses, Venues: *venues, Seed: *seed}
	if *today != "" {
		t, err := clock.Parse("2006-01-02", *today)
		if err != nil {
			return fmt.Errorf("%w: --today must be YYYY-MM-DD", clikit.ErrUsage)
		}
		opt.Today = t
	}
	start := time.Now()
	if err := demo.Create(ctx, *db, opt); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "demo post created in %s (%.1fs)\n", *db, time.Since(start).Seconds())
	return nil
}
