// Package emergency is the emergency card's use case (警情一键, issue
// #24), shared by `cunjing emergency` and the window's 紧急 area: find
// the house from what was typed (one function, Source.Resolve), then put
// together the card — the fire engine's route (route.Router), who lives
// there and needs help (store.ResidentNeeds, by the user's role), the
// household's and the neighbours' phones, who is on duty now by the
// roster (store/schedule's own expansion: leave, swaps and 24-hour duty
// across midnight included), 119/120/110 and the text for SMS — and log
// that the card was opened (store.LogEmergency).
//
// The card's layouts (PNG for a phone, A4, plain text) are print/ecard's.
package emergency

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"cunjing/maps"
	"cunjing/maps/route"
	"cunjing/print/ecard"
	"cunjing/store"
	"cunjing/store/emergencylog"
	"cunjing/store/mapdata"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/search"
)

// Source is one village made ready for cards: its map and the
// fire-engine router, built once per map version, and the store the one
// search (Store.Search) reads.
type Source struct {
	Village store.Village
	Map     *maps.Village
	st      *store.Store
	router  *route.Router
	// routeErr says why there is no router (a map without lanes).
	routeErr error
}

// Load reads a village's map and builds what cards need from it.
func Load(ctx context.Context, s *store.Store, villageID string) (*Source, error) {
	var v store.Village
	if err := s.Get(ctx, &v, villageID); err != nil {
		return nil, fmt.Errorf("emergency: village %s: %w", villageID, err)
	}
	mv, err := mapdata.Load(ctx, s, villageID)
	if err != nil {
		return nil, fmt.Errorf("emergency: map of %s: %w", v.Name, err)
	}
	src := &Source{Village: v, Map: mv, st: s}
	src.router, src.routeErr = route.NewRouter(mv)
	return src, nil
}

// maxMatches is how many houses a query lists at most when it is not one.
const maxMatches = 20

