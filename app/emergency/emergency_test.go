package emergency

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/synth"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/emergencylog"
	"cunjing/store/mapdata"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

func newStore(t *testing.T, now time.Time) *store.Store {
	t.Helper()
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "post.db"),
		store.Identity{DeviceID: "EMERG24-AAAAAAA", Role: store.RolePost, Name: "张庄村警务室", Officer: "王建军", Phone: "13903921110"},
		store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func save(t *testing.T, s *store.Store, recs ...store.Record) {
	t.Helper()
	if err := s.Save(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

func spec(t *testing.T, text string) string {
	t.Helper()
	sp, err := schedule.ParseSpec(text)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOnDuty: the roster's own expansion decides who is on duty at a
// moment: the 24-hour duty that began yesterday morning until 08:00, the
// evening patrol only in its window, a rotation's turn passed to the next
// person while the one due is on leave.
func TestOnDuty(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t) // 10:00
	day := func(n, h, m int) time.Time {
		d := today.AddDate(0, 0, n)
		return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, schedule.Zone)
	}
	s := newStore(t, today)
	team := &store.Team{Name: "一组"}
	save(t, s, team)
	a := &store.Member{TeamID: team.ID, Name: "李强", Role: "民警", Phone: "13900000001"}
	b := &store.Member{TeamID: team.ID, Name: "赵敏", Role: "辅警", Phone: "13900000002"}
	c := &store.Member{TeamID: team.ID, Name: "孙网格", Role: "网格员", Phone: "13900000003"}
	save(t, s, a, b, c)
	from := day(-10, 0, 0).Format("2006-01-02")
	save(t, s,
		&store.ShiftRule{TeamID: team.ID, Name: "24小时值班", Kind: "duty", Spec: spec(t, "每天"), Windows: "08:00-08:00",
			People: []string{a.ID, b.ID}, Rotate: 1, MinPeople: 1, ValidFrom: from},
		&store.ShiftRule{TeamID: team.ID, Name: "晚巡", Kind: "patrol", Spec: spec(t, "每天"), Windows: "19:00-21:00",
			People: []string{c.ID}, ValidFrom: from})
	// Who stands the duty on a given day comes from the roster itself.
	in, err := rosterdata.ScheduleInput(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	dutyOn := func(n int) string {
		d := schedule.FromTime(day(n, 0, 0))
		sch, err := schedule.Expand(in, d, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, sl := range sch.Slots {
			if sl.Kind == "duty" {
				return sl.People[0]
			}
		}
		t.Fatalf("no duty on day %d", n)
		return ""
	}
	// 赵敏 takes leave on the next day she is due (2 or 3 days on).
	leave := 2
	if dutyOn(2) != "赵敏" {
		leave = 3
	}
	if dutyOn(leave) != "赵敏" {
		t.Fatalf("赵敏 is due neither in 2 nor in 3 days: %s, %s", dutyOn(2), dutyOn(3))
	}
	b.Leave = []string{day(leave, 0, 0).Format("2006-01-02")}
	save(t, s, b)
	if in, err = rosterdata.ScheduleInput(ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		at   time.Time
		want []string // "name role until"
	}{
		{"morning before the handover: yesterday's duty", day(0, 7, 30), []string{dutyOn(-1) + " " + day(0, 8, 0).Format("2006-01-02 15:04")}},
		{"after the handover: today's", day(0, 9, 0), []string{dutyOn(0) + " " + day(1, 8, 0).Format("2006-01-02 15:04")}},
		{"evening: duty and patrol", day(0, 20, 0), []string{dutyOn(0) + " " + day(1, 8, 0).Format("2006-01-02 15:04"), "孙网格 " + day(0, 21, 0).Format("2006-01-02 15:04")}},
		{"just after midnight: still today's duty", day(1, 0, 30), []string{dutyOn(0) + " " + day(1, 8, 0).Format("2006-01-02 15:04")}},
		{"while 赵敏 is on leave: 李强 stands in", day(leave, 12, 0), []string{"李强 " + day(leave+1, 8, 0).Format("2006-01-02 15:04")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := OnDuty(ctx, s, c.at)
			if err != nil {
				t.Fatal(err)
			}
			// The same instant in another zone (a PC set to UTC, or to
			// Honolulu) finds the same people until the same Beijing time.
			for _, z := range []*time.Location{time.UTC, time.FixedZone("HST", -10*3600)} {
				other, err := OnDuty(ctx, s, c.at.In(z))
				if err != nil || !slices.Equal(other, got) {
					t.Errorf("at %s: %+v (%v), in Beijing %+v", c.at.In(z), other, err, got)
				}
			}
			var names []string
			for _, d := range got {
				names = append(names, d.Name+" "+d.Until)
				if d.Phone == "" || d.Role == "" {
					t.Errorf("%s without phone or role: %+v", d.Name, d)
				}
			}
			if !slices.Equal(names, c.want) {
				t.Errorf("on duty %v, want %v", names, c.want)
			}
		})
	}
	if dutyOn(1) == dutyOn(0) {
		t.Errorf("the rotation does not rotate: %s both days", dutyOn(0))
	}
}

// fixture is a small village in a store: houses with households, one of
// them (the target) with people who need help, a tenant, a moved-out son
// and a registered-elsewhere daughter.
type fixture struct {
	s      *store.Store
	src    *Source
	target maps.House
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	now := clocktest.Today(t)
	s := newStore(t, now)
	vil := &store.Village{Name: "张庄村"}
	save(t, s, vil)
	mv, err := synth.Village(5, 60)
	if err != nil {
		t.Fatal(err)
	}
	if err := mapdata.Save(ctx, s, vil.ID, mv); err != nil {
		t.Fatal(err)
	}
	mv, err = mapdata.Load(ctx, s, vil.ID)
	if err != nil {
		t.Fatal(err)
	}
	target := mv.Houses[20]
	birth := func(years int) string { return now.AddDate(-years, -1, 0).Format("2006-01-02") }
	hh := &store.Household{VillageID: vil.ID, HouseID: target.ID, OwnerName: "王建国", OwnerPhone: "13912345678",
		TenantName: "外来租户", TenantPhone: "13712345678", Status: store.StatusRented,
		Categories: []string{store.CatElderly}, Warning: store.WarnGreen}
	save(t, s, hh)
	save(t, s,
		&store.Resident{HouseholdID: hh.ID, Name: "王建国", Relation: "户主", Gender: "男", BirthDate: birth(55), Phone: "13912345678"},
		&store.Resident{HouseholdID: hh.ID, Name: "王秀英", Relation: "母亲", Gender: "女", BirthDate: birth(82), Mobility: store.MobilityBedridden, Disabled: true,
			EmergencyContact: "王建民", EmergencyPhone: "13612345678"},
		&store.Resident{HouseholdID: hh.ID, Name: "王小明", Relation: "孙子", Gender: "男", BirthDate: birth(7)},
		&store.Resident{HouseholdID: hh.ID, Name: "王大伟", Relation: "儿子", Gender: "男", BirthDate: birth(30), MoveOut: now.AddDate(0, -2, 0).Format("2006-01-02"), Phone: "13512345678"},
		&store.Resident{HouseholdID: hh.ID, Name: "王丽", Relation: "女儿", Gender: "女", BirthDate: birth(28), CensusStatus: store.CensusAbsent})
	// Households in the houses nearest the target, for their phones.
	at := target.Polygon.Centroid()
	others := slices.Clone(mv.Houses)
	slices.SortFunc(others, func(a, b maps.House) int {
		da, db := maps.Dist(at, a.Polygon.Centroid()), maps.Dist(at, b.Polygon.Centroid())
		switch {
		case da < db:
			return -1
		case da > db:
			return 1
		}
		return 0
	})
	for i, o := range others[1:7] {
		save(t, s, &store.Household{VillageID: vil.ID, HouseID: o.ID, OwnerName: "邻居" + string(rune('甲'+i)),
			OwnerPhone: "1380000000" + string(rune('0'+i)), Status: store.StatusOwn, Warning: store.WarnGreen})
	}
	src, err := Load(ctx, s, vil.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s: s, src: src, target: target, now: now}
}

func TestBuildCard(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		role string
		want map[string][]string
	}{
		{store.UserOfficer, map[string][]string{"王秀英": {"留守老人", "残疾", "卧床"}, "王小明": {"儿童"}, "王建国": {}}},
		{store.UserAuxiliary, map[string][]string{"王秀英": {"留守老人", "需协助"}, "王小明": {"儿童"}, "王建国": {}}},
	} {
		t.Run(c.role, func(t *testing.T) {
			card, err := Build(ctx, f.s, f.src, f.target.ID, Options{Role: c.role, Now: f.now})
			if err != nil {
				t.Fatal(err)
			}
			if card.House.Number != f.target.Number || card.House.Head != "王建国" || card.Route == nil {
				t.Fatalf("house %+v, route %v (%s)", card.House, card.Route, card.RouteErr)
			}
			got := map[string][]string{}
			for _, p := range card.People {
				got[p.Name] = p.Needs
			}
			if len(got) != len(c.want) {
				t.Errorf("people %v, want %v (moved out and registered elsewhere are not inside)", got, c.want)
			}
			for n, w := range c.want {
				if !slices.Equal(got[n], w) {
					t.Errorf("%s needs %v, want %v", n, got[n], w)
				}
			}
			if card.People[0].Name != "王秀英" || card.People[2].Name != "王建国" {
				t.Errorf("those who need help come first: %+v", card.People)
			}
			var rels []string
			neighbours := 0
			for _, p := range card.Phones {
				rels = append(rels, p.Relation+" "+p.Name)
				if strings.HasPrefix(p.Relation, "邻居") {
					neighbours++
				}
			}
			for _, w := range []string{"户主 王建国", "租户 外来租户", "王秀英的紧急联系人 王建民"} {
				if !slices.Contains(rels, w) {
					t.Errorf("phones %v lack %q", rels, w)
				}
			}
			if neighbours != Neighbours || slices.Contains(rels, "儿子 王大伟") {
				t.Errorf("phones %v: want %d neighbours and not the son who moved out", rels, Neighbours)
			}
			if !strings.Contains(card.Text, "119") || !strings.Contains(card.Text, card.Route.PhoneText()) {
				t.Errorf("text:\n%s", card.Text)
			}
		})
	}
	if _, err := Build(ctx, f.s, f.src, "no-such-house", Options{Now: f.now}); err != ErrNoHouse {
		t.Errorf("unknown house: %v", err)
	}
}

// The JSON is the CLI's contract: exactly the keys.
func TestCardJSONKeys(t *testing.T) {
	f := newFixture(t)
	card, err := Build(context.Background(), f.s, f.src, f.target.ID, Options{Role: store.UserOfficer, Now: f.now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(card)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if got := keys(top); !slices.Equal(got, []string{"house", "on_duty", "people", "phones", "route", "text"}) {
		t.Errorf("keys %v", got)
	}
	var house map[string]json.RawMessage
	_ = json.Unmarshal(top["house"], &house)
	if got := keys(house); !slices.Equal(got, []string{"head", "number", "x", "y"}) {
		t.Errorf("house keys %v", got)
	}
	var people []map[string]json.RawMessage
	_ = json.Unmarshal(top["people"], &people)
	if len(people) == 0 || !slices.Equal(keys(people[0]), []string{"age", "name", "needs"}) {
		t.Errorf("people %v", people)
	}
	var phones []map[string]json.RawMessage
	_ = json.Unmarshal(top["phones"], &phones)
	if len(phones) == 0 || !slices.Equal(keys(phones[0]), []string{"name", "phone", "relation"}) {
		t.Errorf("phones %v", phones)
	}
	var route map[string]json.RawMessage
	_ = json.Unmarshal(top["route"], &route)
	for _, k := range []string{"reachable", "length_m", "stop", "hose_m", "water", "steps"} {
		if _, ok := route[k]; !ok {
			t.Errorf("route lacks %q (as route --json)", k)
		}
	}
}

func TestResolve(t *testing.T) {
	f := newFixture(t)
	one := func(q string) {
		t.Helper()
		hits, err := f.src.Resolve(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].HouseID != f.target.ID {
			t.Errorf("%q: %+v, want house %s alone", q, hits, f.target.Number)
		}
	}
	one(f.target.Number)
	one("王建国")
	one("13912345678")
	one("139 1234 5678")
	// "邻居" is part of six householders' names: every one of them.
	hits, err := f.src.Resolve(context.Background(), "邻居")
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 6 {
		t.Errorf("邻居: %d matches, want 6", len(hits))
	}
	if hits, err := f.src.Resolve(context.Background(), "不存在的人"); err != nil || len(hits) != 0 {
		t.Errorf("nobody: %v %v", hits, err)
	}
	if _, err := f.src.Resolve(context.Background(), "  "); err == nil {
		t.Error("an empty query resolved")
	}
}

func TestLog(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	card, err := Build(ctx, f.s, f.src, f.target.ID, Options{Role: store.UserOfficer, Now: f.now})
	if err != nil {
		t.Fatal(err)
	}
	e, err := Log(ctx, f.s, f.src, card, "王建国", "wjj", store.UserOfficer)
	if err != nil {
		t.Fatal(err)
	}
	list, err := emergencylog.List(ctx, f.s, 10)
	if err != nil || len(list) != 1 || list[0].ID != e.ID || list[0].HouseID != f.target.ID || list[0].User != "wjj" ||
		list[0].At != f.now.Format("2006-01-02 15:04:05") {
		t.Fatalf("log %+v %v", list, err)
	}
}

// Why there is no route is said in Chinese on the card (and in what is
// copied, saved and printed): a map drawn without 村口 put the router's
// English "route: the map has no entrance; place one or give a start
// point" on the emergency card.
func TestRouteProblemInChinese(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mv := f.src.Map.Clone()
	var kept []maps.Landmark
	for _, lm := range mv.Landmarks {
		if lm.Kind != maps.KindEntrance {
			kept = append(kept, lm)
		}
	}
	if len(kept) == len(mv.Landmarks) {
		t.Fatal("the fixture's map has no entrance to take away")
	}
	mv.Landmarks = kept
	if err := mapdata.Save(ctx, f.s, f.src.Village.ID, mv); err != nil {
		t.Fatal(err)
	}
	src, err := Load(ctx, f.s, f.src.Village.ID)
	if err != nil {
		t.Fatal(err)
	}
	card, err := Build(ctx, f.s, src, f.target.ID, Options{Role: store.UserOfficer, Now: f.now})
	if err != nil {
		t.Fatal(err)
	}
	if card.Route != nil || card.RouteErr == "" {
		t.Fatalf("a map without 村口 gave route %v, problem %q", card.Route, card.RouteErr)
	}
	if strings.ContainsFunc(card.RouteErr, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) || !strings.Contains(card.RouteErr, "村口") {
		t.Errorf("the card says why there is no route as %q: want Chinese naming 村口", card.RouteErr)
	}
}

// The card's own time (时间, in its subtitle, its text and the log) is
// Beijing's, whatever zone the caller's Now is in: a PC set to UTC or
// Honolulu printed 02:00 or 16:00 of the day before for 10:00 in the
// village.
func TestCardTimeIsBeijing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	want := f.now.In(schedule.Zone).Format("2006-01-02 15:04")
	for _, z := range []*time.Location{schedule.Zone, time.UTC, time.FixedZone("HST", -10*3600), time.FixedZone("LINT", 14*3600)} {
		t.Run(z.String(), func(t *testing.T) {
			card, err := Build(ctx, f.s, f.src, f.target.ID, Options{Role: store.UserOfficer, Now: f.now.In(z)})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(card.Subtitle(), want) || !strings.Contains(card.Text, want) {
				t.Errorf("card time: subtitle %q; want %s (Beijing); text:\n%s", card.Subtitle(), want, card.Text)
			}
			if got := card.At.Format("2006-01-02 15:04"); got != want {
				t.Errorf("card.At %s, want %s (what Log records)", got, want)
			}
		})
	}
}

// Numbers stored with 号 by older versions ('205号', '９９８号' from 改号
// before the form dropped it) show on the card as the screens show them:
// its title said 紧急 张庄村 ９９８号号, the route 到９９８号号…, the
// neighbours 邻居（30号号）, and `emergency --json`'s matches the raw
// number.
func TestCardNumbersStoredWithHao(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		stored, old   string // the target's number and former number as stored
		want, wantOld string
	}{
		{"９９８号", "１２号", "998", "12"},
		{"205号", "", "205", ""},
		{"203-1", "203号", "203-1", "203"},
	} {
		t.Run(c.stored, func(t *testing.T) {
			f := newFixture(t)
			mv, err := mapdata.Load(ctx, f.s, f.src.Village.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for i := range mv.Houses {
				h := &mv.Houses[i]
				ids = append(ids, h.ID)
				switch {
				case h.ID == f.target.ID:
					h.Number, h.History = c.stored, nil
					if c.old != "" {
						h.History = []string{c.old}
					}
				case h.Number != "":
					h.Number += "号" // how an older version kept them
				}
			}
			if err := mapdata.SaveChanges(ctx, f.s, f.src.Village.ID, mv, edit.DirtySet{Houses: ids}); err != nil {
				t.Fatal(err)
			}
			src, err := Load(ctx, f.s, f.src.Village.ID)
			if err != nil {
				t.Fatal(err)
			}
			card, err := Build(ctx, f.s, src, f.target.ID, Options{Role: store.UserOfficer, Now: f.now})
			if err != nil {
				t.Fatal(err)
			}
			if card.House.Number != c.want || card.Title() != "紧急 张庄村 "+c.want+"号" {
				t.Errorf("number %q, title %q; want %s", card.House.Number, card.Title(), c.want)
			}
			if c.wantOld != "" && !slices.Equal(card.House.History, []string{c.wantOld}) {
				t.Errorf("history %q, want %s", card.House.History, c.wantOld)
			}
			if card.Route == nil {
				t.Fatalf("no route: %s", card.RouteErr)
			}
			neighbours := 0
			for _, p := range card.Phones {
				if strings.HasPrefix(p.Relation, "邻居（") {
					neighbours++
				}
			}
			if neighbours == 0 {
				t.Errorf("no numbered neighbours on the card: %+v", card.Phones)
			}
			b, err := json.Marshal(card)
			if err != nil {
				t.Fatal(err)
			}
			for what, s := range map[string]string{"text": card.Text, "json": string(b), "subtitle": card.Subtitle(), "route": card.Route.PhoneText()} {
				if strings.Contains(s, "号号") || strings.Contains(s, c.stored+"号") && c.stored != c.want {
					t.Errorf("%s shows a number stored with 号 raw:\n%s", what, s)
				}
			}
			hits, err := src.Resolve(ctx, c.want)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 1 || hits[0].Number != c.want {
				t.Errorf("Resolve(%s) = %+v, want the house numbered %s", c.want, hits, c.want)
			}
		})
	}
}
