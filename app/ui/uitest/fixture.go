package uitest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"cunjing/maps/synth"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/mapdata"
)

// Known people of the fixture, checked by the tests.
const (
	WangID    = "11010519491231002X"
	WangPhone = "13812345678"
)

// Fixture makes a small post as of the tests' today (clocktest): two
// villages, three households the tests look for by name, number, old
// number, phone and ID, and filler households so lists are not trivially
// short.
func Fixture(t testing.TB, filler int) *store.Store {
	t.Helper()
	return FixtureAt(t, clocktest.Today(t), filler)
}

// FixtureLeave is 钱村警's leave in a fixture made on day: from the day
// before to three days after, so the nightly patrol that needs two people
// is short on day itself.
func FixtureLeave(day time.Time) string {
	return day.AddDate(0, 0, -1).Format("2006-01-02") + ".." + day.AddDate(0, 0, 3).Format("2006-01-02")
}

// FixtureAt makes the fixture as of day: every date in it (the leave,
// last night's patrol) is relative to day, never to the wall clock.
func FixtureAt(t testing.TB, day time.Time, filler int) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "post.db"),
		store.Identity{DeviceID: "POSTDEV-TEST", Role: store.RolePost, Name: "东河警务室", Township: "城关镇", Officer: "赵警官"}, store.Options{Now: clocktest.TickingFrom(day), BackupWorkFactor: 10})
	if err != nil {
		t.Fatalf("create store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	east := &store.Village{Name: "东河村", Township: "城关镇"}
	west := &store.Village{Name: "西岭村", Township: "城关镇"}
	if err := s.Save(ctx, east, west); err != nil {
		t.Fatalf("save villages: %v", err)
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		add := func(v *store.Village, number string, history []string, hh *store.Household, rs ...*store.Resident) error {
			x := 12 * len(number) * int(number[0])
			house := &store.House{VillageID: v.ID, Number: number, History: history, Kind: "house", Floors: 2,
				Geometry: fmt.Sprintf(`[{"x":%d,"y":0},{"x":%d,"y":0},{"x":%d,"y":9},{"x":%d,"y":9}]`, x, x+10, x+10, x)}
			if err := tx.Save(house); err != nil {
				return err
			}
			hh.VillageID, hh.HouseID = v.ID, house.ID
			if err := tx.Save(hh); err != nil {
				return err
			}
			for _, r := range rs {
				r.HouseholdID = hh.ID
				if err := tx.Save(r); err != nil {
					return err
				}
			}
			return nil
		}
		wang := &store.Household{Address: "东河村东三巷", OwnerName: "王建国", OwnerPhone: WangPhone,
			Status: store.StatusOwn, Categories: []string{store.CatKey}, Warning: store.WarnRed}
		if err := add(east, "203", []string{"118"}, wang,
			&store.Resident{Name: "王建国", IDNumber: WangID, Relation: "户主", Phone: WangPhone, CensusStatus: store.CensusConsistent},
			&store.Resident{Name: "刘桂兰", Relation: "配偶"}); err != nil {
			return err
		}
		if err := tx.Save(&store.Visit{HouseholdID: wang.ID, Date: "2026-01-05", Officer: "赵警官", Notes: "家中无异常"}); err != nil {
			return err
		}
		li := &store.Household{Address: "东河村北街", OwnerName: "李秀英", Categories: []string{store.CatElderly, store.CatAlone}, Warning: store.WarnGreen}
		if err := add(east, "12", nil, li, &store.Resident{Name: "李秀英", Relation: "户主"}); err != nil {
			return err
		}
		zhang := &store.Household{Address: "西岭村南口", OwnerName: "张志刚", Status: store.StatusRented,
			Categories: []string{store.CatRental, store.CatFloating}, Warning: store.WarnOrange}
		if err := add(west, "7", nil, zhang, &store.Resident{Name: "孙海涛", Relation: "租户"}); err != nil {
			return err
		}
		team := &store.Team{Name: "第一巡逻队", VillageID: east.ID}
		if err := tx.Save(team); err != nil {
			return err
		}
		m1 := &store.Member{TeamID: team.ID, Name: "赵警官", Role: "民警", Phone: "13900001111"}
		m2 := &store.Member{TeamID: team.ID, Name: "钱村警", Role: "村警", Leave: []string{FixtureLeave(day)}}
		for _, m := range []*store.Member{m1, m2} {
			if err := tx.Save(m); err != nil {
				return err
			}
		}
		rule := &store.ShiftRule{TeamID: team.ID, Name: "夜间巡逻", Kind: "patrol", Spec: `{"kind":"daily"}`,
			Windows: "19:00-21:00", MinPeople: 2, People: []string{m1.ID, m2.ID}}
		if err := tx.Save(rule); err != nil {
			return err
		}
		// Last night's patrol: the store refuses one logged as done before
		// it ended, and the fixture's clock is at 10:00.
		yesterday := day.AddDate(0, 0, -1).Format("2006-01-02")
		if err := tx.Save(&store.Patrol{TeamID: team.ID, RuleID: rule.ID, Date: yesterday, Start: "19:00", End: "21:05",
			People: []string{m1.ID, m2.ID}, Route: "东三巷—北街—村委会"}); err != nil {
			return err
		}
		for _, c := range []*store.CostItem{
			{Tier: "public_order", Grp: "legal", Text: "殴打他人", AmountMin: 500, AmountMax: 1000, Unit: "元",
				Law: "治安管理处罚法", Article: "第五十一条", Confirmed: false, Sort: 1},
			{Tier: "criminal", Grp: "legal", Text: "故意伤害致人轻伤", Law: "刑法", Article: "第二百三十四条", Confirmed: true, Sort: 2},
		} {
			if err := tx.Save(c); err != nil {
				return err
			}
		}
		if err := tx.Save(&store.Venue{VillageID: east.ID, Kind: "shop", Name: "东河超市", Contact: "周老板", Staff: 3}); err != nil {
			return err
		}
		for i := 0; i < filler; i++ {
			hh := &store.Household{Address: "西岭村", OwnerName: fmt.Sprintf("赵%03d", i), Warning: store.WarnGreen}
			if err := add(west, fmt.Sprint(1000+i), nil, hh, &store.Resident{Name: fmt.Sprintf("赵%03d", i), Relation: "户主"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("save fixture: %v", err)
	}
	// A third village drawn in full (lanes, landmarks, water) for the map.
	north := &store.Village{Name: "北庄村", Township: "城关镇"}
	if err := s.Save(ctx, north); err != nil {
		t.Fatalf("save village: %v", err)
	}
	mv, err := synth.Village(7, 40)
	if err != nil {
		t.Fatalf("synthesize: %v", err)
	}
	if err := mapdata.Save(ctx, s, north.ID, mv); err != nil {
		t.Fatalf("save map: %v", err)
	}
	return s
}
