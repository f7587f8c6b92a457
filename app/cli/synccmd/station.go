package synccmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cunjing/app/cli/clikit"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/sync/station"
)

// Station prints the township dashboard (`cunjing station`), or the
// county's at a county (county.go).
func Station(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "station")
	db := fs.String("db", "", "station database file")
	from := fs.String("from", "", "first date counted, YYYY-MM-DD (default: the first of this month)")
	to := fs.String("to", "", "last date counted, YYYY-MM-DD (default: today)")
	today := fs.String("today", "", "date taken as today, YYYY-MM-DD (default: the system date)")
	stale := fs.Duration("stale", station.StaleAfter, "list a post with no news for longer than this as stale (the window's limit)")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	now := env.Now()
	if *today != "" {
		t, err := clock.Parse("2006-01-02", *today)
		if err != nil {
			return fmt.Errorf("%w: --today must be YYYY-MM-DD", clikit.ErrUsage)
		}
		// That day, at the time of day it is now in Beijing.
		h, m, sec := now.Clock()
		now = time.Date(t.Year(), t.Month(), t.Day(), h, m, sec, now.Nanosecond(), clock.Zone)
	}
	// Patrol counts and the plan cover the same dates, by default the
	// window's: this month to date.
	monthStart, upTo := station.DefaultRange(clock.In(now))
	if *from == "" {
		*from = monthStart
	}
	if *to == "" {
		*to = upTo
	}
	e, done, err := openEngine(ctx, env, *db, false, "")
	if err != nil {
		return err
	}
	defer done()
	if e.Store().Role() == store.RoleCounty {
		return printCounty(ctx, env, e, *from, *to, *stale, now, *asJSON)
	}
	v, err := station.View(ctx, e, *from, *to, *stale, now)
	if err != nil {
		return err
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, v)
	}
	for _, p := range v.Posts {
		fmt.Fprintf(env.Stdout, "%s: %d household(s), %d resident(s), %d house(s); warning colours %v\n",
			p.Name, p.Stats.Households, p.Stats.Residents, p.Stats.Houses, p.Stats.ByWarning)
		fmt.Fprintf(env.Stdout, "  patrols %s..%s: %s\n", p.Plan.From, p.Plan.To, planWords(p.Plan))
		fmt.Fprintf(env.Stdout, "  boards printed %d; %s\n", p.Stats.BoardsPrint, freshWords(p.Freshness))
		if p.Clock != "" {
			fmt.Fprintf(env.Stdout, "  %s\n", p.Clock)
		}
		if p.Paused != "" {
			fmt.Fprintf(env.Stdout, "  %s\n", p.Paused)
		}
		for _, pr := range p.Plan.Problems {
			fmt.Fprintf(env.Stdout, "  problem: %s\n", pr)
		}
	}
	fmt.Fprintf(env.Stdout, "township: %d post(s), %d household(s), %d resident(s); patrols %s\n",
		len(v.Posts), v.Total.Households, v.Total.Residents, planWords(v.TotalPlan))
	if len(v.StalePosts) > 0 {
		fmt.Fprintf(env.Stdout, "no news for more than %s: %s\n", *stale, strings.Join(v.StalePosts, ", "))
	}
	return nil
}

// planWords says a patrol plan's figures; with nothing planned there is
// no rate (100% of nothing reads as work done, as the window says too).
func planWords(p station.PatrolPlan) string {
	if p.Planned == 0 {
		return fmt.Sprintf("nothing planned, %d ad hoc", p.AdHoc)
	}
	return fmt.Sprintf("%d of %d planned done (%.0f%%), %d missed, %d ad hoc", p.Done, p.Planned, 100*p.Rate, p.Missed, p.AdHoc)
}

func freshWords(d time.Duration) string {
	if d < 0 {
		// Never, or when is not known: this PC's clock was years off
		// when it arrived, or is now (station.ArrivedAt).
		return "no news received (or when is not known: check this PC's clock)"
	}
	return "newest change arrived " + d.Round(time.Minute).String() + " ago"
}
