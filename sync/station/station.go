// Package station owns the township station's aggregate view: every paired
// post's records (owner = that post) counted per post and for the township,
// with how fresh each post's data is and how many of the patrols its roster
// planned were done, and publishing reference data (cost items, board
// templates, notices) down to the posts; and the same a tier up, the
// county's overview of its stations and their posts (CountyView). The UI
// draws it.
package station

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cunjing/store"
	"cunjing/store/postcounts"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
	"cunjing/store/syncbook"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/servers"
	"cunjing/sync/status"
)

// PostView is one post on the station's dashboard.
type PostView struct {
	DeviceID    string           `json:"device_id"`
	Name        string           `json:"name"`
	Stats       postcounts.Stats `json:"stats"`
	LastContact string           `json:"last_contact,omitempty"`
	// Freshness is how long ago the newest change of the post arrived
	// here, by this PC's clock, rounded to minutes; -1 if none, or if
	// when is not known (ArrivedAt: this PC's clock was years off). (The
	// change's own timestamp is what the post's clock read, which a PC
	// years fast would put in the future.)
	Freshness time.Duration `json:"freshness_ns"`
	Plan      PatrolPlan    `json:"patrol_plan"`
	// ClockOffset is the post's PC clock minus the station's as last
	// measured (0: within a day, or not known); Clock says so in Chinese.
	ClockOffset time.Duration `json:"clock_offset_ns,omitempty"`
	Clock       string        `json:"clock,omitempty"`
	// Paused says in Chinese that the station's sessions with the post
	// are paused: its files kept failing verification (sync/quarantine).
	Paused string `json:"paused,omitempty"`
	// Stale: no news for longer than the view's stale limit (an unpaired
	// post is never stale: nothing is expected of it).
	Stale bool `json:"stale,omitempty"`
	// Unpaired: the station unpaired the post (已解除配对). Its records
	// stay here and are counted; it sends and receives nothing new.
	Unpaired bool `json:"unpaired,omitempty"`
	// Divergences say in Chinese what keeps the station and the post apart
	// until the next exchange heals it (a split: sync's Divergences).
	Divergences []string `json:"divergences,omitempty"`
	// Waiting is how many changesets the station cut for the post that it
	// has not confirmed yet (its signed receipts); WaitingLong, that the
	// oldest of them was cut longer than the stale limit ago (what was
	// published a minute ago waits for every post until its next sync:
	// that needs no one's attention).
	Waiting     int  `json:"waiting,omitempty"`
	WaitingLong bool `json:"waiting_long,omitempty"`
	// WaitingSince is when the oldest of them was cut (RFC 3339; Wait
	// compares it with LastContact).
	WaitingSince string `json:"-"`
	// Requests is how many of the post's requests to unlock an approved
	// month wait for the station's decision (asked, or late edits held
	// back: store.MonthRequests pending), which 月度审核 decides.
	Requests int `json:"unlock_requests,omitempty"`
	// Officer is the post's officer as its profile says; Villages are the
	// villages its records hold, by name.
	Officer  string    `json:"officer,omitempty"`
	Villages []Village `json:"villages,omitempty"`
	// Phone is the post's phone as its profile says: whom the station
	// calls about a post that is behind.
	Phone string `json:"phone,omitempty"`
}

// NothingArrived reports whether nothing of a paired post has reached
// here: its villages, counts and roster are not known, not none (a post
// whose first package arrived empty has none). The window and `cunjing
// station` / `county` say so instead of zeros.
func (p PostView) NothingArrived() bool {
	return !p.Unpaired && p.Freshness < 0 && p.Stats.LastArrival == 0
}

// Village is one village of a post.
type Village struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PatrolPlan compares the patrols a post's roster planned with those its
// patrol log answers over From..To, never past today, since later slots
// are not due yet. It is tally.Figures (store.PatrolFigures, the one
// definition the post's own screens count with too) under the JSON keys
// `cunjing station --json` has always had: patrol, market-day and
// school-gate slots count, 24-hour duty does not.
type PatrolPlan struct {
	From string `json:"from"`
	To   string `json:"to"`
	tally.Count
	// ByKind is the same per kind of slot: market-day coverage is
	// by_kind.market.rate, school-gate posts kept by_kind.school_gate.rate.
	ByKind map[string]tally.KindFigures `json:"by_kind"`
	// ByTeam is the same per team and month.
	ByTeam []tally.ComplianceRow `json:"by_team_month,omitempty"`
	// Problems are the post's data the comparison could not use (a rule
	// that does not expand, patrol times that do not read): shown, so a
	// low rate is not blamed on the officers when the roster is broken.
	Problems []string `json:"problems,omitempty"`

	fig tally.Figures
}

