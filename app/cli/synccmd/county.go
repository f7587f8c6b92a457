package synccmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cunjing/app/cli/clikit"
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
	for _, s := range c.Stations {
		fmt.Fprintf(env.Stdout, "%s: %d post(s), %d household(s), %d resident(s); patrols %s; %s\n",
			s.Name, len(s.Township.Posts), s.Township.Total.Households, s.Township.Total.Residents, planWords(s.Township.TotalPlan), freshWords(s.Freshness))
		if s.Clock != "" {
			fmt.Fprintf(env.Stdout, "  %s\n", s.Clock)
		}
		for _, p := range s.Township.Posts {
			fmt.Fprintf(env.Stdout, "  %s: %d household(s), %d resident(s), %d house(s); patrols %s; %s\n",
				p.Name, p.Stats.Households, p.Stats.Residents, p.Stats.Houses, planWords(p.Plan), freshWords(p.Freshness))
		}
	}
	fmt.Fprintf(env.Stdout, "county: %d station(s), %d household(s), %d resident(s); patrols %s\n",
		len(c.Stations), c.Total.Households, c.Total.Residents, planWords(c.TotalPlan))
	if len(c.StaleStations) > 0 {
		fmt.Fprintf(env.Stdout, "stations with no news for more than %s: %s\n", stale, strings.Join(c.StaleStations, ", "))
	}
	if len(c.StalePosts) > 0 {
		fmt.Fprintf(env.Stdout, "posts with no news for more than %s: %s\n", stale, strings.Join(c.StalePosts, ", "))
	}
	return nil
}
