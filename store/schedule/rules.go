package schedule

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"cunjing/store/schedule/almanac"
)

// Slot kinds (Rule.Kind), as the CLI prints them.
const (
	KindPatrol     = "patrol"      // 每日巡逻
	KindMarket     = "market"      // 逢集必巡
	KindSchoolGate = "school_gate" // 护学岗
	KindDuty       = "duty"        // 24小时值班
)

// Kinds lists the valid Rule.Kind values.
var Kinds = []string{KindPatrol, KindMarket, KindSchoolGate, KindDuty}

// Team is a patrol team. Teams are mixed: a rule may draw people from any
// team, the rule's team is the one responsible for it.
type Team struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Member is a person who can stand on a slot.
type Member struct {
	ID     string `json:"id"`
	TeamID string `json:"team_id"`
	Name   string `json:"name"`
	Role   string `json:"role"` // 民警, 辅警, 村警, 网格员, 志愿者, 治保主任
	Phone  string `json:"phone"`
	// Leave lists days off (store form "2026-12-01..2026-12-05": ParseLeave).
	Leave []DateRange `json:"leave,omitempty"`
	// Off is the person's regular days off (固定休息: a farmer's market
	// day, a second job) as they were set over time, each from its day on
	// (store form "2026-12-06:3": ParseWeekdaysOff), so setting them keeps
	// the days before as they were. A From of 0 is from the start.
	Off []WeekdaysOff `json:"off,omitempty"`
}

// Available reports whether m can stand on day d.
func (m *Member) Available(d Date) bool {
	if slices.Contains(almanac.OffOn(m.Off, d), d.Weekday()) {
		return false
	}
	for _, r := range m.Leave {
		if r.Contains(d) {
			return false
		}
	}
	return true
}

// Rule is one shift rule: which days (Spec), which hours (Windows), who.
type Rule struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	TeamID  string   `json:"team_id"`
	Kind    string   `json:"kind"`
	Spec    Spec     `json:"spec"`
	Windows []Window `json:"windows"`
	// People are member IDs. With Rotate == 0 all of them stand on every
	// slot (empty: every member of the team). With Rotate == n, n of them
	// take each day in turn, in this order (empty: the team's members in
	// the order given in Input.Members).
	People []string `json:"people,omitempty"`
	Rotate int      `json:"rotate,omitempty"`
	// MinPeople below which a slot is flagged short; 0 means Rotate for a
	// rotation and 1 otherwise.
	MinPeople int `json:"min_people,omitempty"`
	// ValidFrom..ValidTo bound the rule (zero = open). A rotation counts its
	// turns from ValidFrom, so the same day gets the same person whatever
	// range is viewed; a rotation therefore needs ValidFrom.
	ValidFrom Date `json:"valid_from,omitempty"`
	ValidTo   Date `json:"valid_to,omitempty"`
	// Holidays is what the rule does on holidays of Input.Holidays: "keep",
	// or what to skip ("public", "school", "spring", comma-separated); ""
	// is the default for its kind (DefaultHolidayPolicy: 护学岗 skips
	// school holidays, markets 正月初一–初五).
	Holidays string `json:"holidays,omitempty"`
	// Versions are who the rule put on duty before edits changed it,
	// oldest first: People, Rotate and MinPeople hold from the day after
	// the last version's Until. Empty: they hold on every day.
	Versions []Version `json:"versions,omitempty"`
}