// Figures are the plan's numbers as counted.
func (p PatrolPlan) Figures() tally.Figures { return p.fig }

func planOf(f tally.Figures, from, to schedule.Date) PatrolPlan {
	return PatrolPlan{From: from.String(), To: to.String(), Count: f.Count, ByKind: f.ByKind, ByTeam: f.Rows, Problems: f.Problems, fig: f}
}

// Township is the sum over all posts.
type Township struct {
	Posts      []PostView       `json:"posts"`
	Total      postcounts.Stats `json:"total"`
	TotalPlan  PatrolPlan       `json:"total_patrol_plan"`
	StalePosts []string         `json:"stale_posts"` // no news for longer than the stale limit
	// PlansReady: the patrol figures are counted (FillPlans); an
	// Overview's are zeros still.
	PlansReady bool `json:"-"`
}

// View builds the dashboards: patrols are counted from..to (dates, empty for
// all); a post whose newest data is older than stale is listed as stale.
// Planned patrols are compared with done over from..to as well, an empty
// from meaning the first of now's month and an empty (or later) to meaning
// now's date. It is Overview and then FillPlans.
func View(ctx context.Context, e *cjsync.Engine, from, to string, stale time.Duration, now time.Time) (Township, error) {
	t, err := Overview(ctx, e, from, to, stale, now)
	if err != nil {
		return t, err
	}
	if err := t.FillPlans(ctx, e.Store(), from, to, now); err != nil {
		return t, err
	}
	return t, nil
}

// Overview is View without the patrol figures, which take most of its
// time at a hundred posts: the station's home paints this first and fills
// the figures in afterwards (FillPlans). PlansReady is false.
func Overview(ctx context.Context, e *cjsync.Engine, from, to string, stale time.Duration, now time.Time) (Township, error) {
	var t Township
	b, err := readBase(ctx, e, store.RoleStation, "station view", from, to, now)
	if err != nil {
		return t, err
	}
	planFrom, planTo, peers, stats := b.planFrom, b.planTo, b.peers, b.stats
	officer, phone, villages := b.officer, b.phone, b.villages
	acks, err := e.Acks(ctx)
	if err != nil {
		return t, fmt.Errorf("station view: receipts: %w", err)
	}
	ackOf := map[string]cjsync.PeerAck{}
	for _, a := range acks {
		ackOf[a.Peer] = a
	}
	// A split shows in the view of every peer at once: asked for all, the
	// sync book and the streams are read once (asked per post, they were
	// read again for each: 80% of the overview at 100 posts). Each post's
	// own words are asked only when there is one.
	split, err := e.Divergences(ctx, "")
	if err != nil {
		return t, fmt.Errorf("station view: %w", err)
	}
	// Whether each post's sync is paused and its requests to unlock: one
	// query each for all posts (asked per post, ~9 ms at 100 posts).
	refused, err := e.Book().RefusedAll(ctx)
	if err != nil {
		return t, fmt.Errorf("station view: %w", err)
	}
	requests, err := e.Store().PostCounts().PendingRequestsByOwner(ctx)
	if err != nil {
		return t, fmt.Errorf("station view: %w", err)
	}
	empty := planOf(tally.Figures{From: planFrom, To: planTo, Count: tally.Count{Rate: 1}}, planFrom, planTo)
	t.Total = postcounts.NewStats("")
	t.TotalPlan = empty
	for _, p := range peers {
		if p.Role != store.RolePost {
			continue
		}
		ps := postcounts.NewStats(p.DeviceID)
		if s := stats[p.DeviceID]; s != nil {
			ps = *s
		}
		v := PostView{DeviceID: p.DeviceID, Name: p.Name, Stats: ps, LastContact: p.LastContact, Freshness: Freshness(ps.LastArrival, now), Plan: empty,
			ClockOffset: time.Duration(p.ClockMs) * time.Millisecond, Clock: status.ClockWordsAt(store.RoleStation, p.Role, p.Name, p.ClockMs, now),
			Unpaired: p.RevokedAt != "", Officer: officer[p.DeviceID], Phone: phone[p.DeviceID], Villages: villages[p.DeviceID]}
		if r := refused[p.DeviceID]; r.PausedAt != "" {
			v.Paused = status.PausedWords(p.Name, r)
		}
		if !v.Unpaired {
			if a := ackOf[p.DeviceID]; a.Changesets > 0 {
				since, err := time.Parse(time.RFC3339, a.Since)
				v.Waiting, v.WaitingLong, v.WaitingSince = a.Changesets, err != nil || now.Sub(since) > stale, a.Since
			}
			if len(split) > 0 {
				if v.Divergences, err = e.Divergences(ctx, p.DeviceID); err != nil {
					return t, fmt.Errorf("station view: %w", err)
				}
			}
			v.Requests = requests[p.DeviceID]
		}
		if !v.Unpaired && (v.Freshness < 0 || v.Freshness > stale) {
			v.Stale = true
			t.StalePosts = append(t.StalePosts, p.Name)
		}
		t.Total.Add(ps)
		t.Posts = append(t.Posts, v)
	}
	return t, nil
}

