package emergencylog

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/record"
)

func TestResidentNeeds(t *testing.T) {
	for _, c := range []struct {
		name      string
		r         store.Resident
		household []string
		alone     bool
		age       int
		role      string
		want      []string
	}{
		{"nobody special", store.Resident{}, nil, false, 40, store.UserOfficer, nil},
		{"own categories", store.Resident{Categories: []string{store.CatElderly, store.CatAlone, store.CatParty}}, nil, false, 81, store.UserOfficer, []string{store.CatElderly, store.CatAlone}},
		{"household elderly fits the old", store.Resident{}, []string{store.CatElderly}, false, 72, store.UserOfficer, []string{store.CatElderly}},
		{"household elderly not the young", store.Resident{}, []string{store.CatElderly}, false, 35, store.UserOfficer, nil},
		{"household left-behind child", store.Resident{}, []string{store.CatChild, store.CatElderly}, false, 9, store.UserOfficer, []string{store.CatChild}},
		{"a child", store.Resident{}, nil, false, 6, store.UserOfficer, []string{record.NeedChild}},
		{"unknown age is no child", store.Resident{}, []string{store.CatChild}, false, -1, store.UserOfficer, nil},
		{"alone only when alone", store.Resident{}, []string{store.CatAlone}, false, 70, store.UserOfficer, nil},
		{"alone", store.Resident{}, []string{store.CatAlone}, true, 70, store.UserOfficer, []string{store.CatAlone}},
		{"health in full", store.Resident{Disabled: true, Mobility: store.MobilityBedridden}, nil, false, 88, store.UserOfficer, []string{record.NeedDisabled, store.MobilityBedridden}},
		{"health masked", store.Resident{Disabled: true, Mobility: store.MobilityBedridden}, nil, false, 88, store.UserAuxiliary, []string{record.NeedHelp}},
		{"impaired masked with category", store.Resident{Mobility: store.MobilityImpaired, Categories: []string{store.CatElderly}}, nil, false, 77, store.UserAuxiliary, []string{store.CatElderly, record.NeedHelp}},
		{"station admin sees", store.Resident{Mobility: store.MobilityImpaired}, nil, false, 50, store.UserStationAdmin, []string{store.MobilityImpaired}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := store.ResidentNeeds(c.r, c.household, c.alone, c.age, c.role)
			if !slices.Equal(got, c.want) {
				t.Errorf("needs %v, want %v", got, c.want)
			}
		})
	}
}

func TestLivesIn(t *testing.T) {
	for _, c := range []struct {
		r    store.Resident
		want bool
	}{
		{store.Resident{}, true},
		{store.Resident{CensusStatus: store.CensusAbsent}, false},
		{store.Resident{MoveOut: "2026-01-01"}, false},
		{store.Resident{MoveOut: "2099-01-01"}, true},
	} {
		if got := store.LivesIn(c.r, "2026-12-04"); got != c.want {
			t.Errorf("%+v: %v, want %v", c.r, got, c.want)
		}
	}
}

// The new resident fields are synced fields: validated, stored, dumped
// and merged into another replica like the others.
func TestResidentNeedsFieldsSync(t *testing.T) {
	ctx := context.Background()
	a := newTestStore(t, store.RolePost, nil)
	b := newTestStore(t, store.RolePost, nil)
	bad := &store.Resident{Name: "张三", Mobility: "坐轮椅"}
	if err := a.Save(ctx, bad); err == nil || !strings.Contains(err.Error(), "mobility") {
		t.Fatalf("mobility 坐轮椅 saved: %v", err)
	}
	r := &store.Resident{Name: "王奶奶", Disabled: true, Mobility: store.MobilityBedridden}
	if err := a.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	ch, _, err := a.ChangesSince(ctx, a.DeviceID(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	var got store.Resident
	if err := b.Get(ctx, &got, r.ID); err != nil {
		t.Fatal(err)
	}
	if !got.Disabled || got.Mobility != store.MobilityBedridden {
		t.Fatalf("replica has %+v", got)
	}
	var da, db bytes.Buffer
	if err := a.Dump(ctx, &da, a.DeviceID()); err != nil {
		t.Fatal(err)
	}
	if err := b.Dump(ctx, &db, a.DeviceID()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(da.Bytes(), db.Bytes()) || !strings.Contains(da.String(), "卧床") {
		t.Fatalf("dumps differ or lack the field:\n%s\n---\n%s", da.String(), db.String())
	}
}

func TestEmergencyLogAndPatrol(t *testing.T) {
	ctx := context.Background()
	now := clocktest.Today(t)
	s := newTestStore(t, store.RolePost, func() time.Time { return now })
	if err := Log(ctx, s, &store.Emergency{Number: "203"}); err == nil {
		t.Fatal("an emergency without a house was logged")
	}
	e := &store.Emergency{User: "wjj", Role: store.UserOfficer, HouseID: "H1", Number: "203", Query: "203"}
	if err := Log(ctx, s, e); err != nil {
		t.Fatal(err)
	}
	if want := now.Format("2006-01-02 15:04:05"); e.At != want {
		t.Fatalf("logged at %q, want the store's clock %q", e.At, want)
	}
	list, err := List(ctx, s, 0)
	if err != nil || len(list) != 1 || list[0].Number != "203" {
		t.Fatalf("log %+v, %v", list, err)
	}
	if _, err := ToPatrol(ctx, s, e.ID, nil, "火已扑灭"); err == nil {
		t.Fatal("a patrol record without people was made")
	}
	p, err := ToPatrol(ctx, s, e.ID, []string{"王建军"}, "火已扑灭，无人受伤")
	if err != nil {
		t.Fatal(err)
	}
	if p.Date != now.Format("2006-01-02") || !slices.Equal(p.Houses, []string{"H1"}) || !strings.Contains(p.Findings, "火已扑灭") {
		t.Fatalf("patrol %+v", p)
	}
	var again store.Emergency
	if err := s.Get(ctx, &again, e.ID); err != nil || again.PatrolID != p.ID {
		t.Fatalf("emergency not linked: %+v %v", again, err)
	}
	if _, err := ToPatrol(ctx, s, e.ID, []string{"王建军"}, "再记一次"); err == nil {
		t.Fatal("the same emergency became two patrol records")
	}
}