// Version is who a rule put on duty up to and including Until, before an
// edit changed it (from the day after): its people in turn order, as
// listed then (never empty: a rule that drew on its whole team keeps the
// team as it was), their names then (so a member deleted since still
// shows on the days they stood), and the rule's Rotate and MinPeople. So
// editing who stands changes the days from the edit on, never the past.
// A rotation goes on across an edit (also one after a while in which
// everyone stood): the people kept stay in the queue where they were and
// newcomers join at its back; a list of the same
// people in a new order starts the turns again in that order.
type Version struct {
	Until     Date     `json:"until"`
	People    []string `json:"people"`
	Names     []string `json:"names,omitempty"`
	Rotate    int      `json:"rotate,omitempty"`
	MinPeople int      `json:"min_people,omitempty"`
	// Team says the rule drew on its whole team (listed no one): People
	// are the team in its alphabetical order, not an order of turns the
	// officer chose, so a crew after it in another order (a member
	// renamed) goes on with the queue rather than starting again.
	Team bool `json:"team,omitempty"`
	// Spec, Windows and Holidays are the rule's days, hours and holiday
	// policy up to Until, kept when an edit changed them (每周一、五 to
	// 每周一、三、五 changes the days from the edit on); nil: those of the
	// version after, or the rule's own.
	Spec     *Spec    `json:"spec,omitempty"`
	Windows  []Window `json:"windows,omitempty"`
	Holidays *string  `json:"holidays,omitempty"`
	// Kind and TeamID are the rule's kind (daily patrol, market, 护学岗,
	// duty) and the team responsible for it up to Until, kept when an
	// edit changed them; "": those of the version after, or the rule's.
	Kind   string `json:"kind,omitempty"`
	TeamID string `json:"team_id,omitempty"`
	// From is the rule's start up to Until, kept when an edit moved the
	// start later (the days already planned stay); nil: the version
	// after's, or the rule's ValidFrom; "" (a zero Date): no start. The
	// version stands on no day before it.
	From *Date `json:"from,omitempty"`
	// Fresh starts a rotation's turns again at the head of this
	// version's people on its first day, as on the rule's first day:
	// set on the first version when an edit moved the start earlier, so
	// the turns added before it move none of the turns after.
	Fresh bool `json:"fresh,omitempty"`
	// Added is the day an edit added this version's days before the
	// rule's first day (a start moved earlier), so a second edit that
	// day can take them back (a start typed a year too early and put
	// right); the expansion does not read it.
	Added Date `json:"added,omitempty"`
}

// Exception actions.
const (
	Cancel  = "cancel"  // the matched slots do not happen (holiday, 春节休集)
	Replace = "replace" // Person is replaced by Substitute (a swap is two of these)
	Add     = "add"     // the listed rules also happen on these days (加密巡逻)
)

// LunarMD is a lunar month and day, e.g. {12, 23} for 腊月廿三. Day 30 also
// means the last day of a 29-day month (除夕 is {12, 30}).
type LunarMD struct {
	Month int `json:"month"`
	Day   int `json:"day"`
}

// Exception changes the expanded schedule on some days. It selects days by
// a solar range (Dates) or, every year, by a lunar range (LunarFrom..LunarTo,
// which may wrap the new year: 腊月廿三..正月初五 is the usual Spring
// Festival break).
type Exception struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"` // 国庆节, 春节休集, 张三李四换班
	Action    string     `json:"action"`
	Dates     *DateRange `json:"dates,omitempty"`
	LunarFrom *LunarMD   `json:"lunar_from,omitempty"`
	LunarTo   *LunarMD   `json:"lunar_to,omitempty"`
	// Rules and Kinds narrow which slots it touches (empty: all).
	Rules []string `json:"rules,omitempty"`
	Kinds []string `json:"kinds,omitempty"`
	// Person and Substitute are member IDs for Replace; an empty Substitute
	// excuses Person without a stand-in.
	Person     string `json:"person,omitempty"`
	Substitute string `json:"substitute,omitempty"`
}

// Swap returns the two Replace exceptions by which a stands b's turn on day
// db and b stands a's on day da (换班).
func Swap(id, ruleID, a string, da Date, b string, db Date) []Exception {
	return []Exception{
		{ID: id + "/1", Name: "换班", Action: Replace, Dates: &DateRange{From: da, To: da}, Rules: []string{ruleID}, Person: a, Substitute: b},
		{ID: id + "/2", Name: "换班", Action: Replace, Dates: &DateRange{From: db, To: db}, Rules: []string{ruleID}, Person: b, Substitute: a},
	}
}

