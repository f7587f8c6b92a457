// Package demodata generates a realistic, deterministic demo post's
// records into an empty store: one township, two villages drawn as house
// maps, about a thousand residents with categories and warning colours,
// mixed patrol teams with their rules (daily patrol, lunar market days,
// Monday/Friday school gate, 24-hour duty rotation), a month of patrol
// logs, venues where boards hang, and the cost items it is given. It owns
// the generator only (Fill, Options, Profile): it needs no device identity,
// so store- and sync-level tests and benchmarks use it without importing
// app. app/demo.Create makes the identity (sync.Init), passes the embedded
// cost items and calls Fill; that is what `cunjing demo` and the first run
// of the window create.
package demodata

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"time"

	"cunjing/maps"
	"cunjing/maps/synth"
	"cunjing/store"
	"cunjing/store/mapdata"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// Options size the demo. The zero value gives the ordinary demo post.
type Options struct {
	Houses int   // houses in the main village (default 320)
	Venues int   // venues (shops, clinics, restaurants …) across both villages (default 24)
	Seed   int64 // random seed (default 1)
	// Today is the day the demo's month of patrol logs ends (default: the
	// current date, so the demo looks lived-in; tests pin it).
	Today time.Time
	// CostItems are the station's cost items the demo post holds its own
	// copy of (saved with fresh IDs); app/demo.Create passes the embedded
	// defaults. None when nil.
	CostItems []store.CostItem
}

