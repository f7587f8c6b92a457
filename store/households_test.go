package store

import (
	"context"
	"testing"
)

func TestHouseholdsOfHouseAndRow(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	v := &Village{Name: "东河村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	h := &House{VillageID: v.ID, Number: "203", Kind: "house"}
	other := &House{VillageID: v.ID, Number: "204", Kind: "house"}
	if err := s.Save(ctx, h, other); err != nil {
		t.Fatal(err)
	}
	a := &Household{VillageID: v.ID, HouseID: h.ID, OwnerName: "王建国"}
	b := &Household{VillageID: v.ID, HouseID: h.ID, OwnerName: "刘桂兰"}
	gone := &Household{VillageID: v.ID, HouseID: h.ID, OwnerName: "已搬走"}
	elsewhere := &Household{VillageID: v.ID, HouseID: other.ID, OwnerName: "张三"}
	if err := s.Save(ctx, a, b, gone, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &Resident{HouseholdID: a.ID, Name: "王建国"}, &Resident{HouseholdID: a.ID, Name: "王小明"},
		&Visit{HouseholdID: a.ID, Date: "2026-01-05"}, &Visit{HouseholdID: a.ID, Date: "2026-03-01"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx *Tx) error { return tx.Delete(&Household{}, gone.ID) }); err != nil {
		t.Fatal(err)
	}
	hs, err := s.HouseholdsOfHouse(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 || hs[0].ID != b.ID || hs[1].ID != a.ID {
		t.Fatalf("households of 203: %+v", hs)
	}
	row, err := s.HouseholdRowByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.HouseNumber != "203" || row.Residents != 2 || row.LastVisit != "2026-03-01" || row.OwnerName != "王建国" {
		t.Fatalf("row: %+v", row)
	}
	noHouse := &Household{VillageID: v.ID, OwnerName: "李四"}
	if err := s.Save(ctx, noHouse); err != nil {
		t.Fatal(err)
	}
	if row, err = s.HouseholdRowByID(ctx, noHouse.ID); err != nil || row.HouseNumber != "" || row.Residents != 0 {
		t.Fatalf("household without a house: %+v, %v", row, err)
	}
	if _, err := s.HouseholdRowByID(ctx, "nope"); err == nil {
		t.Fatal("unknown id: no error")
	}
}