// Match is a house a query may mean; its JSON keys are `cunjing
// emergency`'s "matches" (as `cunjing locate`'s).
type Match struct {
	HouseID string  `json:"-"`
	Number  string  `json:"number"`
	Name    string  `json:"name"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
	match   search.Match
}

// Resolve finds the houses a query means, through the one search the map
// and 住户 use (store/search): one house when the query names one (its
// number, an old number, a whole phone number, a full name no one else
// has), else every house on this village's map it may mean, best first
// (none: nothing found). It is the one place the card reads what was
// typed.
func (src *Source) Resolve(ctx context.Context, query string) ([]Match, error) {
	plan, err := search.Parse(query)
	if err != nil {
		return nil, err
	}
	found, err := src.st.Search(ctx, store.SearchQuery{Text: query, VillageID: src.Village.ID})
	if err != nil {
		return nil, fmt.Errorf("emergency: search %q: %w", query, err)
	}
	var houses []Match
	for _, h := range search.OnMap(plan, found, src.Map) {
		i := src.Map.HouseByID(h.HouseID)
		if h.HouseID == "" || i < 0 {
			continue // a landmark: no one lives there
		}
		at := src.Map.Houses[i].Polygon.Centroid()
		houses = append(houses, Match{HouseID: h.HouseID, Number: search.PlainNumber(h.Number), Name: h.Name, X: round1(at.X), Y: round1(at.Y), match: h.Match})
	}
	q := strings.TrimSpace(query)
	for _, exact := range []func(h Match) bool{
		func(h Match) bool { return h.match == search.MatchNumber },
		func(h Match) bool { return h.match == search.MatchOldNumber },
		func(h Match) bool { return h.match == search.MatchPhone },
		func(h Match) bool { return h.match == search.MatchName && h.Name == q },
	} {
		var sure []Match
		for _, h := range houses {
			if exact(h) {
				sure = append(sure, h)
			}
		}
		if len(sure) > 0 {
			houses = sure
			break
		}
	}
	if len(houses) > maxMatches {
		houses = houses[:maxMatches]
	}
	return houses, nil
}

func (src *Source) house(id string) *maps.House {
	for i := range src.Map.Houses {
		if src.Map.Houses[i].ID == id {
			return &src.Map.Houses[i]
		}
	}
	return nil
}

// Options say who asks, when, and for which vehicle.
type Options struct {
	// Role decides what health data shows (store.ResidentNeeds).
	Role string
	// Now is the card's time: ages, who is on duty. It may be in any
	// zone: the card says and reckons it in Beijing time.
	Now time.Time
	// Width is the fire engine's clear width (0: maps.DefaultVehicleWidth).
	Width float64
}

// Neighbours is how many nearby houses' phones the card lists, and how
// far (between centres) a neighbour may be.
const (
	Neighbours     = 4
	neighbourRange = 80.0
)

// ErrNoHouse is returned for a house ID the village does not have.
var ErrNoHouse = errors.New("emergency: no such house in this village")

// Build puts the card for a house together.
func Build(ctx context.Context, s *store.Store, src *Source, houseID string, opt Options) (*ecard.Card, error) {
	h := src.house(houseID)
	if h == nil {
		return nil, ErrNoHouse
	}
	if opt.Now.IsZero() {
		return nil, errors.New("emergency: the card needs the time (Options.Now)")
	}
	// The card's time, its day and ages are Beijing's (schedule.Zone), as
	// OnDuty's: a caller's time in another zone (a PC set to UTC) printed
	// that zone's hour as the card's 时间.
	opt.Now = opt.Now.In(schedule.Zone)
	at := h.Polygon.Centroid()
	// The card shows numbers as the screens do (search.PlainNumber): one
	// stored with 号 by an older version ('205号') said 205号号.
	var history []string
	for _, n := range h.History {
		history = append(history, search.PlainNumber(n))
	}
	c := &ecard.Card{Village: src.Village.Name, At: opt.Now,
		House:  ecard.House{ID: h.ID, Number: search.PlainNumber(h.Number), History: history, X: round1(at.X), Y: round1(at.Y), Head: h.Name},
		People: []ecard.Person{}, Phones: []ecard.Phone{}, OnDuty: []ecard.Duty{}}
	switch {
	case src.router == nil:
		c.RouteErr = routeProblem(src.routeErr)
	case h.Number == "":
		c.RouteErr = "这座房子还没有门牌号"
	default:
		r, err := src.router.Route(route.Options{To: h.Number, Width: opt.Width})
		if err != nil {
			c.RouteErr = routeProblem(err)
		} else {
			c.Route = plainRoute(r, h.Number)
		}
	}
	if err := household(ctx, s, c, opt); err != nil {
		return nil, err
	}
	neighbours(src, h, c)
	duty, err := OnDuty(ctx, s, opt.Now)
	if err != nil {
		return nil, err
	}
	c.OnDuty = duty
	var post store.Post
	if err := s.Get(ctx, &post, s.DeviceID()); err == nil {
		c.Post, c.Officer, c.PostPhone = post.Name, post.Officer, post.Phone
	}
	c.Text = c.PlainText()
	return c, nil
}

// routeProblem says in Chinese why the router gave no route (the card is
// read, copied and printed as it is: the router's own errors are English).
func routeProblem(err error) string {
	switch {
	case err == nil, errors.Is(err, route.ErrNoLanes):
		return "地图上没有巷道"
	case errors.Is(err, route.ErrNoEntrance):
		return "地图上没有村口（在“地图”里放一个村口地标）"
	case errors.Is(err, route.ErrUnknownHouse):
		return "地图上找不到这个门牌号"
	}
	return "地图上的巷道有问题，请在“地图”里检查"
}

// plainRoute makes the route's own text (its stop and problem, the
// number it reads to the fire brigade) say the house's number as the card
// does, not as stored ('205号' read as 205号号门前); the router finds the
// house by the stored one.
func plainRoute(r *route.Result, stored string) *route.Result {
	plain := search.PlainNumber(stored)
	if plain == stored || r == nil {
		return r
	}
	fix := func(s string) string { return strings.ReplaceAll(s, stored+"号", plain+"号") }
	r.StopName, r.Problem = fix(r.StopName), fix(r.Problem)
	if r.Number == stored {
		r.Number = plain
	}
	return r
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// household fills who lives in the house and their phones.
func household(ctx context.Context, s *store.Store, c *ecard.Card, opt Options) error {
	hhs, err := s.HouseholdsOfHouse(ctx, c.House.ID)
	if err != nil {
		return fmt.Errorf("emergency: households of %s: %w", c.House.Number, err)
	}
	today := opt.Now.Format("2006-01-02")
	seen := map[string]bool{}
	addPhone := func(name, relation, phone string) {
		if phone == "" || seen[phone] {
			return
		}
		seen[phone] = true
		c.Phones = append(c.Phones, ecard.Phone{Name: name, Relation: relation, Phone: phone})
	}
	var withNeeds, others []ecard.Person
	for _, hh := range hhs {
		if c.House.Head == "" {
			c.House.Head = hh.OwnerName
		}
		rs, err := s.Residents(ctx, hh.ID)
		if err != nil {
			return fmt.Errorf("emergency: residents of %s: %w", hh.OwnerName, err)
		}
		var in []store.Resident
		for _, r := range rs {
			if store.LivesIn(r, today) {
				in = append(in, r)
			}
		}
		addPhone(hh.OwnerName, "户主", hh.OwnerPhone)
		addPhone(hh.TenantName, "租户", hh.TenantPhone)
		for _, r := range in {
			age := ageOn(r.BirthDate, opt.Now)
			p := ecard.Person{Name: r.Name, Needs: store.ResidentNeeds(r, hh.Categories, len(in) == 1, age, opt.Role)}
			if age >= 0 {
				p.Age = &age
			}
			if p.Needs == nil {
				p.Needs = []string{}
			}
			if len(p.Needs) > 0 {
				withNeeds = append(withNeeds, p)
			} else {
				others = append(others, p)
			}
			rel := r.Relation
			if rel == "" {
				rel = "家人"
			}
			addPhone(r.Name, rel, r.Phone)
		}
		for _, r := range in {
			if r.EmergencyPhone != "" {
				addPhone(r.EmergencyContact, r.Name+"的紧急联系人", r.EmergencyPhone)
			}
		}
	}
	c.People = append(withNeeds, others...)
	return nil
}

// ageOn is the age in whole years on day, -1 for an unknown birth date.
func ageOn(birth string, day time.Time) int {
	b, err := time.Parse("2006-01-02", birth)
	if err != nil {
		return -1
	}
	a := day.Year() - b.Year()
	if day.Month() < b.Month() || (day.Month() == b.Month() && day.Day() < b.Day()) {
		a--
	}
	if a < 0 {
		return -1
	}
	return a
}

// neighbours adds the phones of the nearest houses (by centre, within
// neighbourRange) that have one.
func neighbours(src *Source, h *maps.House, c *ecard.Card) {
	at := h.Polygon.Centroid()
	type near struct {
		h *maps.House
		d float64
	}
	var ns []near
	for i := range src.Map.Houses {
		o := &src.Map.Houses[i]
		if o.ID == h.ID || o.Phone == "" {
			continue
		}
		if d := maps.Dist(at, o.Polygon.Centroid()); d <= neighbourRange {
			ns = append(ns, near{o, d})
		}
	}
	slices.SortFunc(ns, func(a, b near) int { return cmp.Compare(a.d, b.d) })
	have := map[string]bool{}
	for _, p := range c.Phones {
		have[p.Phone] = true
	}
	n := 0
	for _, x := range ns {
		if n == Neighbours {
			break
		}
		if have[x.h.Phone] {
			continue
		}
		have[x.h.Phone] = true
		rel := "邻居"
		if x.h.Number != "" {
			rel = "邻居（" + search.PlainNumber(x.h.Number) + "号）"
		}
		c.Phones = append(c.Phones, ecard.Phone{Name: x.h.Name, Relation: rel, Phone: x.h.Phone})
		n++
	}
}

// rolePriority orders the people on duty: police first.
var rolePriority = map[string]int{"民警": 0, "辅警": 1, "村警": 2, "网格员": 3, "治保主任": 4, "志愿者": 5}

// OnDuty lists who stands on a planned slot of the roster at now, with
// their role, phone and when the slot ends. The roster is expanded by
// store/schedule over yesterday and today, so a 24-hour duty that began
// yesterday morning counts, and leave, rotations and swaps are applied as
// everywhere else.
func OnDuty(ctx context.Context, s *store.Store, now time.Time) ([]ecard.Duty, error) {
	// A slot's day and hours are Beijing's (schedule.Zone), whatever zone
	// now is in: a caller's time.Now() on a PC set to another zone put
	// the hours on the wrong instants.
	now = now.In(schedule.Zone)
	in, err := rosterdata.ScheduleInput(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("emergency: roster: %w", err)
	}
	if len(in.Rules) == 0 {
		return []ecard.Duty{}, nil
	}
	today := schedule.FromTime(now)
	sch, err := schedule.Expand(in, today.AddDays(-1), today)
	if err != nil {
		return nil, fmt.Errorf("emergency: roster: %w", err)
	}
	members := map[string]schedule.Member{}
	for _, m := range in.Members {
		members[m.ID] = m
	}
	best := map[string]ecard.Duty{} // by person
	var until = map[string]time.Time{}
	for _, sl := range sch.Slots {
		start := sl.Date.Time(now.Location()).Add(time.Duration(sl.Start) * time.Minute)
		endDay := sl.Date
		if !sl.EndDate.IsZero() {
			endDay = sl.EndDate
		}
		end := endDay.Time(now.Location()).Add(time.Duration(sl.End) * time.Minute)
		if now.Before(start) || !now.Before(end) {
			continue
		}
		for i, name := range sl.People {
			id := name
			if i < len(sl.PersonIDs) {
				id = sl.PersonIDs[i]
			}
			m := members[id]
			if u, ok := until[id]; ok && !end.After(u) {
				continue
			}
			until[id] = end
			best[id] = ecard.Duty{Name: name, Role: m.Role, Phone: m.Phone, Until: end.Format("2006-01-02 15:04")}
		}
	}
	out := make([]ecard.Duty, 0, len(best))
	for _, d := range best {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b ecard.Duty) int {
		pa, oka := rolePriority[a.Role]
		pb, okb := rolePriority[b.Role]
		if !oka {
			pa = 9
		}
		if !okb {
			pb = 9
		}
		return cmp.Or(cmp.Compare(pa, pb), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}

// Log records that the card was opened: who, their role, when (the
// card's time), which house and from what query. It returns the record
// (to turn into a patrol record afterwards).
func Log(ctx context.Context, s *store.Store, src *Source, c *ecard.Card, query, user, role string) (store.Emergency, error) {
	e := store.Emergency{At: c.At.Format("2006-01-02 15:04:05"), User: user, Role: role, VillageID: src.Village.ID, HouseID: c.House.ID, Number: c.House.Number, Query: query}
	if err := emergencylog.Log(ctx, s, &e); err != nil {
		return store.Emergency{}, err
	}
	return e, nil
}