// Input is everything Expand needs, as plain values.
type Input struct {
	Teams      []Team      `json:"teams"`
	Members    []Member    `json:"members"`
	Rules      []Rule      `json:"rules"`
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Former are members deleted since (their last names): a rule's
	// earlier version, a swap, a rule that ended before the deletion or a
	// list merged from another copy of the roster may still name one;
	// they stand there under that name.
	Former []Member `json:"former,omitempty"`
	// FormerTeams are teams deleted since (their last names): a rule
	// that ended before the deletion still draws on one, and its past
	// turns stand under that name.
	FormerTeams []Team `json:"former_teams,omitempty"`
	// Holidays is the holiday calendar rules consult (see DefaultHolidays
	// and MergeHolidays); nil means no holidays at all.
	Holidays []Holiday `json:"holidays,omitempty"`
	// Lunar, when set, is a lunar table shared by many expansions (a
	// station counting a hundred posts' month builds it once); one that
	// does not cover an expansion's range is not used. Nil: each
	// expansion builds its own.
	Lunar *LunarTable `json:"-"`
}

// rotationStart is why a rotation needs a start.
const rotationStart = "rotation needs valid_from: turns are counted from that day so they do not shift with the range viewed"

// compiled is a validated Input with its lookups.
type compiled struct {
	teams   map[string]*Team
	members map[string]*Member
	former  map[string]*Member // Input.Former not among Members
	rules   []compiledRule
	order   []int // rules by (name, id)
	ruleIdx map[string]int
	excs    []compiledExc
	// holidays are Input.Holidays, validated.
	holidays []Holiday
}

type compiledRule struct {
	*Rule
	people    []string // member IDs, resolved
	names     []string // their names, shared by slots where everyone stands
	minPeople int
	// crews are who stands and on which days and hours, version by
	// version (Rule.Versions, then the rule's own from the day after the
	// last: until 0).
	crews    []crew
	rotates  bool // some crew takes turns
	rank     int  // position in (name, id) order, for sorting slots
	holidays holidayPolicy
	// start is the rule's first day: the earliest of its crews' (0: no
	// start).
	start Date
	// turns is the day a rotation of the rule counts its turns from: the
	// earliest start of its crews that take turns (each has one; 0: none
	// takes turns). A crew before them may have no start (a rule planned
	// with none, made to take turns from a day).
	turns Date
}

type compiledExc struct {
	*Exception
	rules map[string]bool
	kinds map[string]bool
	used  bool
}

func (in *Input) compile() (*compiled, error) {
	c := &compiled{teams: map[string]*Team{}, members: map[string]*Member{}, ruleIdx: map[string]int{}}
	for i := range in.Teams {
		t := &in.Teams[i]
		if t.ID == "" {
			return nil, problemIDs(ProblemRecord, "team %d (%q): empty id", i, t.Name)
		}
		if c.teams[t.ID] != nil {
			return nil, problemIDs(ProblemRecord, "team %q: duplicate id", t.ID)
		}
		c.teams[t.ID] = t
	}
	teamMembers := map[string][]string{}
	for i := range in.Members {
		m := &in.Members[i]
		if m.ID == "" {
			return nil, problemIDs(ProblemRecord, "member %d (%q): empty id", i, m.Name)
		}
		if c.members[m.ID] != nil {
			return nil, problemIDs(ProblemRecord, "member %q: duplicate id", m.ID)
		}
		if c.teams[m.TeamID] == nil {
			return nil, within(InMember, m.ID, m.Name, problemIDs(ProblemTeam, "unknown team %q", m.TeamID))
		}
		for _, r := range m.Leave {
			if r.From == 0 || r.To < r.From {
				return nil, within(InMember, m.ID, m.Name, problem(ProblemLeave, "leave %s..%s is not a date range", r.From, r.To))
			}
		}
		c.members[m.ID] = m
		teamMembers[m.TeamID] = append(teamMembers[m.TeamID], m.ID)
	}
	for i := range in.FormerTeams {
		if t := &in.FormerTeams[i]; t.ID != "" && c.teams[t.ID] == nil {
			c.teams[t.ID] = t // only now: a live member's team must be live
		}
	}
	c.former = map[string]*Member{}
	for i := range in.Former {
		if m := &in.Former[i]; m.ID != "" && c.members[m.ID] == nil {
			c.former[m.ID] = m
		}
	}
	for i := range in.Rules {
		r := &in.Rules[i]
		cr, err := c.compileRule(r, teamMembers[r.TeamID])
		if err != nil {
			return nil, within(InRule, r.ID, r.Name, err)
		}
		if _, dup := c.ruleIdx[r.ID]; dup {
			return nil, problemIDs(ProblemRecord, "rule %q: duplicate id", r.ID)
		}
		c.ruleIdx[r.ID] = len(c.rules)
		c.rules = append(c.rules, cr)
	}
	order := make([]int, len(c.rules))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(c.rules[a].Name, c.rules[b].Name), cmp.Compare(c.rules[a].ID, c.rules[b].ID))
	})
	for rank, i := range order {
		c.rules[i].rank = rank
	}
	c.order = order
	// Members of earlier versions deleted since stand on their old days
	// under the names they had then; added only now, so a rule's current
	// people must still be members.
	for i := range c.rules {
		r := &c.rules[i]
		for _, v := range r.Versions {
			for k, p := range v.People {
				if c.members[p] == nil {
					m := &Member{ID: p, TeamID: r.TeamID, Name: p}
					if f := c.former[p]; f != nil {
						// As they were, their leave included: the
						// turns they were passed over for stay.
						cp := *f
						m = &cp
					}
					if k < len(v.Names) && v.Names[k] != "" {
						m.Name = v.Names[k]
					}
					c.members[p] = m
				}
			}
		}
		for k := range r.crews {
			if cw := &r.crews[k]; cw.names == nil {
				for _, p := range cw.people {
					cw.names = append(cw.names, c.members[p].Name)
				}
			}
		}
	}
	for _, h := range in.Holidays {
		if err := h.Validate(); err != nil {
			return nil, problemOf(ProblemHolidayEntry, err)
		}
	}
	c.holidays = in.Holidays
	// A swap or a replacement may name a member deleted since: known by
	// the name they had, standing only where an exception puts them.
	for i := range in.Exceptions {
		for _, p := range []string{in.Exceptions[i].Person, in.Exceptions[i].Substitute} {
			if f := c.former[p]; p != "" && c.members[p] == nil && f != nil {
				c.members[p] = f
			}
		}
	}
	for i := range in.Exceptions {
		e := &in.Exceptions[i]
		ce, err := c.compileExc(e)
		if err != nil {
			return nil, within(InException, e.ID, e.Name, err)
		}
		c.excs = append(c.excs, ce)
	}
	return c, nil
}

