// Package station owns the township station's aggregate view: every paired
// post's records (owner = that post) counted per post and for the township,
// with how fresh each post's data is, and publishing reference data (cost
// items, board templates, notices) down to the posts. The UI draws it.
package station

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// PostView is one post on the station's dashboard.
type PostView struct {
	DeviceID    string          `json:"device_id"`
	Name        string          `json:"name"`
	Stats       store.PostStats `json:"stats"`
	LastContact string          `json:"last_contact,omitempty"`
	// Freshness is the age of the newest change received from the post,
	// by its own clock (HLC wall time), rounded to minutes; -1 if none.
	Freshness time.Duration `json:"freshness_ns"`
}

// Township is the sum over all posts.
type Township struct {
	Posts      []PostView      `json:"posts"`
	Total      store.PostStats `json:"total"`
	StalePosts []string        `json:"stale_posts"` // no news for longer than the stale limit
}

// View builds the dashboards: patrols are counted from..to (dates, empty for
// all); a post whose newest data is older than stale is listed as stale.
func View(ctx context.Context, e *cjsync.Engine, from, to string, stale time.Duration, now time.Time) (Township, error) {
	var t Township
	if e.Store().Role() != store.RoleStation {
		return t, errors.New("station view: this device is not a station")
	}
	peers, err := e.Store().Peers(ctx, false)
	if err != nil {
		return t, err
	}
	t.Total = store.PostStats{ByCategory: map[string]int{}, ByWarning: map[string]int{}, BoardsVenues: map[string]int{}}
	for _, p := range peers {
		if p.Role != store.RolePost {
			continue
		}
		ps, err := e.Store().OwnerStats(ctx, p.DeviceID, from, to)
		if err != nil {
			return t, fmt.Errorf("post %s: %w", p.Name, err)
		}
		v := PostView{DeviceID: p.DeviceID, Name: p.Name, Stats: ps, LastContact: p.LastContact, Freshness: -1}
		if h, err := store.ParseHLC(ps.LastChange); err == nil && !h.IsZero() {
			v.Freshness = now.Sub(time.UnixMilli(h.Wall)).Round(time.Minute)
		}
		if v.Freshness < 0 || v.Freshness > stale {
			t.StalePosts = append(t.StalePosts, p.Name)
		}
		add(&t.Total, ps)
		t.Posts = append(t.Posts, v)
	}
	return t, nil
}

func add(dst *store.PostStats, s store.PostStats) {
	dst.Houses += s.Houses
	dst.Households += s.Households
	dst.Residents += s.Residents
	dst.Patrols += s.Patrols
	dst.ShiftRules += s.ShiftRules
	dst.BoardsPrint += s.BoardsPrint
	for k, v := range s.ByCategory {
		dst.ByCategory[k] += v
	}
	for k, v := range s.ByWarning {
		dst.ByWarning[k] += v
	}
	for k, v := range s.BoardsVenues {
		dst.BoardsVenues[k] += v
	}
}

// Publish saves reference records (cost items, board templates, notices)
// as the station's own and cuts them into the broadcast changeset at once.
func Publish(ctx context.Context, e *cjsync.Engine, recs ...store.Record) (cjsync.CutResult, error) {
	if e.Store().Role() != store.RoleStation {
		return cjsync.CutResult{}, errors.New("publish: only a station publishes")
	}
	for _, r := range recs {
		switch r.(type) {
		case *store.CostItem, *store.BoardTemplate, *store.Notice:
		default:
			return cjsync.CutResult{}, fmt.Errorf("publish: a station publishes cost items, templates and notices, not %s", r.Table())
		}
	}
	if err := e.Store().Save(ctx, recs...); err != nil {
		return cjsync.CutResult{}, err
	}
	return e.Cut(ctx)
}
