package store

import (
	"context"
	"cunjing/store/record"
	"errors"
	"testing"
	"time"
)

func TestLoginAndLockout(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	if ok, _ := s.HasUsers(ctx); ok {
		t.Fatal("new database has users")
	}
	if err := s.AddUser(ctx, "wang", "王建军", UserOfficer, "123"); err == nil {
		t.Fatal("short password accepted")
	}
	if err := s.AddUser(ctx, "wang", "王建军", "boss", "secret-1"); err == nil {
		t.Fatal("unknown role accepted")
	}
	if err := s.AddUser(ctx, "wang", "王建军", UserOfficer, "村警务室2026"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	u, err := s.Login(ctx, "wang", "村警务室2026", now)
	if err != nil || u.Role != UserOfficer || u.DisplayName != "王建军" {
		t.Fatalf("login: %+v %v", u, err)
	}
	if _, err := s.Login(ctx, "nobody", "x", now); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("unknown user: %v", err)
	}
	for i := 1; i < MaxFailedLogins; i++ {
		if _, err := s.Login(ctx, "wang", "wrong", now); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := s.Login(ctx, "wang", "wrong", now); !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong password must lock: %v", err)
	}
	if _, err := s.Login(ctx, "wang", "村警务室2026", now.Add(time.Minute)); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked account let the right password in: %v", err)
	}
	if _, err := s.Login(ctx, "wang", "村警务室2026", now.Add(LockoutDuration+time.Second)); err != nil {
		t.Fatalf("lock did not expire: %v", err)
	}
}

func TestMaskingPerRole(t *testing.T) {
	id := "11010519491231002X"
	tests := []struct{ role, want string }{
		{UserOfficer, id},
		{UserStationAdmin, id},
		{UserAuxiliary, "1101**********002X"},
		{"", "1101**********002X"},
	}
	for _, tt := range tests {
		if got := record.ShowID(tt.role, id); got != tt.want {
			t.Errorf("ShowID(%q) = %s, want %s", tt.role, got, tt.want)
		}
	}
}

func TestAuditEntriesSync(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, RolePost, nil)
	if err := post.Audit(ctx, "li", UserAuxiliary, AuditExport, "住户台账.xlsx", "312 户"); err != nil {
		t.Fatal(err)
	}
	if err := post.Audit(ctx, "li", UserAuxiliary, "delete", "x", ""); err == nil {
		t.Fatal("unknown audit action accepted")
	}
	station := newTestStore(t, RoleStation, nil)
	if _, err := station.Apply(ctx, allChanges(t, post)); err != nil {
		t.Fatal(err)
	}
	log, err := station.AuditLog(ctx, post.DeviceID(), 10)
	if err != nil || len(log) != 1 || log[0].Subject != "住户台账.xlsx" || log[0].Action != AuditExport || log[0].User != "li" {
		t.Fatalf("station audit log: %+v %v", log, err)
	}
}
