package synccmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cunjing/app/cli/clikit"
	stationwords "cunjing/app/lang/translations/station"
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
	printTownship(env, v, *stale)
	return nil
}

// zh is the station's Chinese words (the window's, app/lang/translations/
// station): the command line says each figure as the window does.
var zh = stationwords.Zh

// printTownship prints the township view in Chinese: a few lines a post,
// then the township's totals and the posts with no news for too long.
func printTownship(env *clikit.Env, v station.Township, stale time.Duration) {
	out := env.Stdout
	for _, p := range v.Posts {
		if p.NothingArrived() {
			// Not zeros: nothing of it is known here yet.
			fmt.Fprintf(out, "%s：%s\n", p.Name, zh("station.nothingYet"))
		} else {
			fmt.Fprintf(out, "%s：%s\n", p.Name, stationwords.Counts(zh, p.Stats))
			fmt.Fprintf(out, "  %s\n", stationwords.Warnings(zh, p.Stats))
			fmt.Fprintf(out, "  %s；%s\n", fmt.Sprintf(zh("station.dash.range"), p.Plan.From, p.Plan.To), stationwords.Patrols(zh, p.Plan))
			fmt.Fprintf(out, "  %s %d；%s\n", zh("station.dash.boards"), p.Stats.BoardsPrint, fmt.Sprintf(zh("station.cli.fresh"), stationwords.Fresh(zh, p.Freshness)))
		}
		for _, s := range []string{p.Clock, p.Paused} {
			if s != "" {
				fmt.Fprintf(out, "  %s\n", s)
			}
		}
		for _, pr := range p.Plan.Problems {
			fmt.Fprintf(out, "  %s%s\n", zh("station.dash.planProblem"), pr)
		}
	}
	fmt.Fprintf(out, "%s：%s；%s\n", fmt.Sprintf(zh("station.dash.township"), len(v.Posts)), stationwords.Counts(zh, v.Total), stationwords.Patrols(zh, v.TotalPlan))
	if len(v.StalePosts) > 0 {
		fmt.Fprintf(out, zh("station.cli.stalePosts")+"\n", stationwords.For(zh, stale), strings.Join(v.StalePosts, zh("station.cli.sep")))
	}
}