// ruleOrder is the rules by (name, id).
func (c *compiled) ruleOrder() []*compiledRule {
	out := make([]*compiledRule, len(c.order))
	for k, i := range c.order {
		out[k] = &c.rules[i]
	}
	return out
}

func (c *compiled) compileRule(r *Rule, teamMembers []string) (compiledRule, error) {
	cr := compiledRule{Rule: r}
	if r.ID == "" {
		return cr, problemIDs(ProblemRecord, "empty id")
	}
	if r.Name == "" {
		return cr, problemIDs(ProblemRecord, "empty name")
	}
	if c.teams[r.TeamID] == nil {
		return cr, problemIDs(ProblemTeam, "unknown team %q", r.TeamID)
	}
	if !slices.Contains(Kinds, r.Kind) {
		return cr, problemIDs(ProblemKind, "kind %q: want one of %v", r.Kind, Kinds)
	}
	m, err := compile(r.Spec)
	if err != nil {
		return cr, problemOf(ProblemDays, err)
	}
	if cr.holidays, err = parseHolidayPolicy(r.Holidays, r.Kind); err != nil {
		return cr, problemOf(ProblemHolidays, err)
	}
	wins, err := compileWindows(r.Windows)
	if err != nil {
		return cr, problemOf(ProblemHours, err)
	}
	// A rule that ended by its last version's day (a member deleted
	// after it ended: its crew is kept as a version) puts its own people
	// on no day: who they are is not checked, and nobody stands after.
	retired := r.ValidTo != 0 && len(r.Versions) > 0 && r.Versions[len(r.Versions)-1].Until >= r.ValidTo
	cr.people = r.People
	if retired {
		cr.people = nil
	} else if len(cr.people) == 0 {
		cr.people = teamMembers
	}
	seen := map[string]bool{}
	for _, p := range cr.people {
		if f := c.former[p]; c.members[p] == nil && f != nil {
			// Deleted since, still on the list: a rule that ended before
			// the deletion (its days are past), or a list merged from a
			// copy of the roster made before it. They stand under the
			// name they had, so the past shows who stood and a merged
			// list shows whom to take off, rather than the roster failing.
			c.members[p] = &Member{ID: p, TeamID: f.TeamID, Name: f.Name}
		}
		if c.members[p] == nil {
			return cr, problemIDs(ProblemMember, "unknown member %q", p)
		}
		if seen[p] {
			return cr, &Problem{Code: ProblemTwice, Args: []any{c.members[p].Name}, msg: fmt.Sprintf("member %q (%s) listed twice", p, c.members[p].Name)}
		}
		seen[p] = true
		cr.names = append(cr.names, c.members[p].Name)
	}
	if r.ValidFrom != 0 {
		if err := almanac.CheckRange(r.ValidFrom); err != nil {
			return cr, problemIDs(ProblemRange, "valid_from: %w", err)
		}
	}
	if r.ValidTo != 0 && r.ValidTo < r.ValidFrom {
		return cr, problem(ProblemDates, "valid_to %s is before valid_from %s", r.ValidTo, r.ValidFrom)
	}
	if r.MinPeople < 0 || r.Rotate < 0 {
		return cr, problemIDs(ProblemRecord, "negative min_people or rotate")
	}
	cr.minPeople = r.MinPeople
	if r.Rotate > 0 && !retired {
		if len(cr.people) == 0 {
			return cr, problemIDs(ProblemNobody, "rotation over nobody: list the people who take turns (or add members to the team)")
		}
		if r.Rotate > len(cr.people) {
			return cr, problem(ProblemShort, "rotation needs %d people per turn but lists only %d", r.Rotate, len(cr.people))
		}
		if r.ValidFrom == 0 {
			return cr, problemIDs(ProblemStart, rotationStart)
		}
		if cr.minPeople == 0 {
			cr.minPeople = r.Rotate
		}
		if cr.minPeople > r.Rotate {
			return cr, problem(ProblemMinPeople, "min_people %d is more than the %d people a turn puts on duty", cr.minPeople, r.Rotate)
		}
	} else if cr.minPeople == 0 {
		cr.minPeople = 1
	}
	if err := c.compileVersions(&cr, m, wins, cr.holidays); err != nil {
		if errors.As(err, new(*Problem)) {
			return cr, err
		}
		return cr, problemOf(ProblemVersion, err)
	}
	return cr, nil
}

