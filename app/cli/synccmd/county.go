package synccmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cunjing/app/cli/clikit"
	stationwords "cunjing/app/lang/translations/station"
	cjsync "cunjing/sync"
	"cunjing/sync/station"
)

// printCounty prints the county's overview (station.CountyView): each
// station with its posts, then the county's totals.
func printCounty(ctx context.Context, env *clikit.Env, e *cjsync.Engine, from, to string, stale time.Duration, now time.Time, asJSON bool) error {
	c, err := station.CountyView(ctx, e, from, to, stale, now)
	if err != nil {
		return err
	}
	if asJSON {
		return clikit.WriteJSON(env.Stdout, c)
	}
	out := env.Stdout
	posts := 0
	for _, s := range c.Stations {
		posts += len(s.Township.Posts)
	}
	for _, s := range c.Stations {
		t := s.Township
		fmt.Fprintf(out, "%s：%s；%s；%s\n", s.Name, stationwords.Counts(zh, t.Total), stationwords.Patrols(zh, t.TotalPlan),
			fmt.Sprintf(zh("station.cli.fresh"), stationwords.Fresh(zh, s.Freshness)))
		if s.Clock != "" {
			fmt.Fprintf(out, "  %s\n", s.Clock)
		}
		for _, p := range t.Posts {
			if p.NothingArrived() {
				fmt.Fprintf(out, "  %s：%s\n", p.Name, zh("station.nothingYet"))
				continue
			}
			fmt.Fprintf(out, "  "+zh("station.county.post")+"\n", p.Name, p.Stats.Households, p.Stats.Residents,
				stationwords.Patrols(zh, p.Plan), stationwords.Fresh(zh, p.Freshness))
		}
	}
	fmt.Fprintf(out, "%s：%s；%s\n", fmt.Sprintf(zh("station.county.heading"), len(c.Stations), posts), stationwords.Counts(zh, c.Total), stationwords.Patrols(zh, c.TotalPlan))
	sep := zh("station.cli.sep")
	if len(c.StaleStations) > 0 {
		fmt.Fprintf(out, zh("station.cli.staleStations")+"\n", stationwords.For(zh, stale), strings.Join(c.StaleStations, sep))
	}
	if len(c.StalePosts) > 0 {
		fmt.Fprintf(out, zh("station.cli.stalePosts")+"\n", stationwords.For(zh, stale), strings.Join(c.StalePosts, sep))
	}
	return nil
}
