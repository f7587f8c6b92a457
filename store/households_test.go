package store

import (
	"context"
	"testing"
)

func TestCheckIDNumber(t *testing.T) {
	cases := []struct {
		raw, id string
		want    IDProblem
	}{
		{"", "", IDOK},
		{"11010519491231002X", "11010519491231002X", IDOK},
		{"110105 19491231 002x", "11010519491231002X", IDOK},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", IDOK},
		{"440524188001010014", "440524188001010014", IDOK},
		{"1101051949", "", IDShort},
		{"11010519491231002", "", IDShort},
		{"11010519491231002X1", "", IDLong},
		{"11010519491231002Y", "", IDBadChar},
		{"1101X519491231002X", "", IDBadChar},
		{"王建国", "", IDBadChar},
		{"110105194913310021", "", IDBadDate}, // month 13
		{"110105194902300025", "", IDBadDate}, // 30 February
		{"110105194912310021", "", IDBadCheck},
		{"110105491231002", "11010519491231002X", IDOK}, // 15-digit, upgraded
		{"110105491331002", "", IDBadDate},
	}
	for _, c := range cases {
		id, p := CheckIDNumber(c.raw)
		if id != c.id || p != c.want {
			t.Errorf("CheckIDNumber(%q) = %q, %d; want %q, %d", c.raw, id, p, c.id, c.want)
		}
	}
}

// FuzzCheckIDNumber: the live check on the resident form must agree with
// the validation Save applies, or the form would call a number good that
// then fails to save (or the reverse).
func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{"", "11010519491231002X", "110105491231002", "11010519491231002x ", "1", "110105194913310021", "ＸＸ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, p := CheckIDNumber(raw)
		want, err := NormaliseIDNumber(raw)
		switch {
		case normaliseDigits(raw) == "":
			if id != "" || p != IDOK {
				t.Fatalf("empty %q: %q %d", raw, id, p)
			}
		case err == nil:
			if id != want || p != IDOK {
				t.Fatalf("%q: Normalise accepts %q, Check says %q %d", raw, want, id, p)
			}
		default:
			if id != "" || p == IDOK {
				t.Fatalf("%q: Normalise refuses (%v), Check says %q %d", raw, err, id, p)
			}
		}
	})
}

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