// compileWindows checks a rule's hours and sorts them by start.
func compileWindows(ws []Window) ([]Window, error) {
	if len(ws) == 0 {
		return nil, fmt.Errorf("no time window (e.g. 07:00-08:00)")
	}
	ws = slices.Clone(ws)
	slices.SortFunc(ws, func(a, b Window) int { return int(a.Start) - int(b.Start) })
	for i, w := range ws {
		if w.Start < 0 || w.Start >= 1440 || w.End < 0 || w.End > 1440 {
			return nil, fmt.Errorf("window %s out of range", w)
		}
		if i > 0 && int(ws[i-1].Start)+ws[i-1].Minutes() > int(w.Start) {
			return nil, fmt.Errorf("windows %s and %s overlap", ws[i-1], w)
		}
	}
	if last := ws[len(ws)-1]; len(ws) > 1 && int(last.Start)+last.Minutes() > 1440+int(ws[0].Start) {
		return nil, fmt.Errorf("window %s runs into the next day's %s", last, ws[0])
	}
	return ws, nil
}

// crew is who stands on a rule's days up to until (0: from then on), and
// those days (m), hours (windows) and holiday policy, the rule's kind
// and team then, and its start then (from: no day before it).
type crew struct {
	m         matcher
	windows   []Window
	holidays  holidayPolicy
	kind      string
	kindRank  int
	teamID    string
	team      string // the team's name
	from      Date
	fresh     bool // a rotation starts again at its head (Version.Fresh)
	until     Date
	people    []string
	names     []string // nil until the members are all known (compile)
	rotate    int
	minPeople int
	whole     bool // the whole team, in name order (Version.Team)
}

