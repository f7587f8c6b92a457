package station

import (
	"context"
	"fmt"
	"time"

	"cunjing/store"
	"cunjing/store/postcounts"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule/tally"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/status"
)

// StationView is one station on the county's overview: the township its
// up-stream brought (the same PostView rows the station's own dashboard
// shows, but freshness by when each post's news reached the county) and
// how the link with the station stands.
type StationView struct {
	DeviceID    string `json:"device_id"`
	Name        string `json:"name"`
	LastContact string `json:"last_contact,omitempty"`
	LastPath    string `json:"last_path,omitempty"`
	// Freshness is how long ago the newest change the station brought
	// (its own or a post's) arrived here; -1 if none.
	Freshness   time.Duration `json:"freshness_ns"`
	ClockOffset time.Duration `json:"clock_offset_ns,omitempty"`
	Clock       string        `json:"clock,omitempty"`
	Stale       bool          `json:"stale,omitempty"`
	Unpaired    bool          `json:"unpaired,omitempty"`
	Township    Township      `json:"township"`
}

// County is the county's overview: every station and, under each, its
// posts; Total and TotalPlan sum over all posts.
type County struct {
	Stations   []StationView    `json:"stations"`
	Total      postcounts.Stats `json:"total"`
	TotalPlan  PatrolPlan       `json:"total_patrol_plan"`
	StalePosts []string         `json:"stale_posts"`
	// StaleStations: no news from the station for longer than the stale
	// limit.
	StaleStations []string `json:"stale_stations"`
}

// CountyView builds the county's overview as View builds the station's:
// counts over from..to, patrols planned against done over the same range,
// a post or station with no news for longer than stale listed as stale.
// A post is listed under the station that brought its records
// (store.ReportedPosts).
func CountyView(ctx context.Context, e *cjsync.Engine, from, to string, stale time.Duration, now time.Time) (County, error) {
	var c County
	st := e.Store()
	b, err := readBase(ctx, e, store.RoleCounty, "county view", from, to, now)
	if err != nil {
		return c, err
	}
	planFrom, planTo, peers, stats := b.planFrom, b.planTo, b.peers, b.stats
	officer, phone, villages := b.officer, b.phone, b.villages
	reported, err := tierdata.ReportedPosts(ctx, st)
	if err != nil {
		return c, err
	}
	owners := make([]string, len(reported))
	for i, p := range reported {
		owners[i] = p.DeviceID
	}
	figs, err := rosterdata.PatrolFiguresOf(ctx, st, owners, planFrom, planTo, tally.DueAt(now), tally.ByMonth)
	if err != nil {
		return c, fmt.Errorf("county view: %w", err)
	}
	byStation := map[string][]tierdata.ReportedPost{}
	for _, p := range reported {
		byStation[p.Station] = append(byStation[p.Station], p)
	}
	c.Total = postcounts.NewStats("")
	total := tally.Figures{From: planFrom, To: planTo, Count: tally.Count{Rate: 1}}
	for _, p := range peers {
		if p.Role != store.RoleStation {
			continue
		}
		sv := StationView{DeviceID: p.DeviceID, Name: p.Name, LastContact: p.LastContact, LastPath: p.LastPath,
			ClockOffset: time.Duration(p.ClockMs) * time.Millisecond, Clock: status.ClockWordsAt(store.RoleCounty, p.Role, p.Name, p.ClockMs, now),
			Unpaired: p.RevokedAt != ""}
		t := Township{Total: postcounts.NewStats(""), PlansReady: true}
		sf := tally.Figures{From: planFrom, To: planTo, Count: tally.Count{Rate: 1}}
		newest := int64(0) // ArrivedAt: one arrival noted by a clock years ahead does not keep the station fresh
		if s := stats[p.DeviceID]; s != nil {
			newest = ArrivedAt(s.LastArrival, now)
		}
		for _, rp := range byStation[p.DeviceID] {
			ps := postcounts.NewStats(rp.DeviceID)
			if s := stats[rp.DeviceID]; s != nil {
				ps = *s
			}
			newest = max(newest, ArrivedAt(ps.LastArrival, now))
			f := figs[rp.DeviceID]
			v := PostView{DeviceID: rp.DeviceID, Name: rp.Name, Stats: ps, Freshness: Freshness(ps.LastArrival, now),
				Plan: planOf(f, planFrom, planTo), Unpaired: sv.Unpaired, Officer: officer[rp.DeviceID], Phone: phone[rp.DeviceID], Villages: villages[rp.DeviceID]}
			if !v.Unpaired && (v.Freshness < 0 || v.Freshness > stale) {
				v.Stale = true
				t.StalePosts = append(t.StalePosts, rp.Name)
				c.StalePosts = append(c.StalePosts, rp.Name+"（"+p.Name+"）")
			}
			t.Total.Add(ps)
			sf.Add(f)
			t.Posts = append(t.Posts, v)
		}
		t.TotalPlan = planOf(sf, planFrom, planTo)
		sv.Township = t
		sv.Freshness = Freshness(newest, now)
		if !sv.Unpaired && (sv.Freshness < 0 || sv.Freshness > stale) {
			sv.Stale = true
			c.StaleStations = append(c.StaleStations, p.Name)
		}
		c.Total.Add(t.Total)
		total.Add(sf)
		c.Stations = append(c.Stations, sv)
	}
	c.TotalPlan = planOf(total, planFrom, planTo)
	return c, nil
}
