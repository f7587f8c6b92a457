package store

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/store/clock/clocktest"
)

func TestResidentNeeds(t *testing.T) {
	for _, c := range []struct {
		name      string
		r         Resident
		household []string
		alone     bool
		age       int
		role      string
		want      []string
	}{
		{"nobody special", Resident{}, nil, false, 40, UserOfficer, nil},
		{"own categories", Resident{Categories: []string{CatElderly, CatAlone, CatParty}}, nil, false, 81, UserOfficer, []string{CatElderly, CatAlone}},
		{"household elderly fits the old", Resident{}, []string{CatElderly}, false, 72, UserOfficer, []string{CatElderly}},
		{"household elderly not the young", Resident{}, []string{CatElderly}, false, 35, UserOfficer, nil},
		{"household left-behind child", Resident{}, []string{CatChild, CatElderly}, false, 9, UserOfficer, []string{CatChild}},
		{"a child", Resident{}, nil, false, 6, UserOfficer, []string{NeedChild}},
		{"unknown age is no child", Resident{}, []string{CatChild}, false, -1, UserOfficer, nil},
		{"alone only when alone", Resident{}, []string{CatAlone}, false, 70, UserOfficer, nil},
		{"alone", Resident{}, []string{CatAlone}, true, 70, UserOfficer, []string{CatAlone}},
		{"health in full", Resident{Disabled: true, Mobility: MobilityBedridden}, nil, false, 88, UserOfficer, []string{NeedDisabled, MobilityBedridden}},
		{"health masked", Resident{Disabled: true, Mobility: MobilityBedridden}, nil, false, 88, UserAuxiliary, []string{NeedHelp}},
		{"impaired masked with category", Resident{Mobility: MobilityImpaired, Categories: []string{CatElderly}}, nil, false, 77, UserAuxiliary, []string{CatElderly, NeedHelp}},
		{"station admin sees", Resident{Mobility: MobilityImpaired}, nil, false, 50, UserStationAdmin, []string{MobilityImpaired}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ResidentNeeds(c.r, c.household, c.alone, c.age, c.role)
			if !slices.Equal(got, c.want) {
				t.Errorf("needs %v, want %v", got, c.want)
			}
		})
	}
}

func TestLivesIn(t *testing.T) {
	for _, c := range []struct {
		r    Resident
		want bool
	}{
		{Resident{}, true},
		{Resident{CensusStatus: CensusAbsent}, false},
		{Resident{MoveOut: "2026-01-01"}, false},
		{Resident{MoveOut: "2099-01-01"}, true},
	} {
		if got := LivesIn(c.r, "2026-12-04"); got != c.want {
			t.Errorf("%+v: %v, want %v", c.r, got, c.want)
		}
	}
}

// The new resident fields are synced fields: validated, stored, dumped
// and merged into another replica like the others.
func TestResidentNeedsFieldsSync(t *testing.T) {
	ctx := context.Background()
	a := newTestStore(t, RolePost, nil)
	b := newTestStore(t, RolePost, nil)
	bad := &Resident{Name: "张三", Mobility: "坐轮椅"}
	if err := a.Save(ctx, bad); err == nil || !strings.Contains(err.Error(), "mobility") {
		t.Fatalf("mobility 坐轮椅 saved: %v", err)
	}
	r := &Resident{Name: "王奶奶", Disabled: true, Mobility: MobilityBedridden}
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
	var got Resident
	if err := b.Get(ctx, &got, r.ID); err != nil {
		t.Fatal(err)
	}
	if !got.Disabled || got.Mobility != MobilityBedridden {
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
	s := newTestStore(t, RolePost, func() time.Time { return now })
	if err := s.LogEmergency(ctx, &Emergency{Number: "203"}); err == nil {
		t.Fatal("an emergency without a house was logged")
	}
	e := &Emergency{User: "wjj", Role: UserOfficer, HouseID: "H1", Number: "203", Query: "203"}
	if err := s.LogEmergency(ctx, e); err != nil {
		t.Fatal(err)
	}
	if want := now.Format("2006-01-02 15:04:05"); e.At != want {
		t.Fatalf("logged at %q, want the store's clock %q", e.At, want)
	}
	list, err := s.Emergencies(ctx, 0)
	if err != nil || len(list) != 1 || list[0].Number != "203" {
		t.Fatalf("log %+v, %v", list, err)
	}
	if _, err := s.EmergencyPatrol(ctx, e.ID, nil, "火已扑灭"); err == nil {
		t.Fatal("a patrol record without people was made")
	}
	p, err := s.EmergencyPatrol(ctx, e.ID, []string{"王建军"}, "火已扑灭，无人受伤")
	if err != nil {
		t.Fatal(err)
	}
	if p.Date != now.Format("2006-01-02") || !slices.Equal(p.Houses, []string{"H1"}) || !strings.Contains(p.Findings, "火已扑灭") {
		t.Fatalf("patrol %+v", p)
	}
	var again Emergency
	if err := s.Get(ctx, &again, e.ID); err != nil || again.PatrolID != p.ID {
		t.Fatalf("emergency not linked: %+v %v", again, err)
	}
	if _, err := s.EmergencyPatrol(ctx, e.ID, []string{"王建军"}, "再记一次"); err == nil {
		t.Fatal("the same emergency became two patrol records")
	}
}