// compileVersions checks the rule's versions and lays its crews out: one
// per version, then the rule's own (days m, hours wins, holiday policy
// hp). A rule skips the holidays some crew of it skips (holidayGaps).
func (c *compiled) compileVersions(cr *compiledRule, m matcher, wins []Window, hp holidayPolicy) error {
	// What a version does not keep is the one's after it: from the last
	// version back.
	type shape struct {
		m    matcher
		wins []Window
		hp   holidayPolicy
		kind string
		team string
		from Date
	}
	shapes := make([]shape, len(cr.Versions))
	sh := shape{m: m, wins: wins, hp: hp, kind: cr.Kind, team: cr.TeamID, from: cr.ValidFrom}
	for i := len(cr.Versions) - 1; i >= 0; i-- {
		v := cr.Versions[i]
		bad := func(err error) error { return fmt.Errorf("version %d (until %s): %w", i+1, v.Until, err) }
		if v.Kind != "" {
			if !slices.Contains(Kinds, v.Kind) {
				return bad(fmt.Errorf("kind %q: want one of %v", v.Kind, Kinds))
			}
			sh.kind = v.Kind
		}
		if v.TeamID != "" {
			if c.teams[v.TeamID] == nil {
				return bad(fmt.Errorf("unknown team %q", v.TeamID))
			}
			sh.team = v.TeamID
		}
		if v.From != nil {
			if *v.From != 0 {
				if err := almanac.CheckRange(*v.From); err != nil {
					return bad(fmt.Errorf("from: %w", err))
				}
			}
			sh.from = *v.From
		}
		var err error
		if v.Holidays != nil {
			if sh.hp, err = parseHolidayPolicy(*v.Holidays, sh.kind); err != nil {
				return bad(err)
			}
		}
		cr.holidays.public, cr.holidays.school = cr.holidays.public || sh.hp.public, cr.holidays.school || sh.hp.school
		if v.Spec != nil {
			if sh.m, err = compile(*v.Spec); err != nil {
				return bad(err)
			}
		}
		if v.Windows != nil {
			if sh.wins, err = compileWindows(v.Windows); err != nil {
				return bad(err)
			}
		}
		shapes[i] = sh
	}
	var last Date
	for i, v := range cr.Versions {
		if err := almanac.CheckRange(v.Until); err != nil {
			return fmt.Errorf("version %d: until: %w", i+1, err)
		}
		if v.Until <= last {
			return fmt.Errorf("version %d: until %s is not after the version before (%s)", i+1, v.Until, last)
		}
		last = v.Until
		if len(v.People) == 0 {
			return fmt.Errorf("version %d (until %s): nobody listed", i+1, v.Until)
		}
		if len(v.Names) != 0 && len(v.Names) != len(v.People) {
			return fmt.Errorf("version %d (until %s): %d names for %d people", i+1, v.Until, len(v.Names), len(v.People))
		}
		seen := map[string]bool{}
		for _, p := range v.People {
			if p == "" || seen[p] {
				return fmt.Errorf("version %d (until %s): member %q empty or listed twice", i+1, v.Until, p)
			}
			seen[p] = true
		}
		if v.Rotate < 0 || v.MinPeople < 0 || v.Rotate > len(v.People) {
			return fmt.Errorf("version %d (until %s): rotate %d, min_people %d for %d people", i+1, v.Until, v.Rotate, v.MinPeople, len(v.People))
		}
		minP := v.MinPeople
		if minP == 0 {
			minP = max(v.Rotate, 1)
		}
		sh := shapes[i]
		cr.crews = append(cr.crews, crew{until: v.Until, people: v.People, rotate: v.Rotate, minPeople: minP, whole: v.Team, fresh: v.Fresh,
			m: sh.m, windows: sh.wins, holidays: sh.hp, kind: sh.kind, teamID: sh.team, from: sh.from})
		cr.rotates = cr.rotates || v.Rotate > 0
	}
	cr.crews = append(cr.crews, crew{people: cr.people, names: cr.names, rotate: cr.Rotate, minPeople: cr.minPeople, whole: len(cr.People) == 0,
		m: m, windows: wins, holidays: hp, kind: cr.Kind, teamID: cr.TeamID, from: cr.ValidFrom})
	if cr.Rotate > 0 {
		cr.rotates = true
	}
	cr.start = cr.ValidFrom
	for k := range cr.crews {
		cw := &cr.crews[k]
		cw.kindRank = slices.Index(Kinds, cw.kind)
		cw.team = c.teams[cw.teamID].Name
		cr.start = min(cr.start, cw.from)
		if cw.rotate > 0 {
			// Each crew taking turns has a start; one before it that
			// had none (everyone stood, from no day) does not take
			// the turns' count back to no day.
			if cw.from == 0 {
				return problemIDs(ProblemStart, rotationStart)
			}
			if cr.turns == 0 || cw.from < cr.turns {
				cr.turns = cw.from
			}
		}
	}
	return nil
}

