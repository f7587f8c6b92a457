package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"cunjing/store/clock"
)

// idBornOn is a valid ID number (check character and all) of someone born
// on yyyymmdd.
func idBornOn(t *testing.T, yyyymmdd string) string {
	t.Helper()
	s17 := "410526" + yyyymmdd + "123"
	c, err := IDCheckChar(s17)
	if err != nil {
		t.Fatal(err)
	}
	return s17 + string(c)
}

func TestFutureBirthAndPatrolRefused(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.Local)
	s := newTestStore(t, RolePost, clock.Fixed(now))
	ctx := context.Background()

	future := idBornOn(t, "20270601")
	if id, p := CheckIDNumberAt(future, now); id != "" || p != IDFutureBirth {
		t.Errorf("CheckIDNumberAt(born 2027-06-01) on 2026-12-04 = %q, %v", id, p)
	}
	var fe *FieldError
	err := s.Save(ctx, &Resident{Name: "未来人", IDNumber: future})
	if !errors.As(err, &fe) || fe.Field != "id_number" || fe.Msg != MsgFuture {
		t.Errorf("saving a resident born 2027-06-01: %v", err)
	}
	today := idBornOn(t, "20261204")
	if id, p := CheckIDNumberAt(today, now); id == "" || p != IDOK {
		t.Errorf("born today: %q, %v", id, p)
	}
	if err := s.Save(ctx, &Resident{Name: "新生儿", IDNumber: today}); err != nil {
		t.Errorf("saving a resident born today: %v", err)
	}

	for _, p := range []Patrol{
		{Date: "2026-12-04", Start: "09:00", End: "11:00"},
		{Date: "2026-12-04", Start: "10:30"},
		{Date: "2026-12-05", Start: "08:00", End: "09:00"},
		{Date: "2026-12-03", Start: "22:00", End: "11:00"}, // ends tomorrow 11:00
	} {
		p.People = []string{"m1"}
		if err := s.Save(ctx, &p); !errors.As(err, &fe) || fe.Msg != MsgFuture {
			t.Errorf("patrol %s %s–%s logged as done at 10:00 on 2026-12-04: %v", p.Date, p.Start, p.End, err)
		}
	}
	for _, p := range []Patrol{
		{Date: "2026-12-04", Start: "08:00", End: "09:30"},
		{Date: "2026-12-03", Start: "22:00", End: "02:00"},
		{Date: "2026-12-04"},
	} {
		p.People = []string{"m1"}
		if err := s.Save(ctx, &p); err != nil {
			t.Errorf("patrol %s %s–%s done before 10:00 on 2026-12-04: %v", p.Date, p.Start, p.End, err)
		}
	}
}