// base is what a station's and a county's overview both read first.
type base struct {
	planFrom, planTo schedule.Date // planRange's
	peers            []syncbook.Peer
	officer, phone   map[string]string // by post (postDetails)
	villages         map[string][]Village
	stats            map[string]*postcounts.Stats // by owner, over from..to
}

// readBase reads base for view (its name in errors) on a device of role.
func readBase(ctx context.Context, e *cjsync.Engine, role, view, from, to string, now time.Time) (b base, err error) {
	if e.Store().Role() != role {
		return b, fmt.Errorf("%s: this device is not a %s", view, role)
	}
	if b.planFrom, b.planTo, err = planRange(from, to, now); err != nil {
		return b, err
	}
	if b.peers, err = e.Book().Peers(ctx, true); err != nil {
		return b, err
	}
	if b.officer, b.phone, b.villages, err = postDetails(ctx, e.Store()); err != nil {
		return b, err
	}
	b.stats, err = e.Store().PostCounts().StatsByOwner(ctx, from, to)
	return b, err
}

// postDetails reads, per owner, the officer and phone its profile names
// and the villages its records hold.
func postDetails(ctx context.Context, st *store.Store) (officer, phone map[string]string, villages map[string][]Village, err error) {
	profiles, err := st.Posts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	officer, phone = map[string]string{}, map[string]string{}
	for _, p := range profiles {
		officer[p.ID], phone[p.ID] = p.Officer, p.Phone
	}
	vs, err := st.Villages(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	villages = map[string][]Village{}
	for _, v := range vs {
		villages[v.Owner] = append(villages[v.Owner], Village{ID: v.ID, Name: v.Name})
	}
	return officer, phone, villages, nil
}

// FillPlans counts every post's patrols over from..to (as View) in one
// pass (store.PatrolFiguresOf: the one definition, each table read once
// for all posts) and sets each post's Plan and the township's TotalPlan.
func (t *Township) FillPlans(ctx context.Context, st *store.Store, from, to string, now time.Time) error {
	planFrom, planTo, err := planRange(from, to, now)
	if err != nil {
		return err
	}
	owners := make([]string, len(t.Posts))
	for i, p := range t.Posts {
		owners[i] = p.DeviceID
	}
	figs, err := rosterdata.PatrolFiguresOf(ctx, st, owners, planFrom, planTo, tally.DueAt(now), tally.ByMonth)
	if err != nil {
		return fmt.Errorf("station view: %w", err)
	}
	total := tally.Figures{From: planFrom, To: planTo, Count: tally.Count{Rate: 1}}
	for i := range t.Posts {
		f := figs[t.Posts[i].DeviceID]
		t.Posts[i].Plan = planOf(f, planFrom, planTo)
		total.Add(f)
	}
	t.TotalPlan = planOf(total, planFrom, planTo)
	t.PlansReady = true
	return nil
}

// Freshness is how long ago a post's newest change arrived here, rounded
// to minutes; -1 if never, or if when is not known (ArrivedAt).
func Freshness(arrivedMs int64, now time.Time) time.Duration {
	at := ArrivedAt(arrivedMs, now)
	if at <= 0 {
		return -1
	}
	return max(now.Sub(time.UnixMilli(at)).Round(time.Minute), 0)
}

// ArrivedAt is when a post's newest change arrived here (ms since 1970),
// as far as this PC can tell; 0 if never or not known. arrivedMs is when
// it was noted (origins.arrived_ms): by this PC's clock, but never before
// what the database had already seen (store's flushOrigins: a clock
// fallen back years noted arrivals years back, and the post showed years
// stale). An arrival noted more than a day (store.MaxAhead) after now was
// noted by a clock that ran ahead since set right, or this one fell back:
// it is not known, shown as no news, which a person looks into (before,
// the age came out negative and was shown as 0, so a post that sent
// nothing since looked fresh for years, and at the county one such post
// kept its station fresh). The post's own stamps are not used: a post
// whose clock runs fast would look fresh while it is silent.
func ArrivedAt(arrivedMs int64, now time.Time) int64 {
	if arrivedMs <= 0 || arrivedMs > now.Add(store.MaxAhead).UnixMilli() {
		return 0
	}
	return arrivedMs
}

// planRange turns the view's date bounds into the range planned patrols
// are counted over (see View).
func planRange(from, to string, now time.Time) (schedule.Date, schedule.Date, error) {
	today := schedule.FromTime(now)
	y, m, _ := today.YMD()
	lo, hi := schedule.DateOf(y, m, 1), today
	var err error
	if from != "" {
		if lo, err = schedule.ParseDate(from); err != nil {
			return 0, 0, fmt.Errorf("station view: from: %w", err)
		}
	}
	if to != "" {
		d, err := schedule.ParseDate(to)
		if err != nil {
			return 0, 0, fmt.Errorf("station view: to: %w", err)
		}
		hi = min(d, today)
	}
	return lo, hi, nil
}

// Plan counts one owner's planned patrols against its patrol log over
// from..to (store.PatrolFigures; an empty plan when to is before from). A
// roster that does not expand is reported in Problems, not as an error:
// the rest of the dashboard still stands.
func Plan(ctx context.Context, st *store.Store, owner string, from, to schedule.Date) (PatrolPlan, error) {
	f, err := rosterdata.PatrolFigures(ctx, st, owner, from, to, tally.Due{}, tally.ByMonth)
	if err != nil {
		return PatrolPlan{}, fmt.Errorf("patrol figures: %w", err)
	}
	return planOf(f, from, to), nil
}

// Publish saves reference records (cost items, board templates, notices,
// holidays) as the station's (or county's) own and cuts them into the
// broadcast changeset at once.
func Publish(ctx context.Context, e *cjsync.Engine, recs ...store.Record) (cjsync.CutResult, error) {
	if !store.Publishes(e.Store().Role()) {
		return cjsync.CutResult{}, errors.New("publish: only a station or the county publishes")
	}
	for _, r := range recs {
		switch r.(type) {
		case *store.CostItem, *store.BoardTemplate, *store.Notice, *store.Holiday:
		default:
			return cjsync.CutResult{}, fmt.Errorf("publish: a station or county publishes cost items, templates, notices and holidays, not %s", r.Table())
		}
	}
	if err := e.Store().Save(ctx, recs...); err != nil {
		return cjsync.CutResult{}, err
	}
	return e.Cut(ctx)
}

// PublishServers makes list the list of Syncthing discovery servers
// and relays this station publishes to its posts (replacing what it
// published before; an empty list withdraws them) and cuts it into the
// broadcast at once. Every URL is checked first; nothing is published
// when one fails.
func PublishServers(ctx context.Context, e *cjsync.Engine, list servers.List) (cjsync.CutResult, error) {
	if e.Store().Role() != store.RoleStation {
		return cjsync.CutResult{}, errors.New("publish servers: only a station publishes")
	}
	var recs []store.NetServer
	for _, u := range list.Discovery {
		if err := servers.Check(servers.Discovery, u); err != nil {
			return cjsync.CutResult{}, fmt.Errorf("publish servers: %w", err)
		}
		recs = append(recs, store.NetServer{Kind: store.ServerDiscovery, URL: u})
	}
	for _, u := range list.Relays {
		if err := servers.Check(servers.Relay, u); err != nil {
			return cjsync.CutResult{}, fmt.Errorf("publish servers: %w", err)
		}
		recs = append(recs, store.NetServer{Kind: store.ServerRelay, URL: u})
	}
	if err := tierdata.SetOwnServers(ctx, e.Store(), recs); err != nil {
		return cjsync.CutResult{}, err
	}
	return e.Cut(ctx)
}