func (o *Options) defaults() error {
	if o.Houses == 0 {
		o.Houses = 320
	}
	if o.Venues == 0 {
		o.Venues = 24
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Houses < 20 || o.Houses > 20000 {
		return fmt.Errorf("houses must be between 20 and 20000, got %d", o.Houses)
	}
	if o.Venues < 0 || o.Venues > 5000 {
		return fmt.Errorf("venues must be between 0 and 5000, got %d", o.Venues)
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	o.Today = schedule.FromTime(o.Today).Time(schedule.Zone) // midnight of its Beijing day
	return nil
}

// Profile is the demo post's own profile.
func Profile() store.Identity {
	return store.Identity{Role: store.RolePost, Name: "张庄村警务室", Township: "城关镇", Officer: "王建军", Phone: "13903921110"}
}

// Fill adds the demo data to an empty post database.
func Fill(ctx context.Context, s *store.Store, opt Options) error {
	if err := opt.defaults(); err != nil {
		return err
	}
	c, err := s.Counts(ctx, "")
	if err != nil {
		return err
	}
	if c.Households > 0 || c.Villages > 0 {
		return fmt.Errorf("demo: database already has data (%d villages, %d households); use a new file", c.Villages, c.Households)
	}
	rng := rand.New(rand.NewSource(opt.Seed))
	b := errBatch{ctx: ctx, s: s}

	main := &store.Village{Name: "张庄村", Township: Profile().Township}
	second := &store.Village{Name: "李家屯", Township: Profile().Township}
	var maps2 []*maps.Village
	for i, v := range []*store.Village{main, second} {
		n := opt.Houses
		if i == 1 {
			n = max(20, opt.Houses/5)
		}
		mv, err := synth.Village(opt.Seed+int64(i), n)
		if err != nil {
			return fmt.Errorf("demo: lay out %s: %w", v.Name, err)
		}
		mv.Name = v.Name
		// The notes promise only what the map has (its entrances, lanes).
		if v.Notes, err = VillageNotes(mv); err != nil {
			return fmt.Errorf("demo: notes of %s: %w", v.Name, err)
		}
		maps2 = append(maps2, mv)
		b.add(v)
	}
	if err := b.flushErr(); err != nil {
		return err
	}

	seq := 0
	var allHouseholds []*store.Household
	var spots []venueSpot
	for i, v := range []*store.Village{main, second} {
		mv := maps2[i]
		if err := mapdata.Save(ctx, s, v.ID, mv); err != nil {
			return fmt.Errorf("demo: save map of %s: %w", v.Name, err)
		}
		spots = append(spots, venueSpots(v, mv)...)
		for _, h := range mv.Houses {
			if h.Courtyard {
				continue
			}
			if rng.Intn(30) == 0 { // an empty house: owner away, no residents
				hh := &store.Household{VillageID: v.ID, HouseID: h.ID, Address: v.Name + h.Number + "号", DoorNumber: h.Number,
					OwnerName: randomName(rng, surnames[rng.Intn(len(surnames))], true), Status: store.StatusEmpty, Warning: store.WarnGreen,
					HouseType: "平房", HouseUse: "住宅", Structure: "砖混", AreaM2: float64(80 + rng.Intn(120))}
				b.add(hh)
				allHouseholds = append(allHouseholds, hh)
				continue
			}
			rental := rng.Intn(14) == 0
			people, cats := makeHousehold(rng, opt.Today, &seq, rental)
			hh := &store.Household{VillageID: v.ID, HouseID: h.ID, Address: v.Name + h.Number + "号", DoorNumber: h.Number,
				HouseType: []string{"平房", "平房", "二层楼房", "三层楼房"}[rng.Intn(4)], HouseUse: "住宅",
				AreaM2: float64(90 + rng.Intn(160)), Structure: []string{"砖混", "砖木", "框架"}[rng.Intn(3)],
				Status: store.StatusOwn, Categories: cats, Warning: warningFor(rng, cats), GridCell: fmt.Sprintf("第%d网格", 1+rng.Intn(6))}
			head := people[0]
			if rental {
				landlord := randomName(rng, surnames[rng.Intn(len(surnames))], true)
				hh.OwnerName, hh.OwnerPhone = landlord, synthPhone(rng)
				hh.Status, hh.TenantName, hh.TenantPhone = store.StatusRented, head.name, head.phone
				if hh.TenantPhone == "" {
					hh.TenantPhone = synthPhone(rng)
				}
			} else {
				hh.OwnerName, hh.OwnerPhone = head.name, head.phone
			}
			hh.ID = store.NewID() // the residents below refer to it before it is saved
			b.add(hh)
			allHouseholds = append(allHouseholds, hh)
			for _, p := range people {
				r := &store.Resident{HouseholdID: hh.ID, Name: p.name, IDNumber: p.idNo, Phone: p.phone, Relation: p.rel,
					CensusStatus: p.census, Occupation: p.occ, HukouAddress: "河南省滑县" + Profile().Township + v.Name}
				if rental {
					r.HukouAddress = []string{"河南省浚县", "河南省内黄县", "山东省莘县", "河北省大名县"}[rng.Intn(4)]
					r.Reason = p.occ
					r.FloatLevel = []string{"蓝", "蓝", "黄", "橙"}[rng.Intn(4)]
					r.MoveIn = opt.Today.AddDate(0, -rng.Intn(30), -rng.Intn(28)).Format("2006-01-02")
					r.Categories = []string{store.CatFloating}
				}
				age := opt.Today.Year() - p.birth.Year()
				if age >= 65 && hasCat(cats, store.CatElderly) {
					r.Categories = append(r.Categories, store.CatElderly)
					r.EmergencyContact = randomName(rng, p.name[:3], true)
					r.EmergencyPhone = synthPhone(rng)
				}
				if age < 16 && hasCat(cats, store.CatChild) {
					r.Categories = append(r.Categories, store.CatChild)
				}
				b.add(r)
			}
		}
	}
	if err := b.flushErr(); err != nil {
		return err
	}
	// Visits: most households were visited in the last months, for what
	// the household is.
	for _, hh := range allHouseholds {
		notes := VisitNotes(hh)
		for k := 0; k < rng.Intn(3); k++ {
			d := opt.Today.AddDate(0, 0, -rng.Intn(120))
			b.add(&store.Visit{HouseholdID: hh.ID, Date: d.Format("2006-01-02"), Officer: Profile().Officer, Notes: notes[rng.Intn(len(notes))]})
		}
	}
	if err := b.flushErr(); err != nil {
		return err
	}
	if err := addVenues(&b, rng, opt, spots, []*store.Village{main, second}); err != nil {
		return err
	}
	if err := addRoster(&b, rng, opt, main.ID, spots); err != nil {
		return err
	}
	// In real use cost items come down from the station; a demo post has
	// no station yet, so it holds its own copy (fresh IDs, so a station's
	// published items never collide).
	for _, c := range opt.CostItems {
		c.Meta = store.Meta{}
		b.add(&c)
	}
	return b.flushErr()
}

func hasCat(cats []string, c string) bool {
	for _, x := range cats {
		if x == c {
			return true
		}
	}
	return false
}

// errBatch saves records in transactions of a few thousand, so a
// 3,000-house demo does not hold one giant transaction, and remembers the
// first error so the long generator reads straight.
type errBatch struct {
	ctx  context.Context
	s    *store.Store
	recs []store.Record
	err  error
}

func (b *errBatch) add(r store.Record) {
	if b.err != nil {
		return
	}
	b.recs = append(b.recs, r)
	if len(b.recs) >= 2000 {
		b.flush()
	}
}

func (b *errBatch) flush() {
	if b.err == nil && len(b.recs) > 0 {
		b.err = b.s.Save(b.ctx, b.recs...)
	}
	b.recs = b.recs[:0]
}

func (b *errBatch) flushErr() error {
	b.flush()
	if b.err != nil {
		return fmt.Errorf("demo: save: %w", b.err)
	}
	return nil
}

var venueKinds = []struct {
	kind  string
	names []string
}{
	{"shop", []string{"便民超市", "百货商店", "农资店", "五金店", "小卖部"}},
	{"restaurant", []string{"家常菜馆", "烩面馆", "羊肉汤馆", "饭店"}},
	{"clinic", []string{"村卫生室", "诊所"}},
	{"other", []string{"快递点", "理发店", "废品收购站", "加油站"}},
}

func addVenues(b *errBatch, rng *rand.Rand, opt Options, spots []venueSpot, villages []*store.Village) error {
	for i := 0; i < opt.Venues; i++ {
		sp := spots[i%len(spots)]
		if i >= len(spots) && sp.kind == maps.KindClinic {
			sp.kind = maps.KindShop // one 卫生室 a village
		}
		// A venue at a landmark is what the landmark marks; the village's
		// one 卫生室 is there, a house on the main road is a shop,
		// restaurant or the like.
		vk := venueKinds[[]int{0, 1, 3}[rng.Intn(3)]]
		switch sp.kind {
		case maps.KindShop:
			vk = venueKinds[0]
		case maps.KindClinic:
			vk = venueKinds[2]
		case maps.KindParcel:
			vk = venueKinds[3]
			vk.names = vk.names[:1] // 快递点
		}
		owner := surnames[rng.Intn(len(surnames))]
		name := owner + "记" + vk.names[rng.Intn(len(vk.names))]
		if sp.kind == maps.KindClinic {
			for _, v := range villages {
				if v.ID == sp.villageID {
					name = v.Name + "卫生室"
				}
			}
		}
		if i >= len(spots) {
			name = fmt.Sprintf("%s（%d）", name, i/len(spots)+1)
		}
		b.add(&store.Venue{VillageID: sp.villageID, Kind: vk.kind, Name: name, Address: sp.address,
			Contact: randomName(rng, owner, rng.Intn(2) == 0), Phone: synthPhone(rng), Staff: int64(1 + rng.Intn(6)), X: sp.x, Y: sp.y})
	}
	return b.flushErr()
}

func mustSpec(text string) (string, error) {
	sp, err := schedule.ParseSpec(text)
	if err != nil {
		return "", fmt.Errorf("rule %q: %w", text, err)
	}
	j, err := json.Marshal(sp)
	if err != nil {
		return "", err
	}
	return string(j), nil
}

func addRoster(b *errBatch, rng *rand.Rand, opt Options, villageID string, spots []venueSpot) error {
	seq := 0
	teams, members := makeTeams(rng, villageID, &seq)
	for _, t := range teams {
		b.add(t)
	}
	if err := b.flushErr(); err != nil {
		return err
	}
	monthStart := opt.Today.AddDate(0, 0, -30)
	var allIDs [][]string
	for i, ms := range members {
		var ids []string
		for _, m := range ms {
			m.TeamID = teams[i].ID
			m.Leave = leaveFor(rng, opt.Today)
			b.add(m)
		}
		if err := b.flushErr(); err != nil {
			return err
		}
		for _, m := range ms {
			ids = append(ids, m.ID)
		}
		allIDs = append(allIDs, ids)
	}
	from := monthStart.AddDate(0, -1, 0).Format("2006-01-02")
	rules := []struct {
		team                 int
		name, kind, spec, wd string
		people               []string
		rotate, min          int64
	}{
		// Nobody stands on two rules: the 24-hour duty takes one of its
		// three people off everything else that day, so they are on no
		// other rule (TestDemoRealistic: no double booking).
		{0, "每日巡逻", "patrol", "每天", "19:00-21:00", allIDs[0][:3], 0, 2},
		{1, "逢集巡逻", "market", "农历逢二、五、十", "08:00-12:00", allIDs[1][dutyPeople:], 0, 3},
		{2, "护学岗", "school_gate", "每周一、五", "07:00-08:00、16:30-17:30", allIDs[2], 0, 2},
		{1, "警务室24小时值班", "duty", "每天", "08:00-08:00", allIDs[1][:dutyPeople], 1, 1},
	}
	var ruleRecs []*store.ShiftRule
	for _, r := range rules {
		spec, err := mustSpec(r.spec)
		if err != nil {
			return err
		}
		rec := &store.ShiftRule{TeamID: teams[r.team].ID, Name: r.name, Kind: r.kind, Spec: spec, Windows: r.wd,
			People: r.people, Rotate: r.rotate, MinPeople: r.min, ValidFrom: from}
		ruleRecs = append(ruleRecs, rec)
		b.add(rec)
	}
	if err := b.flushErr(); err != nil {
		return err
	}
	// A month of patrol logs: nearly every daily patrol, most market days,
	// a few ad hoc patrols, with what was found; none later than now (the
	// store refuses a patrol logged as done before it ended).
	now := b.s.Clock().WallNow()
	boards, err := newBoardRounds(b, opt, villageID)
	if err != nil {
		return err
	}
	addDone := func(p *store.Patrol) {
		if p.CheckDone(now) == nil {
			b.add(p)
		}
	}
	for d := monthStart; !d.After(opt.Today); d = d.AddDate(0, 0, 1) {
		ds := d.Format("2006-01-02")
		if rng.Intn(10) < 9 {
			addDone(patrolFor(rng, teams[0].ID, ruleRecs[0].ID, ds, "19:00", "20:50", members[0][:3], "主街—村东口—坑塘—学校—村西口", spots))
		}
		if dates, err := schedule.NextDates(mustParse(ruleRecs[1].Spec), schedule.FromTime(d), 1); err == nil && len(dates) == 1 && dates[0] == schedule.FromTime(d) && rng.Intn(6) > 0 {
			p := patrolFor(rng, teams[1].ID, ruleRecs[1].ID, ds, "08:00", "11:40", members[1][dutyPeople:], "集市（主街中段）", spots)
			if p.CheckDone(now) == nil {
				boards.onMarket(p)
			}
			addDone(p)
		}
		if rng.Intn(9) == 0 {
			addDone(patrolFor(rng, teams[1].ID, "", ds, fmtHM(14+rng.Intn(3), 0), fmtHM(17, 0), members[1][dutyPeople:dutyPeople+2], "村西废品站—李家屯", spots))
		}
	}
	if err := b.flushErr(); err != nil {
		return err
	}
	return addSchoolGate(b, opt, monthStart, ruleRecs[2], members[2], spots)
}

// addSchoolGate logs the 护学岗 the roster planned on the month's school
// days — both windows, mornings and afternoons, by whoever stood them,
// school holidays and leave left out as the roster leaves them out —
// with one in about twenty missed (a rainy morning, a meeting in town).
// Its own random source, so the rest of the demo stays as it was.
func addSchoolGate(b *errBatch, opt Options, monthStart time.Time, rule *store.ShiftRule, ms []*store.Member, spots []venueSpot) error {
	in, err := rosterdata.ScheduleInput(b.ctx, b.s)
	if err != nil {
		return fmt.Errorf("demo school gate: %w", err)
	}
	sch, err := schedule.Expand(in, schedule.FromTime(monthStart), schedule.FromTime(opt.Today))
	if err != nil {
		return fmt.Errorf("demo school gate: %w", err)
	}
	rng := rand.New(rand.NewSource(opt.Seed + 20))
	now := b.s.Clock().WallNow()
	for _, sl := range sch.Slots {
		if sl.RuleID != rule.ID || rng.Intn(20) == 0 {
			continue
		}
		var who []*store.Member
		for _, m := range ms {
			if slices.Contains(sl.PersonIDs, m.ID) {
				who = append(who, m)
			}
		}
		p := patrolFor(rng, rule.TeamID, rule.ID, sl.Date.String(), sl.Start.String(), sl.End.String(), who, "学校门口—村小路口", spots)
		if p.CheckDone(now) == nil {
			b.add(p)
		}
	}
	return b.flushErr()
}

// boardRounds is what the market patrols do with the cost-of-fighting
// boards: the first market patrol of the month puts boards up at the
// busiest venues of the village (shops and restaurants on the market
// street), later ones check one of them now and then, and the first of a
// new month puts one up again (torn or faded). Its own random
// source, so the rest of the demo stays as it was.
type boardRounds struct {
	rng    *rand.Rand
	venues []string // where boards go, in the order they are put up
	posted int      // how many are up
	month  string   // YYYY-MM of the last board put up
}

func newBoardRounds(b *errBatch, opt Options, villageID string) (*boardRounds, error) {
	vs, err := b.s.Venues(b.ctx)
	if err != nil {
		return nil, fmt.Errorf("demo boards: %w", err)
	}
	r := &boardRounds{rng: rand.New(rand.NewSource(opt.Seed + 30))}
	for _, v := range vs {
		if v.VillageID == villageID && (v.Kind == "shop" || v.Kind == "restaurant") && len(r.venues) < 3 {
			r.venues = append(r.venues, v.ID)
		}
	}
	return r, nil
}

// onMarket records on a market patrol the boards it put up or checked
// (each such venue is also one the patrol visited).
func (r *boardRounds) onMarket(p *store.Patrol) {
	switch {
	case len(r.venues) == 0:
		return
	case r.posted == 0:
		p.BoardsPosted = append([]string(nil), r.venues...)
		r.posted = len(r.venues)
		r.month = p.Date[:7]
	case p.Date[:7] != r.month:
		// A new month: one board, torn or faded, put up again.
		p.BoardsPosted = []string{r.venues[r.rng.Intn(r.posted)]}
		r.month = p.Date[:7]
	case r.rng.Intn(3) == 0:
		p.BoardsChecked = []string{r.venues[r.rng.Intn(r.posted)]}
	default:
		return
	}
	for _, id := range append(append([]string(nil), p.BoardsPosted...), p.BoardsChecked...) {
		if !slices.Contains(p.Venues, id) {
			p.Venues = append(p.Venues, id)
		}
	}
}

func mustParse(specJSON string) schedule.Spec {
	var sp schedule.Spec
	_ = json.Unmarshal([]byte(specJSON), &sp) // made by mustSpec a moment ago
	return sp
}

func patrolFor(rng *rand.Rand, team, rule, date, start, end string, ms []*store.Member, route string, spots []venueSpot) *store.Patrol {
	var people []string
	for _, m := range ms {
		people = append(people, m.ID)
	}
	fj, _ := json.Marshal(randomFindings(rng)) // plain structs always marshal
	p := &store.Patrol{TeamID: team, RuleID: rule, Date: date, Start: start, End: end, People: people, Route: route, Findings: string(fj)}
	if len(fj) > 4 && len(spots) > 0 {
		p.Houses = []string{spots[rng.Intn(len(spots))].houseID}
	}
	return p
}
