// Package monthreport is the monthly report (月报) a township station sends
// to the county: per post and for the township, 一标三实 (houses,
// households, residents by warning colour and category, changes this
// month), patrols planned, done and missed by kind, market-day coverage,
// school-gate posts kept, boards printed, put up and checked per venue, and
// visits. Every
// patrol number comes from the one figures function (store.PatrolFiguresOf
// over tally.Tally) and every count from postcounts (Store.PostCounts().StatsByOwner), as the
// station's screens and `cunjing station` do. `cunjing report month` writes
// it as .xlsx (one sheet per topic) and, optionally, a PDF
// summary.
package monthreport

import (
	"context"
	"fmt"

	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/postcounts"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
	"cunjing/store/tierdata"
)

// Post is one post's month (or the township total).
type Post struct {
	DeviceID string
	Name     string
	Stats    postcounts.Stats
	Month    postcounts.MonthCounts
	Patrols  tally.Figures
}

// Report is the month of every post the database holds.
type Report struct {
	Month    string // YYYY-MM
	From, To schedule.Date
	Posts    []Post
	Total    Post
	// Empty: no post did anything counted this month — no patrol planned
	// or logged, no visit, no change to its houses, households or
	// residents (the report still renders, with zeros, and says so).
	// Houses, households and residents are counted as they stand now, in
	// a month with data; in an empty month they are zero too.
	Empty bool
}

// Build counts month (YYYY-MM) for every post: at a station its paired
// posts (unpaired ones too: their records stay and count), at a county
// every post its stations brought (named with its station), at a post
// itself (store.ReportedPosts). Patrols are counted up to what is due
// (tally.DueAt(now): today's turns still to come are not missed yet; the
// zero Due: the whole month).
func Build(ctx context.Context, st *store.Store, month string, due tally.Due) (Report, error) {
	r := Report{Month: month}
	first, err := clock.Parse("2006-01", month)
	if err != nil {
		return r, fmt.Errorf("monthly report: month %q: want YYYY-MM", month)
	}
	next := first.AddDate(0, 1, 0)
	r.From, r.To = schedule.FromTime(first), schedule.FromTime(next)-1
	type who struct{ id, name string }
	reported, err := tierdata.ReportedPosts(ctx, st)
	if err != nil {
		return r, fmt.Errorf("monthly report: %w", err)
	}
	posts := make([]who, len(reported))
	for i, p := range reported {
		posts[i] = who{p.DeviceID, p.Name}
		if p.StationName != "" {
			// At a county, posts of different townships may share a name.
			posts[i].name = p.Name + "（" + p.StationName + "）"
		}
	}
	stats, err := st.PostCounts().StatsByOwner(ctx, r.From.String(), r.To.String())
	if err != nil {
		return r, fmt.Errorf("monthly report: %w", err)
	}
	counts, err := st.PostCounts().MonthCountsByOwner(ctx, r.From.String(), r.To.String(), first.UnixMilli(), next.UnixMilli())
	if err != nil {
		return r, fmt.Errorf("monthly report: %w", err)
	}
	owners := make([]string, len(posts))
	for i, p := range posts {
		owners[i] = p.id
	}
	figs, err := rosterdata.PatrolFiguresOf(ctx, st, owners, r.From, r.To, due, tally.ByMonth)
	if err != nil {
		return r, fmt.Errorf("monthly report: %w", err)
	}
	r.Total = Post{Name: "合计", Stats: postcounts.NewStats(""), Month: postcounts.NewMonthCounts(), Patrols: tally.Figures{From: r.From, To: r.To, Count: tally.Count{Rate: 1}, ByKind: map[string]tally.KindFigures{}}}
	r.Empty = true
	for _, p := range posts {
		v := Post{DeviceID: p.id, Name: p.name, Stats: postcounts.NewStats(p.id), Month: postcounts.NewMonthCounts(), Patrols: figs[p.id]}
		if c := counts[p.id]; c != nil {
			v.Month = *c
		}
		if s := stats[p.id]; s != nil {
			v.Stats = *s
		}
		posted, checked := v.Month.Boards()
		if v.Stats.Patrols+v.Month.Visits+v.Month.Changes+v.Patrols.Planned+v.Patrols.AdHoc+posted+checked > 0 {
			r.Empty = false
		}
		r.Posts = append(r.Posts, v)
	}
	for i := range r.Posts {
		if r.Empty {
			r.Posts[i].Stats = postcounts.NewStats(r.Posts[i].DeviceID)
		}
		r.Total.Stats.Add(r.Posts[i].Stats)
		r.Total.Month.Add(r.Posts[i].Month)
		r.Total.Patrols.Add(r.Posts[i].Patrols)
	}
	for _, k := range schedule.Kinds {
		if tally.Logged(k) {
			if _, ok := r.Total.Patrols.ByKind[k]; !ok {
				r.Total.Patrols.ByKind[k] = tally.KindFigures{Rate: 1}
			}
		}
	}
	return r, nil
}