func (c *compiled) compileExc(e *Exception) (compiledExc, error) {
	ce := compiledExc{Exception: e}
	switch e.Action {
	case Cancel, Replace, Add:
	default:
		return ce, problemIDs(ProblemRecord, "action %q: want %s, %s or %s", e.Action, Cancel, Replace, Add)
	}
	lunar := e.LunarFrom != nil || e.LunarTo != nil
	switch {
	case e.Dates != nil && lunar:
		return ce, problemIDs(ProblemExcDays, "give either dates or a lunar range, not both")
	case e.Dates == nil && !lunar:
		return ce, problemIDs(ProblemExcDays, "no days: give dates or a lunar range")
	case e.Dates != nil:
		if e.Dates.From == 0 || e.Dates.To < e.Dates.From {
			return ce, problemIDs(ProblemExcDays, "dates %s..%s is not a date range", e.Dates.From, e.Dates.To)
		}
	default:
		if e.LunarFrom == nil || e.LunarTo == nil {
			return ce, problemIDs(ProblemExcDays, "a lunar range needs both ends")
		}
		for _, md := range []*LunarMD{e.LunarFrom, e.LunarTo} {
			if md.Month < 1 || md.Month > 12 || md.Day < 1 || md.Day > 30 {
				return ce, problemIDs(ProblemExcDays, "lunar day %d-%d does not exist", md.Month, md.Day)
			}
		}
	}
	if len(e.Rules) > 0 {
		ce.rules = map[string]bool{}
		for _, id := range e.Rules {
			if _, ok := c.ruleIdx[id]; !ok {
				return ce, problemIDs(ProblemGoneRule, "unknown rule %q", id)
			}
			ce.rules[id] = true
		}
	}
	if len(e.Kinds) > 0 {
		ce.kinds = map[string]bool{}
		for _, k := range e.Kinds {
			if !slices.Contains(Kinds, k) {
				return ce, problemIDs(ProblemRecord, "kind %q: want one of %v", k, Kinds)
			}
			ce.kinds[k] = true
		}
	}
	switch e.Action {
	case Add:
		if len(e.Rules) == 0 {
			return ce, problemIDs(ProblemAddNoRules, "add names no rules")
		}
	case Replace:
		if c.members[e.Person] == nil {
			return ce, problemIDs(ProblemGonePerson, "replace: unknown member %q", e.Person)
		}
		if e.Substitute != "" && c.members[e.Substitute] == nil {
			return ce, problemIDs(ProblemGonePerson, "replace: unknown substitute %q", e.Substitute)
		}
		if e.Substitute == e.Person {
			return ce, problem(ProblemSelf, "replace: %s would replace themself", c.members[e.Person].Name)
		}
	default:
		if e.Person != "" || e.Substitute != "" {
			return ce, problemIDs(ProblemRecord, "%s takes no person or substitute", e.Action)
		}
	}
	return ce, nil
}

// covers reports whether the exception's days include d (l is d's lunar date).
func (e *compiledExc) covers(d Date, l LunarDate) bool {
	if e.Dates != nil {
		return e.Dates.Contains(d)
	}
	// A 29-day month's last day also answers to day 30 (除夕 = 腊月三十).
	lo := l.Month*32 + l.Day
	if l.Day == l.MonthDays && l.Day == 29 {
		lo = l.Month*32 + 30
	}
	hi := l.Month*32 + l.Day
	from := e.LunarFrom.Month*32 + e.LunarFrom.Day
	to := e.LunarTo.Month*32 + e.LunarTo.Day
	if from <= to {
		return lo >= from && hi <= to
	}
	return lo >= from || hi <= to
}

// applies reports whether the exception touches rule r where its crew cw
// stands (of the kind it had then).
func (e *compiledExc) applies(r *compiledRule, cw *crew) bool {
	if e.rules != nil && !e.rules[r.ID] {
		return false
	}
	if e.kinds != nil && !e.kinds[cw.kind] {
		return false
	}
	return true
}
